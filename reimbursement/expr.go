package reimbursement

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/reimbursement/internal/exact"
)

// The rule layer: tariff expressions in the expr language
// (github.com/expr-lang/expr), compiled once per tariff version against a
// typed environment and evaluated with decimal arithmetic.
//
//   - Every number literal is a decimal: 1.015 is exactly 1.015.
//   - + − × ÷, comparisons and in work on decimals, and on a decimal with
//     an integer field (staff, minutes, planned_minutes); ÷ keeps
//     DivisionPlaces decimal places.
//   - No value of type float64 may appear anywhere in an expression.
//   - Functions: table(name, key...) looks up a rate; min(a, b), max(a, b)
//     and round(x, places) on decimals; has_task(tasks, code); and the
//     string builtins lower, upper, trim, hasPrefix, hasSuffix. Nothing
//     else: an expression sees only its environment.
//   - An expression has at most MaxExprNodes nodes.

// MaxExprNodes is the largest expression, in syntax-tree nodes, a tariff
// may hold.
const MaxExprNodes = 200

// DivisionPlaces is the number of decimal places a division or a
// product in an expression keeps (rounded half away from zero; a product
// of fewer places is exact). Settlement lines are rounded once more by
// the tariff's own rule. With maxResultDigits it bounds every number an
// expression gives, so that a settlement's JSON reads back (found by
// attack: an indexation chain of sixteen factors gave a rate of 64
// places, which Amount refused to read).
const DivisionPlaces = 20

// maxResultDigits bounds the digits before the point of a result of
// arithmetic in an expression: 10^18 kronor, minutes or shares is no
// rate or quantity of home care, and its text stays short.
const maxResultDigits = 18

// bounded returns d, rounded to DivisionPlaces places when it has more,
// or an error when it has more than maxResultDigits digits before the
// point. It allocates only to round (the benchmark's rates: no
// allocation).
func bounded(d decimal.Decimal) (decimal.Decimal, error) {
	if d.IsZero() {
		return d, nil
	}
	if d.Exponent() < -DivisionPlaces {
		d = d.Round(DivisionPlaces)
	}
	if n := d.NumDigits() + int(d.Exponent()); n > maxResultDigits {
		return decimal.Decimal{}, fmt.Errorf("a result of %d digits before the point; at most %d", n, maxResultDigits)
	}
	return d, nil
}

var (
	decimalType = reflect.TypeOf(decimal.Decimal{})
	boolType    = reflect.TypeOf(true)
	float64Type = reflect.TypeOf(0.0)
)

// allowedBuiltins are the expr builtins a tariff may call.
var allowedBuiltins = []string{"lower", "upper", "trim", "hasPrefix", "hasSuffix"}

// recorderName is the name under which an environment carries the
// recorder of an evaluation's table lookups (baseEnv.Lookups). It holds a
// space: no expression can spell it, and the compiler inserts it as the
// first argument of every table call after the expression has been
// checked against the allow-list.
const recorderName = "table lookups"

// recorder collects the table lookups of one evaluation.
type recorder struct{ lookups []Lookup }

func toDecimal(v any) decimal.Decimal {
	switch x := v.(type) {
	case decimal.Decimal:
		return x
	case int:
		return exact.IntDecimal(int64(x))
	}
	panic(fmt.Sprintf("reimbursement: %T in decimal arithmetic", v)) // excluded by type checking
}

type (
	dd = func(decimal.Decimal, decimal.Decimal) decimal.Decimal
	di = func(decimal.Decimal, int) decimal.Decimal
	id = func(int, decimal.Decimal) decimal.Decimal
	bd = func(decimal.Decimal, decimal.Decimal) bool
	bi = func(decimal.Decimal, int) bool
	ib = func(int, decimal.Decimal) bool
)

// arithmetic returns the option that defines the decimal function of an
// operator; arithPatcher turns every use of the operator into a call of
// it, before type checking, so that arithmetic is typed wherever it
// stands (inside round, min, max and table arguments too).
//
// Each decimal function (arithmetic, comparisons, dec_in) has a last
// signature of any operands, so that expr's checker never refuses one
// for an operand's type: it would name the type the last signature it
// tried wanted, at the first operand ("not decimal" of a decimal). After
// compilation, compile refuses the first operand that is not a number,
// at its own position (numeric, notNumber), before anything is evaluated.
func arithmetic(name string, f func(a, b decimal.Decimal) (decimal.Decimal, error)) expr.Option {
	return expr.Function(name, func(p ...any) (any, error) { return f(toDecimal(p[0]), toDecimal(p[1])) },
		new(dd), new(di), new(id), new(func(int, int) decimal.Decimal), new(func(any, any) decimal.Decimal))
}

// arithFunctions names the decimal function of each arithmetic operator.
var arithFunctions = map[string]string{"+": "dec_add", "-": "dec_sub", "*": "dec_mul", "/": "dec_div"}

