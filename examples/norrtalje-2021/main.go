// Command norrtalje-2021 settles September 2021 under the customer-choice
// model of Norrtälje (KSON) in force from June 2021. See README.md.
package main

import (
	"embed"

	"github.com/hemtjanst/ersattning/examples/internal/exrun"
)

//go:embed example.json dataset.json tariffs
var files embed.FS

func main() { exrun.Main(files) }
