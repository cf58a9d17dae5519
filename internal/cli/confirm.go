package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// errDeclined is the answer "no" to a confirmation.
var errDeclined = errors.New("not confirmed; nothing was changed")

// confirm asks before a destructive action, as gh does: on a terminal it
// asks question on stderr and reads the answer from stdin; elsewhere, where
// nobody can answer, it needs yes, which --yes gives.
func (r *runner) confirm(ctx context.Context, yes bool, question string) error {
	if yes {
		return nil
	}
	if !isTerminal(r.stdin) || !isTerminal(r.stderr) {
		return usagef("--yes is required when not running on a terminal")
	}
	fmt.Fprintf(r.stderr, "%s [y/N] ", question)
	// A read from a terminal cannot be interrupted, so it waits in a
	// goroutine: Ctrl-C cancels ctx and the command returns at once,
	// leaving the read to end with the process.
	answer := make(chan string, 1)
	go func() {
		line, err := bufio.NewReader(r.stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			line = ""
		}
		answer <- line
	}()
	select {
	case <-ctx.Done():
		fmt.Fprintln(r.stderr)
		return ctx.Err()
	case line := <-answer:
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "y", "yes":
			return nil
		}
		return errDeclined
	}
}