// comparisonFunctions names the decimal function of each comparison.
var comparisonFunctions = map[string]string{"<": "dec_lt", "<=": "dec_le", ">": "dec_gt", ">=": "dec_ge", "==": "dec_eq", "!=": "dec_ne"}

// arithPatcher turns a + b, a - b, a * b and a / b into calls of the
// decimal functions, and a comparison one of whose sides is a decimal
// (a literal, arithmetic, a call of table, min, max or round, a decimal
// field) into a call of the decimal comparison. It works on the syntax,
// before types are known, so that expr's checker types the calls
// wherever they stand. decimals names the environment's decimal fields.
type arithPatcher struct{ decimals, ints map[string]bool }

func (p arithPatcher) Visit(node *ast.Node) {
	b, ok := (*node).(*ast.BinaryNode)
	if !ok {
		return
	}
	if b.Operator == "in" {
		// x in [a, b]: expr compares the elements by representation
		// (448.00 is not 448), so a list holding a decimal, or tested for
		// one, becomes a call of dec_in, which compares by value. Any other
		// in of a decimal is refused after compilation (checkIn).
		// So does one of an integer field (staff in [minutes]), which
		// expr's in would compare with decimals by representation too.
		arr, ok := b.Right.(*ast.ArrayNode)
		if !ok || !p.number(b.Left) && !slices.ContainsFunc(arr.Nodes, p.number) {
			return
		}
		ast.Patch(node, &ast.CallNode{Callee: &ast.IdentifierNode{Value: "dec_in"}, Arguments: append([]ast.Node{b.Left}, arr.Nodes...)})
		return
	}
	name, ok := arithFunctions[b.Operator]
	if !ok {
		if name, ok = comparisonFunctions[b.Operator]; !ok || !p.decimal(b.Left) && !p.decimal(b.Right) {
			return
		}
	}
	ast.Patch(node, &ast.CallNode{Callee: &ast.IdentifierNode{Value: name}, Arguments: []ast.Node{b.Left, b.Right}})
}

// number reports whether n is a decimal (decimal) or an integer field.
func (p arithPatcher) number(n ast.Node) bool {
	if p.decimal(n) {
		return true
	}
	id, ok := n.(*ast.IdentifierNode)
	return ok && p.ints[id.Value]
}

// decimal reports whether n is a decimal by its syntax, or by the type
// the checker has given it so far (a ?? b of decimals).
func (p arithPatcher) decimal(n ast.Node) bool {
	if n.Type() == decimalType {
		return true
	}
	switch n := n.(type) {
	case *ast.ConstantNode:
		_, ok := n.Value.(decimal.Decimal)
		return ok
	case *ast.IntegerNode, *ast.FloatNode:
		return true
	case *ast.CallNode:
		id, ok := n.Callee.(*ast.IdentifierNode)
		return ok && (decimalFunctions[id.Value] || arithFunctionNames[id.Value])
	case *ast.ConditionalNode:
		return p.decimal(n.Exp1) || p.decimal(n.Exp2)
	case *ast.IdentifierNode:
		return p.decimals[n.Value]
	case *ast.MemberNode:
		id, ok := n.Node.(*ast.IdentifierNode)
		return ok && p.decimals[id.Value]
	}
	return false
}

var (
	decimalFunctions = map[string]bool{"table": true, "min": true, "max": true, "round": true, "neg": true}
	// comparisonFunctionNames holds dec_in, the comparison functions and
	// their operator forms (see comparison).
	comparisonFunctionNames = map[string]bool{"dec_in": true}
)

// decimalFields returns the names of an environment's decimal fields and
// maps of decimals.
func decimalFields(env any) map[string]bool {
	return fieldsWhere(env, func(t reflect.Type) bool {
		return t == decimalType || t.Kind() == reflect.Map && t.Elem() == decimalType
	})
}

// kindFields returns the names of an environment's fields of kind k:
// its integer fields (staff, minutes, planned_minutes), its strings.
func kindFields(env any, k reflect.Kind) map[string]bool {
	return fieldsWhere(env, func(t reflect.Type) bool { return t.Kind() == k })
}

// fieldsWhere returns the expression names of an environment's fields,
// its embedded structs' too, whose type ok accepts.
func fieldsWhere(env any, ok func(reflect.Type) bool) map[string]bool {
	out := map[string]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			switch f := t.Field(i); {
			case f.Anonymous:
				walk(f.Type)
			case ok(f.Type) && f.Tag.Get("expr") != "":
				out[f.Tag.Get("expr")] = true
			}
		}
	}
	if t := reflect.TypeOf(env); t != nil && t.Kind() == reflect.Struct {
		walk(t)
	}
	return out
}

