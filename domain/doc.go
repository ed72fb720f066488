// Package domain holds what every front end of unpause decides the same
// way: the inbox order and what a row says about a run, ages, countdowns and
// how urgent a deadline is, the wording of every action outcome, the exit
// codes of the scriptable commands, and how an answer starts and is shown.
//
// The CLI, the TUI and accessible mode all draw from here, so the three
// never disagree. It is pure: no terminal, no I/O, and no charm module (a
// test checks the imports); functions that depend on the time take now.
package domain
