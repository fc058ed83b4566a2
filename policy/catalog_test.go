package policy

import (
	"bytes"
	"compress/flate"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCatalogConsistent checks the catalog against itself: every action
// names its own service, lists only resource types its service defines, and
// the actions are sorted; every format starts arn:${Partition}:.
func TestCatalogConsistent(t *testing.T) {
	services := Services()
	require.True(t, slices.IsSortedFunc(services, func(a, b Service) int { return strings.Compare(a.Prefix, b.Prefix) }))
	var prefixes []string
	for _, s := range services {
		prefixes = append(prefixes, s.Prefix)
		t.Run(s.Prefix, func(t *testing.T) {
			require.True(t, slices.IsSortedFunc(s.Actions, func(a, b Action) int { return strings.Compare(a.Name, b.Name) }))
			for _, a := range s.Actions {
				require.Equal(t, s.Prefix, a.Service, a.Name)
				require.NotEmpty(t, a.Access)
				for _, r := range a.Resources {
					_, ok := LookupResourceType(s.Prefix, r.Type)
					require.True(t, ok, "%s names resource type %q", a, r.Type)
				}
			}
			for _, rt := range s.ResourceTypes {
				require.Equal(t, s.Prefix, rt.Service)
				for _, f := range rt.ARNFormats {
					require.True(t, strings.HasPrefix(f, "arn:${Partition}:"), f)
				}
			}
		})
	}
	// The whole reference, as catalog_gen.go counted it when generating.
	require.Len(t, services, catalogServices)
	actions, types := 0, 0
	for _, s := range services {
		actions += len(s.Actions)
		types += len(s.ResourceTypes)
	}
	require.Equal(t, catalogActions, actions)
	require.Equal(t, catalogResourceTypes, types)
	require.Greater(t, catalogActions, 15000)
	for _, p := range []string{"cloudwatch", "ec2", "iam", "kms", "lambda", "lex", "logs", "s3", "ses", "sts"} {
		require.Contains(t, prefixes, p)
	}
}

// TestCatalogLookups follows the Service Authorization Reference pages of
// the connector services.
func TestCatalogLookups(t *testing.T) {
	tests := []struct {
		action        string
		access        AccessLevel
		resourceLevel bool
		arn           string // ARN format of one of its resource types, "" for none
	}{
		{"s3:GetObject", AccessRead, true, "arn:${Partition}:s3:::${BucketName}/${ObjectName}"},
		{"S3:getobject", AccessRead, true, "arn:${Partition}:s3:::${BucketName}/${ObjectName}"},
		{"s3:ListBucket", AccessList, true, "arn:${Partition}:s3:::${BucketName}"},
		{"s3:ListAllMyBuckets", AccessList, false, ""},
		{"s3:AbortMultipartUpload", AccessWrite, true, "arn:${Partition}:s3:::${BucketName}/${ObjectName}"},
		{"lambda:InvokeFunction", AccessWrite, true, "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}"},
		{"lambda:ListFunctions", AccessList, false, ""},
		{"ses:SendEmail", AccessWrite, true, "arn:${Partition}:ses:${Region}:${Account}:identity/${IdentityName}"},
		{"ses:GetAccount", AccessRead, false, ""},
		{"lex:RecognizeText", AccessWrite, true, "arn:${Partition}:lex:${Region}:${Account}:bot-alias/${BotId}/${BotAliasId}"},
		{"lex:GetSession", AccessRead, true, "arn:${Partition}:lex:${Region}:${Account}:bot-alias/${BotId}/${BotAliasId}"},
		// An optional dataset type for OTLP metrics only: no resource-level
		// permission for classic metrics.
		{"cloudwatch:PutMetricData", AccessWrite, false, "arn:${Partition}:cloudwatch:${Region}:${Account}:dataset/${DatasetId}"},
		{"logs:PutLogEvents", AccessWrite, true, "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}"},
		{"logs:CreateLogGroup", AccessWrite, true, "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}"},
		{"logs:DescribeLogGroups", AccessList, false, ""},
		{"sts:AssumeRole", AccessWrite, true, "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"},
		{"sts:TagSession", AccessTagging, false, "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"},
		// Beyond the connector services: the actions issue 18 found missing.
		{"s3:PutBucketPolicy", AccessPermissionsManagement, true, "arn:${Partition}:s3:::${BucketName}"},
		{"s3:CreateBucket", AccessWrite, true, "arn:${Partition}:s3:::${BucketName}"},
		{"cloudwatch:DescribeAlarms", AccessRead, true, "arn:${Partition}:cloudwatch:${Region}:${Account}:alarm:${AlarmName}"},
		{"logs:PutRetentionPolicy", AccessWrite, true, "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}"},
		{"ec2:RunInstances", AccessWrite, true, "arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}"},
		{"iam:PassRole", AccessWrite, true, "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			a, ok := LookupAction(tt.action)
			require.True(t, ok)
			require.True(t, strings.EqualFold(tt.action, a.String()))
			require.Equal(t, tt.access, a.Access)
			require.Equal(t, tt.resourceLevel, a.ResourceLevel())
			types := a.ResourceTypes()
			if tt.arn == "" {
				require.Empty(t, types)
				return
			}
			var arns []string
			for _, rt := range types {
				arns = append(arns, rt.ARN())
			}
			require.Contains(t, arns, tt.arn)
		})
	}
	for _, missing := range []string{"s3:GetObjects", "ec2:RunInstance", "nosuchservice:Get", "GetObject", ""} {
		_, ok := LookupAction(missing)
		require.False(t, ok, missing)
	}
	a, _ := LookupAction("cloudwatch:PutMetricData")
	require.Equal(t, []string{"cloudwatch:namespace"}, a.ConditionKeys)
	s, ok := LookupService("LOGS")
	require.True(t, ok)
	require.Equal(t, "Amazon CloudWatch Logs", s.Name)
	_, ok = LookupService("ec2")
	require.True(t, ok)
	_, ok = LookupService("nosuchservice")
	require.False(t, ok)
	_, ok = LookupResourceType("nope", "x")
	require.False(t, ok)
}

