package signedhttp

import "github.com/awsconnect/awsconnect/policy"

// Requirements returns one requirement per (action, resource) pair, for the
// APIs a platform calls through the universal connector, to pass to
// policy.LeastPrivilege: the connector cannot know them, the caller does
// ("execute-api:Invoke" on "arn:aws:execute-api:eu-west-1:111122223333:a1b2c3/prod/GET/orders").
// With no resources, each action is required without one, for actions that
// have no resource-level permissions. Check needs nothing: STS
// GetCallerIdentity requires no permission.
func Requirements(actions []string, resources ...string) []policy.Requirement {
	if len(resources) == 0 {
		resources = []string{""}
	}
	out := make([]policy.Requirement, 0, len(actions)*len(resources))
	for _, a := range actions {
		for _, r := range resources {
			out = append(out, policy.Requirement{Action: a, Resource: r})
		}
	}
	return out
}
