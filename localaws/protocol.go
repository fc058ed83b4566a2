package localaws

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"strings"

	smithycbor "github.com/aws/smithy-go/encoding/cbor"
)

// protocol is the wire protocol a service speaks. It decides how errors are
// written, because each SDK client only understands its own service's shape.
type protocol int

const (
	// protocolQuery is awsQuery (STS): form-encoded requests, XML responses,
	// errors as <ErrorResponse><Error><Type/><Code/><Message/></Error>.
	protocolQuery protocol = iota + 1
	// protocolRESTXML is restXml (S3): errors as <Error><Code/><Message/>.
	protocolRESTXML
	// protocolRESTJSON is restJson1 (Lambda, SES v2, Lex V2 runtime): the
	// error code travels in the X-Amzn-ErrorType header, the body is
	// {"message": ...}.
	protocolRESTJSON
	// protocolJSON is awsJson 1.0/1.1 (CloudWatch Logs): errors as
	// {"__type": ..., "message": ...}.
	protocolJSON
	// protocolCBOR is smithy RPCv2 CBOR (CloudWatch in the current SDK): the
	// error is a CBOR map {"__type", "message"}; query-compatible services
	// also name the awsQuery code in X-Amzn-Query-Error.
	protocolCBOR
)

// String names the protocol as Smithy does, for messages and the request log.
func (p protocol) String() string {
	switch p {
	case protocolQuery:
		return "awsQuery"
	case protocolRESTXML:
		return "restXml"
	case protocolRESTJSON:
		return "restJson1"
	case protocolJSON:
		return "awsJson"
	case protocolCBOR:
		return "rpcv2Cbor"
	}
	return "unknown"
}

// apiError is one AWS error response. Handlers return it (or write it with
// call.writeError); the server renders it in the calling service's protocol.
type apiError struct {
	// status is the HTTP status code.
	status int
	// code is the error code in this protocol's spelling, e.g. "AccessDenied"
	// (awsQuery, restXml) or "AccessDeniedException" (JSON protocols).
	code string
	// queryCode is the awsQuery spelling of code, written in the
	// X-Amzn-Query-Error header for query-compatible JSON and CBOR services
	// (CloudWatch). Empty means code.
	queryCode string
	// message is AWS's human-readable message.
	message string
}

// Error renders the error the way the SDK's smithy.GenericAPIError does, so a
// handler's log lines read like the client's.
func (e *apiError) Error() string {
	return "localaws: api error " + e.code + ": " + e.message
}

// fault is "Sender" for client errors and "Receiver" for server errors, as
// awsQuery and X-Amzn-Query-Error spell it.
func (e *apiError) fault() string {
	if e.status >= 500 {
		return "Receiver"
	}
	return "Sender"
}

// asAPIError turns any handler error into an apiError; an error that is not
// one becomes InternalFailure, because AWS answers its own bugs with a 500.
func asAPIError(p protocol, err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	return stdError(p, errInternal, err.Error())
}

// writeAPIError writes e in protocol p. requestID is echoed where the
// protocol carries it in the body (awsQuery, restXml); headers carry it always.
func writeAPIError(w http.ResponseWriter, r *http.Request, p protocol, requestID string, e *apiError) {
	h := w.Header()
	switch p {
	case protocolQuery:
		h.Set("Content-Type", "text/xml")
		w.WriteHeader(e.status)
		writeXML(w, queryErrorResponse{
			Error:     queryErrorBody{Type: e.fault(), Code: e.code, Message: e.message},
			RequestID: requestID,
		})
	case protocolRESTXML:
		h.Set("Content-Type", "application/xml")
		w.WriteHeader(e.status)
		writeXML(w, restXMLError{Code: e.code, Message: e.message, RequestID: requestID})
	case protocolRESTJSON:
		h.Set("Content-Type", "application/json")
		h.Set("X-Amzn-ErrorType", e.code)
		w.WriteHeader(e.status)
		_ = json.NewEncoder(w).Encode(map[string]string{"message": e.message})
	case protocolJSON:
		ct := r.Header.Get("Content-Type")
		if !strings.HasPrefix(ct, "application/x-amz-json-") {
			ct = "application/x-amz-json-1.1"
		}
		h.Set("Content-Type", ct)
		setQueryErrorHeader(h, r, e)
		w.WriteHeader(e.status)
		_ = json.NewEncoder(w).Encode(map[string]string{"__type": e.code, "message": e.message})
	case protocolCBOR:
		h.Set("Content-Type", "application/cbor")
		h.Set("Smithy-Protocol", "rpc-v2-cbor")
		setQueryErrorHeader(h, r, e)
		w.WriteHeader(e.status)
		_, _ = w.Write(smithycbor.Encode(smithycbor.Map{
			"__type":  smithycbor.String(e.code),
			"message": smithycbor.String(e.message),
		}))
	default:
		http.Error(w, e.code+": "+e.message, e.status)
	}
}

// setQueryErrorHeader names the awsQuery code for clients of query-compatible
// services, which announce themselves with X-Amzn-Query-Mode: true.
func setQueryErrorHeader(h http.Header, r *http.Request, e *apiError) {
	if r.Header.Get("X-Amzn-Query-Mode") != "true" {
		return
	}
	code := e.queryCode
	if code == "" {
		code = e.code
	}
	h.Set("X-Amzn-Query-Error", code+";"+e.fault())
}

// queryErrorResponse is the awsQuery error document.
type queryErrorResponse struct {
	XMLName   xml.Name       `xml:"ErrorResponse"`
	Error     queryErrorBody `xml:"Error"`
	RequestID string         `xml:"RequestId"`
}

type queryErrorBody struct {
	Type    string `xml:"Type"`
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

// restXMLError is S3's error document.
type restXMLError struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	RequestID string   `xml:"RequestId"`
}

// writeJSON writes v as a JSON document with status, as the restJson1
// services (Lambda, SES v2, Lex V2) answer. Encoding errors only happen
// when the client went away.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeXML writes v with the XML declaration AWS puts in front of every
// document. Encoding errors only happen when the client went away, and then
// there is nobody left to tell.
func writeXML(w http.ResponseWriter, v any) {
	_, _ = w.Write([]byte(xml.Header))
	_ = xml.NewEncoder(w).Encode(v)
}

// guessProtocol picks a protocol for requests that cannot be routed by their
// signature (unsigned or malformed ones), from what the SDK puts on the wire.
func guessProtocol(r *http.Request) protocol {
	switch {
	case r.Header.Get("Smithy-Protocol") == "rpc-v2-cbor":
		return protocolCBOR
	case r.Header.Get("X-Amz-Target") != "":
		return protocolJSON
	case strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		return protocolQuery
	case strings.HasPrefix(r.Header.Get("Content-Type"), "application/json"):
		return protocolRESTJSON
	}
	return protocolRESTXML
}
