//go:build unix

package integration

import (
	"os/exec"
	"syscall"
)

// setProcessGroup puts the command in a new process group so that killProcessGroup also
// reaches its children (the served suspend fixture runs each flow run in a subprocess).
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

func killProcessGroup(cmd *exec.Cmd, hard bool) {
	if cmd.Process == nil {
		return
	}
	sig := syscall.SIGTERM
	if hard {
		sig = syscall.SIGKILL
	}
	_ = syscall.Kill(-cmd.Process.Pid, sig)
}
