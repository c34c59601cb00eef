package models

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hemtjanst/ersattning/ksi"
)

// visitColumns are the fields of a visit in a CSV file, in the order
// WriteVisitsCSV writes them.
var visitColumns = []string{"id", "customer", "provider", "start", "end", "tasks", "role", "staff",
	"declined", "approved", "edited", "registered", "planned_start", "planned_minutes"}

// visitHeaders are the header names each field is recognised by, compared
// without regard to case, white space, hyphens and underscores.
var visitHeaders = map[string][]string{
	"id":              {"id", "besöks-id", "besöksid", "besök", "besöksnummer", "visit id"},
	"customer":        {"customer", "brukare", "brukar-id", "brukarid", "kund", "kund-id"},
	"provider":        {"provider", "utförare", "utförar-id", "utförarid", "leverantör"},
	"start":           {"start", "starttid", "incheckning", "faktisk start", "utförd start"},
	"end":             {"end", "sluttid", "slut", "utcheckning", "faktiskt slut", "utfört slut"},
	"tasks":           {"tasks", "insats", "insatser", "aktivitet", "aktiviteter"},
	"role":            {"role", "yrkesroll", "roll", "befattning"},
	"staff":           {"staff", "personal", "antal personal"},
	"declined":        {"declined", "avböjt", "avböjt besök", "avböjd"},
	"approved":        {"approved", "attesterad", "attesterat", "godkänd", "godkänt"},
	"edited":          {"edited", "manuellt ändrad", "ändrad", "redigerad", "manuell"},
	"registered":      {"registered", "registrerad", "registreringstid", "senast ändrad"},
	"planned_start":   {"planned start", "planerad start", "planerad starttid"},
	"planned_minutes": {"planned minutes", "planerade minuter", "planerad tid", "planerad tid (min)"},
}

// Approval says where a CSV file's visits get their approval (attest)
// from. The zero value, ApprovalRequired, demands a column.
type Approval uint8

// The sources of approval.
const (
	// ApprovalRequired: the file must have an approval column; a file
	// without one is an error.
	ApprovalRequired Approval = iota
	// ApprovalAll: the file has no approval column and every visit in it
	// is approved (an export of approved visits only).
	ApprovalAll
	// ApprovalNone: the file has no approval column and no visit in it is
	// approved yet.
	ApprovalNone
)

// String returns "required", "all" or "none".
func (a Approval) String() string {
	switch a {
	case ApprovalRequired:
		return "required"
	case ApprovalAll:
		return "all"
	case ApprovalNone:
		return "none"
	}
	return fmt.Sprintf("approval(%d)", uint8(a))
}

// CSVOptions says how to read a CSV export of visits.
type CSVOptions struct {
	// File names the file in errors and in each visit's Source.
	File string
	// Comma is the separator; 0 detects it from the header row (the most
	// frequent of semicolon, comma and tab).
	Comma rune
	// Encoding is the character encoding (default: detect).
	Encoding Encoding
	// Location is where local times are read (required), normally
	// Europe/Stockholm.
	Location *time.Location
	// Columns maps header names of the caller's own export to fields
	// ("Kundnr": "customer"); the value "" ignores the column. Header
	// names are compared without regard to case, white space, hyphens and
	// underscores, and these take precedence over the names the reader
	// knows.
	Columns map[string]string
	// Approved says where approval comes from when the file has no
	// approval column. There is no silent default: with the zero value
	// ApprovalRequired, a file without the column is an error. When the
	// file has the column, it decides.
	Approved Approval
}

// ReadVisitsCSV reads visits from CSV with default options and local times
// in loc: the separator and encoding are detected, and the file must have
// an approval column. See ReadVisitsCSVWith.
func ReadVisitsCSV(r io.Reader, loc *time.Location) ([]Visit, error) {
	return ReadVisitsCSVWith(r, CSVOptions{Location: loc})
}

