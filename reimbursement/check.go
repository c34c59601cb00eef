package reimbursement

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	"github.com/shopspring/decimal"
)

// ErrLimit is wrapped by every refusal of a tariff that goes over one of
// its Limits.
var ErrLimit = errors.New("over the limit")

// The allow-list of the rule layer. An expression may hold only:
//
//   - names of its environment's documented fields;
//   - decimal literals (no exponent, at most Limits.MaxIntegerDigits
//     and MaxFractionDigits digits), strings (at most
//     Limits.MaxLiteralBytes), true and false, and arrays of them;
//   - the operators + − × ÷, comparisons, and, or, not, in, contains,
//     startsWith, endsWith, ?? and the conditional a ? b : c (a number
//     in a list is compared by value, dec_in; see checkIn);
//   - calls of table, min, max, round and has_task, and of the string
//     builtins lower, upper, trim, hasPrefix and hasSuffix;
//   - an index of a map field by a string: performed["sol"].
//
// Nothing else: no collection builtins (map, filter, reduce, all, any...),
// no ranges (1..n), no closures, variables, slices, pointers or regular
// expressions, no method calls on values. Every construct left does work
// linear in the expression's size, so evaluating an expression costs at
// most a constant times its length (Limits.MaxExprBytes).

// allowedFunctions are the functions a tariff may call by name.
var allowedFunctions = map[string]bool{"table": true, "min": true, "max": true, "round": true, "has_task": true, "has": true, "attr": true}

// allowedOperators are the binary operators a tariff may use.
var allowedOperators = map[string]bool{
	"+": true, "-": true, "*": true, "/": true,
	"==": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true,
	"and": true, "or": true, "&&": true, "||": true, "in": true,
	"contains": true, "startsWith": true, "endsWith": true, "??": true,
}

// precheck bounds an expression before expr's parser, which recurses on
// nesting, sees it: its length and the nesting of its brackets.
func (c *compiler) precheck(src string) error {
	if len(src) > c.lim.MaxExprBytes {
		return &ExprError{Line: 1, Column: 1, Msg: fmt.Sprintf("%v: the expression is %d bytes long; at most %d", ErrLimit, len(src), c.lim.MaxExprBytes), err: ErrLimit}
	}
	depth := 0
	var quote byte
	for i := 0; i < len(src); i++ {
		ch := src[i]
		if quote != 0 {
			switch ch {
			case '\\':
				i++
			case quote:
				quote = 0
			}
			continue
		}
		switch ch {
		case '"', '\'', '`':
			quote = ch
		case '(', '[', '{':
			if depth++; depth > c.lim.MaxExprDepth {
				line, col := position(src, utf8.RuneCountInString(src[:i]))
				return &ExprError{Line: line, Column: col, Msg: fmt.Sprintf("%v: brackets nested deeper than %d", ErrLimit, c.lim.MaxExprDepth), err: ErrLimit}
			}
		case ')', ']', '}':
			depth--
		}
	}
	return nil
}

