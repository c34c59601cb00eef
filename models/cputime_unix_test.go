//go:build unix

package models

import (
	"syscall"
	"time"
)

// cpuTime returns the processor time the process has used, user and
// system, all threads (the garbage collector's included): what a run
// costs, whatever else the machine is doing.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
