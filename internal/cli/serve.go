package cli

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// serveOptions are the flags of serve.
type serveOptions struct {
	port    int
	data    string
	latency time.Duration
	quota   vtgraphtest.Quota
}

// The server's HTTP timeouts: a client that never finishes its headers, or
// keeps an idle connection, must not hold the server's resources forever.
const (
	serveReadHeaderTimeout = 10 * time.Second
	serveIdleTimeout       = 2 * time.Minute
	serveShutdownTimeout   = 5 * time.Second
)

// serveUsers are the server's users, as its banner lists them.
var serveUsers = []serveUser{
	{ID: "alice", Key: vtgraphtest.AliceKey, Groups: []string{vtgraphtest.DefaultGroup}},
	{ID: "bob", Key: vtgraphtest.BobKey, Groups: []string{vtgraphtest.DefaultGroup}},
	{ID: "carol", Key: vtgraphtest.CarolKey, Groups: []string{}},
}

type serveUser struct {
	ID     string   `json:"id"`
	Key    string   `json:"api_key"`
	Groups []string `json:"groups"`
}

// serveJSON is what serve prints with --json once it listens.
type serveJSON struct {
	BaseURL string      `json:"base_url"`
	Users   []serveUser `json:"users"`
	Graphs  int         `json:"graphs"`
	// Entities counts the files, domains, IP addresses and URLs the
	// lookups answer for.
	Entities int `json:"entities"`
}

func (r *runner) serveCommand() *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve [flags]",
		Short: "Run an in-memory Threat Graphs API on 127.0.0.1 to try everything without a key.",
		Long: `
Starts the in-memory server the demo uses, on 127.0.0.1 only, and prints its
base URL and the API keys of its users: alice and bob, in the group
threat-intel, and carol, in no group. Point the vtgraph command (VT_BASE_URL
and VT_API_KEY), curl or your own program at it. It keeps everything in
memory: graphs, comments and grants are gone when it stops. Ctrl-C stops it
cleanly, and it exits 0.

The files, domains, IP addresses and URLs of a small built-in universe
answer the lookups and relationships (GET /domains/{domain}/resolutions and
the like), for pivoting: documentation addresses, .example domains and
made-up hashes, starting from acme-login.example.

--data FILE preloads graphs, entities or both. The file is a JSON object
whose "graphs" key holds graph objects as 'vtgraph get --json' prints them,
each with an "owner" key naming the user who owns it (their ids are kept),
and whose "entities" key, when present, replaces the built-in universe:

  {"graphs": [{"owner": "alice", "type": "graph", "id": "g…", "attributes": {…}}],
   "entities": [{"type": "domain", "id": "login.acme.example",
                 "relationships": {"resolutions": [{"type": "ip_address", "id": "192.0.2.10"}]}}]}

--latency delays every response and --quota gives each key a budget, per
minute, per day or both ("4/min,500/day"; a bare number is per minute),
after which requests get 429 QuotaExceededError, to rehearse a slow or
exhausted API. --verbose logs every request on stderr. --timeout does not
apply.`,
		Example: examples(
			"vtgraph serve --port 8080",
			"vtgraph serve --data graphs.json --latency 2s",
			"vtgraph serve --quota 4/min,500/day --verbose",
		),
		Args:              exactArgs(0),
		ValidArgsFunction: cobra.NoFileCompletions,
	}
	fs := cmd.Flags()
	fs.IntVar(&o.port, "port", 0, "listen on `PORT` of 127.0.0.1 (default: a free port)")
	fs.StringVar(&o.data, "data", "", "preload the graphs and entities of a JSON `FILE`")
	fs.DurationVar(&o.latency, "latency", 0, "delay every response by `DURATION`, such as 500ms")
	var quota string
	fs.StringVar(&quota, "quota", "", "give each key a `BUDGET` of requests, such as 4/min or 30/min,500/day (default: none)")
	_ = cmd.MarkFlagFilename("data", "json")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		switch {
		case o.port < 0 || o.port > 65535:
			return usagef("--port must be between 0 and 65535, got %d", o.port)
		case o.latency < 0:
			return usagef("--latency must not be negative, got %s", o.latency)
		}
		q, err := parseServeQuota(quota)
		if err != nil {
			return err
		}
		o.quota = q
		return r.serve(cmd.Context(), o)
	}
	return cmd
}

