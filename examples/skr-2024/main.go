// Command skr-2024 settles April 2024 under four tariffs built from SKR's
// 2024 average rates, so a reader sees what the choice of basis, of
// competition and of ownership does. See README.md.
package main

import (
	"embed"

	"github.com/hemtjanst/ersattning/examples/internal/exrun"
)

//go:embed example.json dataset.json tariffs
var files embed.FS

func main() { exrun.Main(files) }
