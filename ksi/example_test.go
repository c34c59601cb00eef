package ksi_test

import (
	"fmt"
	"strings"

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

func ExampleReadTaskMapCSV() {
	table := `lokal kod,KSI-kod,kategori
Städ,,service
Klä,SME PH ZZ,care
`
	tasks, err := ksi.ReadTaskMapCSV(strings.NewReader(table), ksi.DefaultCatalog())
	if err != nil {
		panic(err)
	}
	t, _ := tasks.Lookup("Klä")
	fmt.Println(t.KSI, t.Category)
	// Output: SME PH ZZ care
}
