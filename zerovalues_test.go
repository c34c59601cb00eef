package ersattning_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/ksi"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/compare"
	"github.com/hemtjanst/ersattning/reimbursement/fee"
	"github.com/hemtjanst/ersattning/reimbursement/invoice"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

// The library's zero values are safe: every exported method of every
// exported type, called on the type's zero value, and every exported
// function, with zero arguments (a context.Background, io.Discard, an
// empty reader and file system and a pointer to a zero value where one
// is asked for), returns without panicking or hanging, but for the calls
// in zeroPanics, whose panics are their documented contract. (A sweep of
// this kind found a Period without a location panicking in Start, End
// and Contains, AddRange of the zero DateRange shifting by −1, and a
// TariffError without Err dereferencing nil.) TestZeroValuesRegistry
// keeps the lists below complete.
func TestZeroValuesSafe(t *testing.T) {
	for name, typ := range zeroTypes {
		recv := reflect.New(typ) // *T: the methods of T and of *T
		for i := range recv.NumMethod() {
			m := recv.Type().Method(i)
			call(t, name+"."+m.Name, recv.Method(i))
		}
	}
	for name, f := range zeroFuncs {
		call(t, name, f)
	}
}

// zeroPanics are the calls whose panic on zero values is their contract.
var zeroPanics = map[string]string{
	"reimbursement.Amount.Div":                    "decimal.Decimal's division by zero",
	"reimbursement.Amount.DivRound":               "decimal.Decimal's division by zero",
	"reimbursement.Amount.Mod":                    "decimal.Decimal's division by zero",
	"reimbursement.Amount.QuoRem":                 "decimal.Decimal's division by zero",
	"reimbursement.Amount.RoundCash":              "decimal.Decimal's cash rounding of interval 0",
	"reimbursement.Amount.StringFixedCash":        "decimal.Decimal's cash rounding of interval 0",
	"reimbursement.Amount.Format":                 "fmt.Formatter called without a fmt.State",
	"reimbursement.Rounding.Quotient":             "a divisor of 0 (the divisor must be positive)",
	"reimbursement.Rounding.Ratio":                "a divisor of 0 (the divisor must not be 0)",
	"calendar.MustParseDate":                      "Must: panics on what it cannot parse",
	"ksi.MustParse":                               "Must: panics on what it cannot parse",
	"reimbursement/tarifftest.CheckBoundedChange": "a test helper refusing a Config without a period",
	"reimbursement/tarifftest.Dataset":            "a test helper refusing a Config without a period",
	"reimbursement/tarifftest.Resample":           "a rapid generator of a dataset without customers to draw",
	"reimbursement/tarifftest.CheckDeterministic": "a *rapid.T that rapid did not make",
	"reimbursement/tarifftest.Shuffled":           "a *rapid.T that rapid did not make",
}

var (
	ctxType    = reflect.TypeFor[context.Context]()
	writerType = reflect.TypeFor[io.Writer]()
	readerType = reflect.TypeFor[io.Reader]()
	fsType     = reflect.TypeFor[fs.FS]()
	locType    = reflect.TypeFor[*time.Location]()
)