// allow checks a parsed expression against the allow-list, its literals
// against the limits, the strings known at load (constStrings) against
// the known values of the fields they are compared with, and its table
// calls against the version's tables. It returns the first problem. It
// sees the tree as parsed, before the patchers and expr's optimizer.
func (c *compiler) allow(src string, root ast.Node, fields map[string]bool) error {
	// A construct outside the allow-list is reported before an unknown
	// name inside it (let x = 1; x).
	var err, nameErr error
	fail := func(n ast.Node, format string, args ...any) {
		if err == nil {
			e := nodeError(src, n, fmt.Sprintf(format, args...))
			for _, a := range args {
				if ae, ok := a.(error); ok && errors.Is(ae, ErrLimit) {
					e.err = ErrLimit
				}
			}
			err = e
		}
	}
	callees := map[ast.Node]bool{}
	ast.Walk(&root, visitorFunc(func(node *ast.Node) {
		if call, ok := (*node).(*ast.CallNode); ok {
			callees[call.Callee] = true
		}
	}))
	ast.Walk(&root, visitorFunc(func(node *ast.Node) {
		if err != nil {
			return
		}
		switch n := (*node).(type) {
		case *ast.IdentifierNode:
			if !callees[n] && !fields[n.Value] && nameErr == nil {
				msg := "unknown name " + n.Value
				known := make([]string, 0, len(fields))
				for f := range fields {
					known = append(known, f)
				}
				slices.Sort(known) // nearest keeps the first of equally near names
				if near := nearest(n.Value, known); near != "" {
					msg += fmt.Sprintf("; did you mean %s?", near)
				}
				nameErr = nodeError(src, n, msg)
			}
		case *ast.IntegerNode, *ast.FloatNode:
			if _, e := c.literal(src, n); e != nil {
				fail(n, "%v", e)
			}
		case *ast.StringNode:
			if len(n.Value) > c.lim.MaxLiteralBytes {
				fail(n, "%v: a string of %d bytes; at most %d", ErrLimit, len(n.Value), c.lim.MaxLiteralBytes)
			}
		case *ast.NilNode:
			if nameErr == nil {
				nameErr = nodeError(src, n, "nil is not a value of any field")
			}
		case *ast.BoolNode, *ast.ArrayNode, *ast.ConditionalNode:
		case *ast.UnaryNode:
			if n.Operator != "!" && n.Operator != "not" && n.Operator != "-" && n.Operator != "+" {
				fail(n, "operator %s is not allowed", n.Operator)
			}
		case *ast.BinaryNode:
			c.allowBinary(src, n, fail)
		case *ast.CallNode:
			c.allowCall(src, n, fail)
		case *ast.BuiltinNode:
			if !allowedBuiltin(n.Name) {
				fail(n, "%s is not allowed: a tariff may call table, min, max, round, has, has_task, attr, %s", n.Name, strings.Join(allowedBuiltins, ", "))
			}
		case *ast.MemberNode:
			id, ok := n.Node.(*ast.IdentifierNode)
			_, str := n.Property.(*ast.StringNode)
			if !ok || !str || n.Method {
				fail(n, "only a map field may be indexed, by a string: performed[\"sol\"]")
				return
			}
			c.checkKnown(id.Value, n.Property, fail)
			if id.Value == "performed" {
				c.performedRead = append(c.performedRead, n.Property.(*ast.StringNode).Value)
			}
		default:
			fail(n, "%s is not allowed in a tariff expression", nodeKind(n))
		}
	}))
	if err == nil {
		err = nameErr
	}
	return err
}

// allowCall checks a call: only the allowed functions, a table call
// against the version's tables, round's places a whole number 0–20.
func (c *compiler) allowCall(src string, n *ast.CallNode, fail func(n ast.Node, format string, args ...any)) {
	id, ok := n.Callee.(*ast.IdentifierNode)
	if !ok || !allowedFunctions[id.Value] {
		fail(n, "only table, min, max, round, has, has_task, attr and the string builtins may be called")
		return
	}
	switch id.Value {
	case "table":
		c.allowTable(n, fail)
	case "has", "has_task", "attr":
		// The list is joined by listSeparator (and an attribute is
		// key=value, attrSeparator): a literal holding a separator could
		// never be found, nor could a value known at load (constStrings)
		// holding one, lower('A|B').
		if len(n.Arguments) == 2 {
			sep := listSeparator
			if id.Value == "attr" {
				sep += attrSeparator
			}
			vals, _ := constStrings(n.Arguments[1])
			for _, v := range vals {
				if strings.ContainsAny(v.value, sep) {
					c := v.value[strings.IndexAny(v.value, sep)]
					fail(v.at, "%s: %.40q holds %q, which joins the values it looks in, and can never be found", id.Value, v.value, string(c))
					return
				}
			}
		}
		// has(bands, 'natt'): a band of the schedule.
		if id.Value != "attr" && len(n.Arguments) == 2 {
			if list, ok := n.Arguments[0].(*ast.IdentifierNode); ok && list.Value == "bands" {
				c.checkKnown("band", n.Arguments[1], fail)
			}
		}
	case "round":
		if len(n.Arguments) == 2 {
			if d, e := c.literal(src, n.Arguments[1]); e == nil && (!d.IsInteger() || d.IntPart() > 20) {
				fail(n.Arguments[1], "round: places %s is not a whole number 0–20", d)
			}
		}
	}
}

func allowedBuiltin(name string) bool {
	for _, b := range allowedBuiltins {
		if b == name {
			return true
		}
	}
	return false
}

