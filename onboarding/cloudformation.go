package onboarding

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"

	"github.com/awsconnect/awsconnect/internal/echo"
	"github.com/awsconnect/awsconnect/internal/iamarn"
	"github.com/awsconnect/awsconnect/policy"
)

// The logical names in the CloudFormation template, stable for programs
// that read the stack: the parameter the customer may change, the role
// resource and the output with the role's ARN.
const (
	// RoleNameParameter is the template parameter holding the role name.
	RoleNameParameter = "RoleName"
	// RoleResource is the logical ID of the AWS::IAM::Role.
	RoleResource = "PlatformRole"
	// RoleARNOutput is the stack output holding the role's ARN.
	RoleARNOutput = "RoleArn"
)

// templateDescription is the template's Description; CloudFormation
// shows it on the quick-create page.
const templateDescription = "IAM role the integration platform assumes with an external ID, " +
	"with a least-privilege permissions policy inline for the operations of one connection."

// Template returns the CloudFormation template that creates the role: an
// AWS::IAM::Role with the trust policy (external ID fixed), the permissions
// policy inline and the path, a RoleName parameter that defaults to the
// kit's name and refuses what IAM would refuse, and the RoleArn output.
// Each call returns a new template, which the caller may extend.
//
// Creating the stack needs the CAPABILITY_NAMED_IAM acknowledgement, as for
// any named IAM role; the quick-create page asks for it.
func (k *Kit) Template() *cloudformation.Template {
	t := cloudformation.NewTemplate()
	t.Description = templateDescription
	minLen, maxLen := 1, iamarn.MaxRoleNameLen
	t.Parameters[RoleNameParameter] = cloudformation.Parameter{
		Type:                  "String",
		Description:           ptr("Name of the IAM role the platform assumes. If you change it, give the platform the RoleArn output."),
		Default:               k.roleName,
		MinLength:             &minLen,
		MaxLength:             &maxLen,
		AllowedPattern:        ptr(`[\w+=,.@-]+`),
		ConstraintDescription: ptr("1 to 64 letters, digits and +=,.@_-"),
	}
	t.Metadata["AWS::CloudFormation::Interface"] = map[string]any{
		"ParameterLabels": map[string]any{RoleNameParameter: map[string]any{"default": "Role name"}},
	}
	t.Resources[RoleResource] = &iam.Role{
		RoleName:                 cloudformation.RefPtr(RoleNameParameter),
		Path:                     ptr(k.path),
		Description:              ptr(k.description),
		AssumeRolePolicyDocument: documentValue(k.trust),
		Policies:                 []iam.Role_Policy{{PolicyName: k.policyName, PolicyDocument: documentValue(k.permissions)}},
	}
	t.Outputs[RoleARNOutput] = cloudformation.Output{
		Value:       cloudformation.GetAtt(RoleResource, "Arn"),
		Description: ptr("ARN of the role; paste it into the platform's connection form."),
	}
	return t
}

// TemplateJSON returns [Kit.Template] as JSON, indented with two spaces.
func (k *Kit) TemplateJSON() ([]byte, error) {
	b, err := k.Template().JSON()
	if err != nil {
		return nil, fmt.Errorf("onboarding: template JSON: %w", err)
	}
	return append(b, '\n'), nil
}

// TemplateYAML returns [Kit.Template] as YAML.
func (k *Kit) TemplateYAML() ([]byte, error) {
	b, err := k.Template().YAML()
	if err != nil {
		return nil, fmt.Errorf("onboarding: template YAML: %w", err)
	}
	return b, nil
}

// documentValue is d as the generic JSON value goformation embeds; the
// JSON is policy's own, so the template holds exactly the kit's policy.
func documentValue(d *policy.Document) any {
	b, err := d.JSON()
	if err != nil {
		panic("onboarding: a checked policy does not marshal: " + err.Error())
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		panic("onboarding: policy JSON does not parse: " + err.Error())
	}
	return v
}

func ptr[T any](v T) *T { return &v }

// consoleHost returns the AWS console's host for the kit's partition.
func (k *Kit) consoleHost() (string, error) {
	switch k.partition {
	case "aws":
		return k.region + ".console.aws.amazon.com", nil
	case "aws-cn":
		return "console.amazonaws.cn", nil
	case "aws-us-gov":
		return "console.amazonaws-us-gov.com", nil
	}
	return "", fmt.Errorf("%w: %s; hand the customer the template, Terraform or the CLI script instead (consoles are known for aws, aws-cn and aws-us-gov)", ErrUnsupportedPartition, k.partition)
}

// s3Suffixes are the DNS suffixes of Amazon S3 endpoints by partition.
var s3Suffixes = map[string]string{
	"aws": ".amazonaws.com", "aws-us-gov": ".amazonaws.com", "aws-cn": ".amazonaws.com.cn", "aws-eusc": ".amazonaws.eu",
}

