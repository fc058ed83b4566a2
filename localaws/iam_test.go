package localaws

import (
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/stretchr/testify/require"
)

// iamAdmin returns an IAM client for a user of the customer account with
// the given identity policy.
func iamAdmin(t *testing.T, s *Server, doc string) *iam.Client {
	t.Helper()
	a := account(t, s, customerAccount)
	_, err := a.CreateUser("admin")
	require.NoError(t, err)
	require.NoError(t, a.PutUserPolicy("admin", "admin", mustParse(t, doc)))
	creds, err := a.CreateAccessKey("admin")
	require.NoError(t, err)
	return iam.NewFromConfig(noRetry(s.Config(static(creds))))
}

const iamAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}`

// TestIAMRoleLifecycle: a role created, changed and deleted through the
// IAM API, with the documents handed back URL-encoded as IAM does, and
// assumable the moment CreateRole returns.
func TestIAMRoleLifecycle(t *testing.T) {
	s := startServer(t)
	client := iamAdmin(t, s, iamAll)
	ctx := t.Context()
	trust, err := policy.TrustPolicy(s.PlatformAccountID(), externalID)
	require.NoError(t, err)
	trustText, err := trust.Indented()
	require.NoError(t, err)

	created, err := client.CreateRole(ctx, &iam.CreateRoleInput{
		RoleName: aws.String("awsconnect"), Path: aws.String("/integrations/"),
		AssumeRolePolicyDocument: aws.String(string(trustText)), Description: aws.String("for the platform"),
		MaxSessionDuration: aws.Int32(7200),
		Tags:               []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("data")}},
	})
	require.NoError(t, err)
	role := created.Role
	require.Equal(t, "arn:aws:iam::444455556666:role/integrations/awsconnect", *role.Arn)
	require.Regexp(t, `^AROA[A-Z2-7]{17}$`, *role.RoleId)
	require.Equal(t, int32(7200), *role.MaxSessionDuration)
	require.Equal(t, "for the platform", *role.Description)
	require.NotNil(t, role.CreateDate)
	decoded, err := url.PathUnescape(*role.AssumeRolePolicyDocument)
	require.NoError(t, err)
	require.Equal(t, string(trustText), decoded, "IAM hands the document back as sent, URL-encoded")
	require.NotContains(t, *role.AssumeRolePolicyDocument, "+", "spaces are %20, which the AWS CLI's unquote reads")

	// Assumable at once, with the external ID only.
	stsClient := sts.NewFromConfig(noRetry(s.Config(nil)))
	_, err = stsClient.AssumeRole(ctx, assumeInput(*role.Arn))
	require.NoError(t, err)
	_, err = stsClient.AssumeRole(ctx, assumeInput(*role.Arn, func(in *sts.AssumeRoleInput) { in.ExternalId = aws.String("wrong_id") }))
	requireAPIError(t, err, "AccessDenied")

	got, err := client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("awsconnect")})
	require.NoError(t, err)
	require.Equal(t, *role.Arn, *got.Role.Arn)
	require.Equal(t, []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("data")}}, got.Role.Tags)

	// Inline policies.
	perms := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::reports"}]}`
	for _, name := range []string{"s3", "extra"} {
		_, err = client.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("awsconnect"), PolicyName: aws.String(name), PolicyDocument: aws.String(perms)})
		require.NoError(t, err)
	}
	gp, err := client.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("awsconnect"), PolicyName: aws.String("s3")})
	require.NoError(t, err)
	decoded, err = url.PathUnescape(*gp.PolicyDocument)
	require.NoError(t, err)
	require.Equal(t, perms, decoded)
	var names []string
	pages := iam.NewListRolePoliciesPaginator(client, &iam.ListRolePoliciesInput{RoleName: aws.String("awsconnect"), MaxItems: aws.Int32(1)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		require.NoError(t, err)
		require.Len(t, page.PolicyNames, 1)
		names = append(names, page.PolicyNames...)
	}
	require.Equal(t, []string{"extra", "s3"}, names)

	// Customer managed policies.
	cp, err := client.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("reports"), PolicyDocument: aws.String(perms)})
	require.NoError(t, err)
	require.Equal(t, "arn:aws:iam::444455556666:policy/reports", *cp.Policy.Arn)
	require.Equal(t, "v1", *cp.Policy.DefaultVersionId)
	_, err = client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("awsconnect"), PolicyArn: cp.Policy.Arn})
	require.NoError(t, err)
	pol, err := client.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: cp.Policy.Arn})
	require.NoError(t, err)
	require.Equal(t, int32(1), *pol.Policy.AttachmentCount)
	ver, err := client.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: cp.Policy.Arn, VersionId: aws.String("v1")})
	require.NoError(t, err)
	require.True(t, ver.PolicyVersion.IsDefaultVersion)
	decoded, err = url.PathUnescape(*ver.PolicyVersion.Document)
	require.NoError(t, err)
	require.Equal(t, perms, decoded)
	attached, err := client.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("awsconnect")})
	require.NoError(t, err)
	require.Equal(t, "reports", *attached.AttachedPolicies[0].PolicyName)
	_, err = client.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: cp.Policy.Arn})
	requireAPIError(t, err, "DeleteConflict")

	// Tags.
	_, err = client.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("awsconnect"), Tags: []iamtypes.Tag{
		{Key: aws.String("TEAM"), Value: aws.String("ops")}, {Key: aws.String("env"), Value: aws.String("prod")}}})
	require.NoError(t, err)
	tags, err := client.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String("awsconnect")})
	require.NoError(t, err)
	require.Equal(t, []iamtypes.Tag{{Key: aws.String("TEAM"), Value: aws.String("ops")}, {Key: aws.String("env"), Value: aws.String("prod")}}, tags.Tags,
		"tag keys are case-insensitive: TEAM replaces team")

	// A role with policies cannot be deleted until they are gone.
	_, err = client.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("awsconnect")})
	requireAPIError(t, err, "DeleteConflict")
	for _, name := range names {
		_, err = client.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("awsconnect"), PolicyName: aws.String(name)})
		require.NoError(t, err)
	}
	_, err = client.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("awsconnect")})
	ae := requireAPIError(t, err, "DeleteConflict")
	require.Contains(t, ae.ErrorMessage(), "detach")
	_, err = client.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("awsconnect"), PolicyArn: cp.Policy.Arn})
	require.NoError(t, err)
	_, err = client.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("awsconnect")})
	require.NoError(t, err)
	_, err = client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("awsconnect")})
	requireAPIError(t, err, "NoSuchEntity")
	_, err = stsClient.AssumeRole(ctx, assumeInput(*role.Arn))
	requireAPIError(t, err, "AccessDenied")
	_, err = client.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: cp.Policy.Arn})
	require.NoError(t, err)
}

