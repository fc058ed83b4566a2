package onboarding

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/awsconnect/awsconnect/internal/iamarn"
	"github.com/awsconnect/awsconnect/policy"
)

// The names in the Terraform configuration, stable for modules that wrap it.
const (
	// TerraformRoleNameVariable is the input variable holding the role name.
	TerraformRoleNameVariable = "role_name"
	// TerraformResourceName is the name of both the aws_iam_role and the
	// aws_iam_role_policy resource.
	TerraformResourceName = "platform"
	// TerraformRoleARNOutput is the output holding the role's ARN.
	TerraformRoleARNOutput = "role_arn"
)

// Terraform returns a Terraform configuration that creates the same role
// as the template: an aws_iam_role with the trust policy and an
// aws_iam_role_policy with the permissions policy, both written with
// jsonencode so that Terraform compares them as data, a role_name
// variable (validated as IAM would) defaulting to the kit's name, and a
// role_arn output. The AWS provider is pinned to the kit's region, which
// reaches IAM in the kit's partition.
//
// The file is written with hclwrite and formatted by hclwrite.Format, the
// formatter `terraform fmt` runs, so fmt leaves it unchanged.
func (k *Kit) Terraform() ([]byte, error) {
	trust, err := policyTokens(k.trust)
	if err != nil {
		return nil, err
	}
	perms, err := policyTokens(k.permissions)
	if err != nil {
		return nil, err
	}
	f := hclwrite.NewEmptyFile()
	root := f.Body()

	tf := root.AppendNewBlock("terraform", nil).Body()
	providers := tf.AppendNewBlock("required_providers", nil).Body()
	providers.SetAttributeValue("aws", cty.ObjectVal(map[string]cty.Value{"source": cty.StringVal("hashicorp/aws")}))
	root.AppendNewline()

	provider := root.AppendNewBlock("provider", []string{"aws"}).Body()
	provider.SetAttributeValue("region", cty.StringVal(k.region))
	root.AppendNewline()

	variable := root.AppendNewBlock("variable", []string{TerraformRoleNameVariable}).Body()
	variable.SetAttributeValue("description", cty.StringVal("Name of the IAM role the platform assumes. If you change it, give the platform the role_arn output."))
	variable.SetAttributeTraversal("type", hcl.Traversal{hcl.TraverseRoot{Name: "string"}})
	variable.SetAttributeValue("default", cty.StringVal(k.roleName))
	variable.AppendNewline()
	validation := variable.AppendNewBlock("validation", nil).Body()
	roleVar := hclwrite.TokensForTraversal(hcl.Traversal{hcl.TraverseRoot{Name: "var"}, hcl.TraverseAttr{Name: TerraformRoleNameVariable}})
	validation.SetAttributeRaw("condition", hclwrite.TokensForFunctionCall("can",
		hclwrite.TokensForFunctionCall("regex", hclwrite.TokensForValue(cty.StringVal(fmt.Sprintf(`^[\w+=,.@-]{1,%d}$`, iamarn.MaxRoleNameLen))), roleVar)))
	validation.SetAttributeValue("error_message", cty.StringVal("The role name must be 1 to 64 letters, digits and +=,.@_-."))
	root.AppendNewline()

	role := root.AppendNewBlock("resource", []string{"aws_iam_role", TerraformResourceName}).Body()
	role.SetAttributeRaw("name", roleVar)
	role.SetAttributeValue("path", cty.StringVal(k.path))
	role.SetAttributeValue("description", cty.StringVal(k.description))
	role.SetAttributeRaw("assume_role_policy", hclwrite.TokensForFunctionCall("jsonencode", trust))
	root.AppendNewline()

	rolePolicy := root.AppendNewBlock("resource", []string{"aws_iam_role_policy", TerraformResourceName}).Body()
	rolePolicy.SetAttributeValue("name", cty.StringVal(k.policyName))
	rolePolicy.SetAttributeTraversal("role", hcl.Traversal{hcl.TraverseRoot{Name: "aws_iam_role"}, hcl.TraverseAttr{Name: TerraformResourceName}, hcl.TraverseAttr{Name: "name"}})
	rolePolicy.SetAttributeRaw("policy", hclwrite.TokensForFunctionCall("jsonencode", perms))
	root.AppendNewline()

	output := root.AppendNewBlock("output", []string{TerraformRoleARNOutput}).Body()
	output.SetAttributeValue("description", cty.StringVal("ARN of the role; paste it into the platform's connection form."))
	output.SetAttributeTraversal("value", hcl.Traversal{hcl.TraverseRoot{Name: "aws_iam_role"}, hcl.TraverseAttr{Name: TerraformResourceName}, hcl.TraverseAttr{Name: "arn"}})

	return hclwrite.Format(f.Bytes()), nil
}

