package csvdialect

import (
	"bytes"
	"testing"
)

// amount stands for reimbursement.Amount, whose String keeps its scale.
type amount string

func (a amount) String() string { return string(a) }

func TestDialects(t *testing.T) {
	for _, tc := range []struct {
		excel bool
		want  string
	}{
		{false, "tätort,\"a,b\",-12.50\n"},
		{true, "\uFEFFtätort;a,b;-12,50\r\n"},
	} {
		var b bytes.Buffer
		cw, err := NewWriter(&b, tc.excel)
		if err != nil {
			t.Fatal(err)
		}
		_ = cw.Write([]string{"tätort", "a,b", cw.Number(amount("-12.50"))})
		cw.Flush()
		if b.String() != tc.want {
			t.Errorf("excel %v: %q, want %q", tc.excel, b.String(), tc.want)
		}
	}
}