// TestIAMErrors: what IAM refuses is refused with IAM's code and a message
// that gives the reason, and nothing is created.
func TestIAMErrors(t *testing.T) {
	s := startServer(t)
	client := iamAdmin(t, s, iamAll)
	ctx := t.Context()
	trust, err := policy.TrustPolicy(s.PlatformAccountID(), externalID)
	require.NoError(t, err)
	_, err = client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("existing"), AssumeRolePolicyDocument: aws.String(trust.String())})
	require.NoError(t, err)

	long := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole",` +
		`"Condition":{"StringEquals":{"sts:ExternalId":["` + strings.Repeat("x", 2100) + `"]}}}]}`
	cases := []struct {
		name, role, trust, code, message string
	}{
		{"duplicate", "existing", trust.String(), "EntityAlreadyExists", "Role with name existing already exists."},
		{"duplicate in another case", "EXISTING", trust.String(), "EntityAlreadyExists", "already exists"},
		{"not JSON", "r1", `{"Version":`, "MalformedPolicyDocument", "JSON"},
		{"resource in a trust policy", "r2", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole","Resource":"*"}]}`,
			"MalformedPolicyDocument", "Has prohibited field Resource"},
		{"no principal", "r3", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}`,
			"MalformedPolicyDocument", "Missing required field Principal"},
		{"a role that does not exist", "r4", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/nobody"},"Action":"sts:AssumeRole"}]}`,
			"MalformedPolicyDocument", `Invalid principal in policy: "AWS":"arn:aws:iam::111122223333:role/nobody"`},
		{"not an STS action", "r5", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject"}]}`,
			"MalformedPolicyDocument", "AssumeRole policy may only specify STS AssumeRole actions."},
		{"trust policy over 2,048 characters", "r6", long, "LimitExceeded", "Cannot exceed quota for ACLSizePerRole: 2048"},
		{"bad name", "no spaces", trust.String(), "ValidationError", "regular expression pattern"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(tc.role), AssumeRolePolicyDocument: aws.String(tc.trust)})
			ae := requireAPIError(t, err, tc.code)
			require.Contains(t, ae.ErrorMessage(), tc.message)
			if tc.role != "existing" && tc.role != "EXISTING" {
				_, err = client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(tc.role)})
				require.Error(t, err, "a refused CreateRole creates nothing")
			}
		})
	}

	identity := []struct{ name, doc, message string }{
		{"principal", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`, "should not specify a principal"},
		{"no resource", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}`, "must contain resources"},
		{"unknown element", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Resources":"*"}]}`, "Resources"},
	}
	for _, tc := range identity {
		t.Run("inline policy with "+tc.name, func(t *testing.T) {
			_, err := client.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("existing"), PolicyName: aws.String("p"), PolicyDocument: aws.String(tc.doc)})
			ae := requireAPIError(t, err, "MalformedPolicyDocument")
			require.Contains(t, ae.ErrorMessage(), tc.message)
			_, err = client.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("p"), PolicyDocument: aws.String(tc.doc)})
			requireAPIError(t, err, "MalformedPolicyDocument")
		})
	}
	list, err := client.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String("existing")})
	require.NoError(t, err)
	require.Empty(t, list.PolicyNames, "refused policies are not stored")

	_, err = client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("nosuch")})
	ae := requireAPIError(t, err, "NoSuchEntity")
	require.Equal(t, "The role with name nosuch cannot be found.", ae.ErrorMessage())
	_, err = client.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("existing"), PolicyName: aws.String("nosuch")})
	requireAPIError(t, err, "NoSuchEntity")
	_, err = client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("existing"), PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")})
	requireAPIError(t, err, "NoSuchEntity")
	_, err = client.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String("arn:aws:iam::444455556666:policy/nosuch")})
	requireAPIError(t, err, "NoSuchEntity")
	_, err = client.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("existing"), PolicyDocument: aws.String(long)})
	requireAPIError(t, err, "LimitExceeded")
	got, err := client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("existing")})
	require.NoError(t, err)
	decoded, err := url.PathUnescape(*got.Role.AssumeRolePolicyDocument)
	require.NoError(t, err)
	require.Equal(t, trust.String(), decoded, "a refused update leaves the trust policy as it was")

	for i := range maxManagedPerRole + 1 {
		name := "m" + string(rune('a'+i))
		p, err := client.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(name), PolicyDocument: aws.String(iamAll)})
		require.NoError(t, err)
		_, err = client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("existing"), PolicyArn: p.Policy.Arn})
		if i < maxManagedPerRole {
			require.NoError(t, err)
		} else {
			requireAPIError(t, err, "LimitExceeded")
		}
	}
	_, err = client.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("ma"), PolicyDocument: aws.String(iamAll)})
	requireAPIError(t, err, "EntityAlreadyExists")
}

