package inputschema

import (
	"strings"
	"testing"
	"time"
)

// Date-time examples are in the schema's time zone, named the same way as
// the form's hint, and never in the past.
func TestDateTimeExamples(t *testing.T) {
	ist := time.FixedZone("IST", 5*3600+1800)
	_, err := parseDateTime("soon", ist)
	if err == nil {
		t.Fatal("soon parsed")
	}
	now := time.Now()
	ex := exampleTime(ist, now)
	if !ex.After(now) {
		t.Errorf("example %s is not in the future", ex)
	}
	for _, want := range []string{ex.Format("2006-01-02 15:04") + " (time zone IST (+05:30))", ex.Format(time.RFC3339)} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "local time") {
		t.Errorf("error %q names no zone", err)
	}
	if got := DateTimeExample(ist, now); got != ex.Format("2006-01-02 15:04") {
		t.Errorf("DateTimeExample = %q", got)
	}
	if _, err := parseDate("tomorrow"); err == nil || !strings.Contains(err.Error(), now.AddDate(0, 0, 1).Format("2006-01-02")) {
		t.Errorf("date error %v lacks tomorrow's date", err)
	}
}
