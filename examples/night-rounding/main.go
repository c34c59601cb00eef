// Command night-rounding settles April 2024 under a tariff that rounds
// evening and night visits up to at least 15 minutes, with alarms paid per
// call in one book and per month in the other. See README.md.
package main

import (
	"embed"

	"github.com/hemtjanst/ersattning/examples/internal/exrun"
)

//go:embed example.json dataset.json tariffs
var files embed.FS

func main() { exrun.Main(files) }
