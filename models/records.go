package models

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/ksi"
)

// Customer is a person granted home care (brukare, kund).
type Customer struct {
	ID string `json:"id"`
	// Zone is the geographic zone the customer lives in (tätort,
	// landsbygd, skärgård...), as the tariff names it.
	Zone string `json:"zone"`
	// ZoneChanges are moves to another zone, each from a date on.
	ZoneChanges []ZoneChange `json:"zone_changes,omitempty"`
	// FeeHeadroom is the customer's avgiftsutrymme: the most the customer
	// can pay in fees a month after the reserved amount, when known; in
	// whole öre (at most two decimals), from 0 to below 10^12 kronor.
	FeeHeadroom *decimal.Decimal `json:"fee_headroom,omitempty"`
}

// ZoneChange says that from a date on a customer lives in another zone.
type ZoneChange struct {
	From calendar.Date `json:"from"`
	Zone string        `json:"zone"`
}

// ZoneOn returns the customer's zone on date d: the zone of the latest
// change on or before d, or Zone when there is none. It reads every
// change; to ask for many dates, use Zones.
func (c *Customer) ZoneOn(d calendar.Date) string {
	zone, since := c.Zone, calendar.Date{}
	for _, ch := range c.ZoneChanges {
		if !ch.From.After(d) && !ch.From.Before(since) {
			zone, since = ch.Zone, ch.From
		}
	}
	return zone
}

// Zones returns the customer's zones by date: Zones().On(d) is
// ZoneOn(d), found by binary search. It sorts a copy of the zone changes
// once; the customer may change afterwards.
func (c *Customer) Zones() Zones {
	sorted := slices.Clone(c.ZoneChanges)
	slices.SortStableFunc(sorted, func(a, b ZoneChange) int { return a.From.Compare(b.From) })
	z := Zones{zone: c.Zone}
	for _, ch := range sorted {
		switch n := len(z.changes); {
		case ch.From.Before(calendar.Date{}):
			// never the latest for ZoneOn, which starts from the zero date
		case n > 0 && z.changes[n-1].From == ch.From:
			z.changes[n-1] = ch // of two changes on one date, the last counts
		default:
			z.changes = append(z.changes, ch)
		}
	}
	return z
}

// Zones is a customer's zone history, for the zones on many dates; see
// Customer.Zones. It is safe for concurrent use.
type Zones struct {
	zone    string       // before the first change
	changes []ZoneChange // by date, one a date
}

// On returns the zone on date d: the zone of the latest change on or
// before d, or the customer's Zone when there is none.
func (z Zones) On(d calendar.Date) string {
	i := sort.Search(len(z.changes), func(i int) bool { return z.changes[i].From.After(d) })
	if i == 0 {
		return z.zone
	}
	return z.changes[i-1].Zone
}

// Validate checks the customer on its own.
func (c *Customer) Validate() error {
	errs := requireFields("id", c.ID, "zone", c.Zone)
	if h := c.FeeHeadroom; h != nil {
		switch {
		case h.IsNegative():
			errs = append(errs, fieldError("fee_headroom", fmt.Errorf("%s kr: negative", clipDecimal(*h))))
		case !h.Equal(h.Round(2)):
			// A fee capped at it would not be money (found by attack:
			// a headroom of 12.345 charged fees of 12.345 kr).
			errs = append(errs, fieldError("fee_headroom", fmt.Errorf("%s is not whole öre: at most two decimals", clipDecimal(*h))))
		case h.Cmp(maxFeeHeadroom) >= 0:
			errs = append(errs, fieldError("fee_headroom", fmt.Errorf("%s kr: want less than %s", clipDecimal(*h), maxFeeHeadroom)))
		}
	}
	seen := make(map[calendar.Date]int, len(c.ZoneChanges))
	for i, ch := range c.ZoneChanges {
		if prev, dup := seen[ch.From]; dup && !ch.From.IsZero() {
			errs = append(errs, fieldError(fmt.Sprintf("zone_changes[%d].from", i),
				fmt.Errorf("second zone change on %s (zone_changes[%d] is the first)", ch.From, prev)))
		}
		seen[ch.From] = i
		if ch.From.IsZero() {
			errs = append(errs, fieldError(fmt.Sprintf("zone_changes[%d].from", i), errors.New("missing date")))
		}
		if strings.TrimSpace(ch.Zone) == "" {
			errs = append(errs, fieldError(fmt.Sprintf("zone_changes[%d].zone", i), errors.New("empty")))
		} else if len(ch.Zone) > MaxIDBytes {
			errs = append(errs, fieldError(fmt.Sprintf("zone_changes[%d].zone", i), tooLong(ch.Zone, MaxIDBytes)))
		} else if err := checkText(ch.Zone); err != nil {
			errs = append(errs, fieldError(fmt.Sprintf("zone_changes[%d].zone", i), err))
		}
	}
	return joinErrors(errs...)
}