func TestResourceTypeFormat(t *testing.T) {
	obj, _ := LookupResourceType("s3", "object")
	got, err := obj.Format(map[string]string{"BucketName": "reports", "ObjectName": "2026/*"})
	require.NoError(t, err)
	require.Equal(t, "arn:aws:s3:::reports/2026/*", got)
	got, err = obj.Format(map[string]string{"Partition": "aws-cn", "BucketName": "b", "ObjectName": "k"})
	require.NoError(t, err)
	require.Equal(t, "arn:aws-cn:s3:::b/k", got)
	_, err = obj.Format(map[string]string{"BucketName": "reports"})
	require.ErrorIs(t, err, ErrInvalidRequirement)
	require.Contains(t, err.Error(), "needs a value for ObjectName")
}

// TestAdmitsResource checks whether a Resource pattern fits an action's
// resource types, the check behind Lint's RESOURCE_TYPE_MISMATCH.
func TestAdmitsResource(t *testing.T) {
	tests := []struct {
		action, resource string
		want             bool
	}{
		{"s3:GetObject", "arn:aws:s3:::reports/q1.csv", true},
		{"s3:GetObject", "arn:aws:s3:::reports/*", true},
		{"s3:GetObject", "arn:aws:s3:::reports", false},
		{"s3:GetObject", "arn:aws:s3:::reports*", true}, // could be reports/x
		{"s3:GetObject", "*", true},
		{"s3:ListBucket", "arn:aws:s3:::reports", true},
		{"s3:ListBucket", "arn:aws:s3:::reports/*", false},
		{"s3:ListBucket", "arn:aws:s3:::*", true},
		{"s3:ListAllMyBuckets", "*", true},
		{"s3:ListAllMyBuckets", "arn:aws:s3:::reports", false},
		{"lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:function:f", true},
		{"lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:function:f:prod", true},
		{"lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:function:f:*", true},
		{"lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:layer:l", false},
		{"lambda:InvokeFunction", "arn:aws:s3:::b/k", false},
		{"logs:CreateLogGroup", "arn:aws:logs:us-east-1:123456789012:log-group:app", true},
		{"logs:CreateLogGroup", "arn:aws:logs:us-east-1:123456789012:log-group:app:*", true},
		{"logs:PutLogEvents", "arn:aws:logs:us-east-1:123456789012:log-group:app:*", true},
		{"logs:PutLogEvents", "arn:aws:logs:us-east-1:123456789012:log-group:app:log-stream:s", true},
		{"logs:PutLogEvents", "arn:aws:logs:us-east-1:123456789012:log-group:app", false},
		{"lex:RecognizeText", "arn:aws:lex:us-east-1:123456789012:bot-alias/BOTID/ALIASID", true},
		{"lex:RecognizeText", "arn:aws:lex:us-east-1:123456789012:bot/BOTID", false},
		{"ses:SendEmail", "arn:aws:ses:us-east-1:123456789012:identity/example.com", true},
		{"ses:SendEmail", "arn:aws:ses:us-east-1:123456789012:configuration-set/cs", true},
		{"sts:AssumeRole", "arn:aws:iam::123456789012:role/path/r", true},
		{"sts:AssumeRole", "arn:aws:iam::123456789012:user/u", false},
	}
	for _, tt := range tests {
		t.Run(tt.action+" "+tt.resource, func(t *testing.T) {
			a, ok := LookupAction(tt.action)
			require.True(t, ok)
			require.Equal(t, tt.want, a.AdmitsResource(tt.resource))
		})
	}
}