// comparison returns the options that define the decimal function of a
// comparison: name, which arithPatcher calls and which takes any operands
// last (see arithmetic), and its operator form (operatorForm), which
// overloads op for decimal operands the patcher did not see as decimals.
// The operator form takes numbers only: an overload of any operands would
// take every comparison, category == 'care' too.
func comparison(op, name string, f func(c int) bool) []expr.Option {
	fn := func(p ...any) (any, error) { return f(toDecimal(p[0]).Cmp(toDecimal(p[1]))), nil }
	return []expr.Option{
		expr.Function(name, fn, new(bd), new(bi), new(ib), new(func(any, any) bool)),
		expr.Function(operatorForm(name), fn, new(bd), new(bi), new(ib)),
		expr.Operator(op, operatorForm(name)),
	}
}

// operatorForm names the operator form of a comparison function.
func operatorForm(name string) string { return name + "_op" }

// baseOptions are the compile options shared by every expression; the
// table function is added per version.
func baseOptions() []expr.Option {
	opts := []expr.Option{
		expr.DisableAllBuiltins(),
		expr.Function("min", func(p ...any) (any, error) {
			return decimal.Min(toDecimal(p[0]), toDecimal(p[1])), nil
		}, new(dd)),
		expr.Function("max", func(p ...any) (any, error) {
			return decimal.Max(toDecimal(p[0]), toDecimal(p[1])), nil
		}, new(dd)),
		expr.Function("round", func(p ...any) (any, error) {
			places := toDecimal(p[1])
			if !places.IsInteger() || places.IsNegative() || places.GreaterThan(decimal.NewFromInt(20)) {
				return nil, fmt.Errorf("round: places %s is not a whole number 0–20", places)
			}
			return toDecimal(p[0]).Round(int32(places.IntPart())), nil
		}, new(dd)),
		expr.Function("neg", func(p ...any) (any, error) { return toDecimal(p[0]).Neg(), nil },
			new(func(decimal.Decimal) decimal.Decimal)),
		expr.Function("has_task", func(p ...any) (any, error) {
			return hasIn(p[0].(string), p[1].(string)), nil
		}, new(func(string, string) bool)),
		expr.Function("has", func(p ...any) (any, error) {
			return hasIn(p[0].(string), p[1].(string)), nil
		}, new(func(string, string) bool)),
		expr.Function("attr", func(p ...any) (any, error) {
			return attrOf(p[0].(string), p[1].(string)), nil
		}, new(func(string, string) string)),
	}
	for _, b := range allowedBuiltins {
		opts = append(opts, expr.EnableBuiltin(b))
	}
	opts = append(opts,
		arithmetic("dec_add", func(a, b decimal.Decimal) (decimal.Decimal, error) { return bounded(a.Add(b)) }),
		arithmetic("dec_sub", func(a, b decimal.Decimal) (decimal.Decimal, error) { return bounded(a.Sub(b)) }),
		arithmetic("dec_mul", func(a, b decimal.Decimal) (decimal.Decimal, error) { return bounded(a.Mul(b)) }),
		arithmetic("dec_div", func(a, b decimal.Decimal) (decimal.Decimal, error) {
			if b.IsZero() {
				return decimal.Decimal{}, errors.New("division by zero")
			}
			return bounded(a.DivRound(b, DivisionPlaces))
		}))
	opts = append(opts, expr.Function("dec_in", func(p ...any) (any, error) {
		x := toDecimal(p[0])
		for _, e := range p[1:] {
			if x.Cmp(toDecimal(e)) == 0 {
				return true, nil
			}
		}
		return false, nil
	}, new(func(decimal.Decimal, ...decimal.Decimal) bool), new(func(int, ...decimal.Decimal) bool), new(func(any, ...any) bool)))
	opts = append(opts, comparison("<", "dec_lt", func(c int) bool { return c < 0 })...)
	opts = append(opts, comparison("<=", "dec_le", func(c int) bool { return c <= 0 })...)
	opts = append(opts, comparison(">", "dec_gt", func(c int) bool { return c > 0 })...)
	opts = append(opts, comparison(">=", "dec_ge", func(c int) bool { return c >= 0 })...)
	opts = append(opts, comparison("==", "dec_eq", func(c int) bool { return c == 0 })...)
	opts = append(opts, comparison("!=", "dec_ne", func(c int) bool { return c != 0 })...)
	return opts
}

// literalPatcher turns number literals into decimals, read from the
// literal's own text so that 0.80 stays 0.80, unary minus on a decimal
// into a call of neg, and unary plus on a number literal into the literal
// (+1 is 1: expr's + takes no decimal).
type literalPatcher struct{ src []rune }

// literal returns the decimal a number literal node was written as.
func (p *literalPatcher) literal(n ast.Node, fallback string) decimal.Decimal {
	loc := n.Location()
	if loc.From >= 0 && loc.To <= len(p.src) && loc.From < loc.To {
		text := strings.ReplaceAll(string(p.src[loc.From:loc.To]), "_", "")
		if d, err := decimal.NewFromString(text); err == nil {
			return d
		}
	}
	return decimal.RequireFromString(fallback)
}

