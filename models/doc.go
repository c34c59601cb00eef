// Package models holds the records a settlement is computed from and reads
// them: customers (brukare), providers (utförare) of own or private
// operation, decisions (biståndsbeslut) with their granted items,
// visits (besök), listings (listning) for home health care and
// rehabilitation, absences (uppehåll) and alarm events.
//
// A Dataset gathers them and is read from one JSON document with
// ReadDataset, which validates every record and the whole (ids unique and
// clean, every reference resolving to a record, task codes known, no two
// decisions granting the same category to a customer on the same day, no
// two zone changes of a customer on one date) and returns every problem
// at once as *InputError values naming the file, the line (and column
// where it is known), the record, its id and the field: the error holds
// every one (errors.As, Unwrap() []error), and its message lists the
// first MaxErrorsShown and the number in all, so that a month with a
// problem in every visit does not make a message of many megabytes.
// ReadDatasetParts reads a dataset given in several JSON files (and
// visits read from CSV): merged in order and validated once, a task,
// customer or provider given alike (by value) in two files kept once and
// given otherwise an error at the first member that differs naming both,
// each error naming its file and the record's index in that file. Clean text, for
// ids, references, task codes, zones and event kinds, has no white space
// around it and no character that is not graphic: no control or format
// character (U+202E right-to-left override, U+200B zero width space), no
// line or paragraph separator, no private-use or unassigned code point;
// a task code holds no "|", which joins a visit's codes. A provider's
// name and a task's title are graphic text too. An error writes an id
// quoted when it would not read as itself on the line (see
// InputError):
//
//	models: data.json:31:94: visits[0] (id v1): end: 2024-04-12T21:20:00+02:00 is before start 2024-04-12T21:40:00+02:00
//	models: data.json:19:3: duplicate field "visits" (first on line 16)
//	models: export.csv:3:12: visits[1] (id B-1002): start (Starttid): 2024-03-31 02:30:00 does not exist in Europe/Stockholm (the clocks moved forward)
//	models: data.json:7:6: customers[0] (id "k\u202e1"): id: format character U+202E at byte 1 in "k\u202e1"
//
// The readers take time linear in their input, errors included: an
// error's line and column are found from an index of the line starts
// (with a checkpoint every KiB of a long line), never by rescanning the
// document. ReadDataset is benchmarked against a plain encoding/json
// decode of the same document, and the CSV reader against a plain
// encoding/csv pass over the same file (see bench_test.go, metric
// x-peer). Validate is linear too; ValidateWith checks a dataset against
// a task map built once, for many small datasets sharing one (see
// reimbursement.SettleCustomers).
//
// Local task codes (Städ, Dusch...) are mapped to KSI codes and service
// categories by a TaskMap (NewTaskMap, ReadTaskMapCSV, ReadTaskMapJSON,
// Dataset.TaskMap); its Lookup and Category are the one place task codes
// are normalised, for validation and settlement alike.
//
// Visits also come as CSV, the usual export of Swedish time-registration
// systems: ReadVisitsCSVWith reads semicolon or comma separated files in
// UTF-8 or Windows-1252 (with Excel's separator declaration, sep=;, on
// the first line or without) with Swedish headers (brukare, utförare,
// starttid, sluttid, insatser, attesterad...), and each visit keeps its
// file and line in Source, so that validating a dataset the visits are
// merged into points at the line of the CSV file. A record must have the
// header's fields: a short one would read its missing fields as empty (a
// visit as not approved), so it is an error, as is a non-blank field
// past the last column or under a blank header. A column the reader does
// not know is ignored, unless its name is one letter from a name of a
// field the file has no column of (Slutttid: a slip, an error naming the
// column), or holds such a name with other words (Registrerad tid (kl):
// an error too, unless its last word says whose or which, Registrerad
// av; not the date's name, Attesterad datum, as a missing date column is
// an error of its own where one is needed), or CSVOptions.RefuseUnknown refuses every one, a column with a
// blank header too. A record whose fields are not under the header's
// columns is reported once, as such, and ReadVisitsCSVWith stops at the
// MaxBadRecords-th record with problems. VisitsCSV reads the same
// files one visit at a time; Dataset.WithVisits joins such visits,
// grouped by customer, to the customers' other records held in memory,
// and Dataset.ByCustomer splits a dataset held in memory by customer,
// both for reimbursement.SettleCustomers. A record VisitsCSV cannot read
// (an end before the start) is its customer's error, as a visit of a
// customer not in the dataset is: WithVisits yields the customer with
// it, and SettleCustomers leaves that customer out and settles the
// others.
//
// # Granted time, a worked case
//
// Decision.Granted prorates an item by the days the decision is in force
// in a month, from the day the provider started it (verkställighet), less
// days of absence. Thirty minutes twice a week, started on 10 April (21
// of April's 30 days), is 30 × 2 × 21 ÷ 7 = 180 minutes; a hospital stay
// from the 15th to the 19th leaves 16 days, 30 × 2 × 16 ÷ 7 = 137.14,
// rounded half up to 137 minutes. Granted reads every absence it is
// given; for the many items of one customer, Paused finds the paused days
// once and Decision.GrantedPaused takes them, as Customer.Zones does the
// zones on many dates.
//
// Validate refuses an id (of a record, or of the customer or provider
// it names) or a zone longer than MaxIDBytes, and a provider's contract
// or an attribute's key or value longer than MaxAttributeBytes: each is
// repeated wherever its record is named or its provider's cases are
// evaluated, so that its length would multiply.
//
// Validate accepts an item of any size (a settlement reports one beyond
// its plausibility limits), and no count of granted minutes wraps
// around: an item whose minutes over a month do not fit an int gives a
// Grant of no minutes with Err set, wrapping ErrTooLarge, and Prorate,
// MinutesFor, OccurrencesFor and MonthlyMinutes give 0 for it
// (GrantedItem.Countable says which).
package models