// call calls f with zero arguments and checks that it returns, draining
// an iterator it returns by one step.
func call(t *testing.T, name string, f reflect.Value) {
	t.Helper()
	var in []reflect.Value
	ft := f.Type()
	for i := range ft.NumIn() {
		if ft.IsVariadic() && i == ft.NumIn()-1 {
			break
		}
		in = append(in, zeroArg(ft.In(i)))
	}
	done := make(chan any, 1)
	go func() {
		defer func() { done <- recover() }()
		for _, out := range f.Call(in) {
			if ot := out.Type(); ot.Kind() == reflect.Func && ot.NumIn() == 1 && ot.In(0).Kind() == reflect.Func && !out.IsNil() {
				yield := reflect.MakeFunc(ot.In(0), func([]reflect.Value) []reflect.Value { return []reflect.Value{reflect.ValueOf(false)} })
				out.Call([]reflect.Value{yield})
			}
		}
	}()
	select {
	case r := <-done:
		_, allowed := zeroPanics[name]
		switch {
		case r != nil && !allowed:
			t.Errorf("%s on zero values panicked: %v", name, r)
		case r == nil && allowed:
			t.Errorf("%s on zero values no longer panics: take it out of zeroPanics", name)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("%s on zero values has not returned in 10 s", name)
	}
}

// zeroArg is a zero argument of type typ: the zero value, but a
// background context, io.Discard, an empty reader, file system and
// location, a pointer to a zero value and a function returning zero
// values.
func zeroArg(typ reflect.Type) reflect.Value {
	switch {
	case typ == ctxType:
		return reflect.ValueOf(context.Background())
	case typ == writerType:
		return reflect.ValueOf(io.Discard)
	case typ == readerType:
		return reflect.ValueOf(strings.NewReader(""))
	case typ == fsType:
		return reflect.ValueOf(fstest.MapFS{})
	case typ == locType:
		return reflect.ValueOf(time.UTC)
	case typ.Kind() == reflect.Pointer:
		return reflect.New(typ.Elem())
	case typ.Kind() == reflect.Func:
		return reflect.MakeFunc(typ, func([]reflect.Value) []reflect.Value {
			out := make([]reflect.Value, typ.NumOut())
			for i := range out {
				out[i] = reflect.Zero(typ.Out(i))
			}
			return out
		})
	}
	return reflect.Zero(typ)
}

// zeroPackages are the library's packages, by directory.
var zeroPackages = []string{"reimbursement", "reimbursement/compare", "reimbursement/invoice", "reimbursement/fee",
	"reimbursement/tarifftest", "models", "calendar", "ksi"}

// TestZeroValuesRegistry: zeroTypes and zeroFuncs name every exported
// type and function (generic ones aside) of the library's packages, read
// from their source, so that a new one is swept too.
func TestZeroValuesRegistry(t *testing.T) {
	var types, funcs []string
	for _, dir := range zeroPackages {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), dir+"/"+e.Name(), nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.GenDecl:
					for _, s := range d.Specs {
						if ts, ok := s.(*ast.TypeSpec); ok && ts.Name.IsExported() && ts.TypeParams == nil {
							types = append(types, dir+"."+ts.Name.Name)
						}
					}
				case *ast.FuncDecl:
					if d.Recv == nil && d.Name.IsExported() && d.Type.TypeParams == nil {
						funcs = append(funcs, dir+"."+d.Name.Name)
					}
				}
			}
		}
	}
	for _, c := range []struct {
		what   string
		source []string
		listed []string
	}{{"type", types, keys(zeroTypes)}, {"function", funcs, keys(zeroFuncs)}} {
		for _, n := range c.source {
			if !slices.Contains(c.listed, n) {
				t.Errorf("exported %s %s is not in the zero-value registry (zeroTypes, zeroFuncs)", c.what, n)
			}
		}
		for _, n := range c.listed {
			if !slices.Contains(c.source, n) {
				t.Errorf("the zero-value registry names %s %s, which the source no longer has", c.what, n)
			}
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

var zeroTypes = map[string]reflect.Type{
	"calendar.BandRule":                        reflect.TypeFor[calendar.BandRule](),
	"calendar.Clock":                           reflect.TypeFor[calendar.Clock](),
	"calendar.Date":                            reflect.TypeFor[calendar.Date](),
	"calendar.DateRange":                       reflect.TypeFor[calendar.DateRange](),
	"calendar.DayKind":                         reflect.TypeFor[calendar.DayKind](),
	"calendar.DaySet":                          reflect.TypeFor[calendar.DaySet](),
	"calendar.Holiday":                         reflect.TypeFor[calendar.Holiday](),
	"calendar.HolidayDate":                     reflect.TypeFor[calendar.HolidayDate](),
	"calendar.Period":                          reflect.TypeFor[calendar.Period](),
	"calendar.Schedule":                        reflect.TypeFor[calendar.Schedule](),
	"calendar.ScheduleError":                   reflect.TypeFor[calendar.ScheduleError](),
	"calendar.Segment":                         reflect.TypeFor[calendar.Segment](),
	"ksi.ActionTypeInfo":                       reflect.TypeFor[ksi.ActionTypeInfo](),
	"ksi.Catalog":                              reflect.TypeFor[ksi.Catalog](),
	"ksi.Code":                                 reflect.TypeFor[ksi.Code](),
	"ksi.Entry":                                reflect.TypeFor[ksi.Entry](),
	"ksi.InputError":                           reflect.TypeFor[ksi.InputError](),
	"ksi.ParseError":                           reflect.TypeFor[ksi.ParseError](),
	"models.Absence":                           reflect.TypeFor[models.Absence](),
	"models.AbsenceReason":                     reflect.TypeFor[models.AbsenceReason](),
	"models.AlarmEvent":                        reflect.TypeFor[models.AlarmEvent](),
	"models.Approval":                          reflect.TypeFor[models.Approval](),
	"models.CSVOptions":                        reflect.TypeFor[models.CSVOptions](),
	"models.Category":                          reflect.TypeFor[models.Category](),
	"models.Customer":                          reflect.TypeFor[models.Customer](),
	"models.Dataset":                           reflect.TypeFor[models.Dataset](),
	"models.DatasetPart":                       reflect.TypeFor[models.DatasetPart](),
	"models.Decision":                          reflect.TypeFor[models.Decision](),
	"models.Encoding":                          reflect.TypeFor[models.Encoding](),
	"models.Frequency":                         reflect.TypeFor[models.Frequency](),
	"models.Grant":                             reflect.TypeFor[models.Grant](),
	"models.GrantedItem":                       reflect.TypeFor[models.GrantedItem](),
	"models.InputError":                        reflect.TypeFor[models.InputError](),
	"models.Listing":                           reflect.TypeFor[models.Listing](),
	"models.ListingKind":                       reflect.TypeFor[models.ListingKind](),
	"models.LocalTask":                         reflect.TypeFor[models.LocalTask](),
	"models.Ownership":                         reflect.TypeFor[models.Ownership](),
	"models.Provider":                          reflect.TypeFor[models.Provider](),
	"models.Role":                              reflect.TypeFor[models.Role](),
	"models.Source":                            reflect.TypeFor[models.Source](),
	"models.TaskMap":                           reflect.TypeFor[models.TaskMap](),
	"models.Visit":                             reflect.TypeFor[models.Visit](),
	"models.ZoneChange":                        reflect.TypeFor[models.ZoneChange](),
	"models.Zones":                             reflect.TypeFor[models.Zones](),
	"reimbursement.Amount":                     reflect.TypeFor[reimbursement.Amount](),
	"reimbursement.Book":                       reflect.TypeFor[reimbursement.Book](),
	"reimbursement.Component":                  reflect.TypeFor[reimbursement.Component](),
	"reimbursement.CustomerTotal":              reflect.TypeFor[reimbursement.CustomerTotal](),
	"reimbursement.Duplicate":                  reflect.TypeFor[reimbursement.Duplicate](),
	"reimbursement.Explanation":                reflect.TypeFor[reimbursement.Explanation](),
	"reimbursement.ExprError":                  reflect.TypeFor[reimbursement.ExprError](),
	"reimbursement.Format":                     reflect.TypeFor[reimbursement.Format](),
	"reimbursement.Input":                      reflect.TypeFor[reimbursement.Input](),
	"reimbursement.KeyFigures":                 reflect.TypeFor[reimbursement.KeyFigures](),
	"reimbursement.Limits":                     reflect.TypeFor[reimbursement.Limits](),
	"reimbursement.Line":                       reflect.TypeFor[reimbursement.Line](),
	"reimbursement.LineKind":                   reflect.TypeFor[reimbursement.LineKind](),
	"reimbursement.Loader":                     reflect.TypeFor[reimbursement.Loader](),
	"reimbursement.Lookup":                     reflect.TypeFor[reimbursement.Lookup](),
	"reimbursement.Options":                    reflect.TypeFor[reimbursement.Options](),
	"reimbursement.ProviderTotal":              reflect.TypeFor[reimbursement.ProviderTotal](),
	"reimbursement.Reason":                     reflect.TypeFor[reimbursement.Reason](),
	"reimbursement.RecordKey":                  reflect.TypeFor[reimbursement.RecordKey](),
	"reimbursement.RecordKind":                 reflect.TypeFor[reimbursement.RecordKind](),
	"reimbursement.Rounding":                   reflect.TypeFor[reimbursement.Rounding](),
	"reimbursement.RoundingMode":               reflect.TypeFor[reimbursement.RoundingMode](),
	"reimbursement.Settlement":                 reflect.TypeFor[reimbursement.Settlement](),
	"reimbursement.TariffError":                reflect.TypeFor[reimbursement.TariffError](),
	"reimbursement.TextOptions":                reflect.TypeFor[reimbursement.TextOptions](),
	"reimbursement.Unit":                       reflect.TypeFor[reimbursement.Unit](),
	"reimbursement.UnitRef":                    reflect.TypeFor[reimbursement.UnitRef](),
	"reimbursement.Unpaid":                     reflect.TypeFor[reimbursement.Unpaid](),
	"reimbursement.Version":                    reflect.TypeFor[reimbursement.Version](),
	"reimbursement.VersionRef":                 reflect.TypeFor[reimbursement.VersionRef](),
	"reimbursement.Writer":                     reflect.TypeFor[reimbursement.Writer](),
	"reimbursement/compare.Budget":             reflect.TypeFor[compare.Budget](),
	"reimbursement/compare.BudgetVerdict":      reflect.TypeFor[compare.BudgetVerdict](),
	"reimbursement/compare.Change":             reflect.TypeFor[compare.Change](),
	"reimbursement/compare.CustomerDiff":       reflect.TypeFor[compare.CustomerDiff](),
	"reimbursement/compare.Distribution":       reflect.TypeFor[compare.Distribution](),
	"reimbursement/compare.FeeChange":          reflect.TypeFor[compare.FeeChange](),
	"reimbursement/compare.Options":            reflect.TypeFor[compare.Options](),
	"reimbursement/compare.Outcome":            reflect.TypeFor[compare.Outcome](),
	"reimbursement/compare.ProviderDifference": reflect.TypeFor[compare.ProviderDifference](),
	"reimbursement/compare.Report":             reflect.TypeFor[compare.Report](),
	"reimbursement/compare.Side":               reflect.TypeFor[compare.Side](),
	"reimbursement/compare.SideError":          reflect.TypeFor[compare.SideError](),
	"reimbursement/compare.SideUnpaid":         reflect.TypeFor[compare.SideUnpaid](),
	"reimbursement/compare.UnpaidChange":       reflect.TypeFor[compare.UnpaidChange](),
	"reimbursement/fee.Fee":                    reflect.TypeFor[fee.Fee](),
	"reimbursement/fee.Item":                   reflect.TypeFor[fee.Item](),
	"reimbursement/fee.Level":                  reflect.TypeFor[fee.Level](),
	"reimbursement/fee.Limit":                  reflect.TypeFor[fee.Limit](),
	"reimbursement/fee.Schedule":               reflect.TypeFor[fee.Schedule](),
	"reimbursement/invoice.Basis":              reflect.TypeFor[invoice.Basis](),
	"reimbursement/invoice.Correction":         reflect.TypeFor[invoice.Correction](),
	"reimbursement/invoice.CorrectionLine":     reflect.TypeFor[invoice.CorrectionLine](),
	"reimbursement/invoice.CorrectionReason":   reflect.TypeFor[invoice.CorrectionReason](),
	"reimbursement/invoice.Customer":           reflect.TypeFor[invoice.Customer](),
	"reimbursement/invoice.Line":               reflect.TypeFor[invoice.Line](),
	"reimbursement/invoice.Options":            reflect.TypeFor[invoice.Options](),
	"reimbursement/invoice.Party":              reflect.TypeFor[invoice.Party](),
	"reimbursement/invoice.PeppolOptions":      reflect.TypeFor[invoice.PeppolOptions](),
	"reimbursement/invoice.RuleError":          reflect.TypeFor[invoice.RuleError](),
	"reimbursement/invoice.UBLInvoice":         reflect.TypeFor[invoice.UBLInvoice](),
	"reimbursement/invoice.UnitChange":         reflect.TypeFor[invoice.UnitChange](),
	"reimbursement/tarifftest.Config":          reflect.TypeFor[tarifftest.Config](),
	"reimbursement/tarifftest.Limits":          reflect.TypeFor[tarifftest.Limits](),
	"reimbursement/tarifftest.Proposal":        reflect.TypeFor[tarifftest.Proposal](),
	"reimbursement/tarifftest.Shape":           reflect.TypeFor[tarifftest.Shape](),
	"reimbursement/tarifftest.SizeBand":        reflect.TypeFor[tarifftest.SizeBand](),
}

var zeroFuncs = map[string]reflect.Value{
	"calendar.DateOf":                                  reflect.ValueOf(calendar.DateOf),
	"calendar.DaysIn":                                  reflect.ValueOf(calendar.DaysIn),
	"calendar.DefaultRules":                            reflect.ValueOf(calendar.DefaultRules),
	"calendar.DefaultSchedule":                         reflect.ValueOf(calendar.DefaultSchedule),
	"calendar.Durations":                               reflect.ValueOf(calendar.Durations),
	"calendar.Easter":                                  reflect.ValueOf(calendar.Easter),
	"calendar.HolidayOn":                               reflect.ValueOf(calendar.HolidayOn),
	"calendar.Holidays":                                reflect.ValueOf(calendar.Holidays),
	"calendar.IsBeforeHoliday":                         reflect.ValueOf(calendar.IsBeforeHoliday),
	"calendar.KindOf":                                  reflect.ValueOf(calendar.KindOf),
	"calendar.Month":                                   reflect.ValueOf(calendar.Month),
	"calendar.MustParseDate":                           reflect.ValueOf(calendar.MustParseDate),
	"calendar.NewDate":                                 reflect.ValueOf(calendar.NewDate),
	"calendar.NewSchedule":                             reflect.ValueOf(calendar.NewSchedule),
	"calendar.ParseClock":                              reflect.ValueOf(calendar.ParseClock),
	"calendar.ParseDate":                               reflect.ValueOf(calendar.ParseDate),
	"calendar.ParseDayKind":                            reflect.ValueOf(calendar.ParseDayKind),
	"calendar.ParseMonth":                              reflect.ValueOf(calendar.ParseMonth),
	"calendar.SingleBand":                              reflect.ValueOf(calendar.SingleBand),
	"ksi.ActionTypes":                                  reflect.ValueOf(ksi.ActionTypes),
	"ksi.DefaultCatalog":                               reflect.ValueOf(ksi.DefaultCatalog),
	"ksi.LoadCatalog":                                  reflect.ValueOf(ksi.LoadCatalog),
	"ksi.LoadCatalogFS":                                reflect.ValueOf(ksi.LoadCatalogFS),
	"ksi.LookupActionType":                             reflect.ValueOf(ksi.LookupActionType),
	"ksi.MustParse":                                    reflect.ValueOf(ksi.MustParse),
	"ksi.Parse":                                        reflect.ValueOf(ksi.Parse),
	"models.Absent":                                    reflect.ValueOf(models.Absent),
	"models.Categories":                                reflect.ValueOf(models.Categories),
	"models.NewTaskMap":                                reflect.ValueOf(models.NewTaskMap),
	"models.NormalizeOrgNumber":                        reflect.ValueOf(models.NormalizeOrgNumber),
	"models.ParseAbsenceReason":                        reflect.ValueOf(models.ParseAbsenceReason),
	"models.ParseCategory":                             reflect.ValueOf(models.ParseCategory),
	"models.ParseEncoding":                             reflect.ValueOf(models.ParseEncoding),
	"models.ParseFrequency":                            reflect.ValueOf(models.ParseFrequency),
	"models.ParseListingKind":                          reflect.ValueOf(models.ParseListingKind),
	"models.ParseOwnership":                            reflect.ValueOf(models.ParseOwnership),
	"models.ParseRole":                                 reflect.ValueOf(models.ParseRole),
	"models.Paused":                                    reflect.ValueOf(models.Paused),
	"models.PausedDays":                                reflect.ValueOf(models.PausedDays),
	"models.ReadDataset":                               reflect.ValueOf(models.ReadDataset),
	"models.ReadDatasetFS":                             reflect.ValueOf(models.ReadDatasetFS),
	"models.ReadDatasetParts":                          reflect.ValueOf(models.ReadDatasetParts),
	"models.ReadTaskMapCSV":                            reflect.ValueOf(models.ReadTaskMapCSV),
	"models.ReadTaskMapJSON":                           reflect.ValueOf(models.ReadTaskMapJSON),
	"models.ReadVisitsCSV":                             reflect.ValueOf(models.ReadVisitsCSV),
	"models.ReadVisitsCSVWith":                         reflect.ValueOf(models.ReadVisitsCSVWith),
	"models.VisitsCSV":                                 reflect.ValueOf(models.VisitsCSV),
	"models.WriteVisitsCSV":                            reflect.ValueOf(models.WriteVisitsCSV),
	"reimbursement.AmountOf":                           reflect.ValueOf(reimbursement.AmountOf),
	"reimbursement.ItemName":                           reflect.ValueOf(reimbursement.ItemName),
	"reimbursement.LoadBook":                           reflect.ValueOf(reimbursement.LoadBook),
	"reimbursement.LoadVersion":                        reflect.ValueOf(reimbursement.LoadVersion),
	"reimbursement.Merge":                              reflect.ValueOf(reimbursement.Merge),
	"reimbursement.NewBook":                            reflect.ValueOf(reimbursement.NewBook),
	"reimbursement.NewWriter":                          reflect.ValueOf(reimbursement.NewWriter),
	"reimbursement.ParseVersion":                       reflect.ValueOf(reimbursement.ParseVersion),
	"reimbursement.ReadSettlement":                     reflect.ValueOf(reimbursement.ReadSettlement),
	"reimbursement.Replace":                            reflect.ValueOf(reimbursement.Replace),
	"reimbursement.Settle":                             reflect.ValueOf(reimbursement.Settle),
	"reimbursement.SettleCustomers":                    reflect.ValueOf(reimbursement.SettleCustomers),
	"reimbursement.SettleEach":                         reflect.ValueOf(reimbursement.SettleEach),
	"reimbursement.Strategies":                         reflect.ValueOf(reimbursement.Strategies),
	"reimbursement.UnpaidRecords":                      reflect.ValueOf(reimbursement.UnpaidRecords),
	"reimbursement/compare.LineText":                   reflect.ValueOf(compare.LineText),
	"reimbursement/compare.Run":                        reflect.ValueOf(compare.Run),
	"reimbursement/compare.UnitsText":                  reflect.ValueOf(compare.UnitsText),
	"reimbursement/compare.VersionsText":               reflect.ValueOf(compare.VersionsText),
	"reimbursement/fee.Maxtaxa":                        reflect.ValueOf(fee.Maxtaxa),
	"reimbursement/fee.Prisbasbelopp":                  reflect.ValueOf(fee.Prisbasbelopp),
	"reimbursement/fee.Read":                           reflect.ValueOf(fee.Read),
	"reimbursement/invoice.Build":                      reflect.ValueOf(invoice.Build),
	"reimbursement/invoice.Check":                      reflect.ValueOf(invoice.Check),
	"reimbursement/invoice.Correct":                    reflect.ValueOf(invoice.Correct),
	"reimbursement/invoice.Validate":                   reflect.ValueOf(invoice.Validate),
	"reimbursement/invoice.WriteCSV":                   reflect.ValueOf(invoice.WriteCSV),
	"reimbursement/invoice.WriteHTML":                  reflect.ValueOf(invoice.WriteHTML),
	"reimbursement/tarifftest.CheckBounded":            reflect.ValueOf(tarifftest.CheckBounded),
	"reimbursement/tarifftest.CheckBoundedChange":      reflect.ValueOf(tarifftest.CheckBoundedChange),
	"reimbursement/tarifftest.CheckDeterministic":      reflect.ValueOf(tarifftest.CheckDeterministic),
	"reimbursement/tarifftest.CheckGrantedCap":         reflect.ValueOf(tarifftest.CheckGrantedCap),
	"reimbursement/tarifftest.CheckLedger":             reflect.ValueOf(tarifftest.CheckLedger),
	"reimbursement/tarifftest.CheckOrderIndependent":   reflect.ValueOf(tarifftest.CheckOrderIndependent),
	"reimbursement/tarifftest.CheckPerformedMonotonic": reflect.ValueOf(tarifftest.CheckPerformedMonotonic),
	"reimbursement/tarifftest.CheckSameOutput":         reflect.ValueOf(tarifftest.CheckSameOutput),
	"reimbursement/tarifftest.Dataset":                 reflect.ValueOf(tarifftest.Dataset),
	"reimbursement/tarifftest.FindCounterexample":      reflect.ValueOf(tarifftest.FindCounterexample),
	"reimbursement/tarifftest.PaidMinutes":             reflect.ValueOf(tarifftest.PaidMinutes),
	"reimbursement/tarifftest.Resample":                reflect.ValueOf(tarifftest.Resample),
	"reimbursement/tarifftest.ShapeOf":                 reflect.ValueOf(tarifftest.ShapeOf),
	"reimbursement/tarifftest.Shuffled":                reflect.ValueOf(tarifftest.Shuffled),
}