func (p *literalPatcher) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.IntegerNode:
		ast.Patch(node, &ast.ConstantNode{Value: p.literal(n, strconv.Itoa(n.Value))})
		(*node).SetType(decimalType)
	case *ast.FloatNode:
		ast.Patch(node, &ast.ConstantNode{Value: p.literal(n, strconv.FormatFloat(n.Value, 'f', -1, 64))})
		(*node).SetType(decimalType)
	case *ast.UnaryNode:
		if n.Operator == "+" {
			if c, ok := n.Node.(*ast.ConstantNode); ok {
				if d, ok := c.Value.(decimal.Decimal); ok {
					ast.Patch(node, &ast.ConstantNode{Value: d})
					(*node).SetType(decimalType)
				}
			}
			return
		}
		if n.Operator != "-" {
			return
		}
		if c, ok := n.Node.(*ast.ConstantNode); ok {
			if d, ok := c.Value.(decimal.Decimal); ok {
				ast.Patch(node, &ast.ConstantNode{Value: d.Neg()})
				(*node).SetType(decimalType)
				return
			}
		}
		// The operand's type is the one of expr's first pass, before the
		// operators and literals inside it became decimal: -(staff * 100)
		// is an int there, a decimal after. Negate anything but a bare
		// integer field (-staff, expr's own) as a decimal; compile checks
		// that neg's operand is a number (checkArguments).
		if id, ok := n.Node.(*ast.IdentifierNode); !ok || id.Type().Kind() != reflect.Int {
			ast.Patch(node, &ast.CallNode{Callee: &ast.IdentifierNode{Value: "neg"}, Arguments: []ast.Node{n.Node}})
			(*node).SetType(decimalType)
		}
	}
}

// operandAfter returns the offset of what follows the unary operator at
// offset op of src, after any blanks.
func operandAfter(src []rune, op int) int {
	i := op + 1
	for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
		i++
	}
	return i
}

// ExprError is an expression that does not compile: where in the
// expression (1-based line and column) and what.
type ExprError struct {
	Line, Column int
	Msg          string
	err          error // ErrLimit, for an expression over a limit
}

// Error implements the error interface.
func (e *ExprError) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Msg) }

// Unwrap returns ErrLimit for an expression over one of the Limits.
func (e *ExprError) Unwrap() error { return e.err }

