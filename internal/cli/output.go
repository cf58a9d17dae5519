package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// newTable returns a tabwriter for aligned columns and writes the header
// row. The caller writes tab-separated rows and flushes.
func newTable(w io.Writer, header ...string) *tabwriter.Writer {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	return tw
}

// row writes one table row, keeping each cell on one line.
func row(tw io.Writer, cells ...string) {
	for i, c := range cells {
		cells[i] = oneLine(c)
	}
	fmt.Fprintln(tw, strings.Join(cells, "\t"))
}

// oneLine replaces line breaks and tabs, which would break a table's
// layout, and shows an empty cell as "-".
func oneLine(s string) string {
	if s == "" {
		return "-"
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case '\n', '\r', '\t':
			return ' '
		}
		return r
	}, s)
}

// clip shortens s to n runes with an ellipsis, for free text in tables.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// writeJSON prints v as one indented JSON document.
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding JSON: %w", err)
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// timeText formats a date for tables, in UTC to the minute; the zero time,
// which the API uses for "not sent", is "-".
func timeText(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

// jsonTime formats a date for JSON output, or nil for the zero time.
func jsonTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// terminal is implemented by streams that know whether they are a
// terminal. Tests use it to see the progress line and to answer a
// confirmation; real terminals are *os.File.
type terminal interface {
	IsTerminal() bool
}

// isTerminal reports whether the stream s is an interactive terminal, where
// a progress line that rewrites itself is welcome and a question can be
// answered; in a pipe or a log they would be noise.
func isTerminal(s any) bool {
	switch t := s.(type) {
	case terminal:
		return t.IsTerminal()
	case *os.File:
		fi, err := t.Stat()
		return err == nil && fi.Mode()&os.ModeCharDevice != 0
	}
	return false
}

// progress draws a one-line status on a terminal and nothing elsewhere.
type progress struct {
	w     io.Writer
	on    bool
	drawn bool
}

func newProgress(w io.Writer) *progress {
	return &progress{w: w, on: isTerminal(w)}
}

// update replaces the line with the given text.
func (p *progress) update(format string, args ...any) {
	if !p.on {
		return
	}
	fmt.Fprintf(p.w, "\r\x1b[K"+format, args...)
	p.drawn = true
}

// done clears the line so that what follows starts on a clean one.
func (p *progress) done() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}
