//go:build tools

// Package envtest only pins the modules whose commands `npm run envtest:setup` builds:
// `go build k8s.io/kubernetes/cmd/kube-apiserver` and `go build ./etcd`.
package envtest

import _ "k8s.io/kubernetes/cmd/kube-apiserver/app"
