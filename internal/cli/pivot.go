package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// What expand, enrich and connect share: where the graph comes from, the
// request limits, the progress bar, and where the result goes.

// defaultMaxRequests is the request budget of the pivoting commands: the
// daily quota of a public API key, so that a mistyped depth cannot spend
// a premium one.
const defaultMaxRequests = 500

// graphSource is where a pivoting command's graph comes from: a graph id
// or indicators as arguments, a JSON file, or an indicator list.
type graphSource struct {
	from, indicators string
}

func (s *graphSource) define(fs *pflag.FlagSet) {
	fs.StringVar(&s.from, "from", "", "start from the graph in a JSON `FILE`, as 'vtgraph get --json' writes it (- for stdin)")
	fs.StringVar(&s.indicators, "indicators", "", "start from a graph of the indicators in `FILE`, one a line (- for stdin)")
}

// fromGraph reports whether the arguments name a graph by id.
func fromGraph(args []string) bool {
	return len(args) == 1 && vtgraph.ValidGraphID(args[0])
}

// load returns the graph the command works on: the graph whose id args
// holds, the graph of --from, or a new graph of the indicators in args or
// --indicators.
func (s *graphSource) load(ctx context.Context, r *runner, c *vtgraph.Client, args []string) (*vtgraph.Graph, error) {
	given := 0
	for _, set := range []bool{len(args) > 0, s.from != "", s.indicators != ""} {
		if set {
			given++
		}
	}
	switch {
	case given != 1:
		return nil, usagef("give one of a graph id, indicators, --from FILE and --indicators FILE")
	case fromGraph(args):
		return c.GetGraph(ctx, args[0], nil)
	case s.from != "":
		return readGraphFile(s.from, r.stdin)
	case s.indicators != "":
		in, closeIn, err := openInput(s.indicators, r.stdin)
		if err != nil {
			return nil, err
		}
		defer closeIn()
		inds, err := ParseIndicators(in)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", inputName(s.indicators), err)
		}
		return graphFromIndicators("", inds), nil
	}
	var inds []Indicator
	for _, a := range args {
		ind, err := ParseIndicator(a)
		if err != nil {
			return nil, inputErrorf("%v; give a graph id or indicators", err)
		}
		inds = append(inds, ind)
	}
	return graphFromIndicators("", inds), nil
}

// pivotFlags are the limits of the pivoting commands and where their
// result goes.
type pivotFlags struct {
	maxRequests int
	concurrency int
	create      string
	save        bool
	output      string
}

func (p *pivotFlags) define(fs *pflag.FlagSet) {
	fs.IntVar(&p.maxRequests, "max-requests", defaultMaxRequests, "send at most `N` requests; 0 for no limit")
	fs.IntVar(&p.concurrency, "concurrency", 4, fmt.Sprintf("send up to `N` requests at once, 1 to %d", vtgraph.MaxConcurrency))
	fs.StringVar(&p.create, "create", "", "save the result as a new graph called `NAME`")
	fs.BoolVar(&p.save, "save", false, "save the result back to the graph it started from")
	fs.StringVarP(&p.output, "output", "o", "", "write the result, a graph object, to `FILE`")
}

// markFiles sets up file completion for the flags that name files.
func markFiles(cmd *cobra.Command) {
	_ = cmd.MarkFlagFilename("from", "json")
	_ = cmd.MarkFlagFilename("indicators")
	_ = cmd.MarkFlagFilename("output", "json")
}

// check rejects flag values before anything is sent.
func (p *pivotFlags) check() error {
	switch {
	case p.maxRequests < 0:
		return usagef("--max-requests must not be negative, got %d", p.maxRequests)
	case p.concurrency < 1 || p.concurrency > vtgraph.MaxConcurrency:
		return usagef("--concurrency must be between 1 and %d, got %d", vtgraph.MaxConcurrency, p.concurrency)
	case p.save && p.create != "":
		return usagef("give --save or --create, not both")
	}
	return nil
}

// options returns the library's limits, with the progress bar.
func (p *pivotFlags) options(progress func(vtgraph.Progress)) vtgraph.PivotOptions {
	return vtgraph.PivotOptions{MaxRequests: p.maxRequests, Concurrency: p.concurrency, Progress: progress}
}

