// Package cli pins the Pulumi CLI that mailform runs. It has no code of its
// own: go.mod requires github.com/pulumi/pulumi/pkg/v3 at the pinned version
// (go.sum makes the build verifiable without the sum database), and
// engine/setup.sh builds that module's cmd/pulumi from here. A wrapper module
// is needed because the CLI's own go.mod has replace directives, which
// `go install pkg@version` refuses.
package cli