// position converts a rune offset in src into a 1-based line and column.
func position(src string, runeOffset int) (line, col int) {
	line, col = 1, 1
	i := 0
	for _, r := range src {
		if i == runeOffset {
			break
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i++
	}
	return line, col
}

// compiler compiles the expressions of one tariff version.
type compiler struct {
	opts   []expr.Option
	conf   *conf.Config // the options applied, for the parser
	tables map[string]*rateTable
	lim    Limits
	// domains holds the values a field can take (zone, band, category...)
	// for checking the string literals compared with it; performed holds
	// the components before the one being compiled, and notYet it and
	// those after it, whose minutes its cap cannot read.
	domains map[string][]string
	notYet  []string
	// unproduced gives, by field, the values left out of its domain that
	// the tariff's schedule gives no unit, with the reason (a kind of day
	// the schedule does not tell apart).
	unproduced map[string]map[string]string
	// performedRead collects the components whose minutes the
	// expressions compiled read, performed['name'].
	performedRead []string
	// used collects the environment names the compiled expressions read;
	// last holds those of the last expression compiled.
	used, last map[string]bool
	// broken holds the tables of the tariff that did not load (each
	// with its error): an expression that names one is not also told
	// the table is unknown. named collects the tables some expression
	// names, compiled or not.
	broken, named map[string]bool
}

func newCompiler(tables map[string]*rateTable, lim Limits, domains map[string][]string) *compiler {
	c := &compiler{tables: tables, lim: lim, domains: domains, used: map[string]bool{}, broken: map[string]bool{}, named: map[string]bool{}}
	c.opts = append(baseOptions(), expr.MaxNodes(uint(lim.MaxExprNodes)), expr.Function("table", c.lookup,
		new(func(*recorder, string, ...string) decimal.Decimal)))
	c.conf = conf.CreateNew()
	for _, o := range c.opts {
		o(c.conf)
	}
	return c
}

// lookup implements table(name, keys...); the compiler passes the
// evaluation's recorder (nil when nothing is explained) first.
func (c *compiler) lookup(p ...any) (any, error) {
	rec, _ := p[0].(*recorder)
	name := p[1].(string)
	keys := make([]string, len(p)-2)
	for i, k := range p[2:] {
		keys[i] = k.(string)
	}
	t := c.tables[name]
	if t == nil {
		// A table that did not load: the version is refused with its
		// error, and nothing is settled with it.
		return nil, fmt.Errorf("table %q did not load", name)
	}
	v, err := t.Lookup(keys...)
	if err != nil {
		return nil, err
	}
	if rec != nil {
		rec.lookups = append(rec.lookups, Lookup{Table: name, Keys: keys, Value: Amount{v}})
	}
	return v, nil
}

// recorderPatcher passes the evaluation's recorder to every table call.
type recorderPatcher struct{}

func (recorderPatcher) Visit(node *ast.Node) {
	call, ok := (*node).(*ast.CallNode)
	if !ok {
		return
	}
	if id, ok := call.Callee.(*ast.IdentifierNode); !ok || id.Value != "table" {
		return
	}
	if len(call.Arguments) > 0 {
		if id, ok := call.Arguments[0].(*ast.IdentifierNode); ok && id.Value == recorderName {
			return
		}
	}
	ast.Patch(node, &ast.CallNode{Callee: call.Callee,
		Arguments: append([]ast.Node{&ast.IdentifierNode{Value: recorderName}}, call.Arguments...)})
}

// compile compiles src against env, which must evaluate to want (bool or
// decimal.Decimal). Before expr's parser sees the expression, its length
// and nesting are checked against the limits; the parsed tree is checked
// against the allow-list (check.go) before it is compiled, so that no
// construct outside it (collection builtins, ranges, method calls) is
// ever folded or evaluated.
func (c *compiler) compile(src string, env any, want reflect.Type) (*vm.Program, error) {
	if strings.TrimSpace(src) == "" {
		return nil, &ExprError{Line: 1, Column: 1, Msg: "empty expression"}
	}
	if err := c.precheck(src); err != nil {
		return nil, err
	}
	tree, err := parseSafely(src, c.conf)
	if err != nil {
		e := asExprError(err)
		e.Msg += numberHint(src, e.Column)
		return nil, e
	}
	fields := envFields(env)
	if err := c.allow(src, tree.Node, fields); err != nil {
		return nil, err
	}
	decimals, ints, strs := decimalFields(env), kindFields(env, reflect.Int), kindFields(env, reflect.String)
	opts := append([]expr.Option{expr.Env(env), expr.Patch(&literalPatcher{src: []rune(src)}), expr.Patch(arithPatcher{decimals: decimals, ints: ints}), expr.Patch(recorderPatcher{})}, c.opts...)
	prog, err := compileSafely(src, opts)
	if err != nil {
		return nil, asExprError(err)
	}
	// The numbers and strings among the environment's fields, for the
	// checks of operands and arguments: expr's checker leaves the type of
	// a call's arguments open when it typed the call before they were
	// patched (table's keys, neg's operand).
	numbers := maps.Clone(decimals)
	maps.Copy(numbers, ints)
	node := prog.Node()
	c.last = map[string]bool{}
	var errs []error
	ast.Walk(&node, visitorFunc(func(n *ast.Node) {
		if id, ok := (*n).(*ast.IdentifierNode); ok && fields[id.Value] {
			c.used[id.Value] = true
			c.last[id.Value] = true
		}
		if (*n).Type() == float64Type {
			errs = append(errs, nodeError(src, *n, "floating-point arithmetic is not allowed: use decimal literals and decimal fields"))
		}
		if b, ok := (*n).(*ast.BinaryNode); ok && comparisonOps[b.Operator] && !simpleOperands(b.Left.Type(), b.Right.Type()) {
			// Every comparison of decimals must have become a call of its
			// decimal function; one left over would fail or compare
			// representations at settlement.
			errs = append(errs, nodeError(src, *n, fmt.Sprintf("cannot compare %s and %s with %s", typeName(b.Left.Type()), typeName(b.Right.Type()), b.Operator)))
		}
		if b, ok := (*n).(*ast.BinaryNode); ok && b.Operator == "in" {
			if msg := checkIn(b); msg != "" {
				errs = append(errs, nodeError(src, *n, msg))
			}
		}
		if call, ok := (*n).(*ast.CallNode); ok {
			if id, ok := call.Callee.(*ast.IdentifierNode); ok && operatorOf[id.Value] != "" {
				// An operand that is not a number passes expr's checker
				// (each decimal function takes any operands last, see
				// arithmetic; one of unknown type, a ? 'a' : 1, would pass
				// anyway; neg's operand is never checked, see
				// literalPatcher) and would fail, or compare wrongly, at
				// settlement.
				for _, a := range call.Arguments {
					if !numeric(a, numbers) {
						at := offender(a, func(n ast.Node) bool { return numeric(n, numbers) })
						e := nodeError(src, at, fmt.Sprintf("operator %s works on %s: %s", operatorOf[id.Value], numbersNote, notNumber(a, at, numbers, strs)))
						if id.Value == "neg" && at == a {
							// At the operand, which starts after the minus
							// (a binary operator's node is at the operator).
							e.Line, e.Column = position(src, operandAfter([]rune(src), call.Location().From))
						}
						errs = append(errs, e)
						break
					}
				}
			}
		}
		if e := argumentError(src, *n, numbers, strs); e != nil {
			errs = append(errs, e)
		}
	}))
	if len(errs) > 0 {
		return nil, errs[0]
	}
	if got := node.Type(); got != want {
		return nil, &ExprError{Line: 1, Column: 1, Msg: fmt.Sprintf("expression is of type %s, want %s", typeName(got), typeName(want))}
	}
	return prog, nil
}

// simpleOperands reports whether a and b are both integers (staff), both
// strings or both booleans, which expr's own comparisons get right.
func simpleOperands(a, b reflect.Type) bool {
	return a != nil && b != nil && a == b && (a.Kind() == reflect.Int || a.Kind() == reflect.String || a.Kind() == reflect.Bool)
}

// numeric reports whether n, an operand of a decimal operator, is a
// number: of type decimal or int, or, where expr's checker left its type
// open (the arguments of a table call can be), a number by its syntax. A
// conditional is a number when both its branches are: (c ? 'a' : 1) == 1
// passes expr's checker, and would fail at settlement.
func numeric(n ast.Node, decimals map[string]bool) bool {
	if t := n.Type(); t == decimalType || t != nil && t.Kind() == reflect.Int {
		return true
	} else if t != nil && t.Kind() != reflect.Interface {
		return false
	}
	switch n := n.(type) {
	case *ast.ConditionalNode:
		return numeric(n.Exp1, decimals) && numeric(n.Exp2, decimals)
	case *ast.BinaryNode:
		return n.Operator == "??" && numeric(n.Left, decimals) && numeric(n.Right, decimals)
	}
	return arithPatcher{decimals: decimals}.decimal(n)
}

// numbersNote says what the decimal operators work on.
const numbersNote = "numbers (decimals, and the integer fields staff, minutes and planned_minutes)"

// notNumber says what n, an operand of a decimal operator that numeric
// refused, is instead: "true is a boolean, not a number"; at is the part
// of n reported (offender), a branch of a conditional of mixed type.
func notNumber(n, at ast.Node, decimals, strs map[string]bool) string {
	if at != n {
		return fmt.Sprintf("the operand is %s, not a number", kindOf(n, decimals, strs))
	}
	what := "the operand"
	switch n := n.(type) {
	case *ast.CallNode:
		if name := callName(n); name != "" {
			what = name
		}
	case *ast.BuiltinNode:
		what = n.Name + "(...)"
	case *ast.BoolNode:
		what = strconv.FormatBool(n.Value)
	case *ast.StringNode:
		what = fmt.Sprintf("%.40q", n.Value)
	case *ast.NilNode:
		return "nil is no number"
	case *ast.IdentifierNode:
		what = n.Value
	case *ast.MemberNode:
		if id, ok := n.Node.(*ast.IdentifierNode); ok {
			what = "a member of " + id.Value
		}
	}
	return fmt.Sprintf("%s is %s, not a number", what, kindOf(n, decimals, strs))
}

// callName names a call for errors: lower(...), or, for the decimal
// function of an operator, which the tariff did not write as a call, the
// result of the operator (minutes > 10 is dec_gt(minutes, 10)); "" when
// the callee is not a name.
func callName(n *ast.CallNode) string {
	id, ok := n.Callee.(*ast.IdentifierNode)
	switch {
	case !ok:
		return ""
	case operatorOf[id.Value] != "":
		return "the result of " + operatorOf[id.Value]
	}
	return id.Value + "(...)"
}

// stringy reports whether n, an argument that takes a string, is one:
// of type string, or, where expr's checker left its type open (a
// conditional, the arguments of a call it typed before they were
// patched), a string by its syntax.
func stringy(n ast.Node, strs map[string]bool) bool {
	if t := n.Type(); t != nil && t.Kind() == reflect.String {
		return true
	} else if t != nil && t.Kind() != reflect.Interface {
		return false
	}
	switch n := n.(type) {
	case *ast.StringNode:
		return true
	case *ast.ConditionalNode:
		return stringy(n.Exp1, strs) && stringy(n.Exp2, strs)
	case *ast.BinaryNode:
		return n.Operator == "??" && stringy(n.Left, strs) && stringy(n.Right, strs)
	case *ast.IdentifierNode:
		return strs[n.Value]
	case *ast.CallNode:
		id, ok := n.Callee.(*ast.IdentifierNode)
		return ok && id.Value == "attr"
	case *ast.BuiltinNode:
		return n.Name == "lower" || n.Name == "upper" || n.Name == "trim"
	}
	return false
}

// branches returns the parts a conditional (or a ?? b) of open type
// may give, or nil for any other node.
func branches(n ast.Node) []ast.Node {
	if t := n.Type(); t != nil && t.Kind() != reflect.Interface {
		return nil
	}
	switch n := n.(type) {
	case *ast.ConditionalNode:
		return []ast.Node{n.Exp1, n.Exp2}
	case *ast.BinaryNode:
		if n.Operator == "??" {
			return []ast.Node{n.Left, n.Right}
		}
	}
	return nil
}

// offender returns the part of n to report when n is not of the kind ok
// accepts: the first branch of a conditional of mixed type that is not
// ('a' in c ? 'a' : 1), else n.
func offender(n ast.Node, ok func(ast.Node) bool) ast.Node {
	for _, b := range branches(n) {
		if !ok(b) {
			return offender(b, ok)
		}
	}
	return n
}

// kindOf names the kind of value n gives, for errors: "a number", "a
// string", "a number or a string (mixed)", "a value of mixed type".
func kindOf(n ast.Node, decimals, strs map[string]bool) string {
	if bs := branches(n); bs != nil {
		var kinds []string
		for _, b := range bs {
			for _, k := range strings.Split(strings.TrimSuffix(kindOf(b, decimals, strs), " (mixed)"), " or ") {
				if !slices.Contains(kinds, k) {
					kinds = append(kinds, k)
				}
			}
		}
		if slices.Contains(kinds, "a value of mixed type") {
			return "a value of mixed type"
		}
		if len(kinds) == 1 {
			return kinds[0]
		}
		return strings.Join(kinds, " or ") + " (mixed)"
	}
	switch t := n.Type(); {
	case numeric(n, decimals):
		return "a number"
	case stringy(n, strs):
		return "a string"
	case t == nil || t.Kind() == reflect.Interface:
		return "a value of mixed type"
	case t.Kind() == reflect.Bool:
		return "a boolean"
	case t.Kind() == reflect.Map:
		return "a map"
	default:
		return typeName(t)
	}
}

// stringFunctions are the functions and builtins whose arguments are all
// strings; stringOperators the operators whose operands are.
var (
	stringFunctions = map[string]bool{"has": true, "has_task": true, "attr": true, "lower": true, "upper": true, "trim": true, "hasPrefix": true, "hasSuffix": true}
	stringOperators = map[string]bool{"contains": true, "startsWith": true, "endsWith": true, "matches": true}
)

// argumentError returns the error of the first argument of n, a call of
// a function of the rule layer or a string builtin, or an operator on
// strings, that is not of the kind its parameter takes: numbers for min,
// max and round, strings for table's keys, has, has_task, attr, the
// string builtins and contains, startsWith, endsWith. expr's checker
// takes an argument of open type (c ? 1 : 'a') for any parameter, and
// does not check again the arguments of a call it typed before they were
// patched: the value would fail at settlement.
func argumentError(src string, n ast.Node, decimals, strs map[string]bool) *ExprError {
	var (
		fn    string
		args  []ast.Node
		names []string
	)
	switch n := n.(type) {
	case *ast.CallNode:
		id, ok := n.Callee.(*ast.IdentifierNode)
		if !ok {
			return nil
		}
		fn, args = id.Value, n.Arguments
		switch fn {
		case "table":
			if len(args) < 2 {
				return nil
			}
			args = args[2:] // the recorder and the table's name, a literal
			for i := range args {
				names = append(names, fmt.Sprintf("key %d", i+1))
			}
		case "round":
			names = []string{"value", "places"}
		case "has", "has_task":
			names = []string{"list", "value"}
		case "attr":
			names = []string{"attributes", "name"}
		}
	case *ast.BuiltinNode:
		fn, args = n.Name, n.Arguments
	case *ast.BinaryNode:
		if !stringOperators[n.Operator] {
			return nil
		}
		fn, args, names = "operator "+n.Operator, []ast.Node{n.Left, n.Right}, []string{"left operand", "right operand"}
	default:
		return nil
	}
	want, ok := "a string", func(a ast.Node) bool { return stringy(a, strs) }
	switch {
	case fn == "min" || fn == "max" || fn == "round":
		want, ok = "a number", func(a ast.Node) bool { return numeric(a, decimals) }
	case fn != "table" && !stringFunctions[fn] && !strings.HasPrefix(fn, "operator "):
		return nil
	}
	for i, a := range args {
		if ok(a) {
			continue
		}
		name := fmt.Sprintf("argument %d", i+1)
		if len(args) == 1 {
			name = "argument"
		}
		if i < len(names) {
			name = names[i]
		}
		kind := kindOf(a, decimals, strs)
		if call, isCall := a.(*ast.CallNode); isCall {
			if name := callName(call); name != "" {
				kind = name + ", " + kind
			}
		}
		if strings.HasPrefix(fn, "operator ") {
			return nodeError(src, offender(a, ok), fmt.Sprintf("%s works on strings: the %s is %s, not a string", fn, name, kind))
		}
		return nodeError(src, offender(a, ok), fmt.Sprintf("%s's %s is %s, not %s", fn, name, kind, want))
	}
	return nil
}

// checkIn returns why an in that compilation left as expr's own is
// refused, or "": expr compares its operands by representation, right
// for strings and booleans, wrong for decimals (448.00 is not 448) and
// for lists of them ([x] in [[448]]). Left are a string or a boolean
// tested in a list of its kind and a string in a map field. checkIn sees
// the tree after expr's optimizer, which makes a list of string literals
// a set (a map of strings) and a list of other literals a constant list
// ([true, false] a []any): those are left when every element is of the
// left side's type.
func checkIn(b *ast.BinaryNode) string {
	lt, rt := b.Left.Type(), b.Right.Type()
	if lt != nil && (lt.Kind() == reflect.String || lt.Kind() == reflect.Bool) {
		switch r := b.Right.(type) {
		case *ast.ArrayNode:
			if !slices.ContainsFunc(r.Nodes, func(e ast.Node) bool { return e.Type() != lt }) {
				return ""
			}
		case *ast.ConstantNode:
			if list, ok := r.Value.([]any); ok && !slices.ContainsFunc(list, func(e any) bool { return reflect.TypeOf(e) != lt }) {
				return ""
			}
			if rt != nil && rt.Kind() == reflect.Map && rt.Key() == lt {
				return ""
			}
		default:
			if rt != nil && rt.Kind() == reflect.Map && rt.Key() == lt {
				return ""
			}
		}
	}
	return fmt.Sprintf("cannot test %s in %s: in compares a string or a boolean with a list of its kind, "+
		"and a number with a list of numbers written out, x in [448, 480]", typeName(lt), typeName(rt))
}

var comparisonOps = map[string]bool{"<": true, "<=": true, ">": true, ">=": true, "==": true, "!=": true}

// parseSafely parses, turning a panic inside the parser into an error.
func parseSafely(src string, cfg *conf.Config) (tree *parser.Tree, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cannot parse: %v", r)
		}
	}()
	return parser.ParseWithConfig(src, cfg)
}

