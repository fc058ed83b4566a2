package signedhttp

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsconnect/awsconnect/connectors"
)

// KindName is the connector kind this package registers.
const KindName = "signedhttp"

func init() {
	connectors.Register(connectors.Kind{
		Name:  KindName,
		Title: "Signed HTTP (any AWS API)",
		Fields: []connectors.Field{
			{Key: "service", Label: "Signing service", Hint: "The SigV4 signing name, such as execute-api; empty means inferred from each request's host.",
				Validate: func(v string) error {
					if !validServiceLabel(v) {
						return fmt.Errorf("%q is not a signing name (lower-case letters, digits and hyphens)", v)
					}
					return nil
				}},
		},
		New: func(cfg aws.Config, c connectors.Connection) (connectors.Checker, error) {
			return New(cfg, func(o *Options) { o.Service = c.Fields["service"] }), nil
		},
	})
}