// maxFeeHeadroom bounds a customer's fee headroom: a month's fee is some
// thousand kronor, and a headroom of 1e9999 is no amount.
var maxFeeHeadroom = decimal.New(1, 12)

// clipDecimal writes d, shortened when its text is long (1e9999 is ten
// thousand digits).
func clipDecimal(d decimal.Decimal) string {
	s := d.String()
	if len(s) > 40 {
		return s[:30] + fmt.Sprintf("… (%d characters)", len(s))
	}
	return s
}

// Provider is a home-care provider (utförare).
type Provider struct {
	ID string `json:"id"`
	// Name is the provider's name as invoices and reports print it: text
	// of graphic characters (no control or format character, no line or
	// paragraph separator, no noncharacter such as U+FFFE), which XML
	// and HTML carry as it is.
	Name      string    `json:"name"`
	Ownership Ownership `json:"ownership"`
	// OrgNumber is the provider's organisationsnummer, "556677-8899" (or
	// the personnummer of a sole trader), checked by its Luhn digit.
	OrgNumber string `json:"org_number,omitempty"`
	// VATNumber is the momsregistreringsnummer, "SE556677889901".
	VATNumber string `json:"vat_number,omitempty"`
	// Bankgiro and Plusgiro are the accounts the provider is paid to.
	Bankgiro string `json:"bankgiro,omitempty"`
	Plusgiro string `json:"plusgiro,omitempty"`
	// PeppolID is the provider's Peppol participant id, scheme:value,
	// "0007:5566778899".
	PeppolID string `json:"peppol_id,omitempty"`
	// Contract names the provider's contract (avtal) or contract class,
	// e.g. "service" for a service-only contract; tariffs read it as
	// contract. Empty when the municipality has one contract.
	Contract string `json:"contract,omitempty"`
	// VATRegistered: the provider is registered for VAT (momsregistrerad)
	// and is paid ex VAT; tariffs read it as vat_registered.
	VATRegistered bool `json:"vat_registered,omitempty"`
	// Attributes are further facts of the provider's contract, free key
	// and value (e.g. "klass": "B"); tariffs read them with
	// attr(attributes, 'klass'). Keys and values, and Contract, are
	// trimmed text of graphic characters (no control or format character,
	// no line or paragraph separator) without "|" and "="; a provider has
	// at most MaxAttributes of them.
	Attributes map[string]string `json:"attributes,omitempty"`
}

// MaxAttributes bounds a provider's attributes: every case of the
// provider carries them, so a provider of thousands would cost thousands
// per customer.
const MaxAttributes = 100

// MaxAttributeBytes bounds the length of a provider's contract and of each
// key and value of its attributes, for the same reason: every case of
// every customer of the provider carries them joined, so a value of a
// megabyte would cost a megabyte a customer (found by attack: 100
// attributes of 100 kB on each of twelve providers made a month of 2 000
// customers take 12–30 s to settle instead of 0.1 s).
const MaxAttributeBytes = 256