// ReadVisitsCSVWith reads visits from a CSV export of a time-registration
// system, as opts says. The header row names the columns, in any order;
// unknown columns are ignored; a field named by two columns is an error.
// Header names are compared without regard to case, white space, hyphens
// and underscores; each field is recognised by its English name or the
// Swedish ones below:
//
//	id               besöks-id, besöksid, besöksnummer (required)
//	customer         brukare, brukar-id, kund (required)
//	provider         utförare, utförar-id, leverantör (required)
//	start            starttid, incheckning, faktisk start (required)
//	end              sluttid, slut, utcheckning (required)
//	tasks            insats, insatser, aktivitet: local task codes separated
//	                 by | (and by , when the separator is not a comma)
//	role             yrkesroll, roll, befattning: care_staff, nurse... or a
//	                 Swedish term (undersköterska, sjuksköterska...)
//	staff            personal, antal personal: the number of staff, empty
//	                 for one (map a "personal" column of names to "")
//	declined         avböjt, avböjt besök: ja/nej, true/false, 1/0; empty is no
//	approved         attesterad, godkänd: as declined (required unless
//	                 opts.Approved says otherwise)
//	edited           manuellt ändrad, ändrad: as declined
//	registered       registrerad, registreringstid: as start; empty if unknown
//	planned_start    planerad start: as start
//	planned_minutes  planerade minuter, planerad tid: whole minutes
//
// Times are RFC 3339 (2024-03-12T21:40:00+01:00) or local in
// opts.Location, with or without seconds: 2024-03-12 21:40, 2024-03-12
// 21:40:00, 2024-03-12T21:40. A local time that does not exist (when the
// clocks move forward) or exists twice (when they move back) is an error:
// give such a time with its offset. Numbers may have a decimal comma
// (2,0) but must be whole. The file may be UTF-8, with or without a byte
// order mark, or Windows-1252, with LF or CRLF line ends.
//
// Each visit records its file and line in Source, so that validating a
// dataset the visits are merged into names the line of the CSV file.
// Every problem is returned at once, each an *InputError naming the file,
// line, column, record (visits[i], i counting data rows from 0), id and
// field.
func ReadVisitsCSVWith(r io.Reader, opts CSVOptions) ([]Visit, error) {
	file := opts.File
	if opts.Location == nil {
		return nil, &InputError{File: file, Index: -1, Err: errors.New("no location for local times")}
	}
	for h, f := range opts.Columns {
		if _, ok := visitHeaders[f]; !ok && f != "" {
			return nil, &InputError{File: file, Index: -1, Field: f, Err: fmt.Errorf("column %q mapped to an unknown field", h)}
		}
	}
	if opts.Approved > ApprovalNone {
		return nil, &InputError{File: file, Index: -1, Err: fmt.Errorf("unknown %v", opts.Approved)}
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &InputError{File: file, Index: -1, Err: err}
	}
	text, err := csvText(data, opts.Encoding, file)
	if err != nil {
		return nil, err
	}
	t, err := openCSVTable(text, file, opts.Comma, 0, visitHeaders, opts.Columns)
	if err != nil {
		return nil, err
	}
	required := []string{"id", "customer", "provider", "start", "end"}
	if opts.Approved == ApprovalRequired {
		required = append(required, "approved")
	}
	if errs := t.missing(visitHeaders, required...); len(errs) > 0 {
		if !t.has("approved") && opts.Approved == ApprovalRequired {
			ie := errs[len(errs)-1].(*InputError)
			ie.Err = fmt.Errorf("%w; without one, state CSVOptions.Approved (ApprovalAll or ApprovalNone)", ie.Err)
		}
		return nil, errors.Join(errs...)
	}
	split := "|"
	if t.cr.Comma != ',' {
		split = "|,"
	}
	var visits []Visit
	var errs []error
	for {
		ok, err := t.next()
		if err != nil {
			errs = append(errs, err)
			break
		}
		if !ok {
			break
		}
		v, verrs := t.visit(len(visits), opts, split)
		errs = append(errs, verrs...)
		visits = append(visits, v)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return visits, nil
}

// visit reads the current record as visit number index.
func (t *csvTable) visit(index int, opts CSVOptions, split string) (Visit, []error) {
	v := Visit{ID: t.get("id"), Customer: t.get("customer"), Provider: t.get("provider"),
		Source: Source{File: opts.File, Line: t.line}}
	var errs []error
	reported := map[string]bool{}
	bad := func(field string, err error) {
		reported[field] = true
		line, col := t.where(field)
		errs = append(errs, &InputError{File: opts.File, Line: line, Column: col, Record: "visits", Index: index,
			ID: v.ID, Field: t.header(field), Err: err})
	}
	timeField := func(field string, required bool) time.Time {
		s := t.get(field)
		if s == "" {
			if required {
				bad(field, errors.New("missing"))
			}
			return time.Time{}
		}
		tm, err := parseTime(s, opts.Location)
		if err != nil {
			bad(field, err)
		}
		return tm
	}
	v.Start = timeField("start", true)
	v.End = timeField("end", true)
	v.Registered = timeField("registered", false)
	if ps := timeField("planned_start", false); !ps.IsZero() {
		v.PlannedStart = &ps
	}
	if s := t.get("tasks"); s != "" {
		for _, task := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(split, r) }) {
			v.Tasks = append(v.Tasks, taskKey(task))
		}
		if len(v.Tasks) == 0 {
			bad("tasks", fmt.Errorf("no task code in %q", s))
		}
	}
	if s := t.get("role"); s != "" {
		var err error
		if v.Role, err = ParseRole(s); err != nil {
			bad("role", err)
		}
	}
	for _, f := range []struct {
		name string
		dst  *int
	}{{"staff", &v.Staff}, {"planned_minutes", &v.PlannedMinutes}} {
		if s := t.get(f.name); s != "" {
			n, err := parseWhole(s)
			if err != nil {
				bad(f.name, err)
			}
			*f.dst = n
		}
	}
	for _, f := range []struct {
		name string
		dst  *bool
	}{{"declined", &v.Declined}, {"approved", &v.Approved}, {"edited", &v.Edited}} {
		var err error
		if *f.dst, err = parseBool(t.get(f.name)); err != nil {
			bad(f.name, err)
		}
	}
	if !t.has("approved") {
		v.Approved = opts.Approved == ApprovalAll
	}
	for _, e := range eachError(v.Validate(), func(ie *InputError) {
		ie.File, ie.Record, ie.Index, ie.ID = opts.File, "visits", index, v.ID
		ie.Line, ie.Column = t.where(ie.Field)
		ie.Field = t.header(ie.Field)
	}) {
		if !reported[e.(*InputError).Field] {
			errs = append(errs, e)
		}
	}
	return v, errs
}

