// Command nivabeslut-2024 settles February and April 2024 under a level
// tariff (nivåbeslut) and under granted time. See README.md.
package main

import (
	"embed"

	"github.com/hemtjanst/ersattning/examples/internal/exrun"
)

//go:embed example.json dataset.json tariffs
var files embed.FS

func main() { exrun.Main(files) }
