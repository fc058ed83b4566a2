// Package redact is the one way the library's types print themselves when
// they hold or can reach a secret: an aws.Config (its credentials provider
// holds the access key), an SDK client, a signing transport, an HMAC key.
//
// Such a type implements String, GoString, Format and LogValue with this
// package, so that every fmt verb (%v %+v %#v %s %q %x %d, and fmt's
// bad-verb path, which otherwise walks the struct down to the static
// credentials provider), slog (text and JSON handlers) and, where the type
// is marshalled, JSON print a description chosen by the type and never its
// fields. The root package's redaction test enumerates every exported type
// that can reach a secret and walks it through each of those renderings.
package redact
