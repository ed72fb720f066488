package apiclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"
)

// The event stream: Prefect's websocket at <api>/events/out
// (src/prefect/server/api/events.py stream_workspace_events_out, and the
// client side in src/prefect/events/clients.py PrefectEventSubscriber).
// unpause treats an event only as a prompt to re-read the run over REST:
// the stream can drop events (a backfill reads a database that lags up to
// 5 s, a full subscriber queue drops silently), so the REST read is the
// truth and the caller reconciles with a full listing after every connect.

// RunEvent is one flow-run state change from the event stream.
type RunEvent struct {
	ID             string    // the new state's id (event.id); de-duplicates
	RunID          string    // from prefect.resource.id, without "prefect.flow-run."
	RunName        string    // untrusted, like every string from the server
	StateType      string    // PAUSED, RUNNING, SCHEDULED, CANCELLED, ...
	StateName      string    // "Paused", "Suspended", "Awaiting approval", ...
	StateTimestamp time.Time // order updates by this, never by arrival
	Occurred       time.Time
	// Suspended is validated_state.pause_reschedule == "true" (PAUSED only).
	Suspended bool
}

// Paused reports whether the event puts the run in a PAUSED-type state.
func (e RunEvent) Paused() bool { return e.StateType == "PAUSED" }

// EventStream is one open subscription. Next must be called continuously:
// reading is what answers the server's pings (20 s, or it closes with 1011).
type EventStream struct {
	conn *websocket.Conn
	c    *Client
}

// maxEventFrame bounds one event frame: a state message can be 100,000
// characters (TRUNCATE_STATE_MESSAGES_AT), over the library's 32 KiB default.
const maxEventFrame = 4 << 20

// eventsHandshakeTimeout bounds the upgrade, the auth exchange and the filter.
const eventsHandshakeTimeout = 10 * time.Second

// EventsURL is the websocket URL of the event stream for the client's API
// (src/prefect/events/clients.py events_out_socket_from_api_url).
func (c *Client) EventsURL() string {
	u := *c.base
	u.User = nil
	switch u.Scheme {
	case "https":
		u.Scheme = "wss"
	default:
		u.Scheme = "ws"
	}
	return strings.TrimSuffix(u.String(), "/") + "/events/out"
}

// Event-filter wire shapes (src/prefect/server/events/filters.py; every
// model is extra="forbid", and an invalid filter makes the server drop the
// connection without a close frame, so only these typed structs are sent).
type eventsOccurred struct {
	Since time.Time `json:"since"`
	Until time.Time `json:"until"`
}

type eventsName struct {
	Prefix      []string `json:"prefix"`
	ExcludeName []string `json:"exclude_name"`
}

type eventsFilter struct {
	Occurred eventsOccurred `json:"occurred"`
	Event    eventsName     `json:"event"`
}

type eventsFilterMsg struct {
	Type     string       `json:"type"`
	Backfill bool         `json:"backfill"`
	Filter   eventsFilter `json:"filter"`
}

// runEventsFilter asks for live flow-run state changes only. "until" must be
// set: the server defaults it to the moment it parses the filter, which
// matches no live event at all. No backfill: the caller reconciles over REST.
func runEventsFilter(now time.Time) eventsFilterMsg {
	return eventsFilterMsg{
		Type: "filter",
		Filter: eventsFilter{
			Occurred: eventsOccurred{Since: now.Add(-time.Minute).UTC(), Until: now.Add(365 * 24 * time.Hour).UTC()},
			Event: eventsName{
				Prefix:      []string{"prefect.flow-run."},
				ExcludeName: []string{"prefect.flow-run.heartbeat"},
			},
		},
	}
}

// SubscribeRunEvents opens the event stream for flow-run state changes.
// A server that does not offer the stream (Prefect 2.x without
// PREFECT_EXPERIMENTAL_EVENTS, a proxy that refuses websockets) gives an
// *Error of Kind ErrNoStream: poll instead, and say nothing alarming.
func (c *Client) SubscribeRunEvents(ctx context.Context) (*EventStream, error) {
	const op = "subscribe to the event stream"
	hctx, cancel := context.WithTimeout(ctx, eventsHandshakeTimeout)
	defer cancel()
	h := http.Header{}
	h.Set("User-Agent", c.userAgent)
	if c.authHeader != "" {
		h.Set("Authorization", c.authHeader) // Prefect ignores it; a proxy in front may need it
	}
	conn, resp, err := websocket.Dial(hctx, c.EventsURL(), &websocket.DialOptions{
		HTTPClient:   c.http,
		HTTPHeader:   h,
		Subprotocols: []string{"prefect"},
	})
	if resp != nil && resp.Body != nil {
		_ = resp.Body.Close()
	}
	if err != nil {
		return nil, c.dialEventsError(ctx, op, resp, err)
	}
	conn.SetReadLimit(maxEventFrame)
	s := &EventStream{conn: conn, c: c}
	if err := s.handshake(hctx, op); err != nil {
		_ = conn.CloseNow()
		return nil, err
	}
	return s, nil
}

