// Package localaws is an embedded AWS for tests and examples: an HTTP server
// on 127.0.0.1 that verifies every request's SigV4 signature, authorises it
// against the caller's IAM policies and answers in each service's own wire
// protocol, so the SDK's real clients (and the library's error handling)
// run against it unchanged. A platform imports it in its own tests, or runs
// it as a program for any client (go run
// github.com/awsconnect/awsconnect/examples/localaws; see that command).
//
//	s, err := localaws.Start()
//	defer s.Close()
//	cfg := s.Config(nil) // the platform's credentials, BaseEndpoint = s.URL()
//	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
//
// S3 clients must also set UsePathStyle: bucket.127.0.0.1 does not resolve.
//
// # The server
//
// [Start] runs the server on a free loopback port ([Options].Addr picks
// another address) and [Server.Close] stops it. [Server.URL] is the
// endpoint and [Server.Config] an aws.Config for it (any credentials, the
// platform's by default). The platform account is [Server.Platform] (its ID
// [Server.PlatformAccountID]) and its user's key
// [Server.PlatformCredentials]. [Options].Seed creates accounts, users with
// fixed keys, roles, policies and resources before Start returns, from Go
// or from a JSON file ([Seed], [LoadSeed]). [Server.ServeHTTP] is the
// request pipeline below; a test may also mount it in its own http.Server.
//
// # Accounts and credentials
//
// The server starts with the platform account ([DefaultPlatformAccountID])
// and its IAM user [PlatformUserName], whose long-term key is
// [Server.PlatformCredentials] and whose policy ([DefaultPlatformPolicy])
// lets it call sts:AssumeRole on any role. [Server.CreateAccount] adds
// customer accounts ([Account.ID] is the 12-digit ID; [Server.Account]
// finds one). Their IAM entities are made with Go methods standing in for
// the IAM console, with IAM's rules (names, policy grammar and sizes), or
// through the IAM API below:
//
//   - roles: [Account.CreateRole] with a trust policy, inline policies
//     ([WithPolicy], [Account.PutRolePolicy], [Account.DeleteRolePolicy]),
//     managed ones ([Account.AttachRolePolicy], [Account.DetachRolePolicy]),
//     a path, description and tags ([RoleOptions]) and a maximum session
//     duration ([WithMaxSessionDuration], [Account.UpdateMaxSessionDuration]);
//     [Account.UpdateTrustPolicy], [Account.RoleARN], [Account.DeleteRole];
//   - users: [Account.CreateUser], [Account.PutUserPolicy],
//     [Account.DeleteUserPolicy], [Account.AttachUserPolicy],
//     [Account.CreateAccessKey] and [Account.ImportAccessKey] (a key fixed
//     in advance);
//   - managed policies: [Account.CreatePolicy].
//
// Changes apply to the next request, also for sessions already issued.
//
// # IAM
//
// The IAM API is served in IAM's own awsQuery protocol (signing name
// "iam"), so the SDK's iam client and the AWS CLI work unchanged. It acts on
// the caller's own account: CreateRole, GetRole, DeleteRole,
// UpdateAssumeRolePolicy, PutRolePolicy, GetRolePolicy, DeleteRolePolicy,
// ListRolePolicies, AttachRolePolicy, DetachRolePolicy,
// ListAttachedRolePolicies, TagRole, UntagRole, ListRoleTags, CreatePolicy,
// GetPolicy, GetPolicyVersion and DeletePolicy. Each call is authorised
// with the caller's identity policies on the role's or policy's ARN
// (iam:CreateRole on arn:aws:iam::ACCOUNT:role/PATH/NAME; creating with tags
// also needs iam:TagRole), with aws:ResourceTag/* from the role's tags,
// aws:RequestTag/* and aws:TagKeys from the request's, and iam:PolicyARN
// for attachments. IAM's errors come with IAM's codes: NoSuchEntity,
// EntityAlreadyExists (names are unique regardless of case),
// MalformedPolicyDocument with the reason (the library's strict grammar,
// "Missing required field Principal", "Has prohibited field Resource",
// "Invalid principal in policy" for a user or role of a local account that
// does not exist, "Policy document should not specify a principal",
// "Policy statement must contain resources"), LimitExceeded (a trust
// policy over 2,048 characters, a managed policy over 6,144, a role's
// inline policies over 10,240, more than 10 attached policies, 50 tags;
// sizes counted without white space, as IAM counts them), DeleteConflict
// (a role with inline or attached policies, a policy still attached) and
// ValidationError for names and paths. A refused call changes nothing.
// Documents come back as they were sent, percent-encoded as IAM encodes
// them (the AWS CLI decodes them; SDK callers use url.QueryUnescape). A role
// created through the API is assumable on the next request.
//
// # STS
//
// AssumeRole is judged as AWS judges a cross-account call: the caller's
// identity policies must allow sts:AssumeRole on the role, and the role's
// trust policy must admit the caller's ARN with the request's condition keys
// (sts:ExternalId, sts:RoleSessionName, sts:SourceIdentity, aws:RequestTag/*;
// session tags also need sts:TagSession). A refusal, or a role that does not
// exist, is AccessDenied. DurationSeconds must be 900 s up to the role's
// maximum (one hour when role chaining). Session policies (Policy,
// PolicyArns) narrow the session to their intersection with the role's
// policies. GetCallerIdentity and GetSessionToken work as in AWS. Temporary
// credentials expire by the server's clock, [Options].Now (a test moves a
// [Clock] rather than sleeping). STS answers RegionDisabledException for
// requests signed for a region in [Options].DisabledSTSRegions.
//
// # S3
//
// S3 runs on gofakes3 (path-style only). Every request is classified into
// its operation and IAM action (s3:GetObject on arn:aws:s3:::bucket/key,
// s3:ListBucket on the bucket with s3:prefix, ...) and authorised before
// gofakes3 sees it. Buckets belong to the account that created them
// ([Account.CreateBucket] or CreateBucket); other accounts are refused
// (bucket policies are not modelled) and ListBuckets lists only the caller's.
// A bucket lives in the region it was created in (the server's region for
// [Account.CreateBucket]); a request signed for another region is refused
// with AuthorizationHeaderMalformed naming the bucket's region, as S3 does.
// Presigned URLs are verified like signed requests (see below).
// [Server.Object] reads what a client uploaded.
//
// # Lambda, SES, Lex, CloudWatch and CloudWatch Logs
//
// Each service's resources are prepared and inspected with Go methods, as
// for IAM; every API call is authorised on the resource's ARN like AWS.
//
//   - Lambda (ListFunctions, GetFunction, Invoke): functions are Go handlers
//     ([Account.CreateFunction], [FunctionConfig], [LambdaLogf]) with
//     versions and aliases ([Account.PublishVersion], [Account.CreateAlias]);
//     [Server.LambdaInvocations] lists what ran.
//   - SES v2 (SendEmail, GetAccount): identities
//     ([Account.VerifyEmailIdentity]), templates
//     ([Account.CreateEmailTemplate]) and the sending state
//     ([Account.SetSESAccount], [SESAccount]); [Server.SentEmails] is the
//     outbox.
//   - Lex V2 runtime (RecognizeText, GetSession, PutSession, DeleteSession):
//     scripted bots ([Account.CreateLexBot], [LexBot]) whose intents are
//     matched by sample utterance and whose slots are elicited in order.
//   - CloudWatch (PutMetricData, GetMetricData, ListMetrics):
//     [Account.Metrics] reads what was published.
//   - CloudWatch Logs (log groups and streams, PutLogEvents, GetLogEvents,
//     FilterLogEvents, Describe*): [Account.LogEvents] reads a stream,
//     [Account.SetLogRetention] sets a group's retention.
//
// # The request pipeline
//
// Every request goes through [Server.ServeHTTP]:
//
//  1. the body is read (it is needed for the payload hash) and put back;
//  2. the Authorization header (or a presigned URL's X-Amz-* parameters)
//     is parsed and the request routed by the credential scope's service
//     name (the SDK's signing name);
//  3. the service's handler names the operation (for faults and the log);
//  4. the signature is recomputed with the SDK's aws/signer/v4 from the
//     access key's secret: RequestTimeTooSkewed, InvalidClientTokenId,
//     ExpiredToken, SignatureDoesNotMatch, in the service's protocol.
//     What the signature does not cover is refused, because it could be
//     changed on the wire: an X-Amz-* header outside SignedHeaders, a
//     declared payload hash other than the body's SHA-256 except S3's
//     UNSIGNED-PAYLOAD and STREAMING-UNSIGNED-PAYLOAD-TRAILER (S3's
//     signed-chunk modes are refused, as their chunk signatures are not
//     verified), a repeated presigned X-Amz-* parameter, and both kinds of
//     authentication on one request;
//  5. an injected [Fault] that matches (service, operation) is applied;
//  6. the handler serves the call, authorising each action it performs;
//  7. the outcome is appended to the request log ([Server.Requests]).
//
// A presigned URL (query-string SigV4, for any service) is verified by
// presigning the same request again with the SDK's signer, the same
// X-Amz-Date and the key's secret (and X-Amz-Security-Token for temporary
// credentials), then authorised as its signer like any other request. It
// expires X-Amz-Expires seconds after X-Amz-Date (at most 604800; S3
// requires the parameter, other services default to 15 minutes) with
// AccessDenied "Request has expired"; one signed with temporary
// credentials also stops working when they expire (ExpiredToken). S3
// answers unparseable parameters with AuthorizationQueryParametersError.
//
// # Adding a service
//
// A service lives in its own file(s) of this package and registers itself
// from an init function:
//
//	func init() {
//		registerService(serviceSpec{
//			name:       "logs",        // SigV4 signing name: iam sts s3 lambda ses lex monitoring logs
//			protocol:   protocolJSON,  // protocolQuery, protocolRESTXML, protocolRESTJSON, protocolJSON, protocolCBOR
//			// namespace: the XML namespace of responses, for protocolQuery only
//			newHandler: func(s *Server) serviceHandler { return newLogsService(s) },
//		})
//	}
//
// An optional throttle field names the service's own throttling error when
// it differs from the protocol's default (see serviceSpec).
//
// newHandler runs once per [Start], so each server has its own state (the
// handler keeps a pointer to the server for its clock, s.now(), and its
// lock if it wants one; its own state needs its own mutex). Go methods that
// tests use to prepare or inspect the service (register a Lambda function,
// read the SES outbox) fetch the handler with s.routes[name].handler and a
// type assertion.
//
// The handler implements serviceHandler:
//
//	operation(r *http.Request, body []byte) string
//	    names the API operation from the request's shape: X-Amz-Target for
//	    awsJson, the path for rpcv2Cbor (/service/S/operation/Op), method and
//	    path for REST protocols, Action for awsQuery. It runs before the
//	    signature is verified, so it must only parse.
//	serve(w http.ResponseWriter, r *http.Request, c *call)
//	    answers the verified request; r.Body can be read again (c.body holds
//	    the same bytes).
//
// The *call carries the verified identity and the helpers:
//
//	c.caller                     Caller{AccountID, ARN, UserID, AccessKeyID}
//	c.operation, c.requestID     as logged and as sent in x-amzn-RequestId
//	c.region                     the region the request was signed for,
//	                             which is the region it addresses
//	c.authorize(action, resource, conditions) error
//	    evaluates the caller's identity policies (and, for role sessions, the
//	    session policy) for the action, e.g. "logs:PutLogEvents" on
//	    "arn:aws:logs:us-east-1:ACCOUNT:log-group:G:log-stream:S", with the
//	    service's condition keys added to the global ones. nil means allowed;
//	    otherwise the error is AccessDenied (AccessDeniedException for JSON
//	    protocols) with AWS's message "User: ARN is not authorized to
//	    perform: ACTION on resource: RESOURCE because ...". Call it before
//	    every action; the decision is logged.
//	c.writeError(w, r, err)
//	    writes err in the service's protocol: an *apiError as is, any other
//	    error as InternalFailure (500).
//	c.errorf(kind, format, args...) *apiError
//	    a standard error (errAccessDenied, errValidation, errThrottling, ...)
//	    spelled for the service's protocol.
//	newError(status, code, message) *apiError
//	    a service-specific error: NoSuchBucket, ResourceNotFoundException.
//
// Successful responses are the handler's to write; writeJSON (restJson1),
// writeXML and writeQueryResult (awsQuery) help. Error shapes per protocol are those the
// SDK's deserialisers read: awsQuery <ErrorResponse><Error><Type/><Code/>
// <Message/></Error><RequestId/></ErrorResponse>; restXml <Error><Code/>
// <Message/><RequestId/></Error>; restJson1 X-Amzn-ErrorType header plus
// {"message"}; awsJson {"__type","message"}; rpcv2Cbor a CBOR map
// {"__type","message"} with X-Amzn-Query-Error for query-compatible clients
// (CloudWatch), whose SDK then reports the awsQuery code.
//
// # Faults and the request log
//
// [Server.InjectFault] arms throttling, 5xx, latency or dropped connections
// per (service, operation); they hit verified requests before the handler
// runs, in the service's protocol. [Server.Requests] returns one
// [LogEntry] per request: operation, caller, the last authorisation's
// action, resource and [Decision], status, error code and fault.
// [Server.ResetRequests] empties the log between the steps of a test.
//
// # Differences from AWS
//
// Found by running the SDK and the AWS CLI against it, or known by design;
// a test that depends on one of these is testing localaws, not AWS:
//
//   - It is one region-less process: every region is served at one
//     endpoint, IAM and STS are not eventually consistent (a new role is
//     assumable at once, where AWS can take seconds), and a deleted role's
//     sessions lose their permissions on the next request.
//   - Only what is listed above is served; anything else is an
//     UnknownService or InvalidAction error naming what is served. IAM has
//     no groups, instance profiles, OIDC or SAML providers, permissions
//     boundaries (CreateRole refuses PermissionsBoundary), AWS managed
//     policies (arn:aws:iam::aws:policy/...) or policy versions beyond v1;
//     ListRoles, ListPolicies and the user operations are not served.
//   - Resource-based policies are not modelled: S3 bucket policies, Lambda
//     function policies and KMS key policies do not exist; cross-account
//     access other than AssumeRole is refused.
//   - IAM keeps a trust policy as it was sent: AWS rewrites an account ID
//     principal ("111122223333") to its root ARN and a deleted role's ARN to
//     its unique ID when it hands the document back.
//   - Trust policies name principals by ARN; the IAM API rejects a user or
//     role principal of an account localaws holds when that entity does not
//     exist (as IAM does), but accepts any principal of another account.
//   - GetRole has no RoleLastUsed, and lists come back sorted by name with
//     Marker being the next name.
//   - S3 answers path-style requests only (bucket.127.0.0.1 does not
//     resolve); S3's signed-chunk upload modes are refused.
//   - Lambda functions are Go handlers in the same process (or, from a seed
//     file, a fixed response or an echo); there is no deployment package,
//     runtime or cold start.
//   - Temporary credentials are not encrypted tokens: a session token is a
//     random string, valid only on the server that issued it.
//
// What the integration suite drives through the AWS CLI
// (integration/awscli_test.go: iam create-role, put-role-policy,
// get-role-policy, update-assume-role-policy and delete-role, sts
// assume-role with and without the right external ID, s3 cp up and down,
// single and multipart, s3 ls, lambda invoke, and a request changed after
// signing) showed no difference beyond those above.
package localaws