// WriteVisitsCSV writes visits in the format ReadVisitsCSV reads: UTF-8,
// comma separated, English header names, times in RFC 3339.
func WriteVisitsCSV(w io.Writer, visits []Visit) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(visitColumns); err != nil {
		return err
	}
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.RFC3339)
	}
	count := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	for _, v := range visits {
		role := ""
		if v.Role != RoleUnknown {
			role = v.Role.String()
		}
		planned := ""
		if v.PlannedStart != nil {
			planned = stamp(*v.PlannedStart)
		}
		if err := cw.Write([]string{
			v.ID, v.Customer, v.Provider, stamp(v.Start), stamp(v.End),
			strings.Join(v.Tasks, "|"), role, count(v.Staff),
			strconv.FormatBool(v.Declined), strconv.FormatBool(v.Approved), strconv.FormatBool(v.Edited),
			stamp(v.Registered), planned, count(v.PlannedMinutes),
		}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// The layouts of times with an offset, and of local times.
var (
	offsetLayouts = []string{time.RFC3339, "2006-01-02 15:04:05Z07:00", "2006-01-02T15:04Z07:00", "2006-01-02 15:04Z07:00"}
	localLayouts  = []string{"2006-01-02 15:04", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02T15:04:05"}
)

// parseTime parses a time with an offset, or a local time in loc that
// exists exactly once there.
func parseTime(s string, loc *time.Location) (time.Time, error) {
	for _, l := range offsetLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	for _, l := range localLayouts {
		if wall, err := time.Parse(l, s); err == nil {
			return resolveLocal(wall, loc)
		}
	}
	return time.Time{}, fmt.Errorf("invalid time %q: want 2006-01-02 15:04, 2006-01-02 15:04:05 or RFC 3339", s)
}

// resolveLocal returns the instant whose wall clock in loc is that of
// wall (read as UTC), refusing a wall clock that loc skips or repeats.
func resolveLocal(wall time.Time, loc *time.Location) (time.Time, error) {
	guess := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), wall.Nanosecond(), loc)
	var found []time.Time
	for _, probe := range []time.Duration{-12 * time.Hour, 0, 12 * time.Hour} {
		_, off := guess.Add(probe).Zone()
		t := wall.Add(-time.Duration(off) * time.Second).In(loc)
		if sameWall(t, wall) && (len(found) == 0 || !found[len(found)-1].Equal(t)) && (len(found) < 2 || !found[0].Equal(t)) {
			found = append(found, t)
		}
	}
	stamp := wall.Format("2006-01-02 15:04:05")
	switch len(found) {
	case 0:
		return time.Time{}, fmt.Errorf("%s does not exist in %s (the clocks moved forward)", stamp, loc)
	case 1:
		return found[0], nil
	}
	return time.Time{}, fmt.Errorf("%s is ambiguous in %s (the clocks moved back): give the offset, %s or %s",
		stamp, loc, found[0].Format(time.RFC3339), found[1].Format(time.RFC3339))
}

func sameWall(t, wall time.Time) bool {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	y2, mo2, d2 := wall.Date()
	h2, mi2, s2 := wall.Clock()
	return y == y2 && mo == mo2 && d == d2 && h == h2 && mi == mi2 && s == s2
}

// parseWhole parses a whole number, also written with a decimal comma or
// point and zero decimals (2,0).
func parseWhole(s string) (int, error) {
	t := strings.ReplaceAll(strings.ReplaceAll(s, "\u00a0", ""), " ", "")
	if i := strings.IndexAny(t, ",."); i >= 0 {
		if strings.Trim(t[i+1:], "0") != "" {
			return 0, fmt.Errorf("%q is not a whole number", s)
		}
		t = t[:i]
	}
	n, err := strconv.Atoi(t)
	if err != nil || n > 1<<30 || n < -(1<<30) {
		return 0, fmt.Errorf("invalid number %q", s)
	}
	return n, nil
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "", "false", "0", "nej", "no", "n", "f":
		return false, nil
	case "true", "1", "ja", "yes", "j", "y", "t", "x":
		return true, nil
	}
	return false, fmt.Errorf("invalid boolean %q", s)
}

