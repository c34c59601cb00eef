package models

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/hemtjanst/ersattning/ksi"
)

// LocalTask is a municipality's own task code (lokal insatskod: Städ,
// Tvätt, Inköp, Dusch, Tillsyn, Delegerad HSL, Larm...) with the KSI code
// it corresponds to and the service category it is paid as.
type LocalTask struct {
	Local    string   `json:"local"`          // the local code, as written on visits and granted items: clean text without "|" (see TaskMap)
	KSI      ksi.Code `json:"ksi,omitzero"`   // the KSI code, if the task has one
	Category Category `json:"category"`       // the service category the task is paid as
	Title    string   `json:"title,omitzero"` // a readable name, of graphic characters
}

// TaskMap maps local task codes to KSI codes and service categories. It
// is immutable once built and safe for concurrent use.
//
// Task codes are compared after one normalisation, the same for building
// the map, for validating a dataset and for settling it: white space
// around the code is ignored, and nothing else is changed. Case counts
// ("Städ" and "städ" are two codes), since tariff expressions compare
// codes exactly as written.
//
// A code is clean text, as an id is: no control or format character, no
// line or paragraph separator, valid UTF-8. Nor may it hold "|": a
// visit's codes are joined by "|" in the tasks a tariff's expressions
// read and in the task cell of a visits CSV file, so "Tvätt|Dusch" would
// read as the two codes Tvätt and Dusch. The map refuses such a code
// (NewTaskMap, ReadTaskMapCSV, ReadTaskMapJSON), and Validate refuses
// one on a visit or a granted item, naming the record, the field and
// the byte of the character.
type TaskMap struct {
	tasks []LocalTask // sorted by local code, codes normalised
	index map[string]int
	// folded holds, by code in lower case, the least code of it: the
	// code an unknown one differing only in case most likely means, made
	// on the first unknown code (see unknownTask).
	once   sync.Once
	folded map[string]string
}

// unknownTask is the error of a task code m does not hold, naming the
// code it differs from only in case, when there is one: "dusch" for
// "Dusch" (found by trial: no hint).
func (m *TaskMap) unknownTask(code string) error {
	m.once.Do(func() {
		m.folded = make(map[string]string, len(m.tasks))
		for _, t := range m.tasks {
			k := strings.ToLower(t.Local)
			if prev, ok := m.folded[k]; !ok || t.Local < prev {
				m.folded[k] = t.Local
			}
		}
	})
	if near := m.folded[strings.ToLower(taskKey(code))]; near != "" {
		return fmt.Errorf("%w %q; did you mean %q?", ErrUnknownTask, code, near)
	}
	return fmt.Errorf("%w %q", ErrUnknownTask, code)
}

// taskKey is the one normalisation of a task code: see TaskMap.
func taskKey(code string) string { return trimSpace(code) }

// Lookup returns the task with the local code (see TaskMap for how codes
// are compared). A nil map holds no task.
func (m *TaskMap) Lookup(code string) (LocalTask, bool) {
	if m == nil {
		return LocalTask{}, false
	}
	i, ok := m.index[taskKey(code)]
	if !ok {
		return LocalTask{}, false
	}
	return m.tasks[i], true
}

// Category returns the service category of the task with the local code,
// or CategoryUnknown when the map does not hold it.
func (m *TaskMap) Category(code string) Category {
	t, _ := m.Lookup(code)
	return t.Category
}

// Tasks returns the tasks sorted by local code.
func (m *TaskMap) Tasks() []LocalTask {
	if m == nil {
		return nil
	}
	return slices.Clone(m.tasks)
}

// NewTaskMap builds a task map from tasks. Each task needs a local code
// and a category; local codes must be unique after normalisation; a KSI
// code, when given, must be in catalog (when catalog is not nil). Every
// problem is returned at once, each an *InputError naming the task by its
// index in tasks (Record "tasks").
func NewTaskMap(tasks []LocalTask, catalog *ksi.Catalog) (*TaskMap, error) {
	return newTaskMap(tasks, nil, "", catalog)
}

