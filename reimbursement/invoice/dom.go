package invoice

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// node is an element of a parsed UBL document, named with the usual
// prefixes (cbc:ID, cac:Party) whatever prefixes the document used.
type node struct {
	name  string
	space string // the namespace
	attrs map[string]string
	text  string
	kids  []*node
	line  int
	// parent and nth place the node for its path: it is the nth element
	// of its name among its parent's children (from 1).
	parent *node
	nth    int
	// named counts the children by name, while the node is parsed.
	named map[string]int
}

// path returns the node's place in the document, as an error names it:
// "/Invoice/cac:InvoiceLine[2]/cbc:ID[1]". It is made when asked for, so
// that a document of long names and many elements costs no more than its
// size.
func (n *node) path() string {
	var parts []string
	for ; n.parent != nil; n = n.parent {
		parts = append(parts, fmt.Sprintf("%s[%d]", clip(n.name), n.nth))
	}
	parts = append(parts, clip(n.name))
	slices.Reverse(parts)
	return "/" + strings.Join(parts, "/")
}

// clip shortens a name or value of over 64 bytes for an error message to
// its first 48 bytes (whole characters), an ellipsis and its length, so
// that what Validate says stays small whatever the document holds.
func clip(s string) string {
	const most, keep = 64, 48
	if len(s) <= most {
		return s
	}
	cut := keep
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d bytes)", s[:cut], len(s))
}

// maxDepth and maxNodes bound what parse reads: an invoice is data from
// outside and may be hostile.
const (
	maxDepth = 64
	maxNodes = 1 << 20
)

// parse reads an XML document into nodes, in time and memory linear in
// its size: an element's place among its siblings is counted by name, its
// text gathered in a buffer of its depth, its path made only when an
// error names it.
func parse(r io.Reader) (*node, error) {
	d := xml.NewDecoder(r)
	var stack []*node
	var texts [][]byte // texts[i] gathers the text of stack[i]
	var root *node
	count := 0
	for {
		line, _ := d.InputPos()
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("invoice: xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			count++
			if len(stack) >= maxDepth || count > maxNodes {
				return nil, fmt.Errorf("invoice: xml line %d: too deep or too large", line)
			}
			n := &node{name: prefixed(t.Name), space: t.Name.Space, line: line}
			for _, a := range t.Attr {
				if a.Name.Space == "" {
					if n.attrs == nil {
						n.attrs = map[string]string{}
					}
					n.attrs[a.Name.Local] = a.Value
				}
			}
			if len(stack) == 0 {
				if root != nil {
					return nil, fmt.Errorf("invoice: xml line %d: a second root element", line)
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				if p.named == nil {
					p.named = map[string]int{}
				}
				p.named[n.name]++
				n.parent, n.nth = p, p.named[n.name]
				p.kids = append(p.kids, n)
			}
			stack = append(stack, n)
			if len(texts) < len(stack) {
				texts = append(texts, nil)
			}
			texts[len(stack)-1] = texts[len(stack)-1][:0]
		case xml.EndElement:
			top := len(stack) - 1
			n := stack[top]
			n.text, n.named = string(texts[top]), nil
			stack = stack[:top]
		case xml.CharData:
			if len(stack) > 0 {
				texts[len(stack)-1] = append(texts[len(stack)-1], t...)
			}
		}
	}
	if root == nil {
		return nil, errors.New("invoice: xml: no element")
	}
	return root, nil
}

var prefixes = map[string]string{nsCbc: "cbc:", nsCac: "cac:", nsInvoice: ""}

func prefixed(n xml.Name) string {
	if p, ok := prefixes[n.Space]; ok {
		return p + n.Local
	}
	if n.Space == "" {
		return n.Local
	}
	return "{" + n.Space + "}" + n.Local
}

// all returns the nodes at the path of names below n, "cac:Party/cbc:ID".
func (n *node) all(path string) []*node {
	if n == nil {
		return nil
	}
	cur := []*node{n}
	for _, name := range strings.Split(path, "/") {
		var next []*node
		for _, c := range cur {
			for _, k := range c.kids {
				if k.name == name {
					next = append(next, k)
				}
			}
		}
		cur = next
	}
	return cur
}

// one returns the first node at path, or nil.
func (n *node) one(path string) *node {
	if all := n.all(path); len(all) > 0 {
		return all[0]
	}
	return nil
}

// value returns the text at path trimmed of XML's white space (space,
// tab, CR, LF, as XPath's normalize-space: a no-break space is text),
// "" when there is none.
func (n *node) value(path string) string {
	if m := n.one(path); m != nil {
		return xmlTrim(m.text)
	}
	return ""
}

// xmlTrim trims s of XML's white space, space, tab, CR and LF, as
// xs:decimal's lexical space and XPath's normalize-space do: a no-break
// space is text (trimmed as space, a total written "\u00a09999.00" passed
// as 9999.00 and then went unjudged by the sums, found by attack).
func xmlTrim(s string) string { return strings.Trim(s, " \t\r\n") }

// number returns the decimal at path, whether there is one that is a
// plain decimal number (plainDecimal).
func (n *node) number(path string) (decimal.Decimal, bool) {
	v := n.value(path)
	if v == "" {
		return decimal.Zero, false
	}
	return plainDecimal(v)
}

// addend returns the decimal at path for a sum, and whether the sum can
// be judged with it: a missing value adds nothing (the rule that requires
// it says so), a value that is not a number makes the sum unknown (the
// rules on numbers say so, once: BR-DEC or UBL).
func (n *node) addend(path string) (decimal.Decimal, bool) {
	v := n.value(path)
	if v == "" {
		return decimal.Zero, true
	}
	return plainDecimal(v)
}

// plainDecimal returns the number s writes when s is a decimal as the XML
// schema's xs:decimal writes one, as UBL's amounts, quantities and
// percentages are: an optional sign, digits with at most one point, at
// least one digit ("4208.07", "+4208.07", "-12", ".50", "3."). An
// exponent ("4.20807E3"), a hexadecimal or a space inside is not one,
// though decimal.NewFromString reads some of them. The decimal keeps the
// decimals as written: "4208.070" has three.
func plainDecimal(s string) (decimal.Decimal, bool) {
	sign, body := "", s
	if body != "" && (body[0] == '+' || body[0] == '-') {
		if body[0] == '-' {
			sign = "-"
		}
		body = body[1:]
	}
	digits, point := 0, false
	for i := range len(body) {
		switch c := body[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !point:
			point = true
		default:
			return decimal.Zero, false
		}
	}
	if digits == 0 {
		return decimal.Zero, false
	}
	body = strings.TrimSuffix(body, ".")
	if strings.HasPrefix(body, ".") {
		body = "0" + body
	}
	d, err := decimal.NewFromString(sign + body)
	return d, err == nil
}

// walk calls f on n and every node below it, in document order.
func (n *node) walk(f func(*node)) {
	f(n)
	for _, k := range n.kids {
		k.walk(f)
	}
}
