package reimbursement

import (
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/reimbursement/internal/exact"
)

// RoundingMode is how an amount is rounded to its scale. The zero value
// is HalfUp, so the zero Rounding rounds half up to whole kronor.
type RoundingMode uint8

// The rounding modes.
const (
	HalfUp   RoundingMode = iota // half away from zero: 0.005 → 0.01
	HalfEven                     // half to even (banker's rounding): 0.005 → 0.00, 0.015 → 0.02
	Down                         // toward zero: 0.019 → 0.01
)

var roundingModes = enum{"rounding mode", []string{"half_up", "half_even", "down"}}

// String returns "half_up", "half_even" or "down".
func (m RoundingMode) String() string { return roundingModes.name(uint8(m)) }

// MarshalText implements encoding.TextMarshaler.
func (m RoundingMode) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (m *RoundingMode) UnmarshalText(b []byte) error {
	v, err := roundingModes.parse(string(b), true)
	*m = RoundingMode(v)
	return err
}

// Rounding is a tariff's declared rounding rule: every settlement line is
// rounded once, to Scale decimal places, by Mode. Totals are sums of
// rounded lines and are not rounded again.
type Rounding struct {
	Scale int32        `json:"scale"`
	Mode  RoundingMode `json:"mode"`
	// PerUnit: the tariff rounds each unit's amount (a visit, an
	// item-month, a listing-month) rather than each line; a line's amount
	// is then the sum of its rounded unit amounts (rounding "per": "unit").
	PerUnit bool `json:"per_unit,omitempty"`
}

// String describes the rule, e.g. "half_up to 2 decimals" or "half_up
// to 2 decimals per unit".
func (r Rounding) String() string { return r.describe() }

// swedish describes the rule in Swedish, as the text report and the
// explanations write it: "half_up till 2 decimaler", "… per enhet" (the
// mode as the tariff file names it).
func (r Rounding) swedish() string {
	s := r.Mode.String() + " till " + strconv.Itoa(int(r.Scale)) + " decimaler"
	if r.PerUnit {
		s += " per enhet"
	}
	return s
}

func (r Rounding) describe() string {
	s := r.Mode.String() + " to " + strconv.Itoa(int(r.Scale)) + " decimals"
	if r.PerUnit {
		s += " per unit"
	}
	return s
}

// roundingText is what explanations write of a rule, in Swedish: the
// rule, and the note of a line the rule did not change ("half_up till 2
// decimaler: exakt").
type roundingText struct{ rule, exact string }

// roundingTexts holds the texts of every rule a tariff can declare
// (scale 0–4), written once rather than per line.
var roundingTexts = func() (t [3][5][2]roundingText) {
	for m := range t {
		for s := range t[m] {
			for u := range t[m][s] {
				r := Rounding{Scale: int32(s), Mode: RoundingMode(m), PerUnit: u == 1}
				t[m][s][u] = roundingText{rule: r.swedish(), exact: r.swedish() + ": exakt"}
			}
		}
	}
	return t
}()

// texts returns the rule's texts, and false for a rule no tariff can
// declare (a scale beyond 4, an unknown mode).
func (r Rounding) texts() (roundingText, bool) {
	if int(r.Mode) >= len(roundingTexts) || r.Scale < 0 || int(r.Scale) >= len(roundingTexts[0]) {
		return roundingText{}, false
	}
	u := 0
	if r.PerUnit {
		u = 1
	}
	return roundingTexts[r.Mode][r.Scale][u], true
}

// rule is the rule as explanations write it (see swedish).
func (r Rounding) rule() string {
	if t, ok := r.texts(); ok {
		return t.rule
	}
	return r.swedish()
}

// exactNote is the rounding note of a line the rule did not change.
func (r Rounding) exactNote() string {
	if t, ok := r.texts(); ok {
		return t.exact
	}
	return r.swedish() + ": exakt"
}

func parseRounding(d roundingDoc) (Rounding, error) {
	r := Rounding{Scale: 2, Mode: HalfUp}
	if d.Scale != nil {
		if *d.Scale < 0 || *d.Scale > 4 {
			return r, fmt.Errorf("scale %d: want 0 (whole kronor) to 4", *d.Scale)
		}
		r.Scale = *d.Scale
	}
	switch d.Mode {
	case "", "half_up":
	case "half_even":
		r.Mode = HalfEven
	case "down":
		r.Mode = Down
	default:
		return r, fmt.Errorf("mode %q: want half_up, half_even or down", d.Mode)
	}
	switch d.Per {
	case "", "line":
	case "unit":
		r.PerUnit = true
	default:
		return r, fmt.Errorf("per %q: want line or unit", d.Per)
	}
	return r, nil
}

