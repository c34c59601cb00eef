package invoice

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/shopspring/decimal"
)

// node is an element of a parsed UBL document, named with the usual
// prefixes (cbc:ID, cac:Party) whatever prefixes the document used.
type node struct {
	name  string
	attrs map[string]string
	text  string
	kids  []*node
	path  string
	line  int
}

// maxDepth and maxNodes bound what parse reads: an invoice is data from
// outside and may be hostile.
const (
	maxDepth = 64
	maxNodes = 1 << 20
)

// parse reads an XML document into nodes.
func parse(r io.Reader) (*node, error) {
	d := xml.NewDecoder(r)
	var stack []*node
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
			n := &node{name: prefixed(t.Name), attrs: map[string]string{}, line: line}
			for _, a := range t.Attr {
				if a.Name.Space == "" {
					n.attrs[a.Name.Local] = a.Value
				}
			}
			if len(stack) == 0 {
				if root != nil {
					return nil, fmt.Errorf("invoice: xml line %d: a second root element", line)
				}
				root, n.path = n, "/"+n.name
			} else {
				p := stack[len(stack)-1]
				same := 1
				for _, k := range p.kids {
					if k.name == n.name {
						same++
					}
				}
				n.path = fmt.Sprintf("%s/%s[%d]", p.path, n.name, same)
				p.kids = append(p.kids, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(t)
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

// value returns the trimmed text at path, "" when there is none.
func (n *node) value(path string) string {
	if m := n.one(path); m != nil {
		return strings.TrimSpace(m.text)
	}
	return ""
}

// number returns the decimal at path, whether there is one that parses.
func (n *node) number(path string) (decimal.Decimal, bool) {
	v := n.value(path)
	if v == "" {
		return decimal.Zero, false
	}
	d, err := decimal.NewFromString(v)
	return d, err == nil
}

// walk calls f on n and every node below it, in document order.
func (n *node) walk(f func(*node)) {
	f(n)
	for _, k := range n.kids {
		k.walk(f)
	}
}
