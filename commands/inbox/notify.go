package inbox

import (
	"os"
	"strconv"

	"github.com/unpause-dev/unpause/apiclient"
	"github.com/unpause-dev/unpause/domain"
	"github.com/unpause-dev/unpause/tui/notify"
)

// notifier turns the notify setting into the inbox's hook: what to write
// when runs start waiting. A bad value was refused when the config was read,
// so an unparsable one here means off.
func notifier(setting string) func([]apiclient.Run) []byte {
	mode, err := notify.ParseMode(setting)
	if err != nil || mode == notify.Off {
		return nil
	}
	env := notify.EnvFrom(os.LookupEnv)
	return func(runs []apiclient.Run) []byte {
		title, body := notification(runs)
		return notify.Sequence(mode, env, title, body)
	}
}

// notification words one notification for the runs that just started
// waiting (notify cleans the API's strings out of it).
func notification(runs []apiclient.Run) (title, body string) {
	if len(runs) == 0 {
		return "", ""
	}
	r := &runs[0]
	title = "Run waiting"
	if r.NeedsInput() {
		title = "Run waiting for input"
	}
	body = domain.FlowLabel(r, "unknown flow") + ": " + r.Name
	if len(runs) > 1 {
		title = strconv.Itoa(len(runs)) + " runs waiting"
		body += " and " + strconv.Itoa(len(runs)-1) + " more"
	}
	return title, body
}
