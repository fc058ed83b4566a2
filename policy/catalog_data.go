package policy

// The catalog: the actions the connectors use, with their access levels,
// resource types and scoping condition keys, as the Service Authorization
// Reference lists them ("Actions, resources, and condition keys for ..."
// pages of Amazon S3, AWS Lambda, Amazon SES and Amazon Simple Email Service
// v2, Amazon Lex V2, Amazon CloudWatch, Amazon CloudWatch Logs and AWS
// Security Token Service). Global keys such as aws:ResourceTag are left out.

func req(t string) ActionResource { return ActionResource{Type: t, Required: true} }
func opt(t string) ActionResource { return ActionResource{Type: t} }

var catalog = []indexedService{
	{Service: Service{
		Prefix: "cloudwatch",
		Name:   "Amazon CloudWatch",
		Actions: []Action{
			{Service: "cloudwatch", Name: "GetMetricData", Access: AccessRead},
			{Service: "cloudwatch", Name: "GetMetricStatistics", Access: AccessRead},
			{Service: "cloudwatch", Name: "ListMetrics", Access: AccessList},
			// No resource-level permission for classic metrics: the way to
			// narrow PutMetricData is the cloudwatch:namespace condition key.
			// (The reference's optional "dataset" type, for OTLP datasets,
			// is left out: the connectors do not use it.)
			{Service: "cloudwatch", Name: "PutMetricData", Access: AccessWrite, ConditionKeys: []string{"cloudwatch:namespace"}},
		},
	}},
	{Service: Service{
		Prefix: "lambda",
		Name:   "AWS Lambda",
		Actions: []Action{
			{Service: "lambda", Name: "GetFunction", Access: AccessRead, Resources: []ActionResource{req("function")}},
			{Service: "lambda", Name: "GetFunctionConfiguration", Access: AccessRead, Resources: []ActionResource{req("function")}},
			{Service: "lambda", Name: "InvokeFunction", Access: AccessWrite, Resources: []ActionResource{req("function")}, ConditionKeys: []string{"lambda:EventSourceToken", "lambda:InvokedViaFunctionUrl"}},
			{Service: "lambda", Name: "ListFunctions", Access: AccessList},
		},
		ResourceTypes: []ResourceType{
			// Lambda authorises a call on a qualified function (a version
			// or an alias) against the qualified ARN, so the function type
			// takes both forms ("Fine-tuning the Resources and Conditions
			// sections of policies" in the Lambda Developer Guide).
			{Service: "lambda", Name: "function", ARNFormats: []string{
				"arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}",
				"arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}:${Qualifier}",
			}},
			{Service: "lambda", Name: "function alias", ARNFormats: []string{"arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}:${Alias}"}},
			{Service: "lambda", Name: "function version", ARNFormats: []string{"arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}:${Version}"}},
		},
	}},
	{Service: Service{
		Prefix: "lex",
		Name:   "Amazon Lex V2",
		Actions: []Action{
			{Service: "lex", Name: "DeleteSession", Access: AccessWrite, Resources: []ActionResource{req("bot alias")}},
			{Service: "lex", Name: "GetSession", Access: AccessRead, Resources: []ActionResource{req("bot alias")}},
			{Service: "lex", Name: "PutSession", Access: AccessWrite, Resources: []ActionResource{req("bot alias")}},
			{Service: "lex", Name: "RecognizeText", Access: AccessWrite, Resources: []ActionResource{req("bot alias")}},
			{Service: "lex", Name: "RecognizeUtterance", Access: AccessWrite, Resources: []ActionResource{req("bot alias")}},
			{Service: "lex", Name: "StartConversation", Access: AccessWrite, Resources: []ActionResource{req("bot alias")}},
		},
		ResourceTypes: []ResourceType{
			{Service: "lex", Name: "bot", ARNFormats: []string{"arn:${Partition}:lex:${Region}:${Account}:bot/${BotId}"}},
			{Service: "lex", Name: "bot alias", ARNFormats: []string{
				"arn:${Partition}:lex:${Region}:${Account}:bot-alias/${BotId}/${BotAliasId}",
				"arn:${Partition}:lex:${Region}:${Account}:bot:${BotName}:${BotAlias}",
			}},
		},
	}},
	{Service: Service{
		Prefix: "logs",
		Name:   "Amazon CloudWatch Logs",
		Actions: []Action{
			{Service: "logs", Name: "CreateLogGroup", Access: AccessWrite, Resources: []ActionResource{req("log-group")}},
			{Service: "logs", Name: "CreateLogStream", Access: AccessWrite, Resources: []ActionResource{req("log-stream")}},
			{Service: "logs", Name: "DescribeLogGroups", Access: AccessList},
			{Service: "logs", Name: "DescribeLogStreams", Access: AccessList, Resources: []ActionResource{req("log-group")}},
			{Service: "logs", Name: "FilterLogEvents", Access: AccessRead, Resources: []ActionResource{req("log-group")}},
			{Service: "logs", Name: "GetLogEvents", Access: AccessRead, Resources: []ActionResource{req("log-stream")}},
			{Service: "logs", Name: "PutLogEvents", Access: AccessWrite, Resources: []ActionResource{req("log-stream")}},
		},
		ResourceTypes: []ResourceType{
			// The CloudWatch Logs API reference (LogGroup.arn) gives the
			// form with a trailing ":*" as the one to use in IAM policies
			// for most actions; the reference's form has none.
			{Service: "logs", Name: "log-group", ARNFormats: []string{
				"arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}",
				"arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:*",
			}},
			{Service: "logs", Name: "log-stream", ARNFormats: []string{"arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}"}},
		},
	}},
	{Service: Service{
		Prefix: "s3",
		Name:   "Amazon S3",
		Actions: []Action{
			{Service: "s3", Name: "AbortMultipartUpload", Access: AccessWrite, Resources: []ActionResource{req("object")}},
			{Service: "s3", Name: "DeleteObject", Access: AccessWrite, Resources: []ActionResource{req("object")}},
			{Service: "s3", Name: "GetBucketLocation", Access: AccessRead, Resources: []ActionResource{req("bucket")}},
			{Service: "s3", Name: "GetObject", Access: AccessRead, Resources: []ActionResource{req("object")}},
			{Service: "s3", Name: "ListAllMyBuckets", Access: AccessList},
			{Service: "s3", Name: "ListBucket", Access: AccessList, Resources: []ActionResource{req("bucket")}, ConditionKeys: []string{"s3:delimiter", "s3:max-keys", "s3:prefix"}},
			{Service: "s3", Name: "ListBucketMultipartUploads", Access: AccessList, Resources: []ActionResource{req("bucket")}},
			{Service: "s3", Name: "ListMultipartUploadParts", Access: AccessList, Resources: []ActionResource{req("object")}},
			// PutObject also authorises CreateMultipartUpload, UploadPart and
			// CompleteMultipartUpload.
			{Service: "s3", Name: "PutObject", Access: AccessWrite, Resources: []ActionResource{req("object")}},
		},
		ResourceTypes: []ResourceType{
			{Service: "s3", Name: "bucket", ARNFormats: []string{"arn:${Partition}:s3:::${BucketName}"}},
			{Service: "s3", Name: "object", ARNFormats: []string{"arn:${Partition}:s3:::${BucketName}/${ObjectName}"}},
		},
	}},
	{Service: Service{
		Prefix: "ses",
		Name:   "Amazon Simple Email Service v2",
		Actions: []Action{
			{Service: "ses", Name: "GetAccount", Access: AccessRead},
			{Service: "ses", Name: "SendEmail", Access: AccessWrite, Resources: []ActionResource{opt("configuration-set"), req("identity")}, ConditionKeys: []string{"ses:ApiVersion", "ses:FeedbackAddress", "ses:FromAddress", "ses:FromDisplayName", "ses:Recipients"}},
			// SendEmail of SES v2 with raw content is authorised as
			// ses:SendRawEmail.
			{Service: "ses", Name: "SendRawEmail", Access: AccessWrite, Resources: []ActionResource{opt("configuration-set"), req("identity")}, ConditionKeys: []string{"ses:ApiVersion", "ses:FeedbackAddress", "ses:FromAddress", "ses:FromDisplayName", "ses:Recipients"}},
		},
		ResourceTypes: []ResourceType{
			{Service: "ses", Name: "configuration-set", ARNFormats: []string{"arn:${Partition}:ses:${Region}:${Account}:configuration-set/${ConfigurationSetName}"}},
			{Service: "ses", Name: "identity", ARNFormats: []string{"arn:${Partition}:ses:${Region}:${Account}:identity/${IdentityName}"}},
		},
	}},
	{Service: Service{
		Prefix: "sts",
		Name:   "AWS Security Token Service",
		Actions: []Action{
			{Service: "sts", Name: "AssumeRole", Access: AccessWrite, Resources: []ActionResource{req("role")}, ConditionKeys: []string{"sts:ExternalId", "sts:RoleSessionName", "sts:SourceIdentity", "sts:TransitiveTagKeys"}},
			{Service: "sts", Name: "GetCallerIdentity", Access: AccessRead},
			{Service: "sts", Name: "SetSourceIdentity", Access: AccessWrite, Resources: []ActionResource{opt("role")}, ConditionKeys: []string{"sts:SourceIdentity"}},
			{Service: "sts", Name: "TagSession", Access: AccessTagging, Resources: []ActionResource{opt("role")}, ConditionKeys: []string{"sts:TransitiveTagKeys"}},
		},
		ResourceTypes: []ResourceType{
			{Service: "sts", Name: "role", ARNFormats: []string{"arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"}},
		},
	}},
}
