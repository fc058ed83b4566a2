// Command signed-http shows the universal connector: an *http.Client whose
// requests are signed with SigV4 using a connection's role credentials, for
// AWS APIs that have no dedicated connector. Against the embedded local AWS
// (no AWS account needed) it:
//
//   - infers the signing service and region of standard AWS host names;
//   - resolves a customer connection into an aws.Config (role assumed with
//     the workspace's external ID, through the role cache);
//   - makes raw S3 REST calls (a PUT with a body, a streamed PUT, a listing
//     with a query string, a GET) and a raw Lex V2 RecognizeText call;
//   - shows what a call outside the role's permissions answers;
//   - presigns a URL and checks the connection.
//
// Run it with:
//
//	go run ./examples/signed-http
package main
