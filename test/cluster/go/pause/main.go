// Command pause is the sandbox process of the test node's pods: it holds the pod's namespaces, reaps orphaned
// children and exits on SIGINT or SIGTERM, as Kubernetes' build/pause/linux/pause.c does (which needs a C toolchain).
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for s := range sigs {
		if s != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}
