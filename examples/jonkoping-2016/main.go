// Command jonkoping-2016 settles April 2016 under Jönköping's 2016 rates
// by zone, to the öre. See README.md.
package main

import (
	"embed"

	"github.com/hemtjanst/ersattning/examples/internal/exrun"
)

//go:embed example.json dataset.json tariffs
var files embed.FS

func main() { exrun.Main(files) }
