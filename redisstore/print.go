package redisstore

import "encoding/json"

// MarshalJSON writes the key's ID only: encoding/json would otherwise write
// its Secret in base64 (a configuration dump, an API answer).
func (k Key) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		ID string `json:"id"`
	}{k.ID})
}
