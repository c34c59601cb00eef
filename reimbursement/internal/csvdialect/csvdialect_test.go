package csvdialect

import (
	"bytes"
	"testing"
)

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
		_ = cw.Write([]string{"tätort", "a,b", Number("-12.50", tc.excel)})
		cw.Flush()
		if b.String() != tc.want {
			t.Errorf("excel %v: %q, want %q", tc.excel, b.String(), tc.want)
		}
	}
}