// TestIAMAuthorization: every IAM call is authorised with the caller's own
// policies, on the role's ARN, with the condition keys IAM sets.
func TestIAMAuthorization(t *testing.T) {
	s := startServer(t)
	client := iamAdmin(t, s, `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["iam:CreateRole","iam:GetRole"],"Resource":"arn:aws:iam::444455556666:role/platform/*"},
		{"Effect":"Allow","Action":"iam:AttachRolePolicy","Resource":"*","Condition":{"ArnEquals":{"iam:PolicyARN":"arn:aws:iam::444455556666:policy/allowed"}}},
		{"Effect":"Allow","Action":"iam:DeleteRole","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/deletable":"yes"}}}]}`)
	ctx := t.Context()
	trust, err := policy.TrustPolicy(s.PlatformAccountID(), externalID)
	require.NoError(t, err)
	customer := account(t, s, customerAccount)
	for _, name := range []string{"allowed", "other"} {
		_, err = customer.CreatePolicy(name, mustParse(t, iamAll))
		require.NoError(t, err)
	}

	_, err = client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), Path: aws.String("/platform/"), AssumeRolePolicyDocument: aws.String(trust.String())})
	require.NoError(t, err)
	_, err = client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r2"), AssumeRolePolicyDocument: aws.String(trust.String())})
	ae := requireAPIError(t, err, "AccessDenied")
	require.Equal(t, "User: arn:aws:iam::444455556666:user/admin is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::444455556666:role/r2 because no identity-based policy allows the iam:CreateRole action", ae.ErrorMessage())
	_, err = client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("tagged"), Path: aws.String("/platform/"), AssumeRolePolicyDocument: aws.String(trust.String()),
		Tags: []iamtypes.Tag{{Key: aws.String("deletable"), Value: aws.String("yes")}}})
	ae = requireAPIError(t, err, "AccessDenied")
	require.Contains(t, ae.ErrorMessage(), "iam:TagRole", "creating a role with tags needs iam:TagRole too")

	_, err = client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String("arn:aws:iam::444455556666:policy/other")})
	requireAPIError(t, err, "AccessDenied")
	_, err = client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String("arn:aws:iam::444455556666:policy/allowed")})
	require.NoError(t, err)
	_, err = client.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("p"), PolicyDocument: aws.String(iamAll)})
	requireAPIError(t, err, "AccessDenied")

	require.NoError(t, customer.DetachRolePolicy("r", "arn:aws:iam::444455556666:policy/allowed"))
	_, err = client.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("r")})
	requireAPIError(t, err, "AccessDenied")
	log := s.Requests()
	last := log[len(log)-1]
	require.Equal(t, "iam:DeleteRole", last.Action)
	require.Equal(t, "arn:aws:iam::444455556666:role/platform/r", last.Resource, "authorised on the role's ARN with its path")

	_, err = customer.CreateRole("tagged", trust, func(o *RoleOptions) { o.Tags = map[string]string{"deletable": "yes"} })
	require.NoError(t, err)
	_, err = client.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("tagged")})
	require.NoError(t, err, "aws:ResourceTag/deletable is the role's tag")
}

