package connectors

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/scope"
)

func TestClosest(t *testing.T) {
	choices := []string{"ListBuckets", "GetObject", "PutObject"}
	for in, want := range map[string]string{"getobject": "GetObject", "GETOBJECT": "GetObject", "GetObjet": "GetObject",
		"PutObjects": "PutObject", "Bogus": "", "": "", "ListAllMyBuckets": "ListBuckets", "DeleteEverything": ""} {
		require.Equal(t, want, Closest(in, choices), in)
	}
}

func TestKindRequirementsIncludeTheCheck(t *testing.T) {
	k, err := testRegistry(nil).Kind("test")
	require.NoError(t, err)
	c := roleConn()
	reqs, err := k.Requirements(c, []Operation{"GetObject", "GetObject"})
	require.NoError(t, err)
	require.Equal(t, []policy.Requirement{{Action: "s3:GetObject", Resource: "arn:aws:s3:::my-bucket/*"}, testNeed}, reqs,
		"the operation once, and what Check proves")
}

// TestBadInputNamesTheChoicesAndChangesNothing: an unknown operation, an
// unregistered kind and a field the kind does not have each get an error
// naming it and the valid choices, and nothing is registered, assumed or
// cached on the way.
func TestBadInputNamesTheChoicesAndChangesNothing(t *testing.T) {
	f := &fakeSTS{want: map[string]bool{projectExt: true}}
	reg := testRegistry(nil)
	r, cache := newTestResolver(t, f, reg, scope.ProjectMode)
	k, err := reg.Kind("test")
	require.NoError(t, err)

	_, err = k.ParseOperation("getobject")
	require.ErrorIs(t, err, ErrUnknownOperation)
	require.EqualError(t, err, `connectors: unknown operation "getobject" for connector kind "test"; did you mean "GetObject"?; valid operations: GetObject, PutObject`)
	_, err = k.ParseOperations([]string{"GetObject", "Bogus", "putobject"})
	require.ErrorContains(t, err, `"Bogus"`)
	require.ErrorContains(t, err, `did you mean "PutObject"`)

	_, err = reg.Kind("tset")
	require.ErrorIs(t, err, ErrUnknownKind)
	require.EqualError(t, err, `connectors: "tset" is not a registered connector kind; did you mean "test"?; registered kinds: test (add a kind to the platform's own registry with NewRegistry or Register, e.g. NewRegistry(s3.Kind))`)
	_, err = (&Registry{}).Kind("s3")
	require.ErrorContains(t, err, "no kind is registered")

	ctx := context.Background()
	for name, c := range map[string]Connection{
		"unregistered kind": func() Connection { c := roleConn(); c.Kind = "tset"; return c }(),
		"unknown field": func() Connection {
			c := roleConn()
			c.Fields = map[string]string{"bucket": "my-bucket", "bukcet": "x"}
			return c
		}(),
	} {
		t.Run(name, func(t *testing.T) {
			err := r.Validate(c)
			require.ErrorIs(t, err, ErrInvalidConnection)
			if name == "unregistered kind" {
				require.ErrorIs(t, err, ErrUnknownKind)
				require.ErrorContains(t, err, `did you mean "test"?`)
			} else {
				require.ErrorIs(t, err, ErrUnknownField)
				require.ErrorContains(t, err, `its fields are "bucket", "token"`)
				_, err = k.Requirements(c, nil)
				require.ErrorIs(t, err, ErrUnknownField)
			}
			rep := r.Check(ctx, c)
			s, _ := rep.FirstFailure()
			require.Equal(t, StepFields, s.ID)
			_, err = r.Config(ctx, c)
			require.ErrorIs(t, err, ErrInvalidConnection)
		})
	}
	_, err = k.Requirements(func() Connection { c := roleConn(); c.Kind = "other"; return c }(), nil)
	require.ErrorContains(t, err, `is of kind "other"`)

	require.Empty(t, f.snapshot(), "nothing was assumed")
	require.Zero(t, cache.Stats().Entries, "nothing was cached")
	require.Equal(t, []string{"test"}, reg.Names(), "nothing was registered")
}

// TestValidationUsesTheResolversRegistry: a platform registry's kind is
// valid for its resolver, whatever the default registry holds.
func TestValidationUsesTheResolversRegistry(t *testing.T) {
	reg, err := NewRegistry(Kind{Name: "custom", Title: "Custom", Operations: testOperations, Permissions: testPermissions,
		New: func(cfg aws.Config, c Connection) (Checker, error) { return testChecker{cfg: cfg}, nil }})
	require.NoError(t, err)
	r := NewResolver(aws.Config{Region: "us-east-1"}, scope.Deriver{}, FixedMode(scope.WorkspaceMode), nil, func(o *Options) { o.Registry = reg })
	c := keyConn()
	c.Kind, c.Fields = "custom", nil
	require.NoError(t, r.Validate(c))
	require.ErrorIs(t, c.Validate(), ErrUnknownKind, "the default registry does not hold it")
	c.Kind = "test"
	require.ErrorIs(t, r.Validate(c), ErrUnknownKind, "the resolver's registry does not hold the default's kinds")
	_, err = NewRegistry(Kind{Name: "x"})
	require.Error(t, err)
}
