// Command minimum-execution settles April 2024 under a tariff that pays
// the ordered time in full when at least 80 % of it is performed and
// deducts below that. See README.md.
package main

import (
	"embed"

	"github.com/hemtjanst/ersattning/examples/internal/exrun"
)

//go:embed example.json dataset.json tariffs
var files embed.FS

func main() { exrun.Main(files) }
