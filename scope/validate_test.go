package scope

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The rule follows the AssumeRole API reference (ExternalId: "Length
// Constraints: Minimum length of 2. Maximum length of 1224. Pattern:
// [\w+=,.@:\/-]*").
func TestValidateExternalID(t *testing.T) {
	tests := []struct {
		name    string
		id      string
		wantErr string
	}{
		{name: "workspace", id: "acme_iam_external_id_12345"},
		{name: "project", id: "acme_iam_external_id_12345_6789"},
		{name: "every allowed punctuation", id: "a_+=,.@:/-Z9"},
		{name: "shortest", id: "ab"},
		{name: "longest", id: strings.Repeat("x", 1224)},
		{name: "empty", id: "", wantErr: "scope: invalid external ID: length 0 is outside AWS's 2 to 1224 characters"},
		{name: "one character", id: "a", wantErr: "scope: invalid external ID: length 1 is outside AWS's 2 to 1224 characters"},
		{name: "too long", id: strings.Repeat("x", 1225), wantErr: "scope: invalid external ID: length 1225 is outside AWS's 2 to 1224 characters"},
		{name: "space", id: "acme id", wantErr: `scope: invalid external ID: character ' ' at position 5 is not allowed; use letters, digits and _+=,.@:/-`},
		{name: "non-ASCII counts characters", id: "ééx!", wantErr: `scope: invalid external ID: character 'é' at position 1 is not allowed; use letters, digits and _+=,.@:/-`},
		{name: "position after non-ASCII", id: "ab#", wantErr: `scope: invalid external ID: character '#' at position 3 is not allowed; use letters, digits and _+=,.@:/-`},
		{name: "newline", id: "ab\n", wantErr: `scope: invalid external ID: character '\n' at position 3 is not allowed; use letters, digits and _+=,.@:/-`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateExternalID(tt.id)
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.EqualError(t, err, tt.wantErr)
			require.ErrorIs(t, err, ErrInvalidExternalID)
		})
	}
}
