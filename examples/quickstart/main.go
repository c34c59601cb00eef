// Command quickstart settles a sample month of home care under a sample
// tariff and prints the report, with the explanation of two lines.
//
//	go run ./examples/quickstart
//
// The tariff (tariffs/tariff.json) and the dataset (dataset.json) are
// embedded, and the ersattning command reads them as they are:
//
//	go run ./examples/ersattning settle -month 2024-04 -tariffs examples/quickstart/tariffs -data examples/quickstart/dataset.json
//
// They hold four customers in two zones, a provider of the
// municipality's own and a private one, granted and performed time, a
// night visit, a declined visit, a visit not approved, a hospital stay
// and a home-health listing.
package main

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log"
	"os"
	"time"
	_ "time/tzdata" // settle in Europe/Stockholm on any machine

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
)

//go:embed tariffs/tariff.json dataset.json
var files embed.FS

func main() {
	log.SetFlags(0)
	tariffs, err := fs.Sub(files, "tariffs") // the directory the ersattning command reads too
	if err != nil {
		log.Fatal(err)
	}
	tariff, err := reimbursement.LoadVersion(tariffs, "tariff.json")
	if err != nil {
		log.Fatal(err)
	}
	book, err := reimbursement.NewBook(tariff)
	if err != nil {
		log.Fatal(err)
	}
	ds, err := models.ReadDatasetFS(files, "dataset.json")
	if err != nil {
		log.Fatal(err)
	}
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		log.Fatal(err)
	}
	april, err := calendar.Month(2024, time.April, loc)
	if err != nil {
		log.Fatal(err)
	}
	s, err := reimbursement.Settle(context.Background(), book, ds, april, reimbursement.Options{})
	if err != nil {
		log.Fatal(err)
	}
	if err := s.WriteText(os.Stdout, reimbursement.TextOptions{Lines: true}); err != nil {
		log.Fatal(err)
	}
	// Explain two lines: the double-staffed care of k3 and the declined
	// night visit of k1.
	for _, l := range s.Lines {
		if (l.Customer == "k3" && l.Component == "sol") || l.Kind == reimbursement.KindDeclined {
			fmt.Println()
			if err := l.WriteExplanation(os.Stdout); err != nil {
				log.Fatal(err)
			}
		}
	}
}
