package fee_test

import (
	"fmt"

	"github.com/hemtjanst/ersattning/reimbursement/fee"
)

func ExampleMaxtaxa() {
	for _, year := range []int{2023, 2024, 2025} {
		m, _ := fee.Maxtaxa(year)
		pbb, _ := fee.Prisbasbelopp(year)
		fmt.Printf("%d: 0.5392 × %s ÷ 12 → %s kr a month\n", year, pbb, m)
	}
	// Output:
	// 2023: 0.5392 × 52500 ÷ 12 → 2359 kr a month
	// 2024: 0.5392 × 57300 ÷ 12 → 2575 kr a month
	// 2025: 0.5392 × 58800 ÷ 12 → 2642 kr a month
}
