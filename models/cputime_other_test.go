//go:build !unix

package models

import "time"

var processStart = time.Now()

// cpuTime falls back to the time elapsed where processor time is not at
// hand.
func cpuTime() time.Duration { return time.Since(processStart) }