// MaxIDBytes bounds the length of an id (of a record, and of the customer
// or provider it names) and of a zone. An id is repeated wherever its
// record is named, some of them once for each unit (a decision's id in
// the explanation of each of its items), so one id of a megabyte would
// be copied into memory and output hundreds of times over (found by
// attack: a decision of 200 items under an id of 1 MiB gave a
// settlement of 224 MB of JSON). Ids seen are a few tens of bytes.
const MaxIDBytes = 256

// Validate checks the provider on its own.
func (p *Provider) Validate() error {
	errs := requireFields("id", p.ID)
	if p.Ownership == OwnershipUnknown {
		errs = append(errs, fieldError("ownership", errors.New(`missing: want "own" or "private"`)))
	}
	if err := checkName(p.Name); err != nil {
		errs = append(errs, fieldError("name", err))
	}
	errs = append(errs, p.validateIDs()...)
	if err := attributeText(p.Contract); err != nil {
		errs = append(errs, fieldError("contract", err))
	}
	if n := len(p.Attributes); n > MaxAttributes {
		errs = append(errs, fieldError("attributes", fmt.Errorf("%d attributes; at most %d", n, MaxAttributes)))
	}
	keys := make([]string, 0, len(p.Attributes))
	for k := range p.Attributes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		name := k // the key in the field of its value's error
		if k == "" {
			errs = append(errs, fieldError("attributes", errors.New("empty key")))
		} else if len(k) > MaxAttributeBytes {
			errs = append(errs, fieldError("attributes", fmt.Errorf("key of %w", tooLong(k, MaxAttributeBytes))))
			name = textHead(k) + "…" // its start, as the key's error quotes it
		} else if err := attributeText(k); err != nil {
			errs = append(errs, fieldError("attributes", fmt.Errorf("key %q: %w", k, err)))
		}
		if err := attributeText(p.Attributes[k]); err != nil {
			errs = append(errs, fieldError("attributes."+name, err))
		}
	}
	return joinErrors(errs...)
}

// attributeText checks a provider's contract or attribute text: trimmed,
// valid UTF-8 of graphic characters (see nonGraphic), and no "|" or "="
// (the separators tariffs see attributes joined with).
func attributeText(s string) error {
	if len(s) > MaxAttributeBytes {
		return tooLong(s, MaxAttributeBytes)
	}
	if strings.TrimSpace(s) != s {
		return fmt.Errorf("%q: leading or trailing space", s)
	}
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n <= 1 {
				return fmt.Errorf("%q: invalid UTF-8 at byte %d", s, i)
			}
		}
		if r == '|' || r == '=' || nonGraphic(r) != "" {
			return fmt.Errorf("%q: character %U at byte %d is not allowed", s, r, i)
		}
	}
	return nil
}

// Decision is a biståndsbeslut with its order (beställning) to the
// provider the customer chose: what is granted, from when to when, and
// when the provider started it (verkställighet).
type Decision struct {
	ID       string `json:"id"`
	Customer string `json:"customer"`
	Provider string `json:"provider"`
	// ValidFrom and ValidTo bound the decision; a zero ValidTo is open.
	ValidFrom calendar.Date `json:"valid_from"`
	ValidTo   calendar.Date `json:"valid_to,omitzero"`
	// ExecutionStarted is the day the provider marked the order as started
	// (verkställd); granted time is payable only from then. Zero means not
	// started.
	ExecutionStarted calendar.Date `json:"execution_started,omitzero"`
	Items            []GrantedItem `json:"items"`
}

// GrantedItem is one granted activity (insats) of a decision: a task with
// a standard time (schablontid) and a frequency, or a total time per
// month.
type GrantedItem struct {
	// Task is the local task code (Städ, Dusch...), if any: clean text
	// without "|" (see TaskMap).
	Task string `json:"task,omitempty"`
	// KSI is the KSI activity code, if the decision is KSI-coded.
	KSI      ksi.Code `json:"ksi,omitzero"`
	Category Category `json:"category"`
	// Minutes per occurrence, Times per Per: 30 minutes 2 times a week.
	Minutes int       `json:"minutes,omitempty"`
	Times   int       `json:"times,omitempty"`
	Per     Frequency `json:"per,omitzero"`
	// MinutesPerMonth is the alternative: one total time per month.
	MinutesPerMonth int `json:"minutes_per_month,omitempty"`
	// DoubleStaffing (dubbelbemanning) ordered: two staff for the item.
	DoubleStaffing bool `json:"double_staffing,omitempty"`
	// Subscription marks an item granted without minutes (abonnemang),
	// such as a safety alarm (trygghetslarm): it gives no granted minutes
	// and does not count in the granted minutes of the key figures; a
	// tariff pays it per month (fixed_monthly). It has no minutes, times,
	// per or minutes_per_month.
	Subscription bool `json:"subscription,omitempty"`
}

