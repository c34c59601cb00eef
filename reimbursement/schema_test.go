package reimbursement

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/calendar"
)

// The JSON Schema of the tariff document, tariff.schema.json, is kept in
// step with the loader: every field the document structs accept is in
// the schema and no other, the schema's enums are the loader's choices,
// and every tariff file of the repository validates. The validator below
// knows the subset of JSON Schema 2020-12 the schema uses, and refuses
// any other keyword, so the schema cannot silently use one it ignores.

// schemaDefs maps the loader's document structs to the schema's
// definitions ("" is the root).
var schemaDefs = map[reflect.Type]string{
	reflect.TypeFor[document]():          "",
	reflect.TypeFor[scheduleDoc]():       "schedule",
	reflect.TypeFor[calendar.BandRule](): "band_rule",
	reflect.TypeFor[roundingDoc]():       "rounding",
	reflect.TypeFor[timeRoundingDoc]():   "time_rounding",
	reflect.TypeFor[tableDoc]():          "table",
	reflect.TypeFor[componentDoc]():      "component",
	reflect.TypeFor[adjustmentDoc]():     "adjustment",
}

type schema map[string]any

func loadSchema(t *testing.T) schema {
	t.Helper()
	b, err := os.ReadFile("tariff.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var s schema
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("tariff.schema.json: %v", err)
	}
	return s
}

func (s schema) def(name string) schema {
	if name == "" {
		return s
	}
	defs, _ := s["$defs"].(map[string]any)
	d, _ := defs[name].(map[string]any)
	return d
}

func (s schema) propertyNames() []string {
	props, _ := s["properties"].(map[string]any)
	var out []string
	for k := range props {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// jsonFields returns the JSON names of a struct's fields.
func jsonFields(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// structsUnder returns the struct types reachable from t through
// pointers, slices and maps.
func structsUnder(t reflect.Type, seen map[reflect.Type]bool) {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		structsUnder(t.Elem(), seen)
	case reflect.Struct:
		if seen[t] || t.PkgPath() == "time" || t == reflect.TypeFor[calendar.Date]() {
			return
		}
		seen[t] = true
		for i := range t.NumField() {
			structsUnder(t.Field(i).Type, seen)
		}
	}
}

func TestSchemaMatchesDocumentStructs(t *testing.T) {
	s := loadSchema(t)
	seen := map[reflect.Type]bool{}
	structsUnder(reflect.TypeFor[document](), seen)
	for typ := range seen {
		def, ok := schemaDefs[typ]
		if !ok {
			t.Errorf("the document holds %s, which the schema test does not map to a definition", typ)
			continue
		}
		d := s.def(def)
		if d == nil {
			t.Errorf("schema has no definition %q for %s", def, typ)
			continue
		}
		if diff := cmp.Diff(jsonFields(typ), d.propertyNames()); diff != "" {
			t.Errorf("%s: fields of the loader (-) and the schema's %q (+):\n%s", typ, def, diff)
		}
		if d["additionalProperties"] != false {
			t.Errorf("schema %q allows unknown fields; the loader refuses them", def)
		}
	}
	for typ := range schemaDefs {
		if !seen[typ] {
			t.Errorf("%s is mapped but no longer in the document", typ)
		}
	}
}

func TestSchemaEnums(t *testing.T) {
	s := loadSchema(t)
	enum := func(def, prop string) []string {
		props, _ := s.def(def)["properties"].(map[string]any)
		p, _ := props[prop].(map[string]any)
		if names, ok := p["propertyNames"].(map[string]any); ok {
			p = names
		}
		var out []string
		for _, v := range p["enum"].([]any) {
			out = append(out, v.(string))
		}
		sort.Strings(out)
		return out
	}
	if diff := cmp.Diff(Strategies(), enum("component", "strategy")); diff != "" {
		t.Errorf("strategies registered (-) and in the schema (+):\n%s", diff)
	}
	var params []string
	for _, name := range Strategies() {
		st, _ := lookupStrategy(name)
		for _, p := range st.Params() {
			if !slices.Contains(params, p.Name) {
				params = append(params, p.Name)
			}
		}
	}
	sort.Strings(params)
	if diff := cmp.Diff(params, enum("component", "params")); diff != "" {
		t.Errorf("strategy parameters (-) and the schema's (+):\n%s", diff)
	}
	for _, mode := range enum("rounding", "mode") {
		if _, err := parseRounding(roundingDoc{Mode: mode}); err != nil {
			t.Errorf("schema rounding mode %q: %v", mode, err)
		}
	}
	for _, per := range enum("rounding", "per") {
		if _, err := parseRounding(roundingDoc{Per: per}); err != nil {
			t.Errorf("schema rounding per %q: %v", per, err)
		}
	}
	for _, mode := range enum("time_rounding", "mode") {
		if _, err := parseTimeRounding(timeRoundingDoc{Mode: mode}, nil); err != nil {
			t.Errorf("schema time rounding mode %q: %v", mode, err)
		}
	}
}

// tariffFiles returns every tariff file of the repository.
func tariffFiles(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, pat := range []string{"testdata/*.json", "../examples/*/tariff.json", "../examples/*/tariffs/*.json",
		"../examples/*/tariffs/*/*.json", "../examples/*/*/tariffs/*.json"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m...)
	}
	if len(out) < 20 {
		t.Fatalf("found only %d tariff files: %v", len(out), out)
	}
	return out
}

func TestExampleTariffsValidate(t *testing.T) {
	s := loadSchema(t)
	for _, f := range tariffFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if errs := s.validate(v); len(errs) > 0 {
			t.Errorf("%s does not validate:\n%s", f, strings.Join(errs, "\n"))
		}
		if _, err := ParseVersion(strings.NewReader(string(b)), f); err != nil {
			t.Errorf("%s does not load: %v", f, err)
		}
	}
}

