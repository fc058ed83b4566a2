package localaws

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// stsNamespace is the XML namespace of STS responses.
const stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

func init() {
	registerService(serviceSpec{
		name:       "sts",
		protocol:   protocolQuery,
		namespace:  stsNamespace,
		newHandler: func(s *Server) serviceHandler { return &stsService{server: s} },
	})
}

// stsService serves AWS STS over awsQuery.
type stsService struct {
	server *Server
}

// operation is the query's Action parameter.
func (h *stsService) operation(r *http.Request, body []byte) string {
	return queryParams(r, body).Get("Action")
}

// serve dispatches on Action.
func (h *stsService) serve(w http.ResponseWriter, r *http.Request, c *call) {
	if slices.Contains(h.server.opts.DisabledSTSRegions, c.region) {
		c.writeError(w, r, newError(http.StatusForbidden, "RegionDisabledException", fmt.Sprintf(
			"STS is not activated in this region for account:%s. Your account administrator can activate STS in this region using the IAM Console.",
			c.caller.AccountID)))
		return
	}
	switch c.operation {
	case "GetCallerIdentity":
		h.getCallerIdentity(w, c)
	case "GetSessionToken":
		h.getSessionToken(w, r, c)
	case "AssumeRole":
		h.assumeRole(w, r, c)
	default:
		c.writeError(w, r, newError(http.StatusBadRequest, "InvalidAction",
			"Could not find operation "+c.operation+" for version 2011-06-15"))
	}
}

// getCallerIdentity needs no permission, as in AWS: anyone may ask who they are.
func (h *stsService) getCallerIdentity(w http.ResponseWriter, c *call) {
	writeQueryResult(w, c, "GetCallerIdentity", getCallerIdentityResult{
		Arn:     c.caller.ARN,
		UserID:  c.caller.UserID,
		Account: c.caller.AccountID,
	})
}

// getSessionToken issues temporary credentials for an IAM user, with the
// user's own permissions. Like AWS, it refuses callers that already use
// temporary credentials.
func (h *stsService) getSessionToken(w http.ResponseWriter, r *http.Request, c *call) {
	params := queryParams(r, c.body)
	duration, err := durationParam(params, 12*time.Hour, 15*time.Minute, 36*time.Hour)
	if err != nil {
		c.writeError(w, r, err)
		return
	}
	s := h.server
	s.mu.Lock()
	k := s.keys[c.caller.AccessKeyID]
	if k == nil || k.sessionToken != "" {
		s.mu.Unlock()
		c.writeError(w, r, c.errorf(errAccessDenied, "Cannot call GetSessionToken with session credentials"))
		return
	}
	temp := s.issueTemporaryKey(k.account, s.now().Add(duration))
	temp.userName = k.userName
	s.mu.Unlock()
	writeQueryResult(w, c, "GetSessionToken", getSessionTokenResult{Credentials: temp.xmlCredentials()})
}

type getSessionTokenResult struct {
	XMLName     xml.Name       `xml:"GetSessionTokenResult"`
	Credentials xmlCredentials `xml:"Credentials"`
}

// xmlCredentials is STS's Credentials element.
type xmlCredentials struct {
	AccessKeyID     string `xml:"AccessKeyId"`
	SecretAccessKey string `xml:"SecretAccessKey"`
	SessionToken    string `xml:"SessionToken"`
	Expiration      string `xml:"Expiration"`
}

// xmlCredentials renders the key for an STS response.
func (k *accessKey) xmlCredentials() xmlCredentials {
	return xmlCredentials{
		AccessKeyID:     k.id,
		SecretAccessKey: k.secret,
		SessionToken:    k.sessionToken,
		Expiration:      k.expires.UTC().Format(time.RFC3339),
	}
}

// durationParam reads DurationSeconds: def when absent, and a
// ValidationError naming AWS's constraint when outside [min, max].
func durationParam(params url.Values, def, min, max time.Duration) (time.Duration, *apiError) {
	v := params.Get("DurationSeconds")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, newError(http.StatusBadRequest, "ValidationError",
			fmt.Sprintf("1 validation error detected: Value '%s' at 'durationSeconds' failed to satisfy constraint: Member must be a number", v))
	}
	d := time.Duration(n) * time.Second
	switch {
	case d < min:
		return 0, newError(http.StatusBadRequest, "ValidationError",
			fmt.Sprintf("1 validation error detected: Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to %d", n, int(min.Seconds())))
	case d > max:
		return 0, newError(http.StatusBadRequest, "ValidationError",
			fmt.Sprintf("1 validation error detected: Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to %d", n, int(max.Seconds())))
	}
	return d, nil
}

type getCallerIdentityResult struct {
	XMLName xml.Name `xml:"GetCallerIdentityResult"`
	Arn     string   `xml:"Arn"`
	UserID  string   `xml:"UserId"`
	Account string   `xml:"Account"`
}

// queryParams merges the URL query and the form body, as awsQuery allows both.
func queryParams(r *http.Request, body []byte) url.Values {
	v := r.URL.Query()
	if form, err := url.ParseQuery(string(body)); err == nil {
		for k, vs := range form {
			v[k] = append(v[k], vs...)
		}
	}
	return v
}

// queryResponse is awsQuery's envelope:
// <OpResponse><OpResult>...</OpResult><ResponseMetadata/></OpResponse>.
type queryResponse struct {
	XMLName xml.Name
	Xmlns   string `xml:"xmlns,attr"`
	// Result is the operation's result struct, whose XMLName field names
	// the element (OpResult).
	Result   any
	Metadata struct {
		RequestID string `xml:"RequestId"`
	} `xml:"ResponseMetadata"`
}

// writeQueryResult writes result inside op's awsQuery envelope, in the
// calling service's XML namespace.
func writeQueryResult(w http.ResponseWriter, c *call, op string, result any) {
	resp := queryResponse{XMLName: xml.Name{Local: op + "Response"}, Xmlns: c.server.routes[c.service].spec.namespace}
	resp.Result = result
	resp.Metadata.RequestID = c.requestID
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(http.StatusOK)
	writeXML(w, resp)
}