// newTaskMap builds the map; lines, when not nil, gives the line of each
// task in file.
func newTaskMap(tasks []LocalTask, lines []int, file string, catalog *ksi.Catalog) (*TaskMap, error) {
	m := &TaskMap{index: make(map[string]int, len(tasks))}
	first := make(map[string]int, len(tasks))
	var errs []error
	for i, t := range tasks {
		bad := func(field string, err error) {
			ie := &InputError{File: file, Record: "tasks", Index: i, ID: t.Local, Field: field, Err: err}
			if lines != nil {
				ie.Line = lines[i]
			}
			errs = append(errs, ie)
		}
		t.Local = taskKey(t.Local)
		if t.Local == "" {
			bad("local", errors.New("empty local code"))
			continue
		}
		if err := checkTaskCode(t.Local); err != nil {
			bad("local", err)
			continue
		}
		if prev, dup := first[t.Local]; dup {
			at := fmt.Sprintf("tasks[%d]", prev)
			if lines != nil {
				at = fmt.Sprintf("line %d", lines[prev])
			}
			bad("local", fmt.Errorf("%w: %q (first at %s)", ErrDuplicateID, t.Local, at))
			continue
		}
		first[t.Local] = i
		if t.Category == CategoryUnknown {
			bad("category", fmt.Errorf("task %q has no category", t.Local))
		}
		if err := checkName(t.Title); err != nil {
			bad("title", err)
		}
		if catalog != nil && !t.KSI.IsZero() {
			if _, ok := catalog.Lookup(t.KSI); !ok {
				bad("ksi", fmt.Errorf("%s: %w", t.KSI, ksi.ErrUnknownCode))
			}
		}
		m.tasks = append(m.tasks, t)
	}
	if len(errs) > 0 {
		return nil, joinErrors(errs...)
	}
	slices.SortFunc(m.tasks, func(a, b LocalTask) int { return strings.Compare(a.Local, b.Local) })
	for i, t := range m.tasks {
		m.index[t.Local] = i
	}
	return m, nil
}

// ReadTaskMapJSON reads a task map from a JSON array of LocalTask objects
// (unknown fields, duplicate fields and invalid UTF-8 are errors). KSI
// codes are checked against catalog when it is not nil. Errors carry the
// line of the offending object.
func ReadTaskMapJSON(r io.Reader, catalog *ksi.Catalog) (*TaskMap, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, &InputError{Index: -1, Err: err}
	}
	var tasks []LocalTask
	lines, err := decodeArray(data, "", "tasks", &tasks)
	if err != nil {
		return nil, err
	}
	return newTaskMap(tasks, lines, "", catalog)
}

// taskHeaders are the header names of a task-map CSV file.
var taskHeaders = map[string][]string{
	"local":    {"local", "local code", "lokal", "lokal kod", "insatskod", "kod"},
	"ksi":      {"ksi", "ksi-kod", "ksi code", "aktivitetskod"},
	"category": {"category", "kategori", "tjänstetyp", "service category"},
	"title":    {"title", "titel", "benämning", "namn"},
}

// ReadTaskMapCSV reads a task map from CSV (comma or semicolon separated,
// UTF-8 or Windows-1252, detected; a first line sep=; declares the
// separator; a line whose first character is # is a comment and is
// skipped, before the header or among the records, so a task code that
// begins with # is written quoted, "#12"; a column whose name is one letter
// from a name of a field the file has no column of, Katgori, or holds
// such a name with other words, KSI-kod (ny), is an error (not one whose
// last word says whose or which: Kategori namn), and other columns it does not know are ignored; a field that is
// not blank beyond the last column or under a blank header is an error)
// with the columns local (lokal kod,
// insatskod), ksi (KSI-kod, may be empty), category (kategori: a Category
// name or its Swedish term) and title (benämning, optional). KSI codes are
// checked against catalog when it is not nil. Every problem is returned
// at once, each an *InputError with its line. A Windows-1252 file that
// detection refuses (see EncodingDetect) is read through
// charmap.Windows1252.NewDecoder().Reader(r) of golang.org/x/text, which
// gives UTF-8.
func ReadTaskMapCSV(r io.Reader, catalog *ksi.Catalog) (*TaskMap, error) {
	t, err := openCSVTable(r, EncodingDetect, "", 0, '#', taskHeaders, nil, unknownColumns{})
	if err != nil {
		return nil, err
	}
	if errs := t.missing(taskHeaders, "local", "category"); len(errs) > 0 {
		return nil, joinErrors(errs...)
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
			return nil, joinErrors(append(errs, err)...)
		}
		if !ok {
			break
		}
		task := LocalTask{Local: t.get("local"), Title: t.get("title")}
		if e := t.widthError(); e != nil {
			e.Record, e.Index, e.ID = "tasks", len(tasks), task.Local
			errs = append(errs, e)
		}
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
		return nil, joinErrors(errs...)
	}
	return m, nil
}
