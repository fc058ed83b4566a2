package localaws

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// This file holds the Lambda API's routing, function addressing and the
// read operations; lambda_invoke.go runs functions.

// lambdaRef is a FunctionName as a request gives it.
type lambdaRef struct {
	account, region, name, qualifier string
}

// lambdaFunctionRef is Lambda's documented FunctionName pattern.
var lambdaFunctionRef = regexp.MustCompile(`^(?:arn:(?:aws[a-zA-Z-]*):lambda:)?(?:([a-z]{2}(?:-gov)?-[a-z]+-\d{1}):)?(?:(\d{12}):)?(?:function:)?([a-zA-Z0-9_.-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$`)

// parseLambdaRef reads a FunctionName label and the Qualifier parameter;
// on failure it returns Lambda's validation message.
func parseLambdaRef(name, qualifier string) (lambdaRef, string) {
	m := lambdaFunctionRef.FindStringSubmatch(name)
	if m == nil || len(m[3]) > 64 {
		return lambdaRef{}, fmt.Sprintf("1 validation error detected: Value '%s' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?", name)
	}
	ref := lambdaRef{region: m[1], account: m[2], name: m[3], qualifier: m[4]}
	if qualifier != "" {
		if ref.qualifier != "" && ref.qualifier != qualifier {
			return lambdaRef{}, "The derived qualifier from the function name does not match the specified qualifier."
		}
		ref.qualifier = qualifier
	}
	return ref, ""
}

// operation tells the operation from the method and path.
func (h *lambdaService) operation(r *http.Request, _ []byte) string {
	parts := lambdaPath(r)
	switch {
	case len(parts) == 0 && r.Method == http.MethodGet:
		return "ListFunctions"
	case len(parts) == 1 && r.Method == http.MethodGet:
		return "GetFunction"
	case len(parts) == 2 && parts[1] == "invocations" && r.Method == http.MethodPost:
		return "Invoke"
	}
	return ""
}

// lambdaPath returns the path segments after /2015-03-31/functions/,
// unescaped; nil for the collection itself.
func lambdaPath(r *http.Request) []string {
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), "/2015-03-31/functions")
	if !ok {
		return []string{"", "", ""} // matches no operation
	}
	rest = strings.Trim(rest, "/")
	if rest == "" {
		return nil
	}
	parts := strings.Split(rest, "/")
	for i, p := range parts {
		if u, err := url.PathUnescape(p); err == nil {
			parts[i] = u
		}
	}
	return parts
}

func (h *lambdaService) serve(w http.ResponseWriter, r *http.Request, c *call) {
	switch c.operation {
	case "ListFunctions":
		h.listFunctions(w, r, c)
	case "GetFunction":
		h.getFunction(w, r, c)
	case "Invoke":
		h.invoke(w, r, c)
	default:
		c.writeError(w, r, newError(http.StatusNotFound, "UnknownOperationException", "Unknown operation "+r.Method+" "+r.URL.Path))
	}
}

// target authorises action on the function a request names and finds it.
// AWS authorises first, so a caller without permission learns nothing about
// whether the function exists.
func (h *lambdaService) target(w http.ResponseWriter, r *http.Request, c *call, action string) (*lambdaFunction, *lambdaVersion, string, bool) {
	ref, msg := parseLambdaRef(lambdaPath(r)[0], r.URL.Query().Get("Qualifier"))
	if msg != "" {
		c.writeError(w, r, lambdaInvalidParameter(msg))
		return nil, nil, "", false
	}
	// The region of a request is the one it was signed for: a function
	// ARN naming another region would be authorised with the wrong
	// aws:RequestedRegion, so it is refused as AWS refuses it.
	region := c.region
	if ref.region != "" && ref.region != region {
		c.writeError(w, r, newError(http.StatusNotFound, "ResourceNotFoundException",
			fmt.Sprintf("Functions from '%s' are not reachable in this region ('%s')", ref.region, region)))
		return nil, nil, "", false
	}
	account := c.caller.AccountID
	if ref.account != "" {
		account = ref.account
	}
	arn := "arn:aws:lambda:" + region + ":" + account + ":function:" + ref.name
	if ref.qualifier != "" {
		arn += ":" + ref.qualifier
	}
	if err := c.authorize(action, arn, nil); err != nil {
		c.writeError(w, r, err)
		return nil, nil, "", false
	}
	if account != c.caller.AccountID {
		// Another account's function needs its resource-based policy,
		// which the emulation does not model: AWS denies without one.
		c.writeError(w, r, c.errorf(errAccessDenied, "User: %s is not authorized to perform: %s on resource: %s because no resource-based policy allows the %s action", c.caller.ARN, action, arn, action))
		return nil, nil, "", false
	}
	h.mu.Lock()
	f := h.functions[account+"/"+region+"/"+ref.name]
	var v *lambdaVersion
	ok := f != nil
	if ok {
		v, ok = f.resolve(ref.qualifier)
	}
	h.mu.Unlock()
	if !ok {
		c.writeError(w, r, newError(http.StatusNotFound, "ResourceNotFoundException", "Function not found: "+arn))
		return nil, nil, "", false
	}
	return f, v, ref.qualifier, true
}

