package models

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// visitColumns are the fields of a visit in a CSV file, in the order
// WriteVisitsCSV writes them.
var visitColumns = visitColumnsArray[:]

// visitHeaders are the header names each field is recognised by, compared
// without regard to case, white space, hyphens and underscores.
var visitHeaders = map[string][]string{
	"id":              {"id", "besöks-id", "besöksid", "besök", "besöksnummer", "visit id"},
	"customer":        {"customer", "brukare", "brukar-id", "brukarid", "kund", "kund-id"},
	"provider":        {"provider", "utförare", "utförar-id", "utförarid", "leverantör"},
	"start":           {"start", "starttid", "incheckning", "faktisk start", "utförd start"},
	"end":             {"end", "sluttid", "slut", "utcheckning", "faktiskt slut", "utfört slut"},
	"tasks":           {"tasks", "insats", "insatser", "aktivitet", "aktiviteter"},
	"role":            {"role", "yrkesroll", "roll", "befattning", "yrke", "yrkeskategori", "personalkategori", "staff role", "profession"},
	"staff":           {"staff", "personal", "antal personal", "antal pers", "antal personer", "personalantal", "staff count", "number of staff"},
	"declined":        {"declined", "avböjt", "avböjt besök", "avböjd", "avböjd av brukare", "avböjt av brukare", "declined visit"},
	"approved":        {"approved", "attesterad", "attesterat", "godkänd", "godkänt"},
	"edited":          {"edited", "manuellt ändrad", "ändrad", "redigerad", "manuell", "manuellt registrerad", "manuell registrering", "manuellt inlagd", "manually edited", "manual entry"},
	"registered":      {"registered", "registrerad", "registreringstid", "senast ändrad", "registrerat", "registrerad tid", "registrerat tid", "tid registrerad", "registreringsdatum", "registrerad datum", "registreringstidpunkt", "reg. tid", "regtid", "registered at", "registration time", "registration"},
	"planned_start":   {"planned start", "planerad start", "planerad starttid", "planerat start", "planerad början", "planerad från", "planned start time", "scheduled start"},
	"planned_minutes": {"planned minutes", "planerade minuter", "planerad tid", "planerad tid (min)", "planerade min", "planerad längd", "planerad varaktighet", "planned duration", "scheduled minutes"},
	"date":            {"date", "datum", "besöksdatum", "besöksdag", "utförandedatum", "visit date"},
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
func (a Approval) String() string { return approvalEnum.name(int(a)) }

var approvalEnum = enum{"approval", []string{"required", "all", "none"}, nil}

// CSVOptions says how to read a CSV export of visits.
type CSVOptions struct {
	// File names the file in errors and in each visit's Source.
	File string
	// Comma is the separator; 0 takes the one the file declares on its
	// first line (sep=;, as Excel reads it) or, without one, detects it
	// from the header row (the most frequent of semicolon, comma and
	// tab). A file that declares another than Comma is an error.
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
	// RefuseUnknown makes a column the reader does not know, and Columns
	// does not map, an error naming it, where it is otherwise ignored:
	// for an export every column of which is to be read. A column with a
	// blank header before the last named one is such a column (Columns
	// maps blank headers by the name "").
	RefuseUnknown bool
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
// a field named by two columns is an error. A column the reader does not
// know is ignored, with three exceptions, each an error naming the column:
// one whose name is one letter from a name below of a field the file has
// no column of (Slutttid, Registrerd, Avböjda: a slip that would leave
// the field unread; map it in opts.Columns, to "" to ignore it); one
// whose words hold such a name of four letters or more, with other words
// (Registrerad tid (kl), Antal personal närvarande: read as nothing, a
// visit registered after Options.Lock would be paid without a word),
// unless its last word says whose or which it is (av, by, id, nr,
// nummer, namn, name, kod, code, orsak, anledning, reason, kommentar,
// comment: Registrerad av, Personal-ID, Avböjt orsak), or the name is
// the date's (Attesterad datum: a date column is needed only where start
// and end are times of day alone, and missing there is an error of every
// record); the longest name held names the field (Datum registrerad:
// registered); and, with
// opts.RefuseUnknown, every one. A column whose header is blank
// (white space, hyphens and underscores), before the last named one, has
// no name to be known by: with opts.RefuseUnknown it is an error naming
// its line and column; otherwise a record's field under it that is not
// blank is an error (see below), as one past the last column is, so that
// no data is dropped without a word. opts.Columns maps blank headers by
// the name "" ("": "" ignores such columns, their data included).
// A first line sep=; (or sep=, or sep= and a tab), the separator
// declaration Excel reads and some exports write, comes before the
// header and declares the separator (see CSVOptions.Comma).
// Header names are compared without regard to case, white space, hyphens
// and underscores; each field is recognised by its English name or the
// Swedish ones below:
//
//	id               besöks-id, besöksid, besöksnummer (required)
//	customer         brukare, brukar-id, kund (required)
//	provider         utförare, utförar-id, leverantör (required)
//	start            starttid, incheckning, faktisk start (required)
//	end              sluttid, slut, utcheckning (required)
//	date             datum, besöksdatum, besöksdag, utförandedatum,
//	                 visit date: the date of a start, end,
//	                 planned start and registration written as a time
//	                 of day alone (see below)
//	tasks            insats, insatser, aktivitet (required): local task codes separated
//	                 by | (and by , when the separator is not a comma); the
//	                 first is the visit's main task and decides its
//	                 category: write it first
//	role             yrkesroll, roll, befattning, yrke, yrkeskategori,
//	                 personalkategori: care_staff, nurse... or a
//	                 Swedish term (undersköterska, usk, sjuksköterska, ssk...)
//	staff            personal, antal personal, antal pers, antal personer,
//	                 personalantal: the number of staff, empty
//	                 for one, 0 refused (map a "personal" column of names
//	                 to "")
//	declined         avböjt, avböjt besök, avböjd av brukare: ja/nej, j/n, true/false, t/f,
//	                 yes/no, y/n, sant/falskt, 1/0, x for yes, in any
//	                 case; empty is no
//	approved         attesterad, godkänd: as declined (required unless
//	                 opts.Approved says otherwise)
//	edited           manuellt ändrad, ändrad, manuellt registrerad,
//	                 manuell registrering: as declined
//	registered       registrerad, registrerat, registreringstid,
//	                 registrerad tid, tid registrerad, reg. tid, regtid,
//	                 registreringsdatum, registrerad datum, registered
//	                 at, registration time: as start, but (see
//	                 below) a time of day is not before the start's;
//	                 empty if unknown
//	planned_start    planerad start, planerad starttid, planerad början,
//	                 planerad från, scheduled start: as start, but (see
//	                 below) a time of day is within 12 hours of the start's
//	planned_minutes  planerade minuter, planerad tid, planerad längd,
//	                 planerad varaktighet, planned duration: whole minutes
//
// Times are RFC 3339 (2024-03-12T21:40:00+01:00) or local in
// opts.Location, with or without seconds and with the hour of one digit
// or two: 2024-03-12 21:40, 2024-03-12 21:40:00, 2024-03-12T21:40,
// 2024-03-12 8:05. With a date column, a start and end may be a time of
// day alone (Datum 2024-04-03, Starttid 8:00, Sluttid 08:30), read on
// that date in opts.Location; an end whose time of day is before the
// start's is on the next day (a visit over midnight: 22:30 to 00:15 ends
// at 00:15 the day after) when the visit so read lasts at most
// MaxOverMidnight (12 hours by the clock), and is an error otherwise (08:00 for a
// start at 08:05 is a slip, not a visit of 23 h 55 min; a longer visit
// over midnight is written with its end's date); an end equal to the
// start's is on the same day (a visit of no length). The date column is the visit's date: a start
// with its date must be on it, an end on it or the day after (a visit
// over midnight), both compared in opts.Location, else it is an error; a
// date cell with midnight (2024-04-03 00:00:00, as Excel writes dates) is
// the date; a time of day alone without a date column is an error. A
// planned start and a registration are read as the start is, on the
// date column's date, with two differences, since neither is the
// visit's: a registration written as a time of day before the start's is
// on the next day (a visit is not registered before it starts: 00:05 for
// a visit at 22:30 is after midnight), and a planned start written as a
// time of day is on the date, the day before or the day after, whichever
// is within 12 hours of the start (planned 23:50, started 00:10: planned
// the evening before); written with a date, neither is compared with the
// date column (a visit may be registered days later). A local time that
// does not exist (when the clocks move forward) or exists twice (when
// they move back) is an error: give such a time with its offset. Each record has the header's fields:
// a missing one is an error, not an empty value, and so is one beyond the
// last column, or under a blank header, unless it is blank. A line that is blank, or holds only
// separators (as Excel writes rows below the data once they were
// touched), is no record. Numbers may have a decimal comma
// (2,0) but must be whole. The file may be UTF-8, with or without a byte
// order mark, or Windows-1252, with LF or CRLF line ends. A line of over
// a megabyte (no record is that long: a file that is no CSV) is an error
// at its line, and reading stops there rather than hold it.
//
// Each visit records its file and line in Source, so that validating a
// dataset the visits are merged into names the line of the CSV file.
// Every problem is returned at once, each an *InputError naming the file,
// line, column, record (visits[i], i counting data rows from 0), id and
// field, up to the MaxBadRecords-th record with problems, where reading
// stops with an error saying so. A record whose fields are not under the
// header's columns (too few or too many) is reported once, as such, not
// with what follows from it for each field; one short of fields that
// holds enough of another separator than the header's says so.
func ReadVisitsCSVWith(r io.Reader, opts CSVOptions) ([]Visit, error) {
	size := sizeHint(r)
	vr, err := openVisits(r, opts)
	if err != nil {
		return nil, err
	}
	vr.t.cr.share = true // every visit is kept
	var visits []Visit
	bad := 0 // records with problems
	for {
		ok, err := vr.t.next()
		if err != nil {
			vr.errs = append(vr.errs, err)
			break
		}
		if !ok {
			break
		}
		if len(visits) == 64 && size > 0 {
			// Room for the rest, estimated from the first records,
			// rather than growing a large slice many times.
			per := float64(vr.t.cr.InputOffset()) / 65
			visits = slices.Grow(visits, int(float64(size)/per*1.05))
		}
		visits = append(visits, Visit{})
		before := len(vr.errs)
		vr.visit(&visits[len(visits)-1], len(visits)-1)
		if len(vr.errs) > before {
			if bad++; bad == MaxBadRecords {
				vr.errs = append(vr.errs, &InputError{File: opts.File, Line: vr.t.line, Index: -1,
					Err: fmt.Errorf("%d records with problems: reading stopped at this line, the file is read wrongly as a whole (its separator, its format of times, its columns); the records after it are not checked", bad)})
				break
			}
		}
	}
	if len(vr.errs) > 0 {
		return nil, joinErrors(vr.errs...)
	}
	return slices.Clip(visits), nil
}

// MaxBadRecords is how many records with problems ReadVisitsCSVWith
// reports before it stops reading: a file in which that many are wrong is
// read wrongly as a whole (a separator, a format of times, a column),
// and every record after would only repeat it, into an error the size of
// the file.
const MaxBadRecords = 100

// VisitsCSV reads visits from CSV as ReadVisitsCSVWith does, one at a
// time, for files too large to hold: memory does not grow with the file.
// It yields each visit, or, for a record with problems, an error joining
// every problem of that record (each an *InputError with file, line and
// column) and goes on with the next record; an error of the file as a
// whole (a missing column, an unreadable byte, a line of over a
// megabyte, a nil reader) is yielded
// once and ends it, with the zero Visit. With a record's error it yields
// a Visit holding only whose record it is, the id, customer and provider
// as written, and its Source (the zero Visit where the record's fields
// are not the header's, as the customer cell may then be another
// field's): Dataset.WithVisits leaves that customer out of a streamed
// month rather than end it. A visit yielded is not reused: the caller
// may keep it.
func VisitsCSV(r io.Reader, opts CSVOptions) iter.Seq2[Visit, error] {
	return func(yield func(Visit, error) bool) {
		vr, err := openVisits(r, opts)
		if err != nil {
			yield(Visit{}, err)
			return
		}
		for i := 0; ; i++ {
			ok, err := vr.t.next()
			if err != nil {
				yield(Visit{}, err)
				return
			}
			if !ok {
				return
			}
			var v Visit
			vr.visit(&v, i)
			if len(vr.errs) > 0 {
				err := joinErrors(vr.errs...)
				vr.errs = vr.errs[:0]
				var whose Visit
				if !vr.misaligned {
					whose = Visit{ID: v.ID, Customer: v.Customer, Provider: v.Provider, Source: v.Source}
				}
				if !yield(whose, err) {
					return
				}
				continue
			}
			if !yield(v, nil) {
				return
			}
		}
	}
}

// openVisits checks the options, reads the header and returns a reader
// positioned at the first record.
func openVisits(r io.Reader, opts CSVOptions) (*visitReader, error) {
	file := opts.File
	if opts.Location == nil {
		return nil, &InputError{File: file, Index: -1, Err: errors.New("no location for local times")}
	}
	if err := checkColumns(opts.Columns, file); err != nil {
		return nil, err
	}
	if opts.Approved > ApprovalNone {
		return nil, &InputError{File: file, Index: -1, Err: fmt.Errorf("unknown %v", opts.Approved)}
	}
	t, err := openCSVTable(r, opts.Encoding, file, opts.Comma, 0, visitHeaders, opts.Columns,
		unknownColumns{mapping: "CSVOptions.Columns", strict: opts.RefuseUnknown})
	if err != nil {
		return nil, err
	}
	// tasks too: a visit without a task code is never paid (no_task), so
	// a file without the column settled every visit unpaid, and read
	// without a word (found by trial).
	required := []string{"id", "customer", "provider", "start", "end", "tasks"}
	if opts.Approved == ApprovalRequired {
		required = append(required, "approved")
	}
	if errs := t.missing(visitHeaders, required...); len(errs) > 0 {
		if !t.has("approved") && opts.Approved == ApprovalRequired {
			if ie := errs[len(errs)-1].(*InputError); ie.Field == "approved" && ie.Column == 0 {
				ie.Err = fmt.Errorf("%w; without one, state CSVOptions.Approved (ApprovalAll or ApprovalNone)", ie.Err)
			}
		}
		return nil, joinErrors(errs...)
	}
	return newVisitReader(t, opts), nil
}

// The fields of a visit in a CSV file, as indexes of visitColumns.
const (
	colID = iota
	colCustomer
	colProvider
	colStart
	colEnd
	colTasks
	colRole
	colStaff
	colDeclined
	colApproved
	colEdited
	colRegistered
	colPlannedStart
	colPlannedMinutes
	colDate // read, never written: WriteVisitsCSV writes times with their date
)

// checkColumns refuses a mapping to a field visits do not have, and two
// header names that compare equal mapped to different fields.
func checkColumns(columns map[string]string, file string) error {
	var errs []error
	first := map[string]string{}
	for _, h := range slices.Sorted(maps.Keys(columns)) {
		f := columns[h]
		if _, ok := visitHeaders[f]; !ok && f != "" {
			errs = append(errs, &InputError{File: file, Index: -1, Field: f, Err: fmt.Errorf("column %q mapped to an unknown field", h)})
		}
		n := normHeader(h)
		if prev, dup := first[n]; dup && columns[prev] != f {
			errs = append(errs, &InputError{File: file, Index: -1, Field: f,
				Err: fmt.Errorf("columns %q and %q are one header name mapped to two fields", prev, h)})
		}
		first[n] = h
	}
	return joinErrors(errs...)
}

// visitReader reads the records of a CSV table as visits.
type visitReader struct {
	t        *csvTable
	opts     CSVOptions
	col      [len(visitColumnsArray)]int // index of each field's column, or -1
	split    string                      // separators of task codes
	times    localTimes
	roles    map[string]Role
	errs     []error
	reported uint32   // fields of the current record already reported, as bits
	slab     []string // room for visits of one task, allocated together
	index    int
	id       string
	// misaligned is whether the current record's fields are not the
	// header's (too few or too many): its customer cell may be another
	// field's.
	misaligned bool
}

// visitColumnsArray fixes the number of fields for visitReader.col.
var visitColumnsArray = [...]string{"id", "customer", "provider", "start", "end", "tasks", "role", "staff",
	"declined", "approved", "edited", "registered", "planned_start", "planned_minutes", "date"}

func newVisitReader(t *csvTable, opts CSVOptions) *visitReader {
	vr := &visitReader{t: t, opts: opts, split: "|", times: localTimes{loc: opts.Location}, roles: map[string]Role{}}
	if t.cr.comma != ',' {
		vr.split = "|,"
	}
	for i, f := range visitColumns {
		vr.col[i] = -1
		if c, ok := t.col[f]; ok {
			vr.col[i] = c
		}
	}
	return vr
}

// get returns the trimmed value of field f in the current record.
func (vr *visitReader) get(f int) string {
	if c := vr.col[f]; c >= 0 && c < len(vr.t.rec) {
		return trimSpace(vr.t.rec[c])
	}
	return ""
}

// bad reports a problem with field f of the current record.
func (vr *visitReader) bad(f int, err error) {
	vr.reported |= 1 << f
	line, col := vr.t.where(visitColumns[f])
	vr.errs = append(vr.errs, &InputError{File: vr.opts.File, Line: line, Column: col, Record: "visits", Index: vr.index,
		ID: vr.id, Field: vr.t.header(visitColumns[f]), Err: err})
}

// readTimes reads the start, end, planned start and registration of the
// current record into v, the start and end required. A time of day
// alone (08:00, 8:00, 08:00:30) is on the date of the date column, in
// opts.Location, and an end of that kind whose time of day is before the
// start's is on the next day (a visit over midnight, 22:30 to 00:15)
// if the visit then lasts at most MaxOverMidnight by the clock, one equal to it on the
// same day; a registration as an end (a visit is
// not registered before it starts: 07:00 for a visit at 22:30 is the
// next morning's); a planned start on the date, the day before or the
// day after, whichever is within 12 hours of the start (planned 23:50,
// started 00:10, was planned the day before). A start of a date and a
// time must be on the date column's date, an end on it or the day
// after, in the location, when the record gives one; a planned start
// and a registration of a date and a time are not compared with it (a
// visit may be registered days later, or planned the evening before).
func (vr *visitReader) readTimes(v *Visit) {
	hasDate := vr.col[colDate] >= 0
	date, days, dateOK := "", int64(0), false
	if d := vr.get(colDate); hasDate && d != "" {
		// A date cell an export wrote with midnight (Excel's dates)
		// is the date.
		for _, midnight := range [...]string{" 00:00:00", " 00:00", "T00:00:00", "T00:00"} {
			d = strings.TrimSuffix(d, midnight)
		}
		if n, ok := vr.times.date(d); ok {
			date, days, dateOK = d, n, true
		} else {
			why := "want a date as 2024-04-03 (ÅÅÅÅ-MM-DD)"
			if w := dayMissing(d); w != "" && len(d) == 10 {
				why = w // 2024-02-30 is of the form, not of the calendar
			}
			vr.bad(colDate, fmt.Errorf("invalid date %q: %s", d, why))
		}
	}
	startClock := -1 // the start's time of day as written, in seconds, once read
	// The planned start and the registration were read "as start"
	// without the date column's times of day (found by a vendor's
	// trial: Planerad start 07:45 beside Datum was refused).
	for _, f := range [...]int{colStart, colEnd, colPlannedStart, colRegistered} {
		s := vr.get(f)
		if s == "" {
			if f == colStart || f == colEnd {
				vr.bad(f, errors.New("missing"))
			}
			continue
		}
		var tm time.Time
		var err error
		clock, isClock := clockSeconds(s)
		switch {
		case isClock && !hasDate:
			err = fmt.Errorf("%q is a time of day without a date: add a date column (one of %s) or map one with CSVOptions.Columns",
				s, strings.Join(visitHeaders["date"], ", "))
		case isClock && !dateOK:
			if vr.reported&(1<<colDate) == 0 {
				vr.bad(colDate, fmt.Errorf("missing: %s %q is a time of day without a date", vr.t.header(visitColumns[f]), s))
			}
			vr.reported |= 1 << f // reported by the date, not missing
			continue
		case isClock:
			sec := days*86400 + int64(clock)
			overMidnight := false
			switch {
			case startClock < 0 || f == colStart:
			case (f == colEnd || f == colRegistered) && clock < startClock:
				sec += 86400 // over midnight
				overMidnight = f == colEnd
			case f == colPlannedStart && clock-startClock > 43200:
				sec -= 86400 // planned the evening before
			case f == colPlannedStart && startClock-clock > 43200:
				sec += 86400 // planned after midnight, started before
			}
			tm, err = vr.times.local(sec)
			// By the clock, the same for a night of every date: 20:00 to
			// 08:00 is 12 hours on the night the clocks go back too, 13
			// of time (found by review).
			if byClock := time.Duration(86400+clock-startClock) * time.Second; err == nil && overMidnight && byClock > MaxOverMidnight {
				// An end a little before the start (08:00 for 08:05: the
				// times swapped, a phone's clock set back) read as the
				// next day's made a visit of 23 h 55 min, paid without a
				// word (found by attack).
				err = fmt.Errorf("%q is before the start %s, so on the next day: a visit of %s by the clock, longer than a visit over midnight written as times of day may be (%s); write the end with its date, %s %s, if it is one",
					s, clockText(startClock), hoursMinutes(byClock), hoursMinutes(MaxOverMidnight), tm.In(vr.times.loc).Format("2006-01-02"), s)
			}
		default:
			tm, err = vr.times.parse(s)
			if err != nil && hasDate && dayMissing(s) == "" {
				// Neither a date and a time nor a time of day (found by
				// attack: 24:00 was told only of dates and times).
				err = fmt.Errorf("%w; or, as the file has a date column, a time of day alone as 08:00 or 8:00 (00:00–23:59)", err)
			}
			if err == nil && dateOK && (f == colStart || f == colEnd) {
				// The date column is the visit's: the start's date where
				// the visit is, the end's that date or the next (a visit
				// over midnight), compared in the location, not as
				// written (2024-04-03T23:30:00Z is 4 April in Stockholm;
				// both found by attack).
				on := tm.In(vr.times.loc).Format("2006-01-02")
				next := false
				if f == colEnd && on != date {
					if n, ok := vr.times.date(on); ok && n == days+1 {
						next = true
					}
				}
				if on != date && !next {
					want := date
					if f == colEnd {
						want += " or the day after"
					}
					err = fmt.Errorf("%q is on %s in %s, but %s gives %s: make the dates agree, or write the time of day alone (an end before the start is on the next day, up to 12 hours by the clock)",
						s, on, vr.times.loc, vr.t.header("date"), want)
				}
			}
		}
		if err != nil {
			vr.bad(f, err)
			continue
		}
		switch f {
		case colStart:
			h, mi, sec := tm.In(vr.times.loc).Clock()
			startClock = h*3600 + mi*60 + sec
			v.Start = tm
		case colEnd:
			v.End = tm
		case colPlannedStart:
			v.PlannedStart = &tm
		case colRegistered:
			v.Registered = tm
		}
	}
}

// MaxOverMidnight is the longest visit ReadVisitsCSVWith reads from an
// end written as a time of day before the start's, which it takes to be
// on the next day (a visit over midnight, 22:30 to 00:15): a longer one
// is an error, as an end a little before the start (08:00 for 08:05) is
// far likelier a slip than a visit of 23 h 55 min. The length is the
// clocks', from the start's time of day to the end's, so that a night
// of 20:00 to 08:00 is read alike on every date, the nights the clocks
// change included (13 and 11 hours of time). A longer visit over
// midnight is written with its end's date.
const MaxOverMidnight = 12 * time.Hour

// clockText writes a time of day in seconds after midnight as 08:05, or
// 08:05:30 with its seconds.
func clockText(sec int) string {
	if sec%60 != 0 {
		return fmt.Sprintf("%02d:%02d:%02d", sec/3600, sec/60%60, sec%60)
	}
	return fmt.Sprintf("%02d:%02d", sec/3600, sec/60%60)
}

// hoursMinutes writes a duration as 23 h 55 min, 12 h or 45 min, and
// with its whole seconds when it has them, 12 h 0 min 30 s: a visit 30
// seconds over MaxOverMidnight was said to be "of 12 h, longer than ...
// (12 h)" (found by review).
func hoursMinutes(d time.Duration) string {
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	switch {
	case s != 0 && h == 0:
		return fmt.Sprintf("%d min %d s", m, s)
	case s != 0:
		return fmt.Sprintf("%d h %d min %d s", h, m, s)
	case h == 0:
		return fmt.Sprintf("%d min", m)
	case m == 0:
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d h %d min", h, m)
}

// hasSplit reports whether s holds a separator of task codes.
func (vr *visitReader) hasSplit(s string) bool {
	comma := len(vr.split) > 1
	for i := 0; i < len(s); i++ {
		if s[i] == '|' || s[i] == ',' && comma {
			return true
		}
	}
	return false
}

// whole reads field f as a whole number, 0 when empty.
func (vr *visitReader) whole(f int) int {
	s := vr.get(f)
	if s == "" {
		return 0
	}
	n, err := parseWhole(s)
	if err != nil {
		if f == colStaff && strings.IndexFunc(s, unicode.IsLetter) >= 0 {
			// A column of the staff's names, which exports call
			// "Personal" too (found by trial).
			err = fmt.Errorf(`%w: the number of staff; a column of names is mapped to "" in CSVOptions.Columns`, err)
		}
		vr.bad(f, err)
	}
	return n
}

// bool reads field f as yes or no, no when empty.
func (vr *visitReader) bool(f int) bool {
	b, err := parseBool(vr.get(f))
	if err != nil {
		vr.bad(f, err)
	}
	return b
}

// visit reads the current record into v, a zero Visit, visit number
// index.
func (vr *visitReader) visit(v *Visit, index int) {
	vr.index, vr.reported = index, 0
	first := len(vr.errs)
	v.ID, v.Customer, v.Provider = vr.get(colID), vr.get(colCustomer), vr.get(colProvider)
	e := vr.t.widthError()
	if vr.misaligned = e != nil; vr.misaligned {
		e.Record, e.Index, e.ID = "visits", index, v.ID
		vr.errs = append(vr.errs, e)
	}
	v.Source = Source{File: vr.opts.File, Line: vr.t.line}
	vr.id = v.ID
	vr.readTimes(v)
	if s := vr.get(colTasks); s != "" {
		if vr.hasSplit(s) {
			v.Tasks = strings.FieldsFunc(s, func(r rune) bool { return r == '|' || r == ',' && len(vr.split) > 1 })
		} else {
			if len(vr.slab) == 0 {
				vr.slab = make([]string, 1024)
			}
			v.Tasks, vr.slab = vr.slab[:1:1], vr.slab[1:]
			v.Tasks[0] = s
		}
		for i, task := range v.Tasks {
			v.Tasks[i] = taskKey(task)
		}
		if len(v.Tasks) == 0 {
			vr.bad(colTasks, fmt.Errorf("no task code in %q", s))
		}
	}
	if s := vr.get(colRole); s != "" {
		r, ok := vr.roles[s]
		if !ok {
			var err error
			if r, err = ParseRole(s); err != nil {
				vr.bad(colRole, err)
			} else {
				vr.roles[s] = r
			}
		}
		v.Role = r
	}
	v.Staff = vr.whole(colStaff)
	if v.Staff == 0 && vr.get(colStaff) != "" && vr.reported&(1<<colStaff) == 0 {
		// Empty means one; a 0 written out is no number of staff, and
		// would be paid as one without a word.
		vr.bad(colStaff, errors.New("0 staff: a visit has at least one (leave the field empty for one)"))
	}
	v.PlannedMinutes = vr.whole(colPlannedMinutes)
	v.Declined = vr.bool(colDeclined)
	v.Approved = vr.bool(colApproved)
	v.Edited = vr.bool(colEdited)
	if vr.col[colApproved] < 0 {
		v.Approved = vr.opts.Approved == ApprovalAll
	}
	if err := v.Validate(); err != nil {
		for _, e := range eachError(err, func(*InputError) {}) {
			ie := e.(*InputError)
			f := slices.Index(visitColumns, strings.SplitN(strings.SplitN(ie.Field, "[", 2)[0], ".", 2)[0])
			if f >= 0 && vr.reported&(1<<f) != 0 {
				continue
			}
			ie.File, ie.Record, ie.Index, ie.ID = vr.opts.File, "visits", index, v.ID
			ie.Line, ie.Column = vr.t.where(ie.Field)
			if f >= 0 {
				ie.Line, ie.Column = vr.t.where(visitColumns[f])
				ie.Field = vr.t.header(visitColumns[f]) + strings.TrimPrefix(ie.Field, visitColumns[f])
			}
			vr.errs = append(vr.errs, ie)
		}
	}
	if vr.misaligned {
		// The fields are not under their columns: what else is wrong
		// with them (a start missing, a customer empty: five errors a
		// record where the separator is not the header's) follows from
		// that, and the width error says it once.
		vr.errs = vr.errs[:first+1]
	}
}

// WriteVisitsCSV writes visits in the format ReadVisitsCSV reads: UTF-8,
// comma separated, English header names, times in RFC 3339 with the
// fractions of a second they have (read back to the nanosecond), a
// visit's task codes joined by "|". A task code that would not read back as
// itself, one holding "|" or blank, is an error (an *InputError naming
// the visit and the code) and nothing is written.
func WriteVisitsCSV(w io.Writer, visits []Visit) error {
	var errs []error
	for i := range visits {
		for j, t := range visits[i].Tasks {
			var err error
			if trimSpace(t) == "" {
				err = errors.New("empty task code: it would not be read back")
			} else if k := strings.IndexByte(t, '|'); k >= 0 {
				err = fmt.Errorf("character '|' at byte %d in %q: the task codes are joined by it, and it would read back as two codes", k, t)
			}
			if err != nil {
				errs = append(errs, &InputError{Record: "visits", Index: i, ID: visits[i].ID, Field: fmt.Sprintf("tasks[%d]", j), Err: err})
			}
		}
	}
	if len(errs) > 0 {
		return joinErrors(errs...)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(visitColumns[:colDate]); err != nil {
		return err
	}
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.RFC3339Nano)
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

// parseBool parses yes or no: ja/nej, true/false, 1/0, yes/no, j/n, y/n,
// t/f, sant/falskt, x for yes, empty for no, in any case.
func parseBool(s string) (bool, error) {
	switch s { // the usual spellings, without folding
	case "", "Nej", "nej", "false", "0":
		return false, nil
	case "Ja", "ja", "true", "1":
		return true, nil
	}
	// SANT and FALSKT are TRUE and FALSE as Swedish Excel writes them
	// (refused, found by trial).
	for _, no := range [...]string{"", "nej", "false", "0", "no", "n", "f", "falskt"} {
		if strings.EqualFold(s, no) {
			return false, nil
		}
	}
	for _, yes := range [...]string{"ja", "true", "1", "yes", "j", "y", "t", "x", "sant"} {
		if strings.EqualFold(s, yes) {
			return true, nil
		}
	}
	return false, fmt.Errorf("invalid boolean %q: write ja or nej (also yes/no, true/false, sant/falskt, 1/0, x for yes, empty for no)", s)
}
