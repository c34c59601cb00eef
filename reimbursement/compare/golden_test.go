package compare

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement/fee"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGoldenReports writes two comparisons in every format and holds
// them to testdata (rewrite with go test -update ./reimbursement/compare
// after reviewing the diff):
//
// report: April and May 2024, granted time against performed time at
// rates × 1.10 (the amounts of TestCompare: 10840.00 → 9411.60 kr,
// −1428.40, −13.18 %), with Habo's fees (3604 kr on both sides) and a
// proposal that renames priv "Omsorg Nord AB" and takes it into egen
// regi; a limit of −5 % (a fall of at least 542.00 kr) is kept.
//
// warnings: April 2024, the proposal's tariff only from 15 April (see
// TestRunWarnsOfDaysWithoutATariff): 5420.00 → 0.00 kr, a warning, and a
// limit of +2 % not judged.
func TestGoldenReports(t *testing.T) {
	granted := mustBook(t, doc(granted))
	performed := mustBook(t, doc(`{"name": "sol", "strategy": "performed_time", "when": "category in [\"service\", \"care\"]",
	  "rate": "table(\"timpris\", category, zone) * 1.10"}`))
	late := mustBook(t, strings.Replace(doc(`{"name": "sol", "strategy": "performed_time", "when": "category in ['service', 'care']",
	  "rate": "table('timpris', category, zone)"}`), `"valid_from": "2024-01-01"`, `"valid_from": "2024-04-15"`, 1))
	habo, err := fee.Read(strings.NewReader(haboFees))
	if err != nil {
		t.Fatal(err)
	}
	ds, renamed := compareData(), compareData()
	renamed.Providers[1].Name, renamed.Providers[1].Ownership = "Omsorg Nord AB", models.OwnOperation
	may, _ := calendar.Month(2024, time.May, stockholm)
	fall, rise := Budget{Amount: dec("-5"), Percent: true}, Budget{Amount: dec("2"), Percent: true}
	for _, tc := range []struct {
		name           string
		base, proposed Side
		periods        []calendar.Period
		opts           Options
	}{
		{"report", Side{Name: "beviljad tid", Book: granted, Data: ds, Fees: habo}, Side{Name: "utförd tid", Book: performed, Data: renamed, Fees: habo},
			[]calendar.Period{april2024, may}, Options{Budget: &fall}},
		{"warnings", Side{Name: "nu", Book: granted, Data: ds}, Side{Name: "förslag", Book: late, Data: ds},
			[]calendar.Period{april2024}, Options{Budget: &rise}},
	} {
		c, err := Run(t.Context(), tc.base, tc.proposed, tc.periods, tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		out := outputs(t, c)
		for format, file := range map[string]string{"text": ".txt", "CSV": ".csv", "Excel CSV": "-excel.csv", "JSON": ".json"} {
			name := filepath.Join("testdata", tc.name+file)
			if *update {
				if err := os.WriteFile(name, []byte(out[format]), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(string(want), out[format]); d != "" {
				t.Errorf("%s is stale; run go test -update ./reimbursement/compare and review the diff (-want +got):\n%s", name, d)
			}
		}
	}
}