func lambdaInvalidParameter(msg string) *apiError {
	return newError(http.StatusBadRequest, "InvalidParameterValueException", msg)
}

// lambdaConfiguration is a FunctionConfiguration as Lambda returns it.
func lambdaConfiguration(f *lambdaFunction, v *lambdaVersion, arn string) map[string]any {
	return map[string]any{
		"FunctionName":     f.name,
		"FunctionArn":      arn,
		"Runtime":          "provided.al2023",
		"Role":             "arn:aws:iam::" + f.account + ":role/" + f.name + "-role",
		"Handler":          "bootstrap",
		"CodeSize":         1024,
		"Description":      v.cfg.Description,
		"Timeout":          int(v.cfg.Timeout / time.Second),
		"MemorySize":       v.cfg.MemoryMB,
		"LastModified":     v.lastModified.UTC().Format("2006-01-02T15:04:05.000-0700"),
		"CodeSha256":       v.codeSHA256,
		"Version":          v.version,
		"State":            "Active",
		"LastUpdateStatus": "Successful",
		"PackageType":      "Zip",
		"Architectures":    []string{"x86_64"},
	}
}

// listFunctions pages through the functions of the caller's account and
// region in name order; the marker is the next name, base64-encoded.
func (h *lambdaService) listFunctions(w http.ResponseWriter, r *http.Request, c *call) {
	if err := c.authorize("lambda:ListFunctions", "*", nil); err != nil {
		c.writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	maxItems := lambdaDefaultMaxItems
	if s := q.Get("MaxItems"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 10000 {
			c.writeError(w, r, lambdaInvalidParameter("1 validation error detected: Value '"+s+"' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000"))
			return
		}
		maxItems = n
	}
	var after string
	if m := q.Get("Marker"); m != "" {
		b, err := base64.RawURLEncoding.DecodeString(m)
		if err != nil {
			c.writeError(w, r, lambdaInvalidParameter("Invalid marker: "+m))
			return
		}
		after = string(b)
	}
	allVersions := q.Get("FunctionVersion") == "ALL"
	prefix := c.caller.AccountID + "/" + c.region + "/"

	h.mu.Lock()
	var names []string
	for k, f := range h.functions {
		if strings.HasPrefix(k, prefix) && f.name >= after {
			names = append(names, f.name)
		}
	}
	sort.Strings(names)
	var out []map[string]any
	next := ""
	for i, n := range names {
		if i == maxItems {
			next = base64.RawURLEncoding.EncodeToString([]byte(n))
			break
		}
		f := h.functions[prefix+n]
		out = append(out, lambdaConfiguration(f, f.latest, f.arn("$LATEST")))
		if allVersions {
			for _, v := range sortedVersions(f) {
				out = append(out, lambdaConfiguration(f, f.versions[v], f.arn(v)))
			}
		}
	}
	h.mu.Unlock()

	resp := map[string]any{"Functions": out}
	if out == nil {
		resp["Functions"] = []any{}
	}
	if next != "" {
		resp["NextMarker"] = next
	}
	writeJSON(w, http.StatusOK, resp)
}

func sortedVersions(f *lambdaFunction) []string {
	vs := make([]string, 0, len(f.versions))
	for v := range f.versions {
		vs = append(vs, v)
	}
	sort.Slice(vs, func(i, j int) bool { a, _ := strconv.Atoi(vs[i]); b, _ := strconv.Atoi(vs[j]); return a < b })
	return vs
}

// getFunction answers the configuration of the version the qualifier
// selects. As in AWS, the unqualified function reports its unqualified ARN.
func (h *lambdaService) getFunction(w http.ResponseWriter, r *http.Request, c *call) {
	f, v, qualifier, ok := h.target(w, r, c, "lambda:GetFunction")
	if !ok {
		return
	}
	h.mu.Lock()
	cfg := lambdaConfiguration(f, v, f.arn(qualifier))
	h.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"Configuration": cfg,
		"Code": map[string]string{
			"RepositoryType": "S3",
			"Location":       "https://awslambda-" + f.region + "-tasks.s3." + f.region + ".amazonaws.com/snapshots/" + f.account + "/" + f.name,
		},
		"Tags": map[string]string{},
	})
}
