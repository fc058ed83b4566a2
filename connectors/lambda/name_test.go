package lambda

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseFunction(t *testing.T) {
	tests := []struct {
		name, in string
		want     Function
		wantErr  bool
	}{
		{name: "bare name", in: "my-function", want: Function{Name: "my-function"}},
		{name: "name with alias", in: "my-function:prod", want: Function{Name: "my-function", Qualifier: "prod"}},
		{name: "name with version", in: "my-function:3", want: Function{Name: "my-function", Qualifier: "3"}},
		{name: "name with $LATEST", in: "my.fn_1:$LATEST", want: Function{Name: "my.fn_1", Qualifier: "$LATEST"}},
		{name: "partial ARN", in: "123456789012:function:my-function", want: Function{AccountID: "123456789012", Name: "my-function"}},
		{name: "partial ARN with alias", in: "123456789012:function:my-function:live", want: Function{AccountID: "123456789012", Name: "my-function", Qualifier: "live"}},
		{name: "full ARN", in: "arn:aws:lambda:us-west-2:123456789012:function:my-function", want: Function{Partition: "aws", Region: "us-west-2", AccountID: "123456789012", Name: "my-function"}},
		{name: "full ARN qualified", in: "arn:aws-cn:lambda:cn-north-1:123456789012:function:f:7", want: Function{Partition: "aws-cn", Region: "cn-north-1", AccountID: "123456789012", Name: "f", Qualifier: "7"}},
		{name: "empty", in: "", wantErr: true},
		{name: "space in name", in: "my function", wantErr: true},
		{name: "name too long", in: "a123456789012345678901234567890123456789012345678901234567890123456789", wantErr: true},
		{name: "bad qualifier", in: "f:bad*alias", wantErr: true},
		{name: "empty qualifier", in: "f:", wantErr: true},
		{name: "s3 ARN", in: "arn:aws:s3:::bucket", wantErr: true},
		{name: "layer ARN", in: "arn:aws:lambda:us-east-1:123456789012:layer:l:1", wantErr: true},
		{name: "short account", in: "12345:function:f", wantErr: true},
		{name: "ARN bad account", in: "arn:aws:lambda:us-east-1:12:function:f", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseFunction(tt.in)
			if tt.wantErr {
				require.ErrorIs(t, err, ErrInvalidFunction)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestFunctionARNAndString(t *testing.T) {
	f, err := ParseFunction("orders:live")
	require.NoError(t, err)
	require.Equal(t, "arn:aws:lambda:eu-west-1:111122223333:function:orders:live", f.ARN("", "eu-west-1", "111122223333"))
	require.Equal(t, "orders:live", f.String())

	f, err = ParseFunction("arn:aws:lambda:us-east-1:111122223333:function:orders")
	require.NoError(t, err)
	require.Equal(t, "arn:aws:lambda:us-east-1:111122223333:function:orders", f.ARN("aws", "eu-west-1", "999999999999"), "parts in the reference win")
	require.Equal(t, "arn:aws:lambda:us-east-1:111122223333:function:orders", f.String())

	f, err = ParseFunction("111122223333:function:orders:2")
	require.NoError(t, err)
	require.Equal(t, "111122223333:function:orders:2", f.String())
}

func TestWithQualifier(t *testing.T) {
	f := Function{Name: "f"}
	g, err := f.WithQualifier("prod")
	require.NoError(t, err)
	require.Equal(t, "prod", g.Qualifier)
	g, err = g.WithQualifier("prod")
	require.NoError(t, err, "the same qualifier twice is fine")
	require.Equal(t, "prod", g.Qualifier)
	_, err = g.WithQualifier("dev")
	require.ErrorIs(t, err, ErrInvalidFunction)
	_, err = f.WithQualifier("no/slash")
	require.ErrorIs(t, err, ErrInvalidFunction)
}

func TestRestriction(t *testing.T) {
	c := &Connector{restricted: true, restrict: Function{AccountID: "111122223333", Name: "orders"}}
	for _, ok := range []string{"orders", "orders:prod", "111122223333:function:orders", "arn:aws:lambda:us-east-1:111122223333:function:orders:3", ""} {
		_, err := c.resolve(ok, "")
		require.NoError(t, err, ok)
	}
	for _, bad := range []string{"billing", "999999999999:function:orders", "arn:aws:lambda:us-east-1:999999999999:function:orders"} {
		_, err := c.resolve(bad, "")
		require.True(t, errors.Is(err, ErrOutsideRestriction), "%s: %v", bad, err)
	}
}

func FuzzParseFunction(f *testing.F) {
	for _, s := range []string{"f", "f:1", "123456789012:function:f:alias", "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST", "arn:", "::", "f:a:b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fn, err := ParseFunction(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidFunction) {
				t.Fatalf("error %v does not wrap ErrInvalidFunction", err)
			}
			return
		}
		if fn.Name == "" {
			t.Fatalf("%q parsed without a name", s)
		}
		// What String prints parses back to the same reference.
		again, err := ParseFunction(fn.String())
		if err != nil {
			t.Fatalf("String %q of %q does not parse: %v", fn.String(), s, err)
		}
		if again.Name != fn.Name || again.Qualifier != fn.Qualifier || again.AccountID != fn.AccountID {
			t.Fatalf("round trip of %q: %+v != %+v", s, again, fn)
		}
	})
}