// Staff returns the number of staff the item is ordered with: 2 with
// double staffing, otherwise 1.
func (g *GrantedItem) Staff() int {
	if g.DoubleStaffing {
		return 2
	}
	return 1
}

// Validate checks the item on its own.
func (g *GrantedItem) Validate() error {
	var errs []error
	if g.Task != "" {
		if err := checkTaskCode(g.Task); err != nil {
			errs = append(errs, fieldError("task", err))
		}
	}
	if g.Category == CategoryUnknown {
		errs = append(errs, fieldError("category", errors.New("missing")))
	}
	switch {
	case g.Subscription:
		if g.Minutes != 0 || g.Times != 0 || g.Per != FrequencyUnknown || g.MinutesPerMonth != 0 {
			errs = append(errs, fieldError("subscription", errors.New("a subscription item has no minutes, times, per or minutes_per_month")))
		}
	case g.MinutesPerMonth < 0:
		errs = append(errs, fieldError("minutes_per_month", errors.New("negative")))
	case g.MinutesPerMonth > 0 && (g.Minutes != 0 || g.Times != 0 || g.Per != FrequencyUnknown):
		errs = append(errs, fieldError("minutes_per_month", errors.New("given together with minutes, times or per")))
	case g.MinutesPerMonth == 0:
		if g.Minutes <= 0 {
			errs = append(errs, fieldError("minutes", errors.New("want minutes > 0 (or minutes_per_month)")))
		}
		if g.Times <= 0 {
			errs = append(errs, fieldError("times", errors.New("want times > 0")))
		}
		if g.Per == FrequencyUnknown {
			errs = append(errs, fieldError("per", errors.New(`missing: want "day", "week" or "month"`)))
		}
	}
	return joinErrors(errs...)
}

// InForce returns the dates on which the decision's granted time is
// payable: from the later of ValidFrom and ExecutionStarted to ValidTo. It
// returns false when execution has not started.
func (d *Decision) InForce() (calendar.DateRange, bool) {
	if d.ExecutionStarted.IsZero() {
		return calendar.DateRange{}, false
	}
	r := calendar.DateRange{From: d.ValidFrom, To: d.ValidTo}
	if d.ExecutionStarted.After(r.From) {
		r.From = d.ExecutionStarted
	}
	if !r.To.IsZero() && r.To.Before(r.From) {
		return calendar.DateRange{}, false
	}
	return r, true
}

// Validate checks the decision on its own.
func (d *Decision) Validate() error {
	errs := requireFields("id", d.ID, "customer", d.Customer, "provider", d.Provider)
	if d.ValidFrom.IsZero() {
		errs = append(errs, fieldError("valid_from", errors.New("missing")))
	}
	if !d.ValidTo.IsZero() && d.ValidTo.Before(d.ValidFrom) {
		errs = append(errs, fieldError("valid_to", fmt.Errorf("%s is before valid_from %s", d.ValidTo, d.ValidFrom)))
	}
	if !d.ExecutionStarted.IsZero() && d.ExecutionStarted.Before(d.ValidFrom) {
		errs = append(errs, fieldError("execution_started", fmt.Errorf("%s is before valid_from %s", d.ExecutionStarted, d.ValidFrom)))
	}
	if len(d.Items) == 0 {
		errs = append(errs, fieldError("items", errors.New("no granted items")))
	}
	for i := range d.Items {
		if err := d.Items[i].Validate(); err != nil {
			errs = append(errs, prefixFields(fmt.Sprintf("items[%d]", i), err))
		}
	}
	return joinErrors(errs...)
}

