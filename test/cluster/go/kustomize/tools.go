//go:build tools

// Package tools pins the kustomize command this module builds; it is never compiled.
package tools

import _ "sigs.k8s.io/kustomize/kustomize/v5"