// compileSafely compiles, turning a panic inside the compiler (which a
// tariff must never be able to cause) into an error.
func compileSafely(src string, opts []expr.Option) (prog *vm.Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cannot compile: %v", r)
		}
	}()
	return expr.Compile(src, opts...)
}

func typeName(t reflect.Type) string {
	switch t {
	case nil:
		return "unknown"
	case decimalType:
		return "decimal"
	case boolType:
		return "bool"
	}
	switch t.Kind() {
	case reflect.Interface:
		return "a value of mixed type"
	case reflect.Slice, reflect.Array:
		return "a list"
	}
	return t.String()
}

func nodeError(src string, n ast.Node, msg string) *ExprError {
	line, col := position(src, n.Location().From)
	return &ExprError{Line: line, Column: col, Msg: msg}
}

func asExprError(err error) *ExprError {
	var fe *file.Error
	if errors.As(err, &fe) {
		return &ExprError{Line: max(fe.Line, 1), Column: fe.Column + 1, Msg: plainMessage(fe.Message)}
	}
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return &ExprError{Line: 1, Column: 1, Msg: plainMessage(msg)}
}

// numberHint explains a parse error at column col (1-based, in
// characters) of src that a number written the Swedish way causes: a
// decimal comma (0,5) or a percent sign (50%).
func numberHint(src string, col int) string {
	r := []rune(src)
	digit := func(i int) bool { return i >= 0 && i < len(r) && r[i] >= '0' && r[i] <= '9' }
	if i := col - 1; i < len(r) && r[i] == ',' && digit(i-1) && digit(i+1) {
		return "; decimals are written with a point: 0.5, not 0,5"
	}
	for i, c := range r {
		if c == '%' && digit(i-1) {
			return "; a share is written as a decimal (0.5, not 50%), a rise as a factor (* 1.05 for 5 %)"
		}
	}
	return ""
}

