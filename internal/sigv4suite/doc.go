// Package sigv4suite loads AWS's Signature Version 4 test suite, the v4
// directory of awslabs/aws-c-auth's tests/aws-signing-test-suite (Apache
// License 2.0; see LICENSE and NOTICE beside this file), for the tests of
// the signer in connectors/signedhttp and the verifier in localaws. Only
// tests import it.
package sigv4suite
