package accessible

import (
	"fmt"
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair (Linux): the secret prompt's echo
// switch is tested on a real terminal device, with no terminal needed.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(); m.Close() })
	return m, s
}

func TestHideInputTurnsEchoOffAndBack(t *testing.T) {
	_, tty := openPTY(t)
	echo := func() bool {
		tio, err := unix.IoctlGetTermios(int(tty.Fd()), ioctlGetTermios)
		if err != nil {
			t.Fatal(err)
		}
		return tio.Lflag&unix.ECHO != 0
	}
	if !echo() {
		t.Fatal("a new terminal should echo")
	}
	restore := hideInput(tty)
	if echo() {
		t.Error("echo still on while a secret is typed")
	}
	restore()
	if !echo() {
		t.Error("echo not restored")
	}
	// A pipe is left alone.
	r, w, _ := os.Pipe()
	defer r.Close()
	defer w.Close()
	hideInput(r)()
}