// Visit is a visit registered at a customer's door (besök), checked in and
// out by staff: when, what tasks, by whom.
type Visit struct {
	ID       string    `json:"id"`
	Customer string    `json:"customer"`
	Provider string    `json:"provider"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	// Tasks are local task codes; the first decides the visit's category.
	// A code is clean text without "|" (see TaskMap).
	Tasks []string `json:"tasks"`
	Role  Role     `json:"role"`
	// Staff is the number of staff present: 2 for double staffing. Zero
	// means one.
	Staff int `json:"staff,omitempty"`
	// Declined: the customer declined the visit at the door (avböjt
	// besök).
	Declined bool `json:"declined,omitempty"`
	// Approved: the visit was approved in the monthly close (attesterad).
	Approved bool `json:"approved"`
	// Edited: the times were entered or changed by hand.
	Edited bool `json:"edited,omitempty"`
	// Registered is when the visit was entered or last changed in the
	// time-registration system; a settlement with a lock date does not pay
	// visits registered after it. Zero means unknown.
	Registered time.Time `json:"registered,omitzero"`
	// PlannedStart is when the visit was planned to start, if the
	// time-registration system exports it (planerad starttid).
	PlannedStart *time.Time `json:"planned_start,omitempty"`
	// PlannedMinutes is the planned length of the visit in minutes
	// (planerad tid); 0 means unknown.
	PlannedMinutes int `json:"planned_minutes,omitempty"`
	// Source is where the visit was read from when that was not the
	// dataset's own document (a CSV export): Validate names it in its
	// errors. It is not part of the JSON form.
	Source Source `json:"-"`
}

// Source is the position of a record in the file it was read from.
type Source struct {
	File string // file name as the reader was given it, or ""
	Line int    // 1-based line of the record
}

// StaffCount returns the number of staff present, at least 1.
func (v *Visit) StaffCount() int { return max(v.Staff, 1) }

// Validate checks the visit on its own.
func (v *Visit) Validate() error {
	_, err := v.validate(nil, nil)
	return err
}

// validate returns Validate's error, but that the task codes tasks holds
// (memo remembers them; nil: none) are not checked again: a task map
// holds clean codes only (newTaskMap checks them as the visit's would be
// checked, after taskKey), so each would pass; nor a customer or
// provider memo found plain for a visit before. known is true when tasks
// holds every code of the visit.
func (v *Visit) validate(tasks *TaskMap, memo *visitMemo) (known bool, err error) {
	known = true
	var errs []error
	if !memo.plainIDs(v) {
		errs = requireFields("id", v.ID, "customer", v.Customer, "provider", v.Provider)
	}
	if v.Start.IsZero() {
		errs = append(errs, fieldError("start", errors.New("missing")))
	}
	if v.End.IsZero() {
		errs = append(errs, fieldError("end", errors.New("missing")))
	} else if v.End.Before(v.Start) {
		errs = append(errs, fieldError("end", fmt.Errorf("%s is before start %s",
			v.End.Format(time.RFC3339Nano), v.Start.Format(time.RFC3339Nano))))
	}
	if v.Staff < 0 {
		errs = append(errs, fieldError("staff", errors.New("negative")))
	}
	if v.PlannedMinutes < 0 || v.PlannedMinutes > 24*60 {
		errs = append(errs, fieldError("planned_minutes", fmt.Errorf("%d is not 0–1440", v.PlannedMinutes)))
	}
	for i, t := range v.Tasks {
		if memo != nil && t != "" && memo.codes.has(tasks, t) {
			continue
		}
		known = false
		if trimSpace(t) == "" {
			errs = append(errs, fieldError(fmt.Sprintf("tasks[%d]", i), errors.New("empty task code")))
		} else if err := checkTaskCode(t); err != nil {
			errs = append(errs, fieldError(fmt.Sprintf("tasks[%d]", i), err))
		}
	}
	if len(errs) == 0 {
		return known, nil
	}
	return known, joinErrors(errs...)
}

// Listing is an enrolment in a health-care journal (listning,
// inskrivning) with a provider, for home health care or home
// rehabilitation.
type Listing struct {
	ID       string        `json:"id"`
	Customer string        `json:"customer"`
	Provider string        `json:"provider"`
	Kind     ListingKind   `json:"kind"`
	From     calendar.Date `json:"from"`
	To       calendar.Date `json:"to,omitzero"`
}

// Dates returns the listing's dates.
func (l *Listing) Dates() calendar.DateRange { return calendar.DateRange{From: l.From, To: l.To} }

// Validate checks the listing on its own.
func (l *Listing) Validate() error {
	errs := requireFields("id", l.ID, "customer", l.Customer, "provider", l.Provider)
	if l.Kind == ListingUnknown {
		errs = append(errs, fieldError("kind", errors.New(`missing: want "home_health_care" or "rehabilitation"`)))
	}
	errs = append(errs, checkRange(l.From, l.To))
	return joinErrors(errs...)
}

// Absence is a pause in a customer's home care (uppehåll): a hospital
// stay, short-term care or another absence, over whole days.
type Absence struct {
	ID       string        `json:"id"`
	Customer string        `json:"customer"`
	From     calendar.Date `json:"from"`
	To       calendar.Date `json:"to,omitzero"`
	Reason   AbsenceReason `json:"reason"`
}

// Dates returns the absence's dates.
func (a *Absence) Dates() calendar.DateRange { return calendar.DateRange{From: a.From, To: a.To} }

// Validate checks the absence on its own.
func (a *Absence) Validate() error {
	errs := requireFields("id", a.ID, "customer", a.Customer)
	if a.Reason == ReasonUnknown {
		errs = append(errs, fieldError("reason", errors.New(`missing: want "hospital", "short_term_care", "other", "death" or "end_of_decision"`)))
	}
	errs = append(errs, checkRange(a.From, a.To))
	return joinErrors(errs...)
}

// AlarmEvent is a call on a safety alarm (trygghetslarm) answered by a
// provider, or another countable event such as a meal delivery.
type AlarmEvent struct {
	ID       string    `json:"id"`
	Customer string    `json:"customer"`
	Provider string    `json:"provider"`
	Time     time.Time `json:"time"`
	// Kind names the event for tariffs that tell events apart ("larm",
	// "matleverans"); empty is a plain alarm call. It is clean text, as
	// an id is.
	Kind string `json:"kind,omitempty"`
}

// Validate checks the event on its own.
func (e *AlarmEvent) Validate() error {
	errs := requireFields("id", e.ID, "customer", e.Customer, "provider", e.Provider)
	if e.Time.IsZero() {
		errs = append(errs, fieldError("time", errors.New("missing")))
	}
	if err := checkText(e.Kind); err != nil {
		errs = append(errs, fieldError("kind", err))
	}
	return joinErrors(errs...)
}

func checkRange(from, to calendar.Date) error {
	if from.IsZero() {
		return fieldError("from", errors.New("missing"))
	}
	if !to.IsZero() && to.Before(from) {
		return fieldError("to", fmt.Errorf("%s is before from %s", to, from))
	}
	return nil
}

// trimSpace is strings.TrimSpace, quicker for text that neither starts
// nor ends with white space or a byte outside ASCII: such text is
// returned as it is.
func trimSpace(s string) string {
	if n := len(s); n > 0 && s[0] > ' ' && s[0] < utf8.RuneSelf && s[n-1] > ' ' && s[n-1] < utf8.RuneSelf {
		return s
	}
	return strings.TrimSpace(s)
}

// requireFields reports each of the named fields (name, value pairs) that
// is empty or blank, is longer than MaxIDBytes, or is not clean text (see
// checkText).
func requireFields(pairs ...string) []error {
	var errs []error
	for i := 0; i+1 < len(pairs); i += 2 {
		v := pairs[i+1]
		if len(v) > MaxIDBytes {
			errs = append(errs, fieldError(pairs[i], tooLong(v, MaxIDBytes)))
			continue
		}
		if err := checkText(v); err != nil || v == "" {
			if strings.TrimSpace(v) == "" {
				err = errors.New("empty")
			}
			errs = append(errs, fieldError(pairs[i], err))
		}
	}
	return errs
}

// plainASCII reports whether s is non-empty printable ASCII (U+0020 to
// U+007E) of at most MaxIDBytes bytes without a space at either end: text
// requireFields and checkText accept, as nearly every id is. It tests eight bytes at a
// time (outsideASCII), the last word overlapping the one before it: a
// string of 4 to 7 bytes as its first four and last four, of 1 to 3 as
// its first, middle and last, with good bytes beside them.
func plainASCII(s string) bool {
	n := len(s)
	if n == 0 || n > MaxIDBytes || s[0] == ' ' || s[n-1] == ' ' {
		return false
	}
	const good = 0x4141414141 << 24 // "AAAAA" in the bytes above the three
	switch {
	case n >= 8:
		for i := 0; i+8 < n; i += 8 {
			if outsideASCII(word64(s[i:])) {
				return false
			}
		}
		return !outsideASCII(word64(s[n-8:]))
	case n >= 4:
		return !outsideASCII(uint64(word32(s)) | uint64(word32(s[n-4:]))<<32)
	}
	return !outsideASCII(uint64(s[0]) | uint64(s[n/2])<<8 | uint64(s[n-1])<<16 | good)
}

// outsideASCII reports whether a byte of w lies outside U+0020 to
// U+007E: a byte has its top bit set (≥ 0x80), or gets it by adding 1
// (0x7F; a carry between bytes comes only from a byte ≥ 0x80) or by
// subtracting 0x20 from a byte below 0x80 (< 0x20; a borrow comes only
// from such a byte).
func outsideASCII(w uint64) bool {
	const ones, tops = 0x0101010101010101, 0x8080808080808080
	return (w|(w+ones)|(w-0x20*ones)&^w)&tops != 0
}

// word64 returns the first eight bytes of s, the first lowest (one
// load).
func word64(s string) uint64 {
	b := s[:8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// word32 returns the first four bytes of s, the first lowest.
func word32(s string) uint32 {
	b := s[:4]
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// checkText refuses text that cannot be an id or a code: white space
// around it, invalid UTF-8 and characters that are not graphic (see
// nonGraphic): control characters, format characters (U+200B zero width
// space, U+202E right-to-left override), line and paragraph separators,
// private-use and unassigned code points. Such an id would resolve in
// one place and not in another, or print otherwise than it is (a
// right-to-left override reverses the rest of the line it is printed
// on). The error names the character and its byte in s.
func checkText(s string) error {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			if c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' {
				if strings.TrimSpace(s) != s {
					return fmt.Errorf("white space around %q", s)
				}
			}
			return fmt.Errorf("control character %U at byte %d in %q", rune(c), i, s)
		} else if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	if ascii {
		if s != "" && (s[0] == ' ' || s[len(s)-1] == ' ') {
			return fmt.Errorf("white space around %q", s)
		}
		return nil
	}
	if strings.TrimSpace(s) != s {
		return fmt.Errorf("white space around %q", s)
	}
	return checkGraphic(s)
}

// tooLong is the error of text s longer than max bytes: it quotes the
// start of s, not all of it, so that the error stays short.
func tooLong(s string, max int) error {
	return fmt.Errorf("%d bytes, at most %d: %q…", len(s), max, textHead(s))
}

// textHead returns the first 32 bytes of s, fewer where that would cut
// inside a character (or s is shorter): what an error quotes of a text
// too long to quote whole.
func textHead(s string) string {
	head := s[:min(len(s), 32)]
	for len(head) > 0 && !utf8.ValidString(head) {
		head = head[:len(head)-1] // not cut inside a character
	}
	return head
}

// checkGraphic refuses invalid UTF-8 and characters that are not
// graphic (see nonGraphic), naming the first and its byte in s.
func checkGraphic(s string) error {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n <= 1 {
				return fmt.Errorf("invalid UTF-8 at byte %d in %q", i, s)
			}
		}
		if what := nonGraphic(r); what != "" {
			return fmt.Errorf("%s %U at byte %d in %q", what, r, i, s)
		}
	}
	return nil
}

// nonGraphic names the kind of r when it is not a graphic character
// (unicode.IsGraphic: a letter, mark, number, punctuation, symbol or
// space), and returns "" for a graphic one: "control character" (Cc),
// "format character" (Cf), "line separator" (Zl), "paragraph separator"
// (Zp), "private-use character" (Co), "noncharacter" (U+FFFE, U+FDD0...)
// or "unassigned character" (in unicode.Version, the Unicode of the Go
// release). None of them belongs in an id, a code or a name, and XML 1.0
// cannot carry the controls and U+FFFE and U+FFFF at all.
func nonGraphic(r rune) string {
	if r < utf8.RuneSelf {
		if r < 0x20 || r == 0x7f {
			return "control character"
		}
		return ""
	}
	if unicode.IsGraphic(r) {
		return ""
	}
	switch {
	case unicode.Is(unicode.Cc, r):
		return "control character"
	case unicode.Is(unicode.Cf, r):
		return "format character"
	case unicode.Is(unicode.Zl, r):
		return "line separator"
	case unicode.Is(unicode.Zp, r):
		return "paragraph separator"
	case unicode.Is(unicode.Co, r):
		return "private-use character"
	case r&0xfffe == 0xfffe || r >= 0xfdd0 && r <= 0xfdef:
		return "noncharacter"
	}
	return "unassigned character"
}

// checkName refuses a name or title (free text that invoices and reports
// print) holding invalid UTF-8 or a character that is not graphic (see
// nonGraphic): a control character, which XML 1.0 cannot carry or a
// report would print raw, a format character such as a right-to-left
// override, a line or paragraph separator, a noncharacter such as
// U+FFFE. White space inside or around a name is left as it is.
func checkName(s string) error {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			return fmt.Errorf("control character %U at byte %d in %q", rune(c), i, s)
		} else if c >= utf8.RuneSelf {
			return checkGraphic(s)
		}
	}
	return nil
}

// checkTaskCode refuses a task code that is not clean text (see
// checkText) after the normalisation of task codes (see TaskMap), or that
// holds "|": a visit's codes are written joined by "|" (tasks in a
// tariff's expressions, the task cell of a visits CSV file), so a code
// holding it would read as two.
func checkTaskCode(code string) error {
	// One pass over the bytes, every code of a visit being checked: ASCII
	// and Latin-1 (Städ, Inköp) are judged here, other text by
	// checkGraphic.
	k := taskKey(code)
	for i := 0; i < len(k); {
		switch c := k[i]; {
		case c == '|':
			return fmt.Errorf("character '|' at byte %d in %q: it separates a visit's task codes, so a code cannot hold it", i, k)
		case c < 0x20 || c == 0x7f:
			return fmt.Errorf("control character %U at byte %d in %q", rune(c), i, k)
		case c < utf8.RuneSelf:
			i++
		case (c == 0xc2 || c == 0xc3) && i+1 < len(k) && k[i+1]&0xc0 == 0x80:
			// U+0080–U+00FF: graphic from U+00A0 on, but for U+00AD
			// soft hyphen, a format character.
			if r := rune(c&0x1f)<<6 | rune(k[i+1]&0x3f); r < 0xa0 || r == 0xad {
				return checkGraphic(k)
			}
			i += 2
		default:
			if err := checkGraphic(k); err != nil { // k has no white space around it
				return err
			}
			if j := strings.IndexByte(k[i:], '|'); j >= 0 {
				return fmt.Errorf("character '|' at byte %d in %q: it separates a visit's task codes, so a code cannot hold it", i+j, k)
			}
			return nil
		}
	}
	return nil
}
