package main

import (
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/compare"
)

// bar is one bar of a chart, in SVG pixels.
type bar struct {
	// Label names a row of a diverging chart (text from the data).
	Label string
	// Edge is a histogram bin's lower edge, a signed number: safe as it
	// is, as Text.
	Edge template.HTML
	// Text is the bar's number, digits, sign and comma alone: safe as it
	// is (a "+" written so, not as html/template's "&#43;").
	Text           template.HTML
	X, Y, W, H, TX int
	Gain           bool
}

// chart is an inline SVG chart.
type chart struct {
	Title         string
	Width, Height int
	Axis          int
	Bars          []bar
}

const (
	labelWidth = 170
	halfWidth  = 220
	rowHeight  = 22
)

// scale returns |v| × pixels ÷ of as whole pixels, computed in decimals.
func scale(v, of decimal.Decimal, pixels int64) int {
	if of.IsZero() {
		return 0
	}
	return int(v.Abs().Mul(decimal.NewFromInt(pixels)).Div(of).IntPart())
}

// swedish writes a number as Swedish readers do, with a decimal comma.
func swedish(a reimbursement.Amount) string { return strings.Replace(a.String(), ".", ",", 1) }

// lineHTML is a line of the largest changes as compare.LineText writes
// it, its formula (and the rate before rounding after it) with decimal
// commas, as the page's tables: "… (Taxa 2024.1): 600 min × 448,00 kr/h
// ÷ 60 = 4480,00". The month, provider, label and version before it are
// as written (a version named "Taxa 2024.1" keeps its point).
func lineHTML(l reimbursement.Line) string {
	text := compare.LineText(&l)
	at := strings.LastIndex(text, "): "+l.Formula())
	if at < 0 {
		return text
	}
	return text[:at] + decimalCommas(text[at:])
}

// verdictHTML is the budget verdict (BudgetVerdict.String) with the
// limit and the change in decimal commas, as the page's tables: "…
// högst 2,5 % – inom gränsen (förändringen -10,1430 %)"; a verdict not
// judged says why as written (a warning may name a version "Taxa
// 2024.1").
func verdictHTML(v *compare.BudgetVerdict) string {
	why := ""
	if v.Why != "" {
		why = ": " + v.Why
	}
	text := v.String()
	return decimalCommas(strings.TrimSuffix(text, why)) + why
}

