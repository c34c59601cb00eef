package reimbursement

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/hemtjanst/ersattning/reimbursement/internal/jsonpos"
)

// maxSettlementDepth bounds the nesting of a settlement's JSON document:
// what WriteJSON writes nests seven deep (a line's unit's field).
const maxSettlementDepth = 32

// ReadSettlement reads a settlement from the JSON WriteJSON writes (a
// byte-order mark before it is allowed): an issued month read back to be
// corrected (invoice.Correct) or merged. It refuses what json.Unmarshal
// lets pass: a key given twice in one object (of which Unmarshal keeps
// the last, without a word), a field a Settlement has none of, data
// after the document, nesting deeper than 32, and a document without a
// period (null, {}), which no settlement is. An error names file, the
// line and the path of the value it is about ("issued.json:40:
// lines[0].amount: ..."). It does not check that the settlement adds up:
// Settlement.CheckSums does. A document of 2 GiB or more is refused: the
// lines of one are numbered in 32 bits.
func ReadSettlement(r io.Reader, file string) (*Settlement, error) {
	if r == nil {
		return nil, fmt.Errorf("reimbursement: ReadSettlement %s: no document (a nil reader)", file)
	}
	data, err := io.ReadAll(io.LimitReader(r, math.MaxInt32))
	if err != nil {
		return nil, fmt.Errorf("reimbursement: settlement %s: %w", file, err)
	}
	if len(data) >= math.MaxInt32 {
		return nil, fmt.Errorf("reimbursement: settlement %s: 2 GiB or more; ReadSettlement reads less", file)
	}
	data = bytes.TrimPrefix(data, bom)
	lines, err := jsonpos.Scan(data, maxSettlementDepth)
	var s Settlement
	if err == nil {
		err = lines.Decode(data, &s)
	}
	if err == nil && s.Period == "" {
		// null, {} or a document of other keys: every settlement names
		// its month, and one without would be corrected or merged as an
		// empty month.
		return nil, fmt.Errorf("reimbursement: settlement %s: no period: not a settlement WriteJSON wrote", file)
	}
	if err == nil {
		return &s, nil
	}
	where := "reimbursement: settlement " + file
	var je *jsonpos.Error
	if errors.As(err, &je) {
		if je.Line > 0 {
			where += ":" + strconv.Itoa(je.Line)
		}
		if je.Path != "" {
			where += ": " + je.Path
		}
		err = decodeError{je}
	}
	return nil, fmt.Errorf("%s: %w", where, err)
}
