package signedhttp

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/policy"
)

// Identity is who the connection's credentials are, as STS says.
//
// It is a plain value: safe to copy and to read from several goroutines.
type Identity struct {
	// Account is the 12-digit account the credentials belong to.
	Account string `json:"account"`
	// ARN is the caller: an assumed-role session, a user or the root.
	ARN string `json:"arn"`
	// UserID is the caller's unique ID (for a role session,
	// "ROLEID:session-name").
	UserID string `json:"user_id"`
}

// CallerIdentity asks STS GetCallerIdentity, through a signed request this
// package builds, who the connection's credentials belong to. It needs no
// IAM permission. The STS endpoint is the aws.Config's BaseEndpoint when set,
// else the region's STS endpoint (sts.REGION.amazonaws.com, or
// .amazonaws.com.cn in China).
func (c *Connector) CallerIdentity(ctx context.Context) (Identity, error) {
	endpoint := connectors.RegionalEndpoint("sts", c.cfg.Region)
	if c.cfg.BaseEndpoint != nil {
		endpoint = strings.TrimRight(*c.cfg.BaseEndpoint, "/")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint+"/",
		strings.NewReader("Action=GetCallerIdentity&Version=2011-06-15"))
	if err != nil {
		return Identity{}, fmt.Errorf("signedhttp: GetCallerIdentity: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	resp, err := c.sts.RoundTrip(req)
	if err != nil {
		return Identity{}, fmt.Errorf("signedhttp: GetCallerIdentity: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return Identity{}, fmt.Errorf("signedhttp: GetCallerIdentity: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return Identity{}, &ResponseError{Op: "GetCallerIdentity", StatusCode: resp.StatusCode, Code: ParseErrorCode(body),
			RequestID: RequestID(resp.Header), Body: string(body)}
	}
	var out struct {
		Result struct {
			Account string `xml:"Account"`
			Arn     string `xml:"Arn"`
			UserID  string `xml:"UserId"`
		} `xml:"GetCallerIdentityResult"`
	}
	if err := xml.Unmarshal(body, &out); err != nil {
		return Identity{}, fmt.Errorf("signedhttp: GetCallerIdentity: decoding the answer: %w", err)
	}
	return Identity{Account: out.Result.Account, ARN: out.Result.Arn, UserID: out.Result.UserID}, nil
}

// ResponseError is an AWS error answer to a request this package made itself.
// It has the ErrorCode and HTTPStatusCode methods that
// connectors.ServiceStep and the SDK retryer classify by.
//
// It is not modified after it is returned, so several goroutines may read it.
type ResponseError struct {
	// Op is the operation this package sent, such as "GetCallerIdentity".
	Op string
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Code is AWS's error code from the body, such as "AccessDenied";
	// "" when the body carries none.
	Code string
	// RequestID is AWS's ID of the request, for AWS support; "" when the
	// answer carries none. See [RequestID].
	RequestID string
	// Body is the answer's body (at most 1 MiB), for logs; it holds no
	// secret, since AWS does not echo credentials.
	Body string
}

// Error returns "signedhttp: <Op>: HTTP <status> <code>".
func (e *ResponseError) Error() string {
	return fmt.Sprintf("signedhttp: %s: HTTP %d %s", e.Op, e.StatusCode, e.Code)
}

// ErrorCode returns AWS's error code.
func (e *ResponseError) ErrorCode() string { return e.Code }

// HTTPStatusCode returns the HTTP status.
func (e *ResponseError) HTTPStatusCode() int { return e.StatusCode }

// ServiceRequestID returns AWS's request ID, as the SDK's errors do, so
// connectors.RequestID and a check step's request_id find it.
func (e *ResponseError) ServiceRequestID() string { return e.RequestID }

// RequestID returns the request ID an AWS answer carries in its headers:
// x-amzn-RequestId (most services) or x-amz-request-id (S3); "" when
// there is none.
func RequestID(h http.Header) string {
	if id := h.Get("X-Amzn-Requestid"); id != "" {
		return id
	}
	return h.Get("X-Amz-Request-Id")
}

// Check proves that the connection's credentials work by signing an STS
// GetCallerIdentity request with them, the one AWS call that every valid
// credential may make. The universal connector cannot know which API the
// platform will call, so it cannot prove a permission; the step's message
// names the identity the calls will run as.
func (c *Connector) Check(ctx context.Context) connectors.CheckReport {
	var rep connectors.CheckReport
	id, err := c.CallerIdentity(ctx)
	step := connectors.ServiceStep("AWS STS GetCallerIdentity (signed HTTP)", policy.Requirement{Action: "sts:GetCallerIdentity"}, err)
	if err == nil {
		step.Message = fmt.Sprintf("Signed requests are accepted; they run as %s in account %s.", id.ARN, id.Account)
	}
	rep.Add(step)
	return rep
}

func newSTSTransport(cfg aws.Config, base *Transport) *Transport {
	o := base.Options()
	o.Service, o.Region = "sts", cfg.Region
	o.UnsignedPayloadServices = nil
	return NewTransport(cfg.Credentials, func(dst *Options) { *dst = o })
}
