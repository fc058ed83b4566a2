package signedhttp

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/connectors/sigv4"
	"github.com/awsconnect/awsconnect/internal/echo"
	"github.com/awsconnect/awsconnect/policy"
)

// KindName is the connector kind this package registers.
const KindName = "signedhttp"

// FieldService is the connection field naming the SigV4 signing service.
const FieldService = "service"

// Kind is the signed HTTP (any AWS API) connector kind. Its operations are
// open-ended: each is the IAM action of an API the platform calls through
// the connector, exactly as the policy catalog spells it ("s3:ListAllMyBuckets"),
// so Kind.Operations is empty and Kind.ParseOperation accepts any
// catalogued action. Importing this package registers it (and only it)
// into connectors.DefaultRegistry. It must not be modified.
var Kind = connectors.Kind{
	Name:            KindName,
	Title:           "Signed HTTP (any AWS API)",
	Fields:          kindFields,
	LookupOperation: lookupOperation,
	Permissions:     permissions,
	New:             connectors.Constructor(NewFromConnection),
}

var kindFields = []connectors.Field{
	{Key: FieldService, Label: "Signing service", Hint: "The SigV4 signing name, such as execute-api; empty means inferred from each request's host.",
		Validate: func(v string) error {
			if !sigv4.ValidSigningName(v) {
				return fmt.Errorf("%s is not a signing name (lower-case letters, digits and hyphens)", echo.Quote(v))
			}
			return nil
		}},
}

func init() { connectors.Register(Kind) }

// lookupOperation accepts an IAM action of the policy catalog spelled as
// the catalog spells it.
func lookupOperation(name connectors.Operation) (connectors.OperationInfo, error) {
	s := string(name)
	a, ok := policy.LookupAction(s)
	switch {
	case ok && a.String() == s:
		return connectors.OperationInfo{Name: name, Title: s, Actions: []string{s}}, nil
	case ok:
		return connectors.OperationInfo{}, fmt.Errorf("did you mean %s? (an operation of the signed HTTP connector is an IAM action, spelled as AWS spells it)", echo.Quote(a.String()))
	}
	prefix, _, _ := strings.Cut(s, ":")
	svc, known := policy.LookupService(prefix)
	if !known {
		return connectors.OperationInfo{}, fmt.Errorf("an operation of the signed HTTP connector is an IAM action of the policy catalog, such as \"s3:ListAllMyBuckets\"; %s names no catalogued service", echo.Quote(prefix))
	}
	names := make([]string, len(svc.Actions))
	for i, act := range svc.Actions {
		names[i] = act.String()
	}
	msg := fmt.Sprintf("%s is not a catalogued %s action", echo.Quote(s), svc.Prefix)
	if near := connectors.Closest(s, names); near != "" {
		msg += fmt.Sprintf("; did you mean %s?", echo.Quote(near))
	}
	return connectors.OperationInfo{}, fmt.Errorf("%s; valid: %s", msg, strings.Join(names, ", "))
}

var placeholder = regexp.MustCompile(`\$\{([A-Za-z]+)\}`)

// permissions is Kind.Permissions: each action on every resource of each
// of its resource types in the connection's partition, region and account
// (the connector cannot know which resources the platform's calls name),
// or without a resource for actions that have no resource-level
// permission. Check calls sts:GetCallerIdentity, which needs no
// permission.
func permissions(c connectors.Connection, ops []connectors.Operation) ([]policy.Requirement, error) {
	var reqs []policy.Requirement
	for _, op := range ops {
		a, _ := policy.LookupAction(string(op)) // ParseOperation found it
		if !a.ResourceLevel() {
			reqs = append(reqs, policy.Requirement{Action: a.String()})
			continue
		}
		// Every resource type the action acts on (an S3 object directly or
		// through an access point): the connector cannot know which the
		// platform's calls name.
		for _, rt := range a.ResourceTypes() {
			vars := map[string]string{}
			for _, m := range placeholder.FindAllStringSubmatch(rt.ARN(), -1) {
				vars[m[1]] = "*"
			}
			vars["Partition"], vars["Region"] = c.Partition(), c.Region
			if acct := c.RoleAccountID(); acct != "" {
				vars["Account"] = acct
			}
			r, err := rt.Format(vars)
			if err != nil {
				return nil, fmt.Errorf("signedhttp: Requirements: %w", err)
			}
			reqs = append(reqs, policy.Requirement{Action: a.String(), Resource: r})
		}
	}
	return reqs, nil
}

// NewFromConnection returns the Connector for a connection of kind
// "signedhttp" whose aws.Config is cfg (from connectors.Resolver.Config),
// signing for the connection's service field when set; optFns adjust the
// other Options. A connection of another kind or with a field the kind does
// not have is refused.
func NewFromConnection(cfg aws.Config, conn connectors.Connection, optFns ...func(*Options)) (*Connector, error) {
	if err := (connectors.Kind{Name: KindName, Fields: kindFields}).CheckConnection(conn); err != nil {
		return nil, err
	}
	fns := append([]func(*Options){func(o *Options) { o.Service = conn.Fields[FieldService] }}, optFns...)
	return New(cfg, fns...), nil
}
