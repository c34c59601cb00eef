package reimbursement_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
)

// tariff is Huddinge's 2021 model: performed time at the customer, capped
// by the decision, at one rate of 501 kr/h.
const tariff = `{
  "name": "Huddinge 2021",
  "valid_from": "2021-01-01",
  "source": "Huddinge VON, svar på motion 2021: 501 kr/h = 302 + 21 + 19 + 21 + 138",
  "currency": "SEK",
  "zones": ["Huddinge"],
  "schedule": {"rules": [{"band": "dygn", "days": ["all"], "from": "00:00", "to": "24:00"}]},
  "tables": {"timpris": {"keys": [], "unit": "kr/h", "rates": "501.00"}},
  "components": [{
    "name": "utförd tid", "strategy": "performed_time",
    "when": "category in [\"service\", \"care\"]",
    "rate": "table(\"timpris\")",
    "params": {"cap": "granted"}
  }]
}`

func ExampleParseVersion() {
	v, err := reimbursement.ParseVersion(strings.NewReader(tariff), "huddinge-2021.json")
	if err != nil {
		panic(err)
	}
	fmt.Println(v.Name(), "from", v.ValidFrom())
	for _, c := range v.Components() {
		fmt.Printf("%s: %s, rate %s\n", c.Name(), c.Strategy(), c.Rate())
	}

	// A mistake in an expression is reported with its place.
	_, err = reimbursement.ParseVersion(strings.NewReader(strings.Replace(tariff, `table(\"timpris\")`, `table(\"timpris\") * faktor`, 1)), "huddinge-2021.json")
	fmt.Println(err)
	// Output:
	// Huddinge 2021 from 2021-01-01
	// utförd tid: performed_time, rate table("timpris")
	// reimbursement: huddinge-2021.json:12: components[0].rate (utförd tid): 1:20: unknown name faktor
}

func ExampleSettle() {
	v, _ := reimbursement.ParseVersion(strings.NewReader(tariff), "huddinge-2021.json")
	book, _ := reimbursement.NewBook(v)
	loc, _ := time.LoadLocation("Europe/Stockholm")
	visit := func(id, day, from, to string) models.Visit {
		start, _ := time.ParseInLocation("2006-01-02 15:04", day+" "+from, loc)
		end, _ := time.ParseInLocation("2006-01-02 15:04", day+" "+to, loc)
		return models.Visit{ID: id, Customer: "k1", Provider: "p1", Start: start, End: end,
			Tasks: []string{"Dusch"}, Role: models.CareStaff, Approved: true}
	}
	ds := &models.Dataset{
		Tasks:     []models.LocalTask{{Local: "Dusch", Category: models.Care}},
		Customers: []models.Customer{{ID: "k1", Zone: "Huddinge"}},
		Providers: []models.Provider{{ID: "p1", Name: "Omsorg AB", Ownership: models.Private}},
		Decisions: []models.Decision{{ID: "b1", Customer: "k1", Provider: "p1",
			ValidFrom: calendar.MustParseDate("2021-03-01"), ExecutionStarted: calendar.MustParseDate("2021-03-01"),
			Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 60}}}},
		// 45 + 30 = 75 minutes performed, 60 granted: the last 15 are not paid.
		Visits: []models.Visit{visit("v1", "2021-03-02", "08:00", "08:45"), visit("v2", "2021-03-09", "08:00", "08:30")},
	}
	march, _ := calendar.Month(2021, time.March, loc)
	s, err := reimbursement.Settle(context.Background(), book, ds, march, reimbursement.Options{})
	if err != nil {
		panic(err)
	}
	for _, l := range s.Lines {
		fmt.Println(l.Customer, l.Component, l.Explanation.Formula)
	}
	for _, u := range s.NotPaid {
		fmt.Println("not paid:", u.ID, u.Reason, u.Minutes, "min")
	}
	fmt.Println("performed share", s.Customers[0].PerformedShare)
	s.WriteCSV(os.Stdout, reimbursement.PlainCSV)
	// Output:
	// k1 utförd tid 60 min × 501.00 kr/h ÷ 60 = 501.00
	// not paid: v2 above_cap 15 min
	// performed share 1.2500
	// period,provider,customer,version,component,label,kind,category,zone,band,quantity,unit,rate,rate_unit,factor,divisor,amount
	// 2021-03,p1,k1,Huddinge 2021,utförd tid,,,care,Huddinge,,60,min,501.00,kr/h,,60,501.00
}

