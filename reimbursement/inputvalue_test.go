package reimbursement

import (
	"bytes"
	"strings"
	"testing"
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
