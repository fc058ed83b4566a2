package connectors

import "encoding/json"

// nonNil returns s, or an empty slice for nil, so JSON writes [] rather
// than null and a screen iterates every list without a null check.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// MarshalJSON writes every list as a list, [] when empty (the zero Switch
// too).
func (s Switch) MarshalJSON() ([]byte, error) {
	type plain Switch // no MarshalJSON of its own
	s.Connections, s.Roles = nonNil(s.Connections), nonNil(s.Roles)
	s.Unchanged, s.RetiredExternalIDs = nonNil(s.Unchanged), nonNil(s.RetiredExternalIDs)
	return json.Marshal(plain(s))
}

// MarshalJSON writes every list as a list, [] when empty (the zero
// SettingsScreen too).
func (s SettingsScreen) MarshalJSON() ([]byte, error) {
	type plain SettingsScreen // no MarshalJSON of its own
	s.Modes, s.ExternalIDs = nonNil(s.Modes), nonNil(s.ExternalIDs)
	return json.Marshal(plain(s))
}