// policyTokens writes d as an HCL object expression for jsonencode, with
// the elements in the order of policy's own JSON (Version, then each
// statement's Sid, Effect, Principal, Action, Resource, Condition), so it
// reads like the JSON the customer sees elsewhere and jsonencode yields the
// same document. hclwrite escapes "${" in strings (an IAM policy variable
// such as ${aws:username}) so that Terraform does not interpolate it.
func policyTokens(d *policy.Document) (hclwrite.Tokens, error) {
	b, err := d.JSON()
	if err != nil {
		return nil, fmt.Errorf("onboarding: policy JSON: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	toks, err := jsonTokens(dec)
	if err != nil {
		return nil, fmt.Errorf("onboarding: policy JSON: %w", err)
	}
	return toks, nil
}

// jsonTokens converts the next JSON value of dec to HCL tokens: an object
// one attribute a line, a list of strings on one line, a list holding
// objects one element a line, as people write them (hclwrite.TokensForValue
// would join objects with "}, {" and sort keys).
func jsonTokens(dec *json.Decoder) (hclwrite.Tokens, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			var attrs []hclwrite.ObjectAttrTokens
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				name := kt.(string)
				nameTokens := hclwrite.TokensForValue(cty.StringVal(name))
				if hclsyntax.ValidIdentifier(name) {
					nameTokens = hclwrite.TokensForIdentifier(name)
				}
				value, err := jsonTokens(dec)
				if err != nil {
					return nil, err
				}
				attrs = append(attrs, hclwrite.ObjectAttrTokens{Name: nameTokens, Value: value})
			}
			_, err := dec.Token() // '}'
			return hclwrite.TokensForObject(attrs), err
		}
		var elems []hclwrite.Tokens
		multiline := false
		for dec.More() {
			e, err := jsonTokens(dec)
			if err != nil {
				return nil, err
			}
			multiline = multiline || e[0].Type == hclsyntax.TokenOBrace
			elems = append(elems, e)
		}
		if _, err := dec.Token(); err != nil { // ']'
			return nil, err
		}
		if !multiline {
			return hclwrite.TokensForTuple(elems), nil
		}
		toks := hclwrite.Tokens{{Type: hclsyntax.TokenOBrack, Bytes: []byte("[")}, newline()}
		for _, e := range elems {
			toks = append(toks, e...)
			toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenComma, Bytes: []byte(",")}, newline())
		}
		return append(toks, &hclwrite.Token{Type: hclsyntax.TokenCBrack, Bytes: []byte("]")}), nil
	case string:
		return hclwrite.TokensForValue(cty.StringVal(t)), nil
	case json.Number:
		n, err := cty.ParseNumberVal(t.String())
		if err != nil {
			return nil, err
		}
		return hclwrite.TokensForValue(n), nil
	case bool:
		return hclwrite.TokensForValue(cty.BoolVal(t)), nil
	}
	return hclwrite.TokensForValue(cty.NullVal(cty.DynamicPseudoType)), nil
}

func newline() *hclwrite.Token {
	return &hclwrite.Token{Type: hclsyntax.TokenNewline, Bytes: []byte("\n")}
}
