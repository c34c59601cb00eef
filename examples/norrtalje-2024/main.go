// Command norrtalje-2024 settles January and February 2024 under
// Norrtälje's tariff book: the 2021 version until 31 January, the 2024
// revision from 1 February, and prints the change per provider. See
// README.md.
package main

import (
	"embed"

	"github.com/hemtjanst/ersattning/examples/internal/exrun"
)

//go:embed example.json dataset.json tariffs
var files embed.FS

func main() { exrun.Main(files) }
