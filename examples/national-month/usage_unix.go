//go:build unix

package main

import (
	"runtime"
	"syscall"
	"time"
)

// usage returns the process's CPU time and peak resident memory in bytes.
func usage() (time.Duration, int64) {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	peak := int64(ru.Maxrss) // kilobytes on Linux, bytes on macOS
	if runtime.GOOS != "darwin" {
		peak <<= 10
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), peak
}
