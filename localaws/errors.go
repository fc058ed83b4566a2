package localaws

import "net/http"

// errKind is an error every service can answer; stdError spells it the way
// AWS does for each protocol.
type errKind int

const (
	// errInvalidToken: the access key (or its session token) is unknown.
	errInvalidToken errKind = iota + 1
	// errBadSignature: the signature does not match the one recomputed
	// from the key's secret.
	errBadSignature
	// errExpiredToken: temporary credentials past their expiration.
	errExpiredToken
	// errSkewed: X-Amz-Date too far from the server's clock.
	errSkewed
	// errMissingAuth: no Authorization header at all.
	errMissingAuth
	// errMalformedAuth: an Authorization header that cannot be parsed.
	errMalformedAuth
	// errAccessDenied: the caller's policies do not allow the action.
	errAccessDenied
	// errThrottling: the request rate is too high (fault injection).
	errThrottling
	// errInternal: a 500 (fault injection, or a handler's own failure).
	errInternal
	// errUnavailable: a 503 (fault injection).
	errUnavailable
	// errValidation: the request's parameters are invalid.
	errValidation
)

// stdSpelling is one kind of error in one protocol family.
type stdSpelling struct {
	status int
	code   string
	msg    string // default message when the caller has no better one
}

// family groups protocols that spell errors alike: awsQuery, S3, and the
// JSON-ish ones (restJson1, awsJson, rpcv2Cbor).
type family int

const (
	familyQuery family = iota
	familyS3
	familyJSON
)

// stdSpellings holds AWS's status codes, codes and messages. JSON protocols
// differ only in status (awsJson answers client errors with 400), which
// stdError adjusts.
var stdSpellings = map[errKind][3]stdSpelling{
	errInvalidToken: {
		{http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid."},
		{http.StatusForbidden, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."},
		{http.StatusForbidden, "UnrecognizedClientException", "The security token included in the request is invalid."},
	},
	errBadSignature: {
		{http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."},
		{http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method."},
		{http.StatusForbidden, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."},
	},
	errExpiredToken: {
		{http.StatusBadRequest, "ExpiredToken", "The security token included in the request is expired"},
		{http.StatusBadRequest, "ExpiredToken", "The provided token has expired."},
		{http.StatusForbidden, "ExpiredTokenException", "The security token included in the request is expired"},
	},
	errSkewed: {
		{http.StatusForbidden, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large."},
		{http.StatusForbidden, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large."},
		{http.StatusForbidden, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large."},
	},
	errMissingAuth: {
		{http.StatusForbidden, "MissingAuthenticationToken", "Request is missing Authentication Token"},
		{http.StatusForbidden, "AccessDenied", "Access Denied"},
		{http.StatusForbidden, "MissingAuthenticationTokenException", "Missing Authentication Token"},
	},
	errMalformedAuth: {
		{http.StatusBadRequest, "IncompleteSignature", "The request signature does not conform to AWS standards."},
		{http.StatusBadRequest, "AuthorizationHeaderMalformed", "The authorization header is malformed."},
		{http.StatusBadRequest, "IncompleteSignatureException", "The request signature does not conform to AWS standards."},
	},
	errAccessDenied: {
		{http.StatusForbidden, "AccessDenied", "Access Denied"},
		{http.StatusForbidden, "AccessDenied", "Access Denied"},
		{http.StatusForbidden, "AccessDeniedException", "Access Denied"},
	},
	errThrottling: {
		{http.StatusBadRequest, "Throttling", "Rate exceeded"},
		{http.StatusServiceUnavailable, "SlowDown", "Please reduce your request rate."},
		{http.StatusBadRequest, "ThrottlingException", "Rate exceeded"},
	},
	errInternal: {
		{http.StatusInternalServerError, "InternalFailure", "The request processing has failed because of an unknown error, exception or failure."},
		{http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again."},
		{http.StatusInternalServerError, "InternalFailure", "The request processing has failed because of an unknown error, exception or failure."},
	},
	errUnavailable: {
		{http.StatusServiceUnavailable, "ServiceUnavailable", "The service is unavailable. Please try again later."},
		{http.StatusServiceUnavailable, "ServiceUnavailable", "Please reduce your request rate."},
		{http.StatusServiceUnavailable, "ServiceUnavailableException", "The service is unavailable. Please try again later."},
	},
	errValidation: {
		{http.StatusBadRequest, "ValidationError", "The request is invalid."},
		{http.StatusBadRequest, "InvalidRequest", "The request is invalid."},
		{http.StatusBadRequest, "ValidationException", "The request is invalid."},
	},
}

// stdError spells kind the way AWS does in protocol p. An empty message
// keeps AWS's default one.
func stdError(p protocol, kind errKind, message string) *apiError {
	spellings, ok := stdSpellings[kind]
	if !ok {
		spellings = stdSpellings[errInternal]
	}
	fam := familyJSON
	switch p {
	case protocolQuery:
		fam = familyQuery
	case protocolRESTXML:
		fam = familyS3
	}
	s := spellings[fam]
	e := &apiError{status: s.status, code: s.code, message: s.msg}
	if message != "" {
		e.message = message
	}
	if fam == familyJSON {
		// Query-compatible JSON and CBOR services (CloudWatch) let old
		// clients keep matching on the awsQuery code.
		e.queryCode = spellings[familyQuery].code
		if p == protocolCBOR {
			// CloudWatch, the one CBOR service here, is query-compatible
			// and keeps its awsQuery status codes.
			e.status = spellings[familyQuery].status
		}
		if p == protocolJSON && e.status < 500 {
			// awsJson services answer every client error with 400.
			e.status = http.StatusBadRequest
		}
		if p == protocolRESTJSON && kind == errThrottling {
			// Lambda and SES v2 answer throttling with 429.
			e.status = http.StatusTooManyRequests
			e.code = "TooManyRequestsException"
		}
	}
	return e
}
