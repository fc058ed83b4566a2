package demo

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/awslabs/goformation/v7"

	"github.com/awsconnect/awsconnect/localaws"
	"github.com/awsconnect/awsconnect/policy"
)

// LaunchStack does in the local AWS what launching a CloudFormation stack
// of template (JSON) does in the customer's account, for the one resource
// type onboarding templates hold: it creates each AWS::IAM::Role, with the
// template's trust policy, path and inline policies, and names it from its
// RoleName (a Ref to a parameter takes the parameter's default, as a
// quick-create page left unchanged does). It returns the ARN of the role
// it created last.
func (c Customer) LaunchStack(template []byte) (string, error) {
	tmpl, err := goformation.ParseJSON(template)
	if err != nil {
		return "", fmt.Errorf("demo: the template does not parse: %w", err)
	}
	roles := tmpl.GetAllIAMRoleResources()
	if len(roles) == 0 {
		return "", errors.New("demo: the template creates no IAM role")
	}
	var arn string
	for id, r := range roles {
		if r.RoleName == nil {
			return "", fmt.Errorf("demo: role %s has no RoleName", id)
		}
		trust, err := documentOf(r.AssumeRolePolicyDocument)
		if err != nil {
			return "", fmt.Errorf("demo: role %s trust policy: %w", id, err)
		}
		opts := []localaws.RoleOption{}
		if r.Path != nil {
			opts = append(opts, localaws.WithPath(*r.Path))
		}
		for _, p := range r.Policies {
			doc, err := documentOf(p.PolicyDocument)
			if err != nil {
				return "", fmt.Errorf("demo: role %s policy %s: %w", id, p.PolicyName, err)
			}
			opts = append(opts, localaws.WithPolicy(p.PolicyName, doc))
		}
		if arn, err = c.Account.CreateRole(*r.RoleName, trust, opts...); err != nil {
			return "", err
		}
	}
	return arn, nil
}

// documentOf reads a policy document goformation parsed as generic JSON.
func documentOf(v any) (*policy.Document, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return policy.Parse(b)
}
