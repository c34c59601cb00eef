// Command hsl-cap settles April 2024 under a tariff that pays delegated
// HSL on performed time, at most 17 % of the performed SoL time. See
// README.md.
package main

import (
	"embed"

	"github.com/hemtjanst/ersattning/examples/internal/exrun"
)

//go:embed example.json dataset.json tariffs
var files embed.FS

func main() { exrun.Main(files) }