// operatorOf names the operator behind each decimal function, for errors;
// arithFunctionNames holds the functions of arithmetic.
var (
	operatorOf         = map[string]string{}
	arithFunctionNames = map[string]bool{}
)

func init() {
	for op, f := range arithFunctions {
		operatorOf[f] = op
		arithFunctionNames[f] = true
	}
	for op, f := range comparisonFunctions {
		operatorOf[f], operatorOf[operatorForm(f)] = op, op
		comparisonFunctionNames[f], comparisonFunctionNames[operatorForm(f)] = true, true
	}
	operatorOf["dec_in"] = "in"
	operatorOf["neg"] = "-"
}

// plainMessage rewrites expr's message about an operator's decimal
// function in the tariff's terms.
func plainMessage(msg string) string {
	if i := strings.Index(msg, " to call dec_"); i >= 0 && strings.HasPrefix(msg, "cannot use ") {
		fn := strings.TrimSpace(msg[i+len(" to call "):])
		what, _, _ := strings.Cut(strings.TrimPrefix(msg, "cannot use "), " as argument")
		if op, ok := operatorOf[fn]; ok {
			return fmt.Sprintf("operator %s works on %s, not %s", op, numbersNote, strings.ReplaceAll(what, "decimal.Decimal", "decimal"))
		}
	}
	return strings.ReplaceAll(msg, "decimal.Decimal", "decimal")
}

type visitorFunc func(*ast.Node)

func (f visitorFunc) Visit(n *ast.Node) { f(n) }

// envFields returns the names an environment offers expressions, with
// the fields of embedded structs.
func envFields(env any) map[string]bool {
	out := map[string]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Anonymous {
				walk(f.Type)
				continue
			}
			if name := f.Tag.Get("expr"); name != "" {
				out[name] = true
			}
		}
	}
	if t := reflect.TypeOf(env); t != nil && t.Kind() == reflect.Struct {
		walk(t)
	}
	return out
}