// Quotient returns num ÷ den rounded by the rule, computed exactly: the
// rounding sees the true quotient, never an intermediate approximation.
// den must be positive.
func (r Rounding) Quotient(num decimal.Decimal, den int64) decimal.Decimal {
	if f, ok := exact.Of(num); ok {
		if q, ok := r.quotient(f, den, nil); ok {
			return q
		}
	}
	return r.ratioBig(num, decimal.NewFromInt(den))
}

// Ratio returns num ÷ den rounded by the rule, exactly, for any non-zero
// decimal den.
func (r Rounding) Ratio(num, den decimal.Decimal) decimal.Decimal {
	if q, ok := r.ratio64(num, den); ok {
		return q
	}
	return r.ratioBig(num, den)
}

// ratioBig is Ratio in big-integer arithmetic.
func (r Rounding) ratioBig(num, den decimal.Decimal) decimal.Decimal {
	// num ÷ den × 10^scale = (n × 10^a) ÷ (d × 10^b) × 10^scale, with n, d
	// the coefficients and a, b the exponents: one integer division.
	n := new(big.Int).Set(num.Coefficient())
	d := new(big.Int).Set(den.Coefficient())
	if d.Sign() < 0 {
		n.Neg(n)
		d.Neg(d)
	}
	exp := int(num.Exponent()) - int(den.Exponent()) + int(r.Scale)
	ten := big.NewInt(10)
	if exp >= 0 {
		n.Mul(n, new(big.Int).Exp(ten, big.NewInt(int64(exp)), nil))
	} else {
		d.Mul(d, new(big.Int).Exp(ten, big.NewInt(int64(-exp)), nil))
	}
	q, rem := new(big.Int).QuoRem(n, d, new(big.Int))
	if rem.Sign() != 0 {
		twice := new(big.Int).Abs(rem)
		twice.Lsh(twice, 1)
		c := twice.Cmp(d)
		up := false
		switch r.Mode {
		case HalfUp:
			up = c >= 0
		case HalfEven:
			up = c > 0 || (c == 0 && q.Bit(0) == 1)
		}
		if up {
			if n.Sign() < 0 {
				q.Sub(q, big.NewInt(1))
			} else {
				q.Add(q, big.NewInt(1))
			}
		}
	}
	return decimal.NewFromBigInt(q, -r.Scale)
}

// ratio64 is Ratio in int64 arithmetic, for the common case where every
// number fits; ok is false when one does not.
func (r Rounding) ratio64(num, den decimal.Decimal) (decimal.Decimal, bool) {
	if num.NumDigits() > 18 || den.NumDigits() > 18 {
		return decimal.Decimal{}, false
	}
	q, ok := r.quo64(num.CoefficientInt64(), int(num.Exponent()), den.CoefficientInt64(), int(den.Exponent()))
	if !ok {
		return decimal.Decimal{}, false
	}
	return decimal.New(q, -r.Scale), true
}

// quotient returns f ÷ den rounded by r, as Rounding.Quotient does, and
// false when a number does not fit; den must be positive (see package
// exact for the int64 arithmetic of the hot path). The decimal is taken
// from c (nil: made anew).
func (r Rounding) quotient(f exact.Fixed, den int64, c *exact.Cache) (decimal.Decimal, bool) {
	q, ok := r.quotientFixed(f, den)
	if !ok {
		return decimal.Decimal{}, false
	}
	return c.Decimal(q), true
}

// quotientFixed is quotient's result as an exact.Fixed, of exponent
// −r.Scale.
func (r Rounding) quotientFixed(f exact.Fixed, den int64) (exact.Fixed, bool) {
	q, ok := r.quo64(f.Coef, int(f.Exp), den, 0)
	if !ok {
		return exact.Fixed{}, false
	}
	return exact.Fixed{Coef: q, Exp: -r.Scale}, true
}