// decimalCommas writes each decimal point of s between two digits as a
// comma.
func decimalCommas(s string) string {
	b := []byte(s)
	for i := 1; i+1 < len(b); i++ {
		if b[i] == '.' && isDigit(b[i-1]) && isDigit(b[i+1]) {
			b[i] = ','
		}
	}
	return string(b)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// signedSwedish writes a change as swedish does, with "+" where it is
// positive, as the text and the CSV write changes (found by a trial: the
// HTML wrote a rise as "6164,01" beside the text's "+6164.01").
func signedSwedish(a reimbursement.Amount) string {
	if a.IsPositive() {
		return "+" + swedish(a)
	}
	return swedish(a)
}

// signedHTML is signedSwedish for the page: a number, digits, sign and
// comma alone, is safe as it is, and its "+" is written as "+", not
// html/template's "&#43;".
func signedHTML(a reimbursement.Amount) template.HTML { return template.HTML(signedSwedish(a)) }

// signedText is a number's text with "+" where it is above zero.
func signedText(s string) string {
	if s != "0" && !strings.HasPrefix(s, "-") {
		return "+" + s
	}
	return s
}

// diverging draws the differences of rows as bars left (less) and right
// (more) of a zero axis.
func diverging(title string, rows []amountRow) chart {
	c := chart{Title: title, Width: labelWidth + 2*halfWidth + 90, Height: rowHeight*len(rows) + 10, Axis: labelWidth + halfWidth}
	var most decimal.Decimal
	for _, r := range rows {
		most = decimal.Max(most, r.Difference.Abs())
	}
	for i, r := range rows {
		w := scale(r.Difference.Decimal, most, halfWidth)
		b := bar{Label: r.Label, Y: 5 + i*rowHeight, H: rowHeight - 6, W: w, Gain: r.Difference.IsPositive(),
			Text: template.HTML(fmt.Sprintf("%s kr", signedSwedish(r.Difference)))}
		if r.Percent != nil {
			b.Text += template.HTML(fmt.Sprintf(" (%s %%)", signedSwedish(*r.Percent)))
		}
		b.X, b.TX = c.Axis, c.Axis+w+4
		if !b.Gain {
			b.X, b.TX = c.Axis-w, c.Axis+4
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}

// bins are the customers counted by the size of their change: bin i
// counts those whose difference d is From + i × Step ≤ d < From + (i+1) ×
// Step. Step is the smallest of 1, 2, 5, 10, 20, 50… kronor that needs
// no more than maxBins bins from the largest loss to the largest gain,
// and From the largest multiple of Step at or below the largest loss,
// so that every edge is a round number and zero, where the changes
// straddle it, is an edge (found by a trial: the bins started at odd
// amounts, "-846", "-825"). Every customer is in exactly one bin.
type bins struct {
	From, Step decimal.Decimal
	Counts     []int
}

// maxBins is the most bins a histogram has.
const maxBins = 12

// binChanges counts the changes into bins; none for no changes.
func binChanges(changes []compare.Change) bins {
	if len(changes) == 0 {
		return bins{}
	}
	lo, hi := changes[0].Difference.Decimal, changes[0].Difference.Decimal
	for _, ch := range changes {
		lo, hi = decimal.Min(lo, ch.Difference.Decimal), decimal.Max(hi, ch.Difference.Decimal)
	}
	// from is lo rounded down to a multiple of step; the bins needed
	// are (hi − from) ÷ step rounded down, plus one for hi's own.
	var step, from decimal.Decimal
	n := int64(0)
	for exp := int32(0); ; exp++ {
		for _, m := range []int64{1, 2, 5} {
			step = decimal.New(m, exp)
			from = floorDiv(lo, step).Mul(step)
			if n = floorDiv(hi.Sub(from), step).IntPart() + 1; n <= maxBins {
				break
			}
		}
		if n <= maxBins {
			break
		}
	}
	b := bins{From: from, Step: step, Counts: make([]int, n)}
	for _, ch := range changes {
		b.Counts[floorDiv(ch.Difference.Sub(from), step).IntPart()]++
	}
	return b
}

// floorDiv is a ÷ b rounded down to a whole number, exactly (b > 0).
func floorDiv(a, b decimal.Decimal) decimal.Decimal {
	q, r := a.QuoRem(b, 0)
	if r.IsNegative() {
		q = q.Sub(decimal.NewFromInt(1))
	}
	return q
}

// histogram draws the customers counted by the size of their change
// (binChanges), each bar labelled with the lower edge of its bin.
func histogram(title string, changes []compare.Change) chart {
	const plotH, colW = 160, 48
	c := chart{Title: title, Width: maxBins*colW + 20, Height: plotH + 60}
	b := binChanges(changes)
	if len(b.Counts) == 0 {
		return c
	}
	most := 0
	for _, k := range b.Counts {
		most = max(most, k)
	}
	for i, k := range b.Counts {
		from := b.From.Add(b.Step.Mul(decimal.NewFromInt(int64(i))))
		h := k * plotH / max(most, 1)
		// A bin from zero up holds the customers whose amount stays or
		// rises: drawn as a gain, as are the bins above it.
		c.Bars = append(c.Bars, bar{Edge: template.HTML(signedText(from.String())), Text: template.HTML(fmt.Sprint(k)), X: 10 + i*colW, W: colW - 6, Y: 20 + plotH - h, H: h,
			Gain: !from.IsNegative(), TX: 10 + i*colW + (colW-6)/2})
	}
	c.Axis = 20 + plotH
	return c
}

// label names a row of a breakdown as the HTML shows it: the key and
// name, a provider's component, a provider's name on the proposed side
// where it differs, an ownership by its Swedish name.
func label(c *compare.Report, ch compare.Change, ownership bool) string {
	if ownership {
		return ch.Name // its Swedish term
	}
	if ch.Zone == "" && ch.Provider != "" { // a provider's component
		return ch.Provider + " " + ch.Key
	}
	l := ch.Key
	if ch.Name != "" {
		l += " " + ch.Name
	}
	if ch.ProposedName != "" {
		l += " (" + c.Proposed + ": " + ch.ProposedName + ")"
	}
	return l
}

// breakdown is a section of the HTML: a chart of the differences and a
// table of the amounts behind them, row by row.
type breakdown struct {
	Chart chart
	Rows  []amountRow
}

// amountRow is a row of a breakdown's table.
type amountRow struct {
	Label string
	compare.Change
}

type compareView struct {
	*compare.Report
	Breakdowns []breakdown
	Hist       chart
	// Differences say how the sides name or own the providers in
	// ProviderDifferences, in Swedish.
	Differences []string
	FeeRows     []amountRow
}

func writeCompareHTML(w io.Writer, c *compare.Report) error {
	v := compareView{Report: c, Hist: histogram("Brukare efter förändring (kr, från)", c.Customers)}
	for _, s := range []struct {
		title     string
		rows      []compare.Change
		ownership bool
	}{{"Per utförare", c.Providers, false}, {"Per zon", c.Zones, false}, {"Per regi", c.Ownerships, true},
		{"Per komponent", c.Components, false}, {"Per utförare och komponent", c.ProviderComponents, false},
		{"Per månad", c.Months, false}} {
		b := breakdown{}
		for _, ch := range s.rows {
			b.Rows = append(b.Rows, amountRow{label(c, ch, s.ownership), ch})
		}
		b.Chart = diverging(s.title, b.Rows)
		v.Breakdowns = append(v.Breakdowns, b)
	}
	for _, d := range c.ProviderDifferences {
		v.Differences = append(v.Differences, d.Provider+": "+c.ProviderDifferenceText(d))
	}
	for _, f := range c.Fees {
		var base, proposed reimbursement.Amount
		if f.Base != nil {
			base = f.Base.Amount
		}
		if f.Proposed != nil {
			proposed = f.Proposed.Amount
		}
		v.FeeRows = append(v.FeeRows, amountRow{f.Customer + " " + f.Period, compare.Change{Base: base, Proposed: proposed, Difference: f.Difference}})
	}
	return comparePage.Execute(w, v)
}

var comparePage = template.Must(template.New("compare").Funcs(template.FuncMap{"sv": swedish, "reason": reimbursement.Reason.Swedish,
	"versions": compare.VersionsText,
	// rounding is a row's part that is rounding (varav avrundning), blank
	// where it has none (found by trial: the HTML never showed it).
	"rounding": func(r *reimbursement.Amount) template.HTML {
		if r == nil {
			return ""
		}
		return signedHTML(*r)
	},
	// diff is a difference, with "+" on a rise.
	"diff": signedHTML,
	"line": lineHTML, "verdict": verdictHTML,
	// units are the records behind a line, compactly (found by a trial:
	// only the JSON and the explain command had them).
	"units": func(l reimbursement.Line) string { return compare.UnitsText(&l) }, "pct": func(p *reimbursement.Amount) template.HTML {
		if p == nil {
			return "–"
		}
		return signedHTML(*p)
	}}).Parse(`<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<title>Jämförelse {{.Base}} → {{.Proposed}}</title>
<style>
@page { size: A4; margin: 15mm; }
body { font-family: system-ui, "Segoe UI", Arial, sans-serif; font-size: 10pt; color: #111; max-width: 190mm; margin: 0 auto; }
h1 { font-size: 16pt; } h2 { font-size: 12pt; margin-top: 8mm; break-after: avoid; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 1mm 2mm; border-bottom: 0.2mm solid #ccc; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
svg { display: block; max-width: 100%; break-inside: avoid; }
svg text { font-size: 10px; font-family: inherit; }
.gain { fill: #2e7d32; } .loss { fill: #c62828; } .axis { stroke: #333; stroke-width: 1; }
.within { color: #2e7d32; font-weight: 600; } .over, .warning { color: #c62828; font-weight: 600; } .not_judged { color: #b26a00; font-weight: 600; }
ul.lines { margin: 1mm 0 2mm; padding-left: 5mm; font-size: 9pt; }
.units { color: #555; }
</style>
</head>
<body>
<h1>Jämförelse: {{.Base}} → {{.Proposed}}</h1>
<p>Månader: {{range $i, $p := .Periods}}{{if $i}}, {{end}}{{$p}}{{end}}<br>
{{.Base}}: {{versions .BaseVersions}}<br>
{{.Proposed}}: {{versions .ProposedVersions}}</p>
{{range .Warnings}}<p class="warning">Varning: {{.}}</p>
{{end}}<table>
<tr><th></th><th class="n">{{.Base}}</th><th class="n">{{.Proposed}}</th><th class="n">Skillnad</th><th class="n">varav avrundning</th><th class="n">%</th></tr>
<tr><td>Budget (kr)</td><td class="n">{{sv .Total.Base}}</td><td class="n">{{sv .Total.Proposed}}</td><td class="n">{{diff .Total.Difference}}</td><td class="n">{{rounding .Total.Rounding}}</td><td class="n">{{pct .Total.Percent}}</td></tr>
{{with .FeeTotal}}<tr><td>Avgifter (kr)</td><td class="n">{{sv .Base}}</td><td class="n">{{sv .Proposed}}</td><td class="n">{{diff .Difference}}</td><td class="n"></td><td class="n">{{pct .Percent}}</td></tr>
{{end}}</table>
{{with .Budget}}<p class="{{.Outcome}}">{{verdict .}}</p>
{{end}}<p>Brukare, gräns ±{{.Distribution.CustomerThreshold}} kr: {{.Distribution.CustomersGaining}} får mer, {{.Distribution.CustomersLosing}} får mindre, {{.Distribution.CustomersUnchanged}} inom ±{{.Distribution.CustomerThreshold}} kr.
Utförare, gräns ±{{.Distribution.ProviderThreshold}} %: {{.Distribution.ProvidersGaining}} får mer, {{.Distribution.ProvidersLosing}} får mindre, {{.Distribution.ProvidersUnchanged}} inom ±{{.Distribution.ProviderThreshold}} %.{{if .FeeTotal}}
Brukarmånader med ändrad avgift: {{.Distribution.FeesRising}} högre, {{.Distribution.FeesFalling}} lägre.{{end}}</p>
{{with .Hist}}<h2>{{.Title}}</h2>
<svg width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img">
{{range .Bars}}<rect class="{{if .Gain}}gain{{else}}loss{{end}}" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}"/><text x="{{.TX}}" y="{{.Y}}" dy="-2" text-anchor="middle">{{.Text}}</text><text x="{{.TX}}" y="{{$.Hist.Axis}}" dy="14" text-anchor="middle">{{.Edge}}</text>
{{end}}<line class="axis" x1="0" x2="{{.Width}}" y1="{{.Axis}}" y2="{{.Axis}}"/>
</svg>{{end}}
{{range .Breakdowns}}{{if .Rows}}{{with .Chart}}<h2>{{.Title}}</h2>
<svg width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img">
{{range .Bars}}<text x="0" y="{{.Y}}" dy="12">{{.Label}}</text><rect class="{{if .Gain}}gain{{else}}loss{{end}}" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}"/><text x="{{.TX}}" y="{{.Y}}" dy="12">{{.Text}}</text>
{{end}}<line class="axis" x1="{{.Axis}}" x2="{{.Axis}}" y1="0" y2="{{.Height}}"/>
</svg>{{end}}
<table>
<tr><th></th><th class="n">{{$.Base}} (kr)</th><th class="n">{{$.Proposed}} (kr)</th><th class="n">Skillnad (kr)</th><th class="n">varav avrundning</th><th class="n">%</th></tr>
{{range .Rows}}<tr><td>{{.Label}}</td><td class="n">{{sv .Base}}</td><td class="n">{{sv .Proposed}}</td><td class="n">{{diff .Difference}}</td><td class="n">{{rounding .Rounding}}</td><td class="n">{{pct .Percent}}</td></tr>
{{end}}</table>
{{end}}{{end}}{{with .Differences}}<h2>Utförare som skiljer sig mellan {{$.Base}} och {{$.Proposed}}</h2>
<p>Raderna har utförarens namn i {{$.Base}}.</p>
<ul>
{{range .}}<li>{{.}}</li>
{{end}}</ul>
{{end}}{{with .NotPaid}}<h2>Inte betalt, per skäl</h2>
<table>
<tr><th>Skäl</th><th class="n">{{$.Base}} (poster)</th><th class="n">(min)</th><th class="n">(dagar)</th><th class="n">{{$.Proposed}} (poster)</th><th class="n">(min)</th><th class="n">(dagar)</th></tr>
{{range .}}<tr><td>{{reason .Reason}}</td><td class="n">{{.BaseRecords}}</td><td class="n">{{.BaseMinutes}}</td><td class="n">{{.BaseDays}}</td><td class="n">{{.ProposedRecords}}</td><td class="n">{{.ProposedMinutes}}</td><td class="n">{{.ProposedDays}}</td></tr>
{{end}}</table>
{{end}}<h2>Brukare</h2>
<table>
<tr><th>Brukare</th><th>Zon</th><th>Utförare</th><th class="n">{{.Base}} (kr)</th><th class="n">{{.Proposed}} (kr)</th><th class="n">Skillnad (kr)</th><th class="n">varav avrundning</th><th class="n">%</th></tr>
{{range .Customers}}<tr><td>{{.Key}}</td><td>{{.Zone}}</td><td>{{.Provider}}</td><td class="n">{{sv .Base}}</td><td class="n">{{sv .Proposed}}</td><td class="n">{{diff .Difference}}</td><td class="n">{{rounding .Rounding}}</td><td class="n">{{pct .Percent}}</td></tr>
{{end}}</table>
{{with .FeeRows}}<h2>Brukarnas avgifter per månad</h2>
<table>
<tr><th>Brukare, månad</th><th class="n">{{$.Base}} (kr)</th><th class="n">{{$.Proposed}} (kr)</th><th class="n">Skillnad (kr)</th></tr>
{{range .}}<tr><td>{{.Label}}</td><td class="n">{{sv .Base}}</td><td class="n">{{sv .Proposed}}</td><td class="n">{{diff .Difference}}</td></tr>
{{end}}</table>
{{end}}{{with .Largest}}<h2>Största förändringar</h2>
{{range .}}<h3>Brukare {{.Key}} ({{.Zone}}, {{.Provider}}): {{sv .Base}} kr → {{sv .Proposed}} kr, {{diff .Difference}} kr{{with .Percent}} ({{diff .}} %){{end}}</h3>
<p>{{$.Base}}:</p>
<ul class="lines">
{{range .BaseLines}}<li>{{line .}}{{with units .}}<br><span class="units">{{.}}</span>{{end}}</li>
{{else}}<li>(inga rader)</li>
{{end}}</ul>
<p>{{$.Proposed}}:</p>
<ul class="lines">
{{range .ProposedLines}}<li>{{line .}}{{with units .}}<br><span class="units">{{.}}</span>{{end}}</li>
{{else}}<li>(inga rader)</li>
{{end}}</ul>
{{with .NotPaid}}<ul class="lines">
{{range .}}<li>{{$.SideUnpaidText .}}</li>
{{end}}</ul>
{{end}}{{if .NotPaidMore}}<p>och {{.NotPaidMore}} poster till som den ena sidan lämnar obetalda, eller båda på olika sätt</p>
{{end}}{{end}}{{end}}</body>
</html>
`))