// taskHeaders are the header names of a task-map CSV file.
var taskHeaders = map[string][]string{
	"local":    {"local", "local code", "lokal", "lokal kod", "insatskod", "kod"},
	"ksi":      {"ksi", "ksi-kod", "ksi code", "aktivitetskod"},
	"category": {"category", "kategori", "tjänstetyp", "service category"},
	"title":    {"title", "titel", "benämning", "namn"},
}

// ReadTaskMapCSV reads a task map from CSV (comma or semicolon separated,
// UTF-8 or Windows-1252, detected) with the columns local (lokal kod,
// insatskod), ksi (KSI-kod, may be empty), category (kategori: a Category
// name or its Swedish term) and title (benämning, optional). KSI codes are
// checked against catalog when it is not nil. Every problem is returned
// at once, each an *InputError with its line.
func ReadTaskMapCSV(r io.Reader, catalog *ksi.Catalog) (*TaskMap, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &InputError{Index: -1, Err: err}
	}
	text, err := csvText(data, EncodingDetect, "")
	if err != nil {
		return nil, err
	}
	t, err := openCSVTable(text, "", 0, '#', taskHeaders, nil)
	if err != nil {
		return nil, err
	}
	if errs := t.missing(taskHeaders, "local", "category"); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	var tasks []LocalTask
	var lines []int
	var errs []error
	type fieldOf struct {
		index int
		field string
	}
	reported := map[fieldOf]bool{}
	for {
		ok, err := t.next()
		if err != nil {
			return nil, errors.Join(append(errs, err)...)
		}
		if !ok {
			break
		}
		task := LocalTask{Local: t.get("local"), Title: t.get("title")}
		bad := func(field string, err error) {
			reported[fieldOf{len(tasks), field}] = true
			line, col := t.where(field)
			errs = append(errs, &InputError{Line: line, Column: col, Record: "tasks", Index: len(tasks), ID: task.Local, Field: t.header(field), Err: err})
		}
		if s := t.get("ksi"); s != "" {
			if task.KSI, err = ksi.Parse(s); err != nil {
				bad("ksi", err)
			}
		}
		if s := t.get("category"); s != "" {
			if task.Category, err = ParseCategory(s); err != nil {
				bad("category", err)
			}
		}
		tasks = append(tasks, task)
		lines = append(lines, t.line)
	}
	m, err := newTaskMap(tasks, lines, "", catalog)
	errs = append(errs, eachError(err, func(*InputError) {})...)
	errs = slices.DeleteFunc(errs, func(e error) bool {
		ie := e.(*InputError)
		return reported[fieldOf{ie.Index, ie.Field}] && ie.Column == 0
	})
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return m, nil
}
