package invoice

import (
	"html/template"
	"io"
	"strings"

	"github.com/hemtjanst/ersattning/reimbursement"
)

// WriteHTML writes the invoice bases as one self-contained, printable HTML
// page in Swedish: inline CSS, no script, no font, image or link that
// reaches the network, one basis per printed A4 page (more when it is
// long), with the parties, the lines per customer (each naming its
// tariff version when the month has two) and the totals. A nil
// writer or basis is an error, before anything is written.
func WriteHTML(w io.Writer, bases ...*Basis) error {
	if err := checkArgs("WriteHTML", w, bases); err != nil {
		return err
	}
	return basisPage.Execute(w, bases)
}

// svAmount writes an amount the Swedish way: a space between thousands
// and a decimal comma, "4 207,77"; a minus sign for negatives.
func svAmount(a reimbursement.Amount) string {
	s := a.String()
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "−", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteRune('\u00a0')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteString("," + frac)
	}
	return sign + b.String()
}

var basisPage = template.Must(template.New("basis").Funcs(template.FuncMap{
	"kr":       svAmount,
	"category": func(l Line) string { return l.Category.Swedish() },
	"join":     strings.Join,
}).Parse(basisHTML))

const basisHTML = `<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<title>Fakturaunderlag{{range .}} {{.Number}}{{end}}</title>
<style>
@page { size: A4; margin: 18mm 15mm; }
body { font-family: system-ui, "Segoe UI", Arial, sans-serif; font-size: 10pt; color: #111; margin: 0 auto; max-width: 190mm; }
section.basis { page-break-after: always; break-after: page; padding: 6mm 0; }
section.basis:last-child { page-break-after: auto; break-after: auto; }
h1 { font-size: 16pt; margin: 0 0 4mm; }
h2 { font-size: 11pt; margin: 5mm 0 1mm; }
.parties { display: flex; gap: 10mm; }
.parties div { flex: 1; border: 0.3mm solid #999; padding: 2mm 3mm; }
.parties h3 { font-size: 9pt; margin: 0 0 1mm; text-transform: uppercase; color: #555; }
dl.meta { display: grid; grid-template-columns: max-content auto; gap: 0.5mm 4mm; margin: 3mm 0; }
dl.meta dt { color: #555; } dl.meta dd { margin: 0; }
table { width: 100%; border-collapse: collapse; margin-top: 1mm; }
th, td { padding: 0.8mm 1.5mm; border-bottom: 0.2mm solid #ccc; vertical-align: top; }
th { text-align: left; font-size: 8.5pt; color: #333; border-bottom: 0.4mm solid #333; }
td.n, th.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.sum td { font-weight: 600; border-bottom: 0.4mm solid #333; }
tr.comp td { font-style: italic; }
tr { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
table.totals { width: 60%; margin-left: auto; margin-top: 5mm; }
table.totals tr.grand td { font-size: 12pt; font-weight: 700; border-top: 0.5mm solid #111; }
.records { font-size: 8pt; color: #555; }
@media screen { body { padding: 10mm; background: #f4f4f4; } section.basis { background: #fff; padding: 10mm; margin-bottom: 10mm; box-shadow: 0 0 2mm #aaa; } }
</style>
</head>
<body>
{{range .}}{{$versions := len .Versions}}<section class="basis">
<h1>Fakturaunderlag {{.Period}}</h1>
<div class="parties">
<div><h3>Leverantör</h3>
<strong>{{.Seller.Name}}</strong><br>
{{with .Seller.OrgNumber}}Org.nr {{.}}<br>{{end}}{{with .Seller.VATNumber}}Momsreg.nr {{.}}<br>{{end}}{{if .Seller.FSkatt}}Godkänd för F-skatt<br>{{end}}{{with .Seller.Street}}{{.}}<br>{{end}}{{if .Seller.City}}{{.Seller.PostalCode}} {{.Seller.City}}<br>{{end}}{{with .Seller.Bankgiro}}Bankgiro {{.}}<br>{{end}}{{with .Seller.Plusgiro}}Plusgiro {{.}}<br>{{end}}
</div>
<div><h3>Köpare</h3>
<strong>{{.Buyer.Name}}</strong><br>
{{with .Buyer.OrgNumber}}Org.nr {{.}}<br>{{end}}{{with .Buyer.Street}}{{.}}<br>{{end}}{{if .Buyer.City}}{{.Buyer.PostalCode}} {{.Buyer.City}}<br>{{end}}{{with .BuyerReference}}Er referens: {{.}}<br>{{end}}{{with .OrderReference}}Beställning: {{.}}<br>{{end}}
</div>
</div>
<dl class="meta">
<dt>Underlag nr</dt><dd>{{.Number}}</dd>
{{with .Corrects}}<dt>Efterreglering av</dt><dd>faktura {{.}}</dd>
{{end}}<dt>Period</dt><dd>{{.PeriodStart}} – {{.PeriodEnd}}</dd>
<dt>Datum</dt><dd>{{.IssueDate}}</dd>
<dt>Förfallodag</dt><dd>{{.DueDate}}</dd>
<dt>Taxa</dt><dd>{{join .Versions ", "}}</dd>
<dt>Utförare</dt><dd>{{.Provider}} ({{.Ownership.Swedish}})</dd>
</dl>
{{range .Customers}}<h2>Brukare {{.ID}}{{with .Zone}} · {{.}}{{end}}</h2>
<table>
<thead><tr><th>Komponent</th><th>Kategori</th><th>Band</th><th class="n">Antal</th><th class="n">Pris</th><th class="n">Belopp kr</th></tr></thead>
<tbody>
{{range .Lines}}<tr{{if .VATCompensation}} class="comp"{{end}}><td>{{.Name}}{{with .Kind.Swedish}} ({{.}}){{end}}{{if gt $versions 1}}<div class="records">Taxa {{.Version}}</div>{{end}}{{with .Records}}<div class="records">{{join . ", "}}</div>{{end}}</td><td>{{category .}}</td><td>{{.Band}}</td><td class="n">{{kr .Quantity}} {{.Unit}}</td><td class="n">{{kr .Rate}} {{.RateUnit}}{{with .Factor}} × {{kr .}}{{end}}</td><td class="n">{{kr .Amount}}</td></tr>
{{end}}<tr class="sum"><td colspan="5">Summa brukare {{.ID}}</td><td class="n">{{kr .Total}}</td></tr>
</tbody>
</table>
{{end}}<table class="totals">
<tr><td>Delsumma</td><td class="n">{{kr .Subtotal}} kr</td></tr>
<tr><td>Momskompensation</td><td class="n">{{kr .VATCompensation}} kr</td></tr>
<tr><td>Moms (undantaget från skatteplikt, social omsorg)</td><td class="n">0,00 kr</td></tr>
<tr class="grand"><td>Att betala</td><td class="n">{{kr .Total}} {{.Currency}}</td></tr>
</table>
</section>
{{end}}</body>
</html>
`
