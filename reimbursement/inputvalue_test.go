package reimbursement

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hemtjanst/ersattning/models"
)

// An input whose value would read otherwise in the list is quoted: a
// provider "=1+1" read provider==1+1 (found by trial), an empty value
// read as nothing, a value holding ", " as two inputs. Merged values
// ("helg | kväll") stay as they are.
func TestExplanationQuotesOddInputs(t *testing.T) {
	l := Line{Provider: "=1+1", Customer: "k1", Component: "c", Explanation: &Explanation{Version: "v", File: "v.json", Strategy: "performed_time",
		Inputs: []Input{{Name: "provider", Value: "=1+1"}, {Name: "planned_band", Value: ""}, {Name: "task", Value: "a, b"}, {Name: "band", Value: "helg | kväll"}}}}
	var b bytes.Buffer
	if err := l.WriteExplanation(&b); err != nil {
		t.Fatal(err)
	}
	want := `  indata     provider="=1+1", planned_band="", task="a, b", band=helg | kväll`
	if !strings.Contains(b.String(), want+"\n") {
		t.Errorf("explanation lacks %q:\n%s", want, b.String())
	}
}

// A line of performed time under a tariff whose visits are rounded
// otherwise than to the nearest minute, or have a minimum, says the rule
// among its steps (found by trial: a visit of 6 minutes listed at 15
// said nothing of why). The test tariff pays 500 kr/h with a minimum of
// 15 minutes for visits starting at night: a visit 22:30–22:36 is paid
// 15 min, 15 × 500 ÷ 60 = 125.00.
func TestExplanationSaysTheTimeRule(t *testing.T) {
	src := strings.Replace(doc(`{"name": "tid", "strategy": "performed_time", "when": "category == 'care'", "rate": "500", "params": {"require_decision": false}}`),
		`"tables": {`, `"time_rounding": {"mode": "up", "minimum_minutes": {"natt": 15}}, "tables": {`, 1)
	b := mustBook(t, src)
	ds := data()
	ds.Visits = []models.Visit{{ID: "v1", Customer: "k1", Provider: "egen", Start: time.Date(2024, 4, 3, 22, 30, 0, 0, stockholm),
		End: time.Date(2024, 4, 3, 22, 36, 0, 0, stockholm), Tasks: []string{"Dusch"}, Role: models.CareStaff, Approved: true}}
	s := settle(t, b, ds)
	if len(s.Lines) != 1 || s.Lines[0].Amount.String() != "125.00" {
		t.Fatalf("lines %+v", rows(s))
	}
	want := "besökens tid avrundas till närmast högre hela minut; ett besök som börjar i natt räknas minst 15 min"
	if steps := s.Lines[0].Explanation.Steps; !slices.Contains(steps, want) {
		t.Errorf("steps %q lack %q", steps, want)
	}
}
