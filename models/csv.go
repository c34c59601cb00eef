package models

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// VisitColumns are the columns ReadVisitsCSV understands, in the order
// WriteVisitsCSV writes them. The header row names them; their order in a
// file is free and unknown columns are ignored.
//
//	id        visit id (required)
//	customer  customer id (required)
//	provider  provider id (required)
//	start     RFC 3339 (2024-03-12T21:40:00+01:00) or local 2006-01-02 15:04 (required)
//	end       as start (required)
//	tasks     local task codes separated by |, e.g. Dusch|Tillsyn
//	role      care_staff, nurse, district_nurse, physiotherapist,
//	          occupational_therapist or a Swedish term (undersköterska...)
//	staff     number of staff, empty for one
//	declined  true/false (also 1/0, ja/nej, yes/no); empty is false
//	approved  as declined
//	edited    as declined
//	registered  when the visit was entered, as start; empty if unknown
var VisitColumns = []string{"id", "customer", "provider", "start", "end", "tasks", "role", "staff", "declined", "approved", "edited", "registered"}

// ReadVisitsCSV reads visits from CSV, the common export of
// time-registration systems (see VisitColumns). Local times are read in
// loc, which must not be nil. Every problem is returned at once, each an
// *InputError with its line and column.
func ReadVisitsCSV(r io.Reader, loc *time.Location) ([]Visit, error) {
	if loc == nil {
		return nil, &InputError{Index: -1, Err: errors.New("nil location")}
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, csvError(err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		col[h] = i
	}
	var errs []error
	for _, req := range VisitColumns[:5] {
		if _, ok := col[req]; !ok {
			errs = append(errs, &InputError{Line: 1, Index: -1, Field: req, Err: errors.New("missing column")})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	var visits []Visit
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, csvError(err))
			break
		}
		line, _ := cr.FieldPos(0)
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		reported := map[string]bool{}
		bad := func(field string, err error) {
			reported[field] = true
			errs = append(errs, &InputError{Line: line, Record: "visit", Index: -1, ID: get("id"), Field: field, Err: err})
		}
		v := Visit{ID: get("id"), Customer: get("customer"), Provider: get("provider")}
		for _, f := range []struct {
			name string
			dst  *time.Time
		}{{"start", &v.Start}, {"end", &v.End}} {
			t, err := parseTime(get(f.name), loc)
			if err != nil {
				bad(f.name, err)
			}
			*f.dst = t
		}
		if s := get("tasks"); s != "" {
			for _, t := range strings.Split(s, "|") {
				v.Tasks = append(v.Tasks, strings.TrimSpace(t))
			}
		}
		if s := get("role"); s != "" {
			if v.Role, err = ParseRole(s); err != nil {
				bad("role", err)
			}
		}
		if s := get("staff"); s != "" {
			if v.Staff, err = strconv.Atoi(s); err != nil {
				bad("staff", fmt.Errorf("invalid number %q", s))
			}
		}
		if s := get("registered"); s != "" {
			if v.Registered, err = parseTime(s, loc); err != nil {
				bad("registered", err)
			}
		}
		for _, f := range []struct {
			name string
			dst  *bool
		}{{"declined", &v.Declined}, {"approved", &v.Approved}, {"edited", &v.Edited}} {
			if *f.dst, err = parseBool(get(f.name)); err != nil {
				bad(f.name, err)
			}
		}
		for _, e := range eachError(v.Validate(), func(ie *InputError) {
			ie.Line, ie.Record, ie.ID = line, "visit", v.ID
		}) {
			if !reported[e.(*InputError).Field] {
				errs = append(errs, e)
			}
		}
		visits = append(visits, v)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return visits, nil
}

// WriteVisitsCSV writes visits in the format ReadVisitsCSV reads, with
// times in RFC 3339.
func WriteVisitsCSV(w io.Writer, visits []Visit) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(VisitColumns); err != nil {
		return err
	}
	for _, v := range visits {
		staff := ""
		if v.Staff != 0 {
			staff = strconv.Itoa(v.Staff)
		}
		role := ""
		if v.Role != RoleUnknown {
			role = v.Role.String()
		}
		registered := ""
		if !v.Registered.IsZero() {
			registered = v.Registered.Format(time.RFC3339)
		}
		if err := cw.Write([]string{
			v.ID, v.Customer, v.Provider, v.Start.Format(time.RFC3339), v.End.Format(time.RFC3339),
			strings.Join(v.Tasks, "|"), role, staff,
			strconv.FormatBool(v.Declined), strconv.FormatBool(v.Approved), strconv.FormatBool(v.Edited), registered,
		}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func parseTime(s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, errors.New("missing")
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02 15:04", s, loc); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("invalid time %q: want RFC 3339 or 2006-01-02 15:04", s)
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "", "false", "0", "nej", "no", "n", "f":
		return false, nil
	case "true", "1", "ja", "yes", "j", "y", "t":
		return true, nil
	}
	return false, fmt.Errorf("invalid boolean %q", s)
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &InputError{Line: pe.Line, Index: -1, Err: pe.Err}
	}
	return &InputError{Index: -1, Err: err}
}