func nodeKind(n ast.Node) string {
	switch n.(type) {
	case *ast.PredicateNode, *ast.PointerNode:
		return "a closure"
	case *ast.VariableDeclaratorNode:
		return "a variable"
	case *ast.SliceNode:
		return "a slice"
	case *ast.MapNode, *ast.PairNode:
		return "a map literal"
	case *ast.NilNode:
		return "nil"
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", n), "*ast.")
}

func (c *compiler) allowBinary(src string, n *ast.BinaryNode, fail func(ast.Node, string, ...any)) {
	if !allowedOperators[n.Operator] {
		fail(n, "operator %s is not allowed", n.Operator)
		return
	}
	switch n.Operator {
	case "/":
		if d, err := c.literal(src, n.Right); err == nil && d.IsZero() {
			fail(n.Right, "division by zero")
		}
	case "==", "!=":
		c.checkCompared(n.Left, []ast.Node{n.Right}, fail)
		c.checkCompared(n.Right, []ast.Node{n.Left}, fail)
	case "in":
		if arr, ok := n.Right.(*ast.ArrayNode); ok {
			c.checkCompared(n.Left, arr.Nodes, fail)
		}
	}
}

// checkCompared checks the values known at load of others, each compared
// with side (the elements of a list in), when side is a field (checkKnown) or lower, upper or trim of one
// (fieldThrough): lower(band) == 'Natt' never holds, as band == 'Natt'
// does not, and is refused as "lower(band) is never "Natt"; did you mean
// "natt"?". The field's values are changed once for all of others.
func (c *compiler) checkCompared(side ast.Node, others []ast.Node, fail func(ast.Node, string, ...any)) {
	field, label, f, ok := fieldThrough(side)
	if !ok {
		return
	}
	if f == nil {
		for _, o := range others {
			c.checkKnown(field, o, fail)
		}
		return
	}
	known, ok := c.domains[field]
	if !ok || field == "performed" {
		return
	}
	var mapped []string
	in := map[string]bool{}
	for _, k := range known {
		v, ok := f(k)
		if !ok {
			return
		}
		if !in[v] {
			in[v] = true
			mapped = append(mapped, v)
		}
	}
	var vals []constString
	for _, o := range others {
		vs, _ := constStrings(o)
		vals = append(vals, vs...)
	}
	for _, v := range vals {
		if v.value == "" || in[v.value] {
			continue
		}
		for _, k := range sortedKeys(c.unproduced[field]) {
			if got, ok := f(k); ok && got == v.value {
				fail(v.at, "%s is never %q: %s %q: %s", label, v.value, field, k, c.unproduced[field][k])
				return
			}
		}
		if near := nearest(v.value, mapped); near != "" {
			fail(v.at, "%s is never %q; did you mean %q?", label, v.value, near)
			return
		}
		fail(v.at, "%s is never %q (it is one of %s)", label, v.value, knownList(mapped))
		return
	}
}

// fieldThrough returns the field n reads when n is a field, or lower,
// upper or trim of one (trim's cut set a single value known at load),
// with n as written for errors (lower(band)) and the function of the
// field's value n is (nil for the field itself); false for anything
// else.
func fieldThrough(n ast.Node) (field, label string, f func(string) (string, bool), ok bool) {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		return n.Value, n.Value, nil, true
	case *ast.BuiltinNode:
		if !pureStringBuiltins[n.Name] || len(n.Arguments) == 0 || len(n.Arguments) > 2 || n.Name != "trim" && len(n.Arguments) != 1 {
			return "", "", nil, false
		}
		field, inner, g, ok := fieldThrough(n.Arguments[0])
		if !ok {
			return "", "", nil, false
		}
		args, label := []any{""}, n.Name+"("+inner+")"
		if len(n.Arguments) == 2 {
			cut, all := constStrings(n.Arguments[1])
			if !all || len(cut) != 1 {
				return "", "", nil, false
			}
			args, label = append(args, cut[0].value), fmt.Sprintf("%s(%s, %.40q)", n.Name, inner, cut[0].value)
		}
		name := n.Name
		return field, label, func(v string) (string, bool) {
			if g != nil {
				var ok bool
				if v, ok = g(v); !ok {
					return "", false
				}
			}
			a := slices.Clone(args)
			a[0] = v
			return callBuiltin(name, a)
		}, true
	}
	return "", "", nil, false
}

