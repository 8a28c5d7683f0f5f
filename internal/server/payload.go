package server

import (
	"encoding/json"
	"fmt"
)

// file is one file posted with an alert, as the worker will decode it.
type file struct {
	Name string `json:"name"`
	Data []byte `json:"data"`
}

// payload is what the store keeps of a post for the worker: the alert body
// itself and the files that came with it. The store treats it as opaque.
type payload struct {
	Files []file `json:"files"`
}

func encodePayload(p payload) ([]byte, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encode payload: %w", err)
	}
	return b, nil
}

func decodePayload(b []byte) (payload, error) {
	var p payload
	if len(b) == 0 {
		return p, nil
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return p, fmt.Errorf("decode payload: %w", err)
	}
	return p, nil
}
