package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// errNoGraphviz explains what the drawn formats need.
var errNoGraphviz = errors.New("drawing needs the dot command of Graphviz, which is not installed: install the graphviz package " +
	"(apt install graphviz, brew install graphviz, winget install graphviz), or export --format dot and draw it elsewhere")

// renderDOT draws a DOT graph as SVG or PNG with Graphviz's dot. Warnings
// dot prints are passed on to stderr.
func (r *runner) renderDOT(ctx context.Context, dot, format string) ([]byte, error) {
	path, err := r.lookPath("dot")
	if err != nil {
		return nil, errNoGraphviz
	}
	cmd := exec.CommandContext(ctx, path, "-T"+format)
	cmd.Stdin = strings.NewReader(dot)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("dot -T%s: %v: %s", format, err, strings.TrimSpace(stderr.String()))
	}
	if stderr.Len() > 0 {
		fmt.Fprintf(r.stderr, "dot: %s", stderr.String())
	}
	return stdout.Bytes(), nil
}
