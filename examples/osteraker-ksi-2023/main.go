// Command osteraker-ksi-2023 compares Österåker's current reimbursement
// model with the KSI-based pilot tried in its own operation from April to
// July 2023: payments per provider, customer and month, the budget, and
// each customer's fee under both. See README.md.
package main

import (
	"embed"
	"log"
	"os"
	_ "time/tzdata" // settle in Europe/Stockholm on any machine
)

//go:embed dataset.json aktiviteter.csv fees.json tariffs
var files embed.FS

func main() {
	log.SetFlags(0)
	c, err := comparison(files)
	if err != nil {
		log.Fatal(err)
	}
	if err := c.WriteText(os.Stdout); err != nil {
		log.Fatal(err)
	}
}