// serve runs the server until ctx ends.
func (r *runner) serve(ctx context.Context, o serveOptions) error {
	// The data file is read before anything listens, so a mistake in it
	// stops the command at once.
	data, err := readServeData(o.data)
	if err != nil {
		return err
	}
	srv, err := vtgraphtest.Start()
	if err != nil {
		return fmt.Errorf("starting the server: %w", err)
	}
	defer srv.Close()
	graphs, err := data.load(srv)
	if err != nil {
		return err
	}
	entities := vtgraphtest.DemoUniverse().Len()
	if data.universe != nil {
		entities = data.universe.Len()
	}
	if err := applyServeLimits(srv, o); err != nil {
		return err
	}

	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(o.port)))
	if err != nil {
		// Not wrapped: failing to listen here is no sign of an unreachable
		// API, which is what a network error means to the exit codes.
		return fmt.Errorf("listening on 127.0.0.1:%d: %v; choose another --port, or leave it out for a free one", o.port, err)
	}
	var handler http.Handler = srv.Handler()
	if r.g.verbose {
		handler = logRequests(slog.New(slog.NewTextHandler(r.stderr, nil)), handler)
	}
	hs := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: serveReadHeaderTimeout,
		IdleTimeout:       serveIdleTimeout,
		ErrorLog:          log.New(r.stderr, "vtgraph: serve: ", 0),
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(l) }()

	base := "http://" + l.Addr().String() + "/api/v3"
	if err := r.serveBanner(base, graphs, entities, o); err != nil {
		_ = hs.Close()
		<-served
		return err
	}
	select {
	case <-ctx.Done():
	case err := <-served:
		return fmt.Errorf("serving: %w", err)
	}
	// Closing the server first ends injected latency, so that Shutdown
	// does not wait for it.
	srv.Close()
	stop, cancel := context.WithTimeout(context.Background(), serveShutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(stop); err != nil {
		_ = hs.Close()
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serving: %w", err)
	}
	fmt.Fprintln(r.stderr, "vtgraph serve: stopped")
	return nil
}

// parseServeQuota reads --quota: the budgets vtgraphtest.ParseQuota reads,
// or a bare number of requests a minute.
func parseServeQuota(s string) (vtgraphtest.Quota, error) {
	if n, err := strconv.Atoi(s); err == nil {
		if n < 1 {
			return vtgraphtest.Quota{}, usagef("--quota must be a positive number of requests, got %d", n)
		}
		return vtgraphtest.Quota{PerMinute: n}, nil
	}
	q, err := vtgraphtest.ParseQuota(s)
	if err != nil {
		return vtgraphtest.Quota{}, usagef("--quota: want a budget such as 4/min or 30/min,500/day, got %q", s)
	}
	return q, nil
}

// applyServeLimits sets the latency and the quota of the rehearsal.
func applyServeLimits(srv *vtgraphtest.Server, o serveOptions) error {
	if o.latency > 0 {
		srv.SetLatency(o.latency)
	}
	return srv.SetQuota(o.quota)
}

// serveBanner prints where the server listens and how to use it.
func (r *runner) serveBanner(base string, graphs, entities int, o serveOptions) error {
	if r.g.json {
		return writeJSON(r.stdout, serveJSON{BaseURL: base, Users: serveUsers, Graphs: graphs, Entities: entities})
	}
	w := r.stdout
	fmt.Fprintf(w, `vtgraph serve: an in-memory Threat Graphs API on 127.0.0.1. Nothing leaves
this machine, and nothing is kept when it stops.

Base URL: %s

`, base)
	tw := newTable(w, "USER", "API KEY", "GROUPS")
	for _, u := range serveUsers {
		row(tw, u.ID, u.Key, strings.Join(u.Groups, ","))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if o.data != "" {
		fmt.Fprintf(w, "Loaded %s from %s.\n", plural(graphs, "graph"), o.data)
	}
	fmt.Fprintf(w, "Lookups answer for %s (files, domains, IP addresses, URLs).\n", plural(entities, "entity"))
	if o.latency > 0 {
		fmt.Fprintf(w, "Every response is delayed by %s.\n", o.latency)
	}
	if o.quota != (vtgraphtest.Quota{}) {
		fmt.Fprintf(w, "Each key may make %s requests, then gets 429 QuotaExceededError.\n", o.quota)
	}
	key := serveUsers[0].Key
	_, err := fmt.Fprintf(w, `
From another terminal:
  export VT_BASE_URL=%s VT_API_KEY=%s
  echo example.com | vtgraph create --name 'First graph' --indicators -
  vtgraph search
  curl -H 'x-apikey: %s' %s/graphs

Press Ctrl-C to stop.
`, base, key, key, base)
	return err
}

// logRequests logs each request's method, path, status and duration; never
// its headers, which hold the key.
func logRequests(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, req)
		logger.Info("request", "method", req.Method, "path", req.URL.Path, "status", sw.status,
			"duration", time.Since(start).Round(time.Microsecond))
	})
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}