// TestIAMFaults: faults hit IAM calls like any other service's, in awsQuery.
func TestIAMFaults(t *testing.T) {
	s := startServer(t)
	client := iamAdmin(t, s, iamAll)
	remove, err := s.InjectFault(Fault{Service: "iam", Operation: "GetRole", Kind: Throttle, Times: 1})
	require.NoError(t, err)
	defer remove()
	_, err = client.GetRole(t.Context(), &iam.GetRoleInput{RoleName: aws.String("nosuch")})
	requireAPIError(t, err, "Throttling")
	_, err = client.GetRole(t.Context(), &iam.GetRoleInput{RoleName: aws.String("nosuch")})
	requireAPIError(t, err, "NoSuchEntity")
	log := s.Requests()
	require.Equal(t, "Throttle", log[len(log)-2].Fault)
	require.Equal(t, "iam", log[len(log)-1].Service)
}

// TestIAMConcurrent: roles created, changed and assumed through the IAM API
// by parallel clients while the Go methods read and change the same
// account; with -race it checks the locking.
func TestIAMConcurrent(t *testing.T) {
	s := startServer(t)
	client := iamAdmin(t, s, iamAll)
	customer := account(t, s, customerAccount)
	trust, err := policy.TrustPolicy(s.PlatformAccountID(), externalID)
	require.NoError(t, err)
	const workers = 6
	var wg sync.WaitGroup
	errs := make(chan error, workers*3)
	for w := range workers {
		wg.Go(func() {
			name := fmt.Sprintf("role-%d", w)
			out, err := client.CreateRole(t.Context(), &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust.String())})
			errs <- err
			if err != nil {
				return
			}
			_, err = client.PutRolePolicy(t.Context(), &iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("p"), PolicyDocument: aws.String(iamAll)})
			errs <- err
			_, err = sts.NewFromConfig(noRetry(s.Config(nil))).AssumeRole(t.Context(), assumeInput(*out.Role.Arn))
			errs <- err
		})
	}
	wg.Go(func() {
		for i := range 20 {
			_, _ = customer.RoleARN(fmt.Sprintf("role-%d", i%workers))
			_ = customer.UpdateTrustPolicy(fmt.Sprintf("role-%d", i%workers), trust)
			_ = s.Requests()
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}
