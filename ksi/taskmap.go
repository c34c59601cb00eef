package ksi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// LocalTask is a municipality's own task code (lokal insatskod: Städ,
// Tvätt, Inköp, Dusch, Tillsyn, Delegerad HSL, Larm...) with the KSI code
// it corresponds to and the service category it is paid as.
//
// Category is the name of a service category as the models package
// spells it ("service", "care", "delegated_hsl"...); this package does not
// interpret it, the models package validates it.
type LocalTask struct {
	Local    string `json:"local"`          // the local code, as written on visits
	KSI      Code   `json:"ksi,omitzero"`   // the KSI code, if the task has one
	Category string `json:"category"`       // the service category
	Title    string `json:"title,omitzero"` // a readable name
}

// TaskMap maps local task codes to KSI codes and service categories. It
// is immutable once loaded and safe for concurrent use.
type TaskMap struct {
	tasks []LocalTask // sorted by local code
	index map[string]int
}

// Lookup returns the task with the local code. Codes are compared exactly
// after trimming spaces.
func (m *TaskMap) Lookup(local string) (LocalTask, bool) {
	if m == nil {
		return LocalTask{}, false
	}
	i, ok := m.index[strings.TrimSpace(local)]
	if !ok {
		return LocalTask{}, false
	}
	return m.tasks[i], true
}

// Tasks returns the tasks sorted by local code.
func (m *TaskMap) Tasks() []LocalTask { return slices.Clone(m.tasks) }

var taskHeaders = map[string][]string{
	"local":    {"local", "localcode", "lokal", "lokalkod", "insatskod", "kod"},
	"ksi":      {"ksi", "ksikod", "ksicode", "aktivitetskod"},
	"category": {"category", "kategori", "tjänstetyp", "servicecategory"},
	"title":    {"title", "titel", "benämning", "namn"},
}

// NewTaskMap builds a task map from tasks. Each task needs a local code
// and a category; a KSI code, when given, must be in catalog (when catalog
// is not nil). Every problem is returned at once; the position of a task
// is its index.
func NewTaskMap(tasks []LocalTask, catalog *Catalog) (*TaskMap, error) {
	lines := make([]int, len(tasks))
	return newTaskMap(tasks, lines, "", catalog)
}

func newTaskMap(tasks []LocalTask, lines []int, file string, catalog *Catalog) (*TaskMap, error) {
	m := &TaskMap{index: map[string]int{}}
	first := map[string]int{}
	var errs []error
	for i, t := range tasks {
		where := func(field string, err error) {
			ie := &InputError{File: file, Line: lines[i], Field: field, Err: err}
			if lines[i] == 0 {
				ie.Field = fmt.Sprintf("task %d: %s", i, field)
			}
			errs = append(errs, ie)
		}
		t.Local = strings.TrimSpace(t.Local)
		t.Category = strings.TrimSpace(t.Category)
		if t.Local == "" {
			where("local", errors.New("empty local code"))
			continue
		}
		if prev, dup := first[t.Local]; dup {
			at := fmt.Sprintf("line %d", lines[prev])
			if lines[prev] == 0 {
				at = fmt.Sprintf("task %d", prev)
			}
			where("local", fmt.Errorf("%q %w (first at %s)", t.Local, ErrDuplicate, at))
			continue
		}
		first[t.Local] = i
		if t.Category == "" {
			where("category", fmt.Errorf("task %q has no category", t.Local))
		}
		if catalog != nil && !t.KSI.IsZero() {
			if _, ok := catalog.Lookup(t.KSI); !ok {
				where("ksi", fmt.Errorf("%s: %w", t.KSI, ErrUnknownCode))
			}
		}
		m.tasks = append(m.tasks, t)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	slices.SortFunc(m.tasks, func(a, b LocalTask) int { return strings.Compare(a.Local, b.Local) })
	for i, t := range m.tasks {
		m.index[t.Local] = i
	}
	return m, nil
}

// ReadTaskMapCSV reads a task map from CSV with the columns local (lokal
// kod), ksi (KSI-kod, may be empty), category (kategori) and title
// (benämning, optional). KSI codes are checked against catalog when it is
// not nil. Errors carry the line number.
func ReadTaskMapCSV(r io.Reader, catalog *Catalog) (*TaskMap, error) {
	return readTaskMapCSV(r, "", catalog)
}

func readTaskMapCSV(r io.Reader, file string, catalog *Catalog) (*TaskMap, error) {
	rows, err := readTable(r, file, taskHeaders, "local", "category")
	if err != nil {
		return nil, err
	}
	tasks := make([]LocalTask, 0, len(rows))
	lines := make([]int, 0, len(rows))
	var errs []error
	for _, row := range rows {
		t := LocalTask{Local: row.get("local"), Category: row.get("category"), Title: row.get("title")}
		if s := row.get("ksi"); s != "" {
			code, err := Parse(s)
			if err != nil {
				errs = append(errs, &InputError{File: file, Line: row.line, Field: row.header("ksi"), Err: err})
				continue
			}
			t.KSI = code
		}
		tasks = append(tasks, t)
		lines = append(lines, row.line)
	}
	m, err := newTaskMap(tasks, lines, file, catalog)
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return m, nil
}

// ReadTaskMapJSON reads a task map from a JSON array of LocalTask objects.
// Errors carry the line of the offending object.
func ReadTaskMapJSON(r io.Reader, catalog *Catalog) (*TaskMap, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, &InputError{Line: 1, Err: errors.New("want a JSON array of tasks")}
	}
	var tasks []LocalTask
	var lines []int
	for dec.More() {
		line := lineOf(data, dec.InputOffset())
		var t LocalTask
		if err := dec.Decode(&t); err != nil {
			return nil, &InputError{Line: line, Err: err}
		}
		tasks = append(tasks, t)
		lines = append(lines, line)
	}
	return newTaskMap(tasks, lines, "", catalog)
}

// lineOf returns the 1-based line of byte offset off in data, skipping
// the white space and separators at off so that the line is that of the
// next value.
func lineOf(data []byte, off int64) int {
	for int(off) < len(data) && strings.IndexByte(" \t\r\n,", data[off]) >= 0 {
		off++
	}
	return bytes.Count(data[:min(int(off), len(data))], []byte("\n")) + 1
}