// Settling a month customer by customer: each customer's settlement goes
// to the sink as soon as it is computed, and the month's totals come
// back. Merge puts the parts together as one Settle would have.
func ExampleSettleCustomers() {
	v, _ := reimbursement.ParseVersion(strings.NewReader(tariff), "huddinge-2021.json")
	book, _ := reimbursement.NewBook(v)
	loc, _ := time.LoadLocation("Europe/Stockholm")
	shared := &models.Dataset{
		Tasks:     []models.LocalTask{{Local: "Dusch", Category: models.Care}},
		Providers: []models.Provider{{ID: "p1", Name: "Omsorg AB", Ownership: models.Private}},
	}
	customer := func(id string, minutes int) *models.Dataset { return exampleCustomer(loc, id, minutes) }
	customers := func(yield func(*models.Dataset, error) bool) {
		// 30 min × 501 ÷ 60 = 250.50; 45 min × 501 ÷ 60 = 375.75.
		_ = yield(customer("k1", 30), nil) && yield(customer("k2", 45), nil)
	}
	march, _ := calendar.Month(2021, time.March, loc)
	var parts []*reimbursement.Settlement
	total, err := reimbursement.SettleCustomers(context.Background(), book, shared, customers, march, reimbursement.Options{},
		func(s *reimbursement.Settlement) error {
			for _, c := range s.Customers { // none for a customer with nothing to pay
				fmt.Println(c.Customer, c.Provider, c.Amount)
			}
			parts = append(parts, s)
			return nil
		})
	if err != nil {
		panic(err)
	}
	fmt.Println("month", total.Total, "to", len(total.Providers), "provider")
	all, _ := reimbursement.Merge(parts...)
	fmt.Println("merged", all.Total, "in", len(all.Lines), "lines")
	// Output:
	// k1 p1 250.50
	// k2 p1 375.75
	// month 626.25 to 1 provider
	// merged 626.25 in 2 lines
}

// Settling again the customers whose data changed and putting them back
// into the month issued: k2's shower turns out to have lasted 60 minutes,
// not 45, so the month pays 60 × 501 ÷ 60 = 501.00 for k2, and 250.50 +
// 501.00 = 751.50 in all, as Settle of the month on the new data would.
func ExampleReplace() {
	v, _ := reimbursement.ParseVersion(strings.NewReader(tariff), "huddinge-2021.json")
	book, _ := reimbursement.NewBook(v)
	loc, _ := time.LoadLocation("Europe/Stockholm")
	march, _ := calendar.Month(2021, time.March, loc)
	month := func(k2 int) *models.Dataset {
		ds := &models.Dataset{
			Tasks:     []models.LocalTask{{Local: "Dusch", Category: models.Care}},
			Providers: []models.Provider{{ID: "p1", Name: "Omsorg AB", Ownership: models.Private}},
		}
		for _, c := range []*models.Dataset{exampleCustomer(loc, "k1", 30), exampleCustomer(loc, "k2", k2)} {
			ds.Customers = append(ds.Customers, c.Customers...)
			ds.Decisions = append(ds.Decisions, c.Decisions...)
			ds.Visits = append(ds.Visits, c.Visits...)
		}
		return ds
	}
	issued, _ := reimbursement.Settle(context.Background(), book, month(45), march, reimbursement.Options{})
	fmt.Println("issued", issued.Total)
	now := month(60)
	var again []*reimbursement.Settlement
	_, err := reimbursement.SettleCustomers(context.Background(), book, now, now.ByCustomer("k2"), march, reimbursement.Options{},
		func(s *reimbursement.Settlement) error { again = append(again, s); return nil })
	if err != nil {
		panic(err)
	}
	fresh, _ := reimbursement.Merge(again...)
	corrected, err := reimbursement.Replace(issued, fresh, "k2")
	if err != nil {
		panic(err)
	}
	for _, c := range corrected.Customers {
		fmt.Println(c.Customer, c.Amount)
	}
	fmt.Println("corrected", corrected.Total)
	// Output:
	// issued 626.25
	// k1 250.50
	// k2 501.00
	// corrected 751.50
}