// progressBar draws the requests answered and pending on stderr when it is
// a terminal, as "expand: [######    ] 12/20 requests". done clears it.
func (r *runner) progressBar(label string) (update func(vtgraph.Progress), done func()) {
	line := newProgress(r.stderr)
	const width = 20
	return func(p vtgraph.Progress) {
		total := p.Done + p.Pending
		filled := 0
		if total > 0 {
			filled = width * p.Done / total
		}
		line.update("%s: [%s%s] %d/%d requests", label, strings.Repeat("#", filled), strings.Repeat(" ", width-filled), p.Done, total)
	}, line.done
}

// stored is where a pivoting command put its result.
type stored struct {
	ID  string `json:"id,omitempty"`
	URL string `json:"url,omitempty"`
}

// storeGrace is how long saving what was done may take after Ctrl-C or
// --timeout ended the command's context.
const storeGrace = 10 * time.Second

// store writes the result where the flags ask: to -o FILE, and as a new
// graph (--create) or back to the graph loaded (--save). It stores what it
// can, so that a result that took many requests is not lost to one
// failure, and returns the errors. A command stopped by Ctrl-C or its
// --timeout still saves what it did, within storeGrace.
func (r *runner) store(ctx context.Context, c *vtgraph.Client, g *vtgraph.Graph, p *pivotFlags) (stored, error) {
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), storeGrace)
		defer cancel()
	}
	var (
		out  stored
		errs []error
	)
	if p.output != "" {
		b, err := g.JSON()
		if err == nil {
			err = os.WriteFile(p.output, append(b, '\n'), 0o644)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("writing %s: %w", p.output, err))
		}
	}
	switch {
	case p.create != "":
		ng := g
		if g.ID != "" {
			ng = g.Copy(p.create)
		} else {
			g.Description = p.create
		}
		id, err := c.CreateGraph(ctx, ng)
		if err != nil {
			errs = append(errs, err)
			break
		}
		out = stored{ID: id, URL: vtgraph.GraphURL(id)}
	case p.save:
		if g.ID == "" {
			errs = append(errs, usagef("--save needs a graph that has an id; give --create NAME for a new one"))
			break
		}
		saved, err := c.SaveGraph(ctx, g)
		if err != nil {
			errs = append(errs, err)
			break
		}
		out = stored{ID: saved.ID, URL: vtgraph.GraphURL(saved.ID)}
	}
	return out, errors.Join(errs...)
}

// writeStored says where the result went.
func writeStored(w io.Writer, s stored, p *pivotFlags) {
	switch {
	case s.ID != "" && p.save:
		fmt.Fprintf(w, "Saved graph %s.\n%s\n", s.ID, s.URL)
	case s.ID != "":
		fmt.Fprintf(w, "Created graph %s.\n%s\n", s.ID, s.URL)
	}
}

// skipJSON is a vtgraph.Skip in --json output.
type skipJSON struct {
	Node         string `json:"node,omitempty"`
	Type         string `json:"type"`
	Relationship string `json:"relationship,omitempty"`
	Error        string `json:"error"`
}

func skipsJSON(skips []vtgraph.Skip) []skipJSON {
	out := []skipJSON{}
	for _, s := range skips {
		out = append(out, skipJSON{Node: s.Node, Type: string(s.Type), Relationship: string(s.Relationship), Error: describe(s.Err)})
	}
	return out
}

// writeSkips tells on stderr what could not be looked at: premium
// relationships by type, in one line, and the rest one a line.
func writeSkips(w io.Writer, label string, skips []vtgraph.Skip) {
	premium := map[vtgraph.NodeType][]string{}
	var types []vtgraph.NodeType
	for _, s := range skips {
		var pe *vtgraph.PremiumError
		if errors.As(s.Err, &pe) {
			if premium[s.Type] == nil {
				types = append(types, s.Type)
			}
			premium[s.Type] = append(premium[s.Type], string(s.Relationship))
			continue
		}
		what := s.Node
		if s.Relationship != "" {
			what += " " + string(s.Relationship)
		}
		fmt.Fprintf(w, "vtgraph: %s: skipped %s: %s\n", label, what, describe(s.Err))
	}
	for _, t := range types {
		fmt.Fprintf(w, "vtgraph: %s: skipped the premium relationships of %s nodes, which need a premium API key: %s\n",
			label, t, strings.Join(premium[t], ", "))
	}
}
