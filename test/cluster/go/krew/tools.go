//go:build tools

// Package tools pins krew (kubectl plugin manager), built for the krew install e2e test; it is never compiled.
package tools

import (
	_ "sigs.k8s.io/krew/cmd/krew"
)
