package ksi_test

import (
	"fmt"

	"github.com/hemtjanst/ersattning/ksi"
)

func ExampleParse() {
	code, err := ksi.Parse("sme ph zz")
	if err != nil {
		panic(err)
	}
	action, _ := ksi.LookupActionType(code.ActionType())
	entry, _ := ksi.DefaultCatalog().Lookup(code)
	fmt.Println(code)
	fmt.Println(action.Swedish)
	fmt.Println(entry.Title)

	_, err = ksi.Parse("SME-PH-ZZ")
	fmt.Println(err)
	// Output:
	// SME PH ZZ
	// färdighetsträning
	// Färdighetsträning i att klä sig
	// ksi: invalid KSI code "SME-PH-ZZ" at offset 3: unexpected character '-'
}
