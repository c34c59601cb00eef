// Command taxeforslag-2027 settles October and November 2026 under the
// current tariff and under a proposed one (indexation, a higher night
// supplement, a supplement by level of granted hours, declined visits
// paid on planned time). See README.md.
package main

import (
	"embed"

	"github.com/hemtjanst/ersattning/examples/internal/exrun"
)

//go:embed example.json dataset.json tariffs
var files embed.FS

func main() { exrun.Main(files) }
