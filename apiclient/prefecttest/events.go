package prefecttest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"
)

// The fake's event stream follows src/prefect/server/api/events.py
// stream_workspace_events_out and src/prefect/server/utilities/subscriptions.py:
// the "prefect" subprotocol, an auth message answered with auth_success, a
// filter message, then one frame per flow-run state change in the shape of
// src/prefect/server/models/events.py flow_run_state_change_event. Like the
// real server it keeps a backlog of 256 events per subscriber and drops
// events silently when a subscriber falls behind.

const subscriptionBacklog = 256

type subscriber struct {
	events chan []byte
	conn   *websocket.Conn
}

// RefuseStreams makes the websocket upgrade answer status (404 or 500 as a
// Prefect 2.x server without PREFECT_EXPERIMENTAL_EVENTS does, 403 as a
// proxy might); 0 serves the stream again.
func (s *Server) RefuseStreams(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuseStream = status
}

// DropStreams cuts every open event stream without a close frame, as a
// network drop or a killed proxy does.
func (s *Server) DropStreams() {
	s.mu.Lock()
	subs := s.subs
	s.subs = nil
	s.mu.Unlock()
	for _, sub := range subs {
		_ = sub.conn.CloseNow()
	}
}

// Subscribers is how many event streams are open.
func (s *Server) Subscribers() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.subs)
}

func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	refuse := s.refuseStream
	s.mu.Unlock()
	if refuse != 0 {
		reply(w, refuse, map[string]any{"detail": "Events are not enabled. Please enable the PREFECT_EXPERIMENTAL_EVENTS setting."})
		return
	}
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"prefect"}})
	if err != nil {
		return
	}
	ctx := r.Context()
	var auth, filter map[string]any
	if conn.Subprotocol() != "prefect" || readJSON(ctx, conn, &auth) != nil || auth["type"] != "auth" {
		_ = conn.Close(websocket.StatusPolicyViolation, "Expected 'auth' message")
		return
	}
	_ = conn.Write(ctx, websocket.MessageText, []byte(`{"type":"auth_success"}`))
	if readJSON(ctx, conn, &filter) != nil || filter["type"] != "filter" || !hasUntil(filter) {
		_ = conn.CloseNow() // as an invalid filter does on the real server: no close frame
		return
	}
	sub := &subscriber{events: make(chan []byte, subscriptionBacklog), conn: conn}
	s.mu.Lock()
	s.subs = append(s.subs, sub)
	s.mu.Unlock()
	go func() { // reads answer pings and notice the client going
		for {
			if _, _, err := conn.Read(context.Background()); err != nil {
				_ = conn.CloseNow()
				return
			}
		}
	}()
	for frame := range sub.events {
		if conn.Write(ctx, websocket.MessageText, frame) != nil {
			break
		}
	}
	s.unsubscribe(sub)
}

func (s *Server) unsubscribe(sub *subscriber) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, x := range s.subs {
		if x == sub {
			s.subs = append(s.subs[:i], s.subs[i+1:]...)
			break
		}
	}
}

// hasUntil checks occurred.until: without it the real server matches no
// live event at all, so a client that forgets it must fail here too.
func hasUntil(filter map[string]any) bool {
	f, _ := filter["filter"].(map[string]any)
	occ, _ := f["occurred"].(map[string]any)
	until, _ := occ["until"].(string)
	t, err := time.Parse(time.RFC3339Nano, until)
	return err == nil && t.After(time.Now())
}

func readJSON(ctx context.Context, conn *websocket.Conn, v any) error {
	_, b, err := conn.Read(ctx)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// publishChanges sends an event for every run whose state changed since the
// last call. Called with s.mu held, after each change to the fake's runs.
func (s *Server) publishChanges() {
	if s.published == nil {
		s.published = map[string]string{}
	}
	for _, id := range s.order {
		run := s.runs[id]
		st := run["state"].(map[string]any)
		sid, _ := st["id"].(string)
		if s.published[id] == sid {
			continue
		}
		s.published[id] = sid
		frame := s.eventFrame(run, st)
		for _, sub := range s.subs {
			select {
			case sub.events <- frame:
			default: // the real server drops too: asyncio.QueueFull
			}
		}
	}
}

func (s *Server) eventFrame(run, st map[string]any) []byte {
	details, _ := st["state_details"].(map[string]any)
	msg, _ := st["message"].(string)
	name, _ := st["name"].(string)
	validated := map[string]any{"type": st["type"], "name": name, "message": msg}
	if st["type"] == "PAUSED" {
		validated["pause_reschedule"] = strings.ToLower(boolText(details["pause_reschedule"] == true))
	}
	related := []map[string]any{{
		"prefect.resource.id": "prefect.flow." + run["flow_id"].(string), "prefect.resource.role": "flow",
		"prefect.resource.name": s.flows[run["flow_id"].(string)],
	}}
	now := time.Now().UTC().Format(time.RFC3339Nano)
	b, _ := json.Marshal(map[string]any{"type": "event", "event": map[string]any{
		"occurred": now, "event": "prefect.flow-run." + name,
		"resource": map[string]any{
			"prefect.resource.id": "prefect.flow-run." + run["id"].(string), "prefect.resource.name": run["name"],
			"prefect.run-count": "1", "prefect.state-message": msg, "prefect.state-name": name,
			"prefect.state-timestamp": st["timestamp"], "prefect.state-type": st["type"],
		},
		"related": related, "payload": map[string]any{"validated_state": validated},
		"id": st["id"], "follows": nil, "received": now,
	}})
	return b
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// Requests is how many requests the server received (event streams included).
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// Delete removes a run, as `prefect flow-run delete` does.
func (s *Server) Delete(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.runs, id)
	delete(s.published, id)
	for i, x := range s.order {
		if x == id {
			s.order = append(s.order[:i], s.order[i+1:]...)
			break
		}
	}
}

// AnnounceState publishes the event of a state change before making it, as
// Prefect can: the event is emitted inside the transition, before its
// transaction commits, so a read right after the event may still see the
// state before. commit makes the change, with no event of its own (the
// announced one was it).
func (s *Server) AnnounceState(id, typ, name string) (commit func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	run := s.runs[id]
	s.states++
	announced := map[string]any{
		"id": fmt.Sprintf("0198c7b0-0c11-7e22-9f33-%012d", s.states), "type": typ, "name": name,
		"timestamp": time.Now().UTC().Format(time.RFC3339Nano), "message": nil,
		"state_details": map[string]any{"flow_run_id": id, "pause_reschedule": false},
	}
	frame := s.eventFrame(run, announced)
	for _, sub := range s.subs {
		select {
		case sub.events <- frame:
		default:
		}
	}
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		next := s.setRunState(run, typ, name, nil)
		if s.published == nil {
			s.published = map[string]string{}
		}
		s.published[id] = next["id"].(string)
	}
}
