package main

import (
	"slices"
	"sync"
	"time"

	"github.com/awsconnect/awsconnect/connectors"
)

// record is one stored connection with what the platform keeps beside it:
// the operations the user chose and the last Connect report.
type record struct {
	Conn       connectors.Connection
	Operations []connectors.Operation
	Report     *connectors.CheckReport
	CheckedAt  time.Time
}

// store is the console's database: connections in creation order and the
// switch in progress per workspace. A platform keeps these in its own
// database, the secret access key encrypted; the console keeps them in
// memory. It is safe for concurrent use.
type store struct {
	mu       sync.Mutex // guards the fields below
	order    []string
	records  map[string]*record
	switches map[string]connectors.Switch
}

func newStore() *store {
	return &store{records: map[string]*record{}, switches: map[string]connectors.Switch{}}
}

// add saves a new connection; it reports false when the ID is taken.
func (s *store) add(r record) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.records[r.Conn.ID]; ok {
		return false
	}
	s.records[r.Conn.ID] = &r
	s.order = append(s.order, r.Conn.ID)
	return true
}

// get returns a copy of the connection with the given ID.
func (s *store) get(id string) (record, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.records[id]
	if !ok {
		return record{}, false
	}
	return *r, true
}

// list returns copies of every connection, oldest first.
func (s *store) list() []record {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]record, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, *s.records[id])
	}
	return out
}

// connections returns the stored connections of a workspace, as the switch
// workflow needs them: all of them.
func (s *store) connections(workspaceID string) []connectors.Connection {
	var out []connectors.Connection
	for _, r := range s.list() {
		if r.Conn.WorkspaceID == workspaceID {
			out = append(out, r.Conn)
		}
	}
	return out
}

// setReport keeps the last Connect report of a connection.
func (s *store) setReport(id string, rep connectors.CheckReport, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.records[id]; ok {
		r.Report, r.CheckedAt = &rep, at
	}
}

// remove deletes a connection.
func (s *store) remove(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.records, id)
	s.order = slices.DeleteFunc(s.order, func(v string) bool { return v == id })
}

// switchOf returns the switch in progress of a workspace.
func (s *store) switchOf(workspaceID string) (connectors.Switch, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sw, ok := s.switches[workspaceID]
	return sw, ok
}

// saveSwitch persists a switch between its steps.
func (s *store) saveSwitch(sw connectors.Switch) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.switches[sw.WorkspaceID] = sw
}

// dropSwitch forgets a workspace's switch (cancelled or finished).
func (s *store) dropSwitch(workspaceID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.switches, workspaceID)
}