// allowTable checks a table call: a table of the version named by a
// string literal, with one key per level, and keys known at load known.
func (c *compiler) allowTable(n *ast.CallNode, fail func(ast.Node, string, ...any)) {
	if len(n.Arguments) == 0 {
		fail(n, "table takes a table name and its keys")
		return
	}
	name, ok := n.Arguments[0].(*ast.StringNode)
	if !ok {
		fail(n.Arguments[0], "table name must be a string literal")
		return
	}
	c.named[name.Value] = true
	t, ok := c.tables[name.Value]
	if !ok {
		if !c.broken[name.Value] {
			// A table of the tariff that did not load has its own
			// error already, the true one.
			fail(n.Arguments[0], "unknown table %q", name.Value)
		}
		return
	}
	keys := n.Arguments[1:]
	if len(keys) != len(t.Keys) {
		fail(n, "table %q takes %d keys (%s), got %d", name.Value, len(t.Keys), strings.Join(t.Keys, ", "), len(keys))
		return
	}
	for i, k := range keys {
		c.checkKnown(t.Keys[i], k, fail)
	}
}

// checkKnown checks the values known at load of n (constStrings: a
// string literal, or an expression of literals and the pure string
// builtins, each branch of a conditional), compared with or looked up as
// the field field, against the values the field can take; an error
// points at the node that gives the value.
func (c *compiler) checkKnown(field string, n ast.Node, fail func(ast.Node, string, ...any)) {
	known, ok := c.domains[field]
	if !ok {
		return
	}
	vals, _ := constStrings(n)
	for _, v := range vals {
		if v.value == "" { // "" is the value of an attribute not given (a visit without role)
			continue
		}
		if !slices.Contains(known, v.value) {
			c.unknown(field, known, v.value, v.at, fail)
			return
		}
	}
}

// unknown reports s, a value of field given at n, which known, the
// values field can take, does not hold.
func (c *compiler) unknown(field string, known []string, s string, n ast.Node, fail func(ast.Node, string, ...any)) {
	if field == "performed" && slices.Contains(c.notYet, s) {
		// Components are settled in order: the minutes of this one or
		// a later one are not known when this cap is read, and would
		// read as 0.
		if s == c.notYet[0] {
			fail(n, "performed[%q]: a cap cannot read its own component's minutes, only those of a component listed before it", s)
		} else {
			fail(n, "performed[%q]: component %q is listed after %q, and a cap reads only what components listed before it paid; list %q first",
				s, s, c.notYet[0], s)
		}
		return
	}
	if why := c.unproduced[field][s]; why != "" {
		fail(n, "%s %q: %s", field, s, why)
		return
	}
	if near := nearest(s, known); near != "" {
		fail(n, "%s %q: unknown %s; did you mean %q?", field, s, field, near)
		return
	}
	fail(n, "%s %q: unknown %s (known: %s)", field, s, field, knownList(known))
}

// constString is a value known at load that a string expression takes,
// with the node an error about it points at.
type constString struct {
	value string
	at    ast.Node
}

// pureStringBuiltins are the builtins whose result is a function of
// their string arguments alone: of arguments known at load, it is known
// at load.
var pureStringBuiltins = map[string]bool{"lower": true, "upper": true, "trim": true}

// constStrings returns the values known at load that n, a string
// compared with a field, a table key or a value asked of a list, can
// take, and whether they are all its values: a string literal's; lower,
// upper and trim of such values, computed by the builtins settlement
// calls (each at the call: lower('NATT') is "natt", reported at lower);
// those of both branches of a conditional (c ? 'dag' : 'natt') and
// both sides of ??, each at its own node. A value built of anything else
// (a field, attr(...)) is not known at load, and an expression of such
// values is left to settlement. There are at most as many values as
// literals in n: trim's cut set must be a single value known at load.
func constStrings(n ast.Node) ([]constString, bool) {
	switch n := n.(type) {
	case *ast.StringNode:
		return []constString{{n.Value, n}}, true
	case *ast.ConditionalNode:
		a, allA := constStrings(n.Exp1)
		b, allB := constStrings(n.Exp2)
		return append(a, b...), allA && allB
	case *ast.BinaryNode:
		if n.Operator != "??" {
			return nil, false
		}
		a, allA := constStrings(n.Left)
		b, allB := constStrings(n.Right)
		return append(a, b...), allA && allB
	case *ast.BuiltinNode:
		if !pureStringBuiltins[n.Name] || len(n.Arguments) == 0 || len(n.Arguments) > 2 || n.Name != "trim" && len(n.Arguments) != 1 {
			return nil, false
		}
		vals, all := constStrings(n.Arguments[0])
		args := []any{""}
		if len(n.Arguments) == 2 {
			cut, allCut := constStrings(n.Arguments[1])
			if !allCut || len(cut) != 1 {
				return nil, false
			}
			args = append(args, cut[0].value)
		}
		out := make([]constString, 0, len(vals))
		for _, v := range vals {
			args[0] = v.value
			s, ok := callBuiltin(n.Name, args)
			if !ok {
				return nil, false
			}
			out = append(out, constString{s, n})
		}
		return out, all
	}
	return nil, false
}

