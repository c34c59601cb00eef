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
	Label, Text    string
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

// diverging draws the differences of changes as bars left (less) and
// right (more) of a zero axis.
func diverging(title string, changes []compare.Change) chart {
	c := chart{Title: title, Width: labelWidth + 2*halfWidth + 90, Height: rowHeight*len(changes) + 10, Axis: labelWidth + halfWidth}
	var most decimal.Decimal
	for _, ch := range changes {
		most = decimal.Max(most, ch.Difference.Abs())
	}
	for i, ch := range changes {
		w := scale(ch.Difference.Decimal, most, halfWidth)
		b := bar{Label: ch.Key, Y: 5 + i*rowHeight, H: rowHeight - 6, W: w, Gain: ch.Difference.IsPositive(),
			Text: fmt.Sprintf("%s kr", swedish(ch.Difference))}
		switch {
		case ch.Zone == "" && ch.Provider != "": // a provider's component
			b.Label = ch.Provider + " " + ch.Key
		case ch.Name != "":
			b.Label += " " + ch.Name
		}
		if ch.Percent != nil {
			b.Text += fmt.Sprintf(" (%s %%)", swedish(*ch.Percent))
		}
		b.X, b.TX = c.Axis, c.Axis+w+4
		if !b.Gain {
			b.X, b.TX = c.Axis-w, c.Axis+4
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}

// histogram counts the customers by the size of their change, in up to
// twelve bins of equal width from the largest loss to the largest gain.
func histogram(title string, changes []compare.Change) chart {
	const bins, plotH, colW = 12, 160, 48
	c := chart{Title: title, Width: bins*colW + 20, Height: plotH + 60}
	if len(changes) == 0 {
		return c
	}
	lo, hi := changes[0].Difference.Decimal, changes[0].Difference.Decimal
	for _, ch := range changes {
		lo, hi = decimal.Min(lo, ch.Difference.Decimal), decimal.Max(hi, ch.Difference.Decimal)
	}
	n := int64(bins)
	width := hi.Sub(lo).Div(decimal.NewFromInt(n))
	counts := make([]int, bins)
	for _, ch := range changes {
		i := int64(0)
		if width.IsPositive() {
			i = min(ch.Difference.Sub(lo).Div(width).IntPart(), n-1)
		}
		counts[i]++
	}
	most := 0
	for _, k := range counts {
		most = max(most, k)
	}
	for i, k := range counts {
		if width.IsZero() && i > 0 {
			break
		}
		from := lo.Add(width.Mul(decimal.NewFromInt(int64(i)))).Round(0)
		h := k * plotH / max(most, 1)
		c.Bars = append(c.Bars, bar{Label: from.String(), Text: fmt.Sprint(k), X: 10 + i*colW, W: colW - 6, Y: 20 + plotH - h, H: h,
			Gain: from.IsPositive(), TX: 10 + i*colW + (colW-6)/2})
	}
	c.Axis = 20 + plotH
	return c
}

type compareView struct {
	*compare.Report
	Limit  string
	Within *bool
	Charts []chart
	Hist   chart
}

func writeCompareHTML(w io.Writer, c *compare.Report, limit *budgetLimit) error {
	v := compareView{Report: c, Hist: histogram("Kunder efter förändring (kr, från)", c.Customers),
		Charts: []chart{diverging("Per utförare", c.Providers), diverging("Per zon", c.Zones), diverging("Per regi", c.Ownerships),
			diverging("Per komponent", c.Components), diverging("Per utförare och komponent", c.ProviderComponents),
			diverging("Per månad", c.Months)}}
	if limit != nil {
		ok, text := limit.check(c)
		v.Limit, v.Within = text, &ok
	}
	return comparePage.Execute(w, v)
}

var comparePage = template.Must(template.New("compare").Funcs(template.FuncMap{"deref": func(b *bool) bool { return b != nil && *b }, "sv": swedish}).Parse(`<!DOCTYPE html>
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
.ok { color: #2e7d32; font-weight: 600; } .over { color: #c62828; font-weight: 600; }
</style>
</head>
<body>
<h1>Jämförelse: {{.Base}} → {{.Proposed}}</h1>
<p>Månader: {{range $i, $p := .Periods}}{{if $i}}, {{end}}{{$p}}{{end}}</p>
{{range .Warnings}}<p class="over">Varning: {{.}}</p>
{{end}}<table>
<tr><th></th><th class="n">{{.Base}}</th><th class="n">{{.Proposed}}</th><th class="n">Skillnad</th><th class="n">%</th></tr>
<tr><td>Budget (kr)</td><td class="n">{{sv .Total.Base}}</td><td class="n">{{sv .Total.Proposed}}</td><td class="n">{{sv .Total.Difference}}</td><td class="n">{{with .Total.Percent}}{{sv .}}{{else}}–{{end}}</td></tr>
</table>
{{with .Limit}}<p class="{{if deref $.Within}}ok{{else}}over{{end}}">Budgetgräns: {{.}} – {{if deref $.Within}}inom gränsen{{else}}över gränsen{{end}}</p>{{end}}
<p>Kunder som får mer än ±{{.Distribution.CustomerThreshold}} kr: {{.Distribution.CustomersGaining}} mer, {{.Distribution.CustomersLosing}} mindre, {{.Distribution.CustomersUnchanged}} inom.
Utförare utanför ±{{.Distribution.ProviderThreshold}} %: {{.Distribution.ProvidersGaining}} mer, {{.Distribution.ProvidersLosing}} mindre, {{.Distribution.ProvidersUnchanged}} inom.</p>
{{with .Hist}}<h2>{{.Title}}</h2>
<svg width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img">
{{range .Bars}}<rect class="{{if .Gain}}gain{{else}}loss{{end}}" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}"/><text x="{{.TX}}" y="{{.Y}}" dy="-2" text-anchor="middle">{{.Text}}</text><text x="{{.TX}}" y="{{$.Hist.Axis}}" dy="14" text-anchor="middle">{{.Label}}</text>
{{end}}<line class="axis" x1="0" x2="{{.Width}}" y1="{{.Axis}}" y2="{{.Axis}}"/>
</svg>{{end}}
{{range .Charts}}{{if .Bars}}<h2>{{.Title}}</h2>
<svg width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img">
{{$axis := .Axis}}{{range .Bars}}<text x="0" y="{{.Y}}" dy="12">{{.Label}}</text><rect class="{{if .Gain}}gain{{else}}loss{{end}}" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}"/><text x="{{.TX}}" y="{{.Y}}" dy="12">{{.Text}}</text>
{{end}}<line class="axis" x1="{{.Axis}}" x2="{{.Axis}}" y1="0" y2="{{.Height}}"/>
</svg>{{end}}{{end}}
{{with .NotPaid}}<h2>Ej betalt, per skäl</h2>
<table>
<tr><th>Skäl</th><th class="n">{{$.Base}} (poster)</th><th class="n">(min)</th><th class="n">{{$.Proposed}} (poster)</th><th class="n">(min)</th></tr>
{{range .}}<tr><td>{{.Reason}}</td><td class="n">{{.BaseRecords}}</td><td class="n">{{.BaseMinutes}}</td><td class="n">{{.ProposedRecords}}</td><td class="n">{{.ProposedMinutes}}</td></tr>
{{end}}</table>{{end}}
<h2>Kunder</h2>
<table>
<tr><th>Kund</th><th>Zon</th><th>Utförare</th><th class="n">{{.Base}}</th><th class="n">{{.Proposed}}</th><th class="n">Skillnad</th><th class="n">%</th></tr>
{{range .Customers}}<tr><td>{{.Key}}</td><td>{{.Zone}}</td><td>{{.Provider}}</td><td class="n">{{sv .Base}}</td><td class="n">{{sv .Proposed}}</td><td class="n">{{sv .Difference}}</td><td class="n">{{with .Percent}}{{sv .}}{{else}}–{{end}}</td></tr>
{{end}}</table>
</body>
</html>
`))
