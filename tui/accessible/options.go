package accessible

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"time"

	"github.com/unpause-dev/unpause/apiclient"
)

// API is what the accessible mode needs from a Prefect server
// (*apiclient.Client implements it).
type API interface {
	ListPaused(ctx context.Context, o apiclient.ListOptions) ([]apiclient.Run, apiclient.ListStats, error)
	GetRun(ctx context.Context, id string) (*apiclient.Run, error)
	InputRequest(ctx context.Context, r *apiclient.Run) (*apiclient.InputRequest, error)
	Resume(ctx context.Context, runID string, input json.RawMessage) (*apiclient.ActionResult, error)
	Cancel(ctx context.Context, runID, reason string) (*apiclient.ActionResult, error)
	Responses(ctx context.Context, runID string) ([]apiclient.Response, error)
	RunURL(runID string) string
}

// Options configure a session.
type Options struct {
	API       API
	Profile   string // shown with the server, so the operator knows where answers go
	ServerURL string
	ReadOnly  bool             // no resume, no cancel
	StateDir  string           // drafts live in StateDir/drafts; "" keeps them in memory only
	Now       func() time.Time // clock (tests pin it); default time.Now
	// In is read one line at a time; when it is a terminal (*os.File),
	// echo is turned off while a secret is typed.
	In  io.Reader
	Out io.Writer
}

func (o *Options) defaults() error {
	if o.API == nil {
		return errors.New("accessible: no API client")
	}
	if o.In == nil || o.Out == nil {
		return errors.New("accessible: no input or output stream")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return nil
}
