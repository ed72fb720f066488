package domain

import (
	"bytes"
	"encoding/json"
	"maps"
	"strings"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/forms/inputschema"
	"github.com/unpause-dev/unpause/termsafe"
)

// InitialValues is where an answer starts: the schema's defaults (for
// inputschema.Schema, its Defaults()) with saved values — a draft, a previous
// answer or a whole answer given on the command line — on top (saved ones
// win, key by key at the top level). Neither map is changed.
//
// It takes the defaults rather than the schema so that this package stays
// free of the form widgets.
func InitialValues(defaults, saved map[string]any) map[string]any {
	out := make(map[string]any, len(defaults)+len(saved))
	maps.Copy(out, defaults)
	maps.Copy(out, saved)
	return out
}

// IndentJSON lays out raw JSON for reading, two spaces per level, every
// line starting with prefix. It keeps the bytes' key order and numbers: what
// is shown is what is sent. JSON that does not parse is returned as it is.
// The result is not sanitised: it still holds the API's strings.
func IndentJSON(raw json.RawMessage, prefix string) string {
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, prefix, "  "); err != nil {
		return string(raw)
	}
	return prefix + buf.String()
}

// PreviousAnswer is the newest answer the run received for an earlier pause
// (a "*-response" input whose key is not current's, the response key of the
// pause it waits in now), decoded; ok is false when there is none or it is
// not a JSON object. A flow that refused an answer and paused again is
// offered it as the starting values: the server keeps it, so unpause need
// not.
func PreviousAnswer(rs []apiclient.Response, current string) (values map[string]any, at time.Time, ok bool) {
	for i := len(rs) - 1; i >= 0; i-- {
		r := rs[i]
		if r.Key == current || !strings.HasSuffix(r.Key, "-response") {
			continue
		}
		if at.IsZero() || r.Created.After(at) {
			dec := json.NewDecoder(bytes.NewReader(r.Value))
			dec.UseNumber()
			var v map[string]any
			if dec.Decode(&v) != nil || v == nil {
				continue
			}
			values, at, ok = v, r.Created, true
		}
	}
	return values, at, ok
}

// refusalSlack is how long after the new pause began a refusal may still be
// stamped: the flow logs the error and then calls pause_flow_run, but the
// log's timestamp is the worker's clock and the pause's the server's.
const refusalSlack = 2 * time.Second

// Refusal is why the flow refused the previous answer: the newest ERROR log
// line stamped between that answer (answeredAt, when its response was
// created) and the start of the current pause (pausedSince, plus
// refusalSlack); see apiclient.LastRefusal. ok is false when there is none.
// The message is not sanitised: it is the API's string.
func Refusal(logs []apiclient.LogLine, answeredAt, pausedSince time.Time) (reason string, ok bool) {
	if answeredAt.IsZero() || pausedSince.IsZero() {
		return "", false
	}
	return apiclient.LastRefusal(logs, answeredAt, pausedSince.Add(refusalSlack))
}

// MaskResponses returns the answers a run received with their secret
// (SecretStr) values masked, by the schema each pause asked with: a secret
// sent once is never shown again, in any output. An answer whose schema is
// unknown or unreadable is kept as it is.
func MaskResponses(rs []apiclient.Response) []apiclient.Response {
	out := make([]apiclient.Response, len(rs))
	for i, r := range rs {
		out[i] = r
		if len(r.Schema) == 0 {
			continue
		}
		s, err := inputschema.ParseSchema(r.Schema)
		if err != nil || len(s.SecretPaths()) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(r.Value))
		dec.UseNumber()
		var v map[string]any
		if dec.Decode(&v) != nil {
			continue
		}
		if masked, err := s.Marshal(s.MaskSecrets(v)); err == nil {
			out[i].Value = masked
		}
	}
	return out
}

// AnsweredBy says who gave an answer, from the record unpause left next to
// it: "answered by alice@ops-1 at 2026-08-21 16:31:02 UTC" (in loc), or ""
// when there is none. The record comes from the API: it is sanitised.
func AnsweredBy(rec *apiclient.Record, loc *time.Location) string {
	return actedBy("answered", rec, loc)
}

// CancelledBy is the line that says who cancelled a run and when, from
// its cancelled-by record ("" when there is none).
func CancelledBy(rec *apiclient.Record, loc *time.Location) string {
	return actedBy("cancelled", rec, loc)
}

// actedBy is "<verb> by <who> at <when>": one wording for every record.
func actedBy(verb string, rec *apiclient.Record, loc *time.Location) string {
	if rec == nil || rec.Who == "" {
		return ""
	}
	when := "an unknown time"
	if !rec.When.IsZero() {
		when = rec.When.In(loc).Format("2006-01-02 15:04:05 MST")
	}
	who := termsafe.Line(rec.Who)
	if r := []rune(who); len(r) > maxWho {
		who = string(r[:maxWho]) + "…"
	}
	return verb + " by " + who + " at " + when
}

// maxWho bounds a shown identity: unpause writes at most 200 characters
// (config.MaxIdentity); anything longer was written by something else.
const maxWho = 200

// SameSchema reports whether a and b are the same JSON Schema (key order
// and spacing aside), or both absent: the test for one answer going to
// several runs (resume --all, the inbox's marked runs, its queue).
func SameSchema(a, b json.RawMessage) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	var va, vb any
	if json.Unmarshal(a, &va) != nil || json.Unmarshal(b, &vb) != nil {
		return bytes.Equal(a, b)
	}
	ca, _ := json.Marshal(va)
	cb, _ := json.Marshal(vb)
	return bytes.Equal(ca, cb)
}
