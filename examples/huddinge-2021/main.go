// Command huddinge-2021 settles March 2021 under Huddinge's 2021 model:
// performed time at the customer, capped by the decision, at one rate of
// 501 kr/h. See README.md.
package main

import (
	"embed"

	"github.com/hemtjanst/ersattning/examples/internal/exrun"
)

//go:embed example.json dataset.json tariffs
var files embed.FS

func main() { exrun.Main(files) }
