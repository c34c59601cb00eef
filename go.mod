module github.com/hemtjanst/ersattning

go 1.26.0

require (
	github.com/expr-lang/expr v1.17.8
	github.com/google/go-cmp v0.7.0
	github.com/shopspring/decimal v1.6.0
	pgregory.net/rapid v1.3.0
)

require golang.org/x/text v0.43.0