// QuickCreateURL returns the AWS console link that opens CloudFormation's
// quick-create page for the kit's template, hosted by the platform at
// templateURL, with the stack name and the RoleName parameter filled in:
//
//	https://REGION.console.aws.amazon.com/cloudformation/home?region=REGION#/stacks/create/review?param_RoleName=...&stackName=...&templateURL=...
//
// (console.amazonaws.cn and console.amazonaws-us-gov.com in aws-cn and
// aws-us-gov). Every value is escaped by net/url. The platform uploads
// [Kit.TemplateJSON] or [Kit.TemplateYAML] to templateURL; CloudFormation
// reads it only from Amazon S3 in the stack's partition.
//
// It fails with ErrInvalidTemplateURL for a URL that is not https, not an
// Amazon S3 endpoint of the partition, carries user info or a fragment, or
// is over 1,024 characters; with ErrTemplateTooLarge when the template
// exceeds the 1 MB CloudFormation reads from a URL; and with
// ErrUnsupportedPartition where no console is known.
func (k *Kit) QuickCreateURL(templateURL string) (string, error) {
	if err := k.checkTemplateURL(templateURL); err != nil {
		return "", err
	}
	body, err := k.TemplateJSON()
	if err != nil {
		return "", err
	}
	if err := checkTemplateSize("JSON", len(body), TemplateURLQuota, "the 1 MB CloudFormation reads from a template URL"); err != nil {
		return "", err
	}
	host, err := k.consoleHost()
	if err != nil {
		return "", err
	}
	q := url.Values{}
	q.Set("templateURL", templateURL)
	q.Set("stackName", k.stackName)
	q.Set("param_"+RoleNameParameter, k.roleName)
	fragment := "/stacks/create/review?" + q.Encode()
	u := url.URL{
		Scheme:   "https",
		Host:     host,
		Path:     "/cloudformation/home",
		RawQuery: url.Values{"region": {k.region}}.Encode(),
	}
	// The console reads the hash as a path and query of its own, so the
	// fragment is set escaped: Fragment is its decoded form, and
	// RawFragment keeps url.Values' escapes (a "%2B" for a "+" in the role
	// name) instead of having URL.String escape the "%" again.
	if u.Fragment, err = url.PathUnescape(fragment); err != nil {
		return "", fmt.Errorf("onboarding: internal error: fragment %s: %w", echo.Quote(fragment), err)
	}
	u.RawFragment = fragment
	return u.String(), nil
}

// checkTemplateURL accepts an https URL of an Amazon S3 object in the
// kit's partition.
func (k *Kit) checkTemplateURL(s string) error {
	if len(s) > MaxTemplateURLLen {
		return fmt.Errorf("%w: it is %d characters; CloudFormation takes at most %d", ErrInvalidTemplateURL, len(s), MaxTemplateURLLen)
	}
	u, err := url.Parse(s)
	if err != nil {
		// url.Error repeats the URL, password included; only its cause is said.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("%w: it does not parse as a URL: %v", ErrInvalidTemplateURL, err)
	}
	if u.User != nil {
		return fmt.Errorf("%w: %s carries user info, which CloudFormation does not take and the link would expose; give the object's plain https URL", ErrInvalidTemplateURL, echo.Quote(u.Redacted()))
	}
	if u.Scheme != "https" {
		return fmt.Errorf("%w: %s is not https; CloudFormation reads templates only over https, such as https://BUCKET.s3.%s.amazonaws.com/KEY", ErrInvalidTemplateURL, echo.Quote(s), k.region)
	}
	if u.Fragment != "" || u.Opaque != "" {
		return fmt.Errorf("%w: %s has a fragment or no host; give the object's plain https URL", ErrInvalidTemplateURL, echo.Quote(s))
	}
	host := strings.ToLower(u.Hostname())
	suffix, ok := s3Suffixes[k.partition]
	if !ok {
		return fmt.Errorf("%w: no Amazon S3 domain is known for partition %s", ErrUnsupportedPartition, k.partition)
	}
	if !isS3Host(host, suffix) || u.Path == "" || u.Path == "/" {
		return fmt.Errorf("%w: %s is not an Amazon S3 object in partition %s; CloudFormation reads quick-create templates only from S3, such as https://BUCKET.s3.%s%s/KEY",
			ErrInvalidTemplateURL, echo.Quote(s), k.partition, k.region, suffix)
	}
	return nil
}

// isS3Host reports whether host is an Amazon S3 endpoint under suffix: one
// of its labels is "s3" or starts with "s3-" (legacy regional endpoints)
// or "s3." forms such as s3.dualstack.
func isS3Host(host, suffix string) bool {
	rest, ok := strings.CutSuffix(host, suffix)
	if !ok || rest == "" {
		return false
	}
	for _, label := range strings.Split(rest, ".") {
		if label == "s3" || strings.HasPrefix(label, "s3-") {
			return true
		}
	}
	return false
}
