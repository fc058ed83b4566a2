package localaws

import (
	"net/http"
	"testing"

	"github.com/awsconnect/awsconnect/policy"
	"github.com/stretchr/testify/require"

	smithycbor "github.com/aws/smithy-go/encoding/cbor"
)

// probeHandler stands in for a service in tests of the server's pipeline:
// it authorises one action on "*" and answers the smallest valid success
// body of its protocol, so the real SDK clients can parse both outcomes.
type probeHandler struct {
	op     string
	action string
}

func (h probeHandler) operation(*http.Request, []byte) string { return h.op }

func (h probeHandler) serve(w http.ResponseWriter, r *http.Request, c *call) {
	if err := c.authorize(h.action, "*", nil); err != nil {
		c.writeError(w, r, err)
		return
	}
	switch c.protocol {
	case protocolRESTXML:
		w.Header().Set("Content-Type", "application/xml")
		writeXML(w, struct {
			XMLName struct{} `xml:"ListAllMyBucketsResult"`
			Buckets struct{} `xml:"Buckets"`
		}{})
	case protocolRESTJSON:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"Functions":[]}`))
	case protocolJSON:
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = w.Write([]byte(`{"logGroups":[]}`))
	case protocolCBOR:
		w.Header().Set("Content-Type", "application/cbor")
		w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
		_, _ = w.Write(smithycbor.Encode(smithycbor.Map{}))
	}
}

// probeRoutes replaces (on this server only) the services of every
// protocol with probes; tests call it before the first request.
func probeRoutes(s *Server) {
	s.routes["s3"] = &route{spec: serviceSpec{name: "s3", protocol: protocolRESTXML},
		handler: probeHandler{op: "ListBuckets", action: "s3:ListAllMyBuckets"}}
	s.routes["lambda"] = &route{spec: serviceSpec{name: "lambda", protocol: protocolRESTJSON},
		handler: probeHandler{op: "ListFunctions", action: "lambda:ListFunctions"}}
	s.routes["logs"] = &route{spec: serviceSpec{name: "logs", protocol: protocolJSON},
		handler: probeHandler{op: "DescribeLogGroups", action: "logs:DescribeLogGroups"}}
	s.routes["monitoring"] = &route{spec: serviceSpec{name: "monitoring", protocol: protocolCBOR},
		handler: probeHandler{op: "ListMetrics", action: "cloudwatch:ListMetrics"}}
}

// mustParse parses a policy document in a test.
func mustParse(t testing.TB, doc string) *policy.Document {
	t.Helper()
	d, err := policy.Parse([]byte(doc))
	require.NoError(t, err)
	return d
}
