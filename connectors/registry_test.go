package connectors

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"
)

func TestRegistry(t *testing.T) {
	newFn := func(aws.Config, Connection) (Checker, error) { return testChecker{}, nil }
	ops, perms := testOperations, testPermissions
	tests := []struct {
		name    string
		kind    Kind
		wantErr string
	}{
		{name: "valid", kind: Kind{Name: "b", Title: "B", New: newFn, Operations: ops, Permissions: perms, Fields: []Field{{Key: "k", Label: "K"}}}},
		{name: "duplicate", kind: Kind{Name: "a", Title: "A", New: newFn, Operations: ops, Permissions: perms}, wantErr: "already registered"},
		{name: "no constructor", kind: Kind{Name: "c", Title: "C", Operations: ops, Permissions: perms}, wantErr: "New and Permissions are required"},
		{name: "no permissions", kind: Kind{Name: "c", Title: "C", New: newFn, Operations: ops}, wantErr: "New and Permissions are required"},
		{name: "no operations", kind: Kind{Name: "c", Title: "C", New: newFn, Permissions: perms}, wantErr: "Operations or LookupOperation is required"},
		{name: "operation without title", kind: Kind{Name: "c", Title: "C", New: newFn, Permissions: perms, Operations: []OperationInfo{{Name: "X"}}}, wantErr: "operation 0"},
		{name: "duplicate operation", kind: Kind{Name: "c", Title: "C", New: newFn, Permissions: perms, Operations: []OperationInfo{{Name: "X", Title: "X"}, {Name: "X", Title: "Y"}}}, wantErr: "listed twice"},
		{name: "no title", kind: Kind{Name: "d", New: newFn, Operations: ops, Permissions: perms}, wantErr: "Title"},
		{name: "field without label", kind: Kind{Name: "e", Title: "E", New: newFn, Operations: ops, Permissions: perms, Fields: []Field{{Key: "k"}}}, wantErr: "field 0"},
		{name: "duplicate field", kind: Kind{Name: "f", Title: "F", New: newFn, Operations: ops, Permissions: perms, Fields: []Field{{Key: "k", Label: "K"}, {Key: "k", Label: "K2"}}}, wantErr: "used twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := &Registry{}
			require.NoError(t, reg.Register(Kind{Name: "a", Title: "A", New: newFn, Operations: ops, Permissions: perms}))
			err := reg.Register(tt.kind)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				require.Equal(t, []string{"a"}, reg.Names(), "a refused kind is not registered")
				return
			}
			require.NoError(t, err)
			got, ok := reg.Lookup(tt.kind.Name)
			_, lookupErr := reg.Kind(tt.kind.Name)
			require.NoError(t, lookupErr)
			require.True(t, ok)
			require.Equal(t, tt.kind.Title, got.Title)
			names := []string{}
			for _, k := range reg.Kinds() {
				names = append(names, k.Name)
			}
			require.Equal(t, []string{"a", "b"}, names)
		})
	}
	require.Panics(t, func() { Register(Kind{Name: "test", Title: "again", New: newFn}) })
}

func TestKindMarshalsForAForm(t *testing.T) {
	k, ok := testRegistry(nil).Lookup("test")
	require.True(t, ok)
	j, err := json.Marshal(k)
	require.NoError(t, err)
	require.JSONEq(t, `{"name":"test","title":"Test service","fields":[
		{"key":"bucket","label":"Bucket","required":true,"secret":false},
		{"key":"token","label":"API token","required":false,"secret":true}],
		"operations":[{"name":"GetObject","title":"Read objects","actions":["s3:GetObject"]},
		{"name":"PutObject","title":"Write objects","actions":["s3:PutObject"]}]}`, string(j))
}