// callBuiltin calls expr's builtin name, the function settlement calls,
// on string arguments; false when it gives no string.
func callBuiltin(name string, args []any) (s string, ok bool) {
	defer func() {
		if recover() != nil {
			s, ok = "", false
		}
	}()
	i, found := builtin.Index[name]
	if !found {
		return "", false
	}
	f := builtin.Builtins[i]
	var v any
	switch {
	case f.Fast != nil && len(args) == 1:
		v = f.Fast(args[0])
	case f.Func != nil:
		var err error
		if v, err = f.Func(args...); err != nil {
			return "", false
		}
	}
	s, ok = v.(string)
	return s, ok
}

// knownList lists known values for an error, at most a dozen.
func knownList(known []string) string {
	if len(known) > 12 {
		return strings.Join(known[:12], ", ") + fmt.Sprintf(" and %d more", len(known)-12)
	}
	return strings.Join(known, ", ")
}

// nearest returns the known value closest to s, if one is close enough
// to be a slip of the pen.
func nearest(s string, known []string) string {
	ls := strings.ToLower(s)
	best, bestD := "", 1<<30
	for _, k := range known {
		lk := strings.ToLower(k)
		if lk == ls {
			return k
		}
		if len(s) > 64 || len(k) > 64 || abs(len(s)-len(k)) > 3 {
			continue
		}
		if d := editDistance([]rune(ls), []rune(lk)); d < bestD {
			best, bestD = k, d
		}
	}
	if bestD <= max(2, utf8.RuneCountInString(s)/3) {
		return best
	}
	return ""
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// literal returns the decimal a number literal was written as, checked
// against the limits; an error for anything but a number literal.
func (c *compiler) literal(src string, n ast.Node) (decimal.Decimal, error) {
	switch n.(type) {
	case *ast.IntegerNode, *ast.FloatNode:
	default:
		return decimal.Decimal{}, errors.New("not a number literal")
	}
	loc := n.Location()
	runes := []rune(src)
	if loc.From < 0 || loc.To > len(runes) || loc.From >= loc.To {
		return decimal.Decimal{}, errors.New("a number literal without its text")
	}
	return parseDecimal(strings.ReplaceAll(string(runes[loc.From:loc.To]), "_", ""), c.lim)
}

// parseDecimal reads a decimal written in the tariff, within the limits
// on its digits: plain digits with an optional sign and point, no
// exponent, no hexadecimal.
// commaHint returns ": decimals are written with a point, 452.50" when s
// is a decimal written with a comma ("452,50"), else "".
func commaHint(s string, lim Limits) string {
	if strings.Count(s, ",") != 1 || strings.Contains(s, ".") {
		return ""
	}
	p := strings.Replace(strings.TrimSpace(s), ",", ".", 1)
	if _, err := parseDecimal(p, lim); err != nil {
		return ""
	}
	return ": decimals are written with a point, " + p
}

func parseDecimal(s string, lim Limits) (decimal.Decimal, error) {
	body := strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	intPart, frac, _ := strings.Cut(body, ".")
	if body == "" || intPart == "" && frac == "" || strings.Trim(intPart+frac, "0123456789") != "" {
		if hint := commaHint(s, lim); hint != "" {
			return decimal.Decimal{}, fmt.Errorf("%.40q is not a decimal%s", s, hint)
		}
		return decimal.Decimal{}, fmt.Errorf("%.40q is not a decimal (write it like 414.80)", s)
	}
	if digits := len(strings.TrimLeft(intPart, "0")); digits > lim.MaxIntegerDigits {
		return decimal.Decimal{}, fmt.Errorf("%w: %.40s… has %d digits before the point; at most %d", ErrLimit, s, digits, lim.MaxIntegerDigits)
	}
	if len(frac) > lim.MaxFractionDigits {
		return decimal.Decimal{}, fmt.Errorf("%w: %.40s… has %d decimal places; at most %d", ErrLimit, s, len(frac), lim.MaxFractionDigits)
	}
	return decimal.NewFromString(s)
}