// exampleCustomer is a Huddinge customer of p1 granted 600 minutes of
// care who had one shower of the given minutes on 2 March 2021.
// A rate change tried on the same month: the tariff at 501 kr/h and a
// proposal at 520 kr/h, over March and April 2021, the dataset
// validated once. k1's 45-minute visit on 2 March: 45 × 501 ÷ 60 =
// 375.75 and 45 × 520 ÷ 60 = 390.00; April has no visit.
func ExampleSettleEach() {
	current, _ := reimbursement.ParseVersion(strings.NewReader(tariff), "huddinge-2021.json")
	proposed, _ := reimbursement.ParseVersion(strings.NewReader(strings.Replace(tariff, `"501.00"`, `"520.00"`, 1)), "förslag.json")
	var books []*reimbursement.Book
	for _, v := range []*reimbursement.Version{current, proposed} {
		b, _ := reimbursement.NewBook(v)
		books = append(books, b)
	}
	loc, _ := time.LoadLocation("Europe/Stockholm")
	ds := exampleCustomer(loc, "k1", 45)
	ds.Tasks = []models.LocalTask{{Local: "Dusch", Category: models.Care}}
	ds.Providers = []models.Provider{{ID: "p1", Name: "Omsorg AB", Ownership: models.Private}}
	march, _ := calendar.Month(2021, time.March, loc)
	april, _ := calendar.Month(2021, time.April, loc)
	out, err := reimbursement.SettleEach(context.Background(), books, ds, []calendar.Period{march, april}, reimbursement.Options{NoExplain: true})
	if err != nil {
		panic(err)
	}
	for i, name := range []string{"nu", "förslag"} {
		for _, s := range out[i] {
			fmt.Println(name, s.Period, s.Total)
		}
	}
	// Output:
	// nu 2021-03 375.75
	// nu 2021-04 0
	// förslag 2021-03 390.00
	// förslag 2021-04 0
}

func exampleCustomer(loc *time.Location, id string, minutes int) *models.Dataset {
	start := time.Date(2021, time.March, 2, 8, 0, 0, 0, loc)
	return &models.Dataset{
		Customers: []models.Customer{{ID: id, Zone: "Huddinge"}},
		Decisions: []models.Decision{{ID: id + "-b", Customer: id, Provider: "p1",
			ValidFrom: calendar.MustParseDate("2021-03-01"), ExecutionStarted: calendar.MustParseDate("2021-03-01"),
			Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 600}}}},
		Visits: []models.Visit{{ID: id + "-v", Customer: id, Provider: "p1", Start: start,
			End: start.Add(time.Duration(minutes) * time.Minute), Tasks: []string{"Dusch"}, Role: models.CareStaff, Approved: true}},
	}
}

