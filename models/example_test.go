package models_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/ksi"
	"github.com/hemtjanst/ersattning/models"
)

func ExampleReadDataset() {
	doc := `{
  "tasks": [{"local": "Städ", "category": "service"}],
  "customers": [{"id": "k1", "zone": "tätort"}],
  "providers": [{"id": "egen", "name": "Egen regi", "ownership": "own"}],
  "decisions": [{
    "id": "b1", "customer": "k1", "provider": "egen",
    "valid_from": "2024-04-01", "execution_started": "2024-04-10",
    "items": [{"task": "Städ", "category": "service", "minutes": 30, "times": 2, "per": "week"}]
  }],
  "visits": [{
    "id": "v1", "customer": "k1", "provider": "egen", "tasks": ["Städ"], "role": "care_staff",
    "start": "2024-04-11T09:00:00+02:00", "end": "2024-04-11T09:35:00+02:00", "approved": true
  }]
}`
	ds, err := models.ReadDataset(strings.NewReader(doc))
	if err != nil {
		panic(err)
	}
	april, _ := calendar.Month(2024, time.April, time.UTC)
	g := ds.Decisions[0].Granted(0, april, ds.Absences)
	fmt.Printf("granted %d min over %d days (%s)\n", g.Minutes, g.PaidDays, g.InForce)

	// A visit that ends before it starts is reported with the line and
	// column of the field.
	bad := strings.Replace(doc, "09:35", "08:35", 1)
	_, err = models.ReadDataset(strings.NewReader(bad))
	fmt.Println(err)
	// Output:
	// granted 180 min over 21 days (2024-04-10..2024-04-30)
	// models: 12:43: visits[0] (id v1): end: 2024-04-11T08:35:00+02:00 is before start 2024-04-11T09:00:00+02:00
}

func ExampleReadVisitsCSVWith() {
	// An export as a Swedish time-registration system writes it:
	// semicolons, Swedish headers, local times with seconds, a decimal
	// comma, no approval column (the caller says the export holds
	// approved visits only).
	export := "Besöks-ID;Brukare;Utförare;Starttid;Sluttid;Insatser;Yrkesroll;Planerade minuter\r\n" +
		"B-1;K-1;Hemtjänst Söder;2024-10-01 08:02:13;2024-10-01 08:31:40;Dusch, Tillsyn;Undersköterska;30,0\r\n" +
		"B-2;K-1;Hemtjänst Söder;2024-10-27 02:30:00;2024-10-27 03:10:00;Tillsyn;Undersköterska;\r\n"
	stockholm, _ := time.LoadLocation("Europe/Stockholm")
	opts := models.CSVOptions{File: "export.csv", Location: stockholm, Approved: models.ApprovalAll}
	_, err := models.ReadVisitsCSVWith(strings.NewReader(export), opts)
	fmt.Println(err)

	// With the offset, the time the clocks repeat is one instant.
	export = strings.Replace(export, "2024-10-27 02:30:00;", "2024-10-27 02:30:00+02:00;", 1)
	visits, err := models.ReadVisitsCSVWith(strings.NewReader(export), opts)
	if err != nil {
		panic(err)
	}
	for _, v := range visits {
		fmt.Println(v.ID, v.Tasks, v.Role, v.End.Sub(v.Start), v.PlannedMinutes, v.Source.File, v.Source.Line)
	}
	// Output:
	// models: export.csv:3:25: visits[1] (id B-2): start (Starttid): 2024-10-27 02:30:00 is ambiguous in Europe/Stockholm (the clocks moved back): give the offset, 2024-10-27T02:30:00+02:00 or 2024-10-27T02:30:00+01:00
	// B-1 [Dusch Tillsyn] care_staff 29m27s 30 export.csv 2
	// B-2 [Tillsyn] care_staff 1h40m0s 0 export.csv 3
}

func ExampleReadTaskMapCSV() {
	table := `lokal kod;KSI-kod;kategori
Städ;;service
Klä;SME PH ZZ;omsorg
`
	tasks, err := models.ReadTaskMapCSV(strings.NewReader(table), ksi.DefaultCatalog())
	if err != nil {
		panic(err)
	}
	t, _ := tasks.Lookup("Klä")
	fmt.Println(t.KSI, t.Category)
	fmt.Println(tasks.Category(" Städ "), tasks.Category("städ"))
	// Output:
	// SME PH ZZ care
	// service unknown
}