// TestSchemaRefuses: documents the loader refuses for their shape are
// refused by the schema too, and the validator sees the fault.
func TestSchemaRefuses(t *testing.T) {
	s := loadSchema(t)
	ok := doc(`{"name": "a", "strategy": "performed_time", "rate": "1"}`)
	tests := []struct{ name, src, want string }{
		{"unknown field", strings.Replace(ok, `"currency"`, `"valuta": "SEK", "currency"`, 1), "/valuta: unknown field"},
		{"unknown strategy", doc(`{"name": "a", "strategy": "per_hour", "rate": "1"}`), "/components/0/strategy: \"per_hour\" is not one of"},
		{"unknown param", doc(`{"name": "a", "strategy": "performed_time", "rate": "1", "params": {"tak": "granted"}}`), "/components/0/params: name \"tak\" is not one of"},
		{"rounding per", doc(`{"name": "a", "strategy": "performed_time", "rate": "1"}`, `"rounding": {"per": "visit"}`), "/rounding/per: \"visit\" is not one of"},
		{"instead_of not a list", doc(`{"name": "a", "strategy": "performed_time", "rate": "1", "instead_of": "b"}`), "/components/0/instead_of: want [array], got string"},
		{"missing rate", doc(`{"name": "a", "strategy": "performed_time"}`), "/components/0: missing rate"},
	}
	for _, tt := range tests {
		var v any
		if err := json.Unmarshal([]byte(tt.src), &v); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		errs := strings.Join(s.validate(v), "\n")
		if !strings.Contains(errs, tt.want) {
			t.Errorf("%s: schema errors %q, want one containing %q", tt.name, errs, tt.want)
		}
		if _, err := ParseVersion(strings.NewReader(tt.src), "test.json"); err == nil {
			t.Errorf("%s: the loader accepts what the schema refuses", tt.name)
		}
	}
}

// The validator: the keywords of JSON Schema 2020-12 the schema may use.
var schemaKeywords = []string{"$schema", "$id", "$defs", "$ref", "title", "description", "type", "properties",
	"required", "additionalProperties", "items", "enum", "propertyNames", "pattern", "minimum", "maximum", "minItems"}

func (s schema) validate(v any) []string {
	var errs []string
	s.check(s, v, "", &errs)
	return errs
}

func (root schema) check(sc map[string]any, v any, at string, errs *[]string) {
	bad := func(format string, args ...any) { *errs = append(*errs, at+": "+fmt.Sprintf(format, args...)) }
	for k := range sc {
		if !slices.Contains(schemaKeywords, k) {
			bad("schema keyword %q is not supported by the test's validator", k)
		}
	}
	if ref, ok := sc["$ref"].(string); ok {
		name, found := strings.CutPrefix(ref, "#/$defs/")
		d := root.def(name)
		if !found || d == nil {
			bad("unresolved $ref %q", ref)
			return
		}
		root.check(d, v, at, errs)
	}
	if types := sc["type"]; types != nil && !hasType(types, v) {
		bad("want %v, got %T", typeNames(types), v)
		return
	}
	if e, ok := sc["enum"].([]any); ok && !slices.Contains(e, v) {
		bad("%s is not one of %v", jsonText(v), e)
	}
	switch x := v.(type) {
	case map[string]any:
		root.checkObject(sc, x, at, errs)
	case []any:
		if n, ok := sc["minItems"].(float64); ok && float64(len(x)) < n {
			bad("fewer than %v items", n)
		}
		if items, ok := sc["items"].(map[string]any); ok {
			for i, e := range x {
				root.check(items, e, fmt.Sprintf("%s/%d", at, i), errs)
			}
		}
	case string:
		if p, ok := sc["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(x) {
			bad("%q does not match %s", x, p)
		}
	case float64:
		if m, ok := sc["minimum"].(float64); ok && x < m {
			bad("%v is below %v", x, m)
		}
		if m, ok := sc["maximum"].(float64); ok && x > m {
			bad("%v is above %v", x, m)
		}
	}
}

func (root schema) checkObject(sc map[string]any, x map[string]any, at string, errs *[]string) {
	props, _ := sc["properties"].(map[string]any)
	if req, ok := sc["required"].([]any); ok {
		for _, r := range req {
			if _, ok := x[r.(string)]; !ok {
				*errs = append(*errs, fmt.Sprintf("%s: missing %s", at, r))
			}
		}
	}
	for _, k := range sortedKeys(x) {
		if names, ok := sc["propertyNames"].(map[string]any); ok {
			var sub []string
			root.check(names, k, at, &sub)
			for _, e := range sub {
				*errs = append(*errs, strings.Replace(e, ": ", ": name ", 1))
			}
		}
		if p, ok := props[k].(map[string]any); ok {
			root.check(p, x[k], at+"/"+k, errs)
			continue
		}
		switch ap := sc["additionalProperties"].(type) {
		case bool:
			if !ap {
				*errs = append(*errs, fmt.Sprintf("%s/%s: unknown field", at, k))
			}
		case map[string]any:
			root.check(ap, x[k], at+"/"+k, errs)
		}
	}
}

func hasType(types any, v any) bool {
	for _, t := range typeNames(types) {
		switch x := v.(type) {
		case map[string]any:
			if t == "object" {
				return true
			}
		case []any:
			if t == "array" {
				return true
			}
		case string:
			if t == "string" {
				return true
			}
		case bool:
			if t == "boolean" {
				return true
			}
		case float64:
			if t == "number" || (t == "integer" && x == float64(int64(x))) {
				return true
			}
		}
	}
	return false
}

func typeNames(types any) []string {
	switch t := types.(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, e := range t {
			out = append(out, e.(string))
		}
		return out
	}
	return nil
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