// Writing a month customer by customer as one CSV document, the sink of
// SettleCustomers: the header once, then each customer's lines as soon
// as they are settled (ExcelCSV writes the same table for opening in
// Swedish Excel: semicolons, decimal commas, a byte-order mark, and text
// Excel would change, such as the period, as ="2024-04").
func ExampleWriter() {
	v, _ := reimbursement.ParseVersion(strings.NewReader(tariff), "huddinge-2021.json")
	book, _ := reimbursement.NewBook(v)
	loc, _ := time.LoadLocation("Europe/Stockholm")
	ds := &models.Dataset{
		Tasks:     []models.LocalTask{{Local: "Dusch", Category: models.Care}},
		Providers: []models.Provider{{ID: "p1", Name: "Omsorg AB", Ownership: models.Private}},
	}
	for _, c := range []*models.Dataset{exampleCustomer(loc, "k1", 30), exampleCustomer(loc, "k2", 45)} {
		ds.Customers = append(ds.Customers, c.Customers...)
		ds.Decisions = append(ds.Decisions, c.Decisions...)
		ds.Visits = append(ds.Visits, c.Visits...)
	}
	march, _ := calendar.Month(2021, time.March, loc)
	w := reimbursement.NewWriter(os.Stdout, reimbursement.PlainCSV)
	total, err := reimbursement.SettleCustomers(context.Background(), book, ds, ds.ByCustomer(), march,
		reimbursement.Options{NoExplain: true}, w.Write)
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		panic(err)
	}
	fmt.Println("total", total.Total)
	// Output:
	// period,provider,customer,version,component,label,kind,category,zone,band,quantity,unit,rate,rate_unit,factor,divisor,amount
	// 2021-03,p1,k1,Huddinge 2021,utförd tid,,,care,Huddinge,,30,min,501.00,kr/h,,60,250.50
	// 2021-03,p1,k2,Huddinge 2021,utförd tid,,,care,Huddinge,,45,min,501.00,kr/h,,60,375.75
	// total 626.25
}

// Settling a month streamed from a time-registration export sorted by
// customer (models.VisitsCSV, joined to the decisions held by
// models.Dataset.WithVisits), with bad data in it: k2's second visit ends
// before it starts and k3's names a task code the task map does not
// know. Each is left out, named with the file and line, and the others
// are settled: k1's 30 minutes × 501 ÷ 60 = 250.50. The error at the end
// names every customer left out, to mend and settle again (Merge puts
// them in); the totals returned with it are of the customers settled.
func ExampleSettleCustomers_fromCSV() {
	v, _ := reimbursement.ParseVersion(strings.NewReader(tariff), "huddinge-2021.json")
	book, _ := reimbursement.NewBook(v)
	loc, _ := time.LoadLocation("Europe/Stockholm")
	held := &models.Dataset{
		Tasks:     []models.LocalTask{{Local: "Dusch", Category: models.Care}},
		Providers: []models.Provider{{ID: "p1", Name: "Omsorg AB", Ownership: models.Private}},
	}
	for _, id := range []string{"k1", "k2", "k3"} {
		c := exampleCustomer(loc, id, 0)
		held.Customers = append(held.Customers, c.Customers...)
		held.Decisions = append(held.Decisions, c.Decisions...)
	}
	export := "Besöks-id;Brukare;Utförare;Starttid;Sluttid;Insatser;Attesterad\n" +
		"v1;k1;p1;2021-03-02 08:00;2021-03-02 08:30;Dusch;ja\n" +
		"v2;k2;p1;2021-03-02 09:00;2021-03-02 09:45;Dusch;ja\n" +
		"v3;k2;p1;2021-03-03 09:00;2021-03-03 08:45;Dusch;ja\n" +
		"v4;k3;p1;2021-03-02 10:00;2021-03-02 10:20;Bad;ja\n"
	visits := models.VisitsCSV(strings.NewReader(export), models.CSVOptions{File: "besök.csv", Location: loc})
	shared := &models.Dataset{Tasks: held.Tasks, Providers: held.Providers}
	march, _ := calendar.Month(2021, time.March, loc)
	totals, err := reimbursement.SettleCustomers(context.Background(), book, shared, held.WithVisits(visits), march, reimbursement.Options{},
		func(s *reimbursement.Settlement) error {
			for _, c := range s.Customers {
				fmt.Println(c.Customer, c.Amount)
			}
			return nil
		})
	fmt.Println("settled:", totals.Total, "kr")
	fmt.Println(err)
	// Output:
	// k1 250.50
	// settled: 250.50 kr
	// reimbursement: 2 customers with bad data, not settled (the others were handed to sink)
	// reimbursement: customer k2: models: besök.csv:4:27: visits[2] (id v3): end (Sluttid): 2021-03-03T08:45:00+01:00 is before start 2021-03-03T09:00:00+01:00
	// reimbursement: customer k3: models: besök.csv:5: visits (id v4): tasks[0]: unknown task code "Bad"
}