func (c *Client) dialEventsError(ctx context.Context, op string, resp *http.Response, err error) *Error {
	e := &Error{Op: op, Method: "GET", URL: redactRaw(c.EventsURL()), Err: err, Kind: ErrConnection, Reason: c.scrub(err.Error())}
	if ctx.Err() != nil {
		e.Kind, e.Reason = ErrOther, "interrupted"
		return e
	}
	if resp == nil {
		return e
	}
	e.StatusCode = resp.StatusCode
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		e.Kind, e.Reason = ErrAuth, "the server refused the credentials for the event stream"
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		e.Reason = "the event stream is unavailable for now" // a proxy whose upstream is down: retry
	default:
		// 404 and 500 (Prefect 2.x without PREFECT_EXPERIMENTAL_EVENTS), 403
		// (a server that wants the subprotocol it did not get, or a proxy),
		// 200 (a proxy that does not upgrade): no stream here.
		e.Kind, e.Reason = ErrNoStream, "the server does not offer Prefect's event stream"
	}
	return e
}

// handshake sends the auth message and the filter
// (src/prefect/server/utilities/subscriptions.py accept_prefect_socket).
func (s *EventStream) handshake(ctx context.Context, op string) error {
	if s.conn.Subprotocol() != "prefect" {
		return &Error{Op: op, Kind: ErrNoStream, Reason: "the server did not accept the \"prefect\" subprotocol"}
	}
	var token any // the raw auth string or API key, or null (never base64)
	if t := s.c.streamToken; t != "" {
		token = t
	}
	if err := s.writeJSON(ctx, map[string]any{"type": "auth", "token": token}); err != nil {
		return s.readError(op, err)
	}
	var reply struct {
		Type   string `json:"type"`
		Reason string `json:"reason"`
	}
	if err := s.readJSON(ctx, &reply); err != nil {
		return s.readError(op, err)
	}
	if reply.Type != "auth_success" {
		return &Error{Op: op, Kind: ErrAuth, Reason: "event stream auth failed: " + s.c.scrub(clip(reply.Type+" "+reply.Reason))}
	}
	if err := s.writeJSON(ctx, runEventsFilter(time.Now())); err != nil {
		return s.readError(op, err)
	}
	return nil
}

func (s *EventStream) writeJSON(ctx context.Context, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return s.conn.Write(ctx, websocket.MessageText, b)
}

func (s *EventStream) readJSON(ctx context.Context, v any) error {
	_, b, err := s.conn.Read(ctx)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// readError classifies a failure on an open stream: an auth close (1008) is
// an auth error worth saying; anything else is a dropped connection.
func (s *EventStream) readError(op string, err error) *Error {
	e := &Error{Op: op, URL: redactRaw(s.c.EventsURL()), Err: err, Kind: ErrConnection, Reason: "the event stream closed"}
	var ce websocket.CloseError
	if errors.As(err, &ce) {
		if ce.Code == websocket.StatusPolicyViolation {
			e.Kind = ErrAuth
			e.Reason = "event stream auth failed: " + s.c.scrub(clip(ce.Reason))
			return e
		}
		e.Reason = fmt.Sprintf("the event stream closed (%d %s)", int(ce.Code), s.c.scrub(clip(ce.Reason)))
		return e
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		e.Kind, e.Reason = ErrOther, "interrupted"
		return e
	}
	e.Reason = "the event stream dropped: " + s.c.scrub(clip(err.Error()))
	return e
}

// Next waits for the next flow-run state change. Frames that are not state
// changes (heartbeats, other event types) are skipped.
func (s *EventStream) Next(ctx context.Context) (RunEvent, error) {
	for {
		_, b, err := s.conn.Read(ctx)
		if err != nil {
			return RunEvent{}, s.readError("read the event stream", err)
		}
		if ev, ok := ParseRunEvent(b); ok {
			return ev, nil
		}
	}
}

// Close ends the subscription.
func (s *EventStream) Close() error {
	return s.conn.Close(websocket.StatusNormalClosure, "")
}

// wireEvent is {"type":"event","event":ReceivedEvent}
// (src/prefect/server/events/schemas/events.py).
type wireEvent struct {
	Type  string `json:"type"`
	Event struct {
		ID       string            `json:"id"`
		Event    string            `json:"event"`
		Occurred time.Time         `json:"occurred"`
		Resource map[string]string `json:"resource"`
		Payload  struct {
			Validated struct {
				Reschedule string `json:"pause_reschedule"`
			} `json:"validated_state"`
		} `json:"payload"`
	} `json:"event"`
}

const flowRunResource = "prefect.flow-run."

// ParseRunEvent reads one frame. ok is false for anything that is not a
// flow-run state change with a well-formed run id: a heartbeat has no
// prefect.state-type, and a state name can be anything, so the type label
// decides (src/prefect/server/models/events.py flow_run_state_change_event).
func ParseRunEvent(frame []byte) (RunEvent, bool) {
	var w wireEvent
	if err := json.Unmarshal(frame, &w); err != nil || w.Type != "event" {
		return RunEvent{}, false
	}
	r := w.Event.Resource
	id, ok := strings.CutPrefix(r["prefect.resource.id"], flowRunResource)
	if !ok || !isUUID(id) || !strings.HasPrefix(w.Event.Event, flowRunResource) {
		return RunEvent{}, false
	}
	typ := r["prefect.state-type"]
	if typ == "" {
		return RunEvent{}, false
	}
	ev := RunEvent{
		ID: w.Event.ID, RunID: strings.ToLower(id), RunName: r["prefect.resource.name"],
		StateType: typ, StateName: r["prefect.state-name"], Occurred: w.Event.Occurred,
		Suspended: w.Event.Payload.Validated.Reschedule == "true",
	}
	if ts, err := time.Parse(time.RFC3339Nano, r["prefect.state-timestamp"]); err == nil {
		ev.StateTimestamp = ts
	} else {
		ev.StateTimestamp = w.Event.Occurred
	}
	return ev, true
}