// quo64 returns the coefficient at the rule's scale of (n × 10^nexp) ÷
// (d × 10^dexp) rounded by the rule, and false when a number does not
// fit an int64 or d is zero.
func (r Rounding) quo64(n int64, nexp int, d int64, dexp int) (int64, bool) {
	if n == math.MinInt64 || d == math.MinInt64 {
		return 0, false
	}
	if d < 0 {
		n, d = -n, -d
	}
	exp := nexp - dexp + int(r.Scale)
	var ok bool
	if exp >= 0 {
		n, ok = exact.Scale64(n, exp)
	} else {
		d, ok = exact.Scale64(d, -exp)
	}
	if !ok || d == 0 {
		return 0, false
	}
	q, rem := n/d, n%d
	if rem != 0 {
		ar := rem
		if ar < 0 {
			ar = -ar
		}
		c := 0 // compares 2|rem| with d, as |rem| with d − |rem|, without overflow
		switch rest := d - ar; {
		case ar > rest:
			c = 1
		case ar < rest:
			c = -1
		}
		up := false
		switch r.Mode {
		case HalfUp:
			up = c >= 0
		case HalfEven:
			up = c > 0 || (c == 0 && q%2 != 0)
		}
		if up {
			if n < 0 {
				q--
			} else {
				q++
			}
		}
	}
	return q, true
}

// timeMode is how a visit's elapsed time becomes whole minutes.
type timeMode uint8

// The time rounding modes.
const (
	timeUnknown timeMode = iota
	timeNearest          // to the nearest minute, 30 seconds up
	timeUp               // any started minute counts
	timeDown             // only whole minutes count
)

var timeModeNames = []string{"unknown", "nearest", "up", "down"}

// String returns "nearest", "up" or "down".
func (m timeMode) String() string {
	if int(m) < len(timeModeNames) {
		return timeModeNames[m]
	}
	return fmt.Sprintf("TimeMode(%d)", m)
}

// timeRounding is a tariff's rule for visit time: the whole visit is
// rounded to minutes by Mode, and a visit starting in a band with a
// minimum is paid at least that many minutes.
type timeRounding struct {
	Mode timeMode
	// Minimum holds, per band index, the least minutes of a visit that
	// starts in the band (0: no minimum).
	Minimum []int
}

func parseTimeRounding(d timeRoundingDoc, s *calendar.Schedule) (timeRounding, error) {
	t := timeRounding{Mode: timeNearest}
	switch d.Mode {
	case "", "nearest":
	case "up":
		t.Mode = timeUp
	case "down":
		t.Mode = timeDown
	default:
		return t, fmt.Errorf("mode %q: want nearest, up or down", d.Mode)
	}
	if s == nil {
		return t, nil
	}
	bands := s.Bands()
	t.Minimum = make([]int, len(bands))
	for _, band := range sortedKeys(d.MinimumMinutes) {
		i := slices.Index(bands, band)
		if i < 0 {
			return t, fmt.Errorf("minimum_minutes: unknown band %.40q (the schedule has %s)", band, knownList(bands))
		}
		m := d.MinimumMinutes[band]
		if m < 0 || m > 24*60 {
			return t, fmt.Errorf("minimum_minutes: %s: %d is not 0–1440", band, m)
		}
		t.Minimum[i] = m
	}
	return t, nil
}

// note says, in Swedish, how the rule makes a visit's minutes, for an
// explanation of a line that pays visits by their minutes: "besökens tid
// avrundas till närmaste hela minut; ett besök som börjar i kväll-natt
// räknas minst 15 min" (found by trial: a visit of 6 minutes listed at 15
// said nothing of why).
func (t timeRounding) note(s *calendar.Schedule) string {
	mode := map[timeMode]string{timeNearest: "närmaste", timeUp: "närmast högre", timeDown: "närmast lägre"}[t.Mode]
	b := "besökens tid avrundas till " + mode + " hela minut"
	for i, m := range t.Minimum {
		if m > 0 && s != nil {
			b += fmt.Sprintf("; ett besök som börjar i %s räknas minst %d min", s.BandName(i), m)
		}
	}
	return b
}

// plain reports whether the rule is the default: the nearest minute, no
// minimum.
func (t timeRounding) plain() bool {
	return t.Mode == timeNearest && !slices.ContainsFunc(t.Minimum, func(m int) bool { return m > 0 })
}

// minutes rounds an elapsed time to whole minutes by the mode.
func (t timeRounding) minutes(d time.Duration) int64 {
	s := int64(d / time.Second)
	switch t.Mode {
	case timeUp:
		if d%time.Minute != 0 {
			return int64(d/time.Minute) + 1
		}
		return int64(d / time.Minute)
	case timeDown:
		return s / 60
	}
	return (s + 30) / 60
}