func TestGlobsIntersect(t *testing.T) {
	tests := []struct {
		tmpl, pattern string
		want          bool
	}{
		{"abc", "abc", true},
		{"abc", "a?c", true},
		{"abc", "a*", true},
		{"abc", "abd", false},
		{"a${X}c", "abbbc", true},
		{"a${X}c", "ac", false}, // a placeholder holds at least one rune
		{"a${X}c", "a:c", true}, // an unlisted placeholder may hold a colon (RDS's awsbackup:job-1)
		{"a${FunctionName}c", "a:c", false},
		{"a:${Account}:c", "a::c", true}, // AWS-owned resources have no account
		{"a:${Region}:c", "a::c", true},
		{"a${ObjectName}", "a:/:", true},
		{"a${BucketName}", "ab/c", false},
		{"a${BucketName}/${ObjectName}", "a*", true},
		{"x:*", "x:*", true},
		{"x:*", "x:y", false},
		{"", "", true},
		{"", "*", true},
		{"a", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.tmpl+" "+tt.pattern, func(t *testing.T) {
			require.Equal(t, tt.want, globsIntersect(templateTokens(tt.tmpl), []rune(tt.pattern)))
		})
	}
}

func TestCatalogZeroValues(t *testing.T) {
	require.Equal(t, "", ResourceType{}.ARN())
	a := Action{Service: "nope", Name: "X", Resources: []ActionResource{{Type: "thing", Required: true}}}
	require.Empty(t, a.ResourceTypes())
	require.True(t, a.ResourceLevel())
	require.False(t, a.AdmitsResource("arn:aws:nope:::thing"))
	require.True(t, a.AdmitsResource("*"))
}

// TestAdmitsAgainstTheWholeCatalog: the false RESOURCE_TYPE_MISMATCH causes
// the managed-policy sweep found, each fixed in the mechanism.
func TestAdmitsAgainstTheWholeCatalog(t *testing.T) {
	tests := []struct {
		action, resource string
		want             bool
	}{
		// The console pattern of 13 AWS managed policies.
		{"s3:ListAllMyBuckets", "arn:aws:s3:::*", true},
		{"s3:ListAllMyBuckets", "arn:*:s3:*:*:*", true},
		{"s3:ListAllMyBuckets", "arn:aws:s3:::reports", false},
		{"s3:ListAllMyBuckets", "arn:aws:ec2:*:*:*", false},
		// A policy variable stands for any value.
		{"kms:Decrypt", "arn:aws:kms:*:*:key/${aws:PrincipalTag/KmsKeyId}", true},
		{"iam:DeleteServiceSpecificCredential", "arn:aws:iam::*:user/${aws:username}", true},
		{"s3:GetObject", "arn:aws:s3:::${aws:PrincipalTag/Path}", true}, // the tag may be "bucket/key"
		{"s3:GetObject", "arn:aws:s3:::reports/${aws:username}", true},
		{"s3:ListBucket", "arn:aws:s3:::reports/${aws:username}", false}, // a bucket has no slash
		// AWS-owned SSM documents have no account.
		{"ssm:StartSession", "arn:aws:ssm:*::document/AWS-StartSSHSession", true},
		// RDS snapshot names made by AWS Backup hold colons.
		{"rds:DeleteDBSnapshot", "arn:aws:rds:*:*:snapshot:awsbackup:*", true},
		// Precision kept where names cannot hold a colon.
		{"logs:CreateLogGroup", "arn:aws:logs:*:*:log-group:g:log-stream:s", false},
		{"lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:function:f:prod", true},
	}
	for _, tt := range tests {
		t.Run(tt.action+" "+tt.resource, func(t *testing.T) {
			a, ok := LookupAction(tt.action)
			require.True(t, ok)
			require.Equal(t, tt.want, a.AdmitsResource(tt.resource))
		})
	}
}

// BenchmarkCatalogDecode measures decoding the embedded catalog, done once
// per process, against the yardstick of only inflating it.
func BenchmarkCatalogDecode(b *testing.B) {
	b.Run("inflate-only", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n, err := io.Copy(io.Discard, flate.NewReader(bytes.NewReader(catalogBin)))
			if err != nil || n != catalogTextBytes {
				b.Fatal(n, err)
			}
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			idx, _, err := decodeCatalog(catalogBin, map[string]bool{})
			if err != nil || len(idx) != catalogServices {
				b.Fatal(err)
			}
		}
	})
}
