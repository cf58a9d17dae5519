package vtgraphtest

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vtgraphs/vtgraphs/gen/vtapiserver"
)

// apiRoot is where the API is mounted, as on VirusTotal, so that clients
// configured with a base URL ending in /api/v3 work unchanged.
const apiRoot = "/api/v3"

// Server is an in-memory Threat Graphs API listening on 127.0.0.1. It is safe
// for concurrent use: its methods may be called while it serves requests.
type Server struct {
	ts      *httptest.Server
	handler http.Handler
	now     func() time.Time
	seed    string
	done    chan struct{}
	closing sync.Once

	// mu guards users, groups, graphs and the counters: one lock keeps
	// access checks and the changes they allow atomic.
	mu     sync.Mutex
	users  map[string]*user
	keys   map[string]*user
	groups map[string]*group
	graphs map[string]*graph
	seq    int64
	ids    int64

	faults  faults
	latency atomic.Int64
	quotas  quotas
	counts  requestCounts

	// world is the universe of entities served; public holds the users
	// whose key is not premium, guarded by mu.
	world  atomic.Pointer[world]
	public map[string]bool

	reqMu    sync.Mutex
	requests []*Request
}

// NewServer starts a Server for the duration of a test and closes it in the
// test's cleanup. It fails the test if the server cannot start.
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := Start(opts...)
	if err != nil {
		t.Fatalf("vtgraphtest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Start starts a Server outside of a test, for demos and command-line tools.
// The caller must Close it.
func Start(opts ...Option) (*Server, error) {
	s, err := newServer(opts...)
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("vtgraphtest: listen: %w", err)
	}
	s.ts = &httptest.Server{Listener: l, Config: &http.Server{Handler: s.handler}}
	s.ts.Start()
	return s, nil
}

// newServer builds a Server that does not listen yet, so tests can drive
// its handler inside a synctest bubble.
func newServer(opts ...Option) (*Server, error) {
	cfg := config{now: time.Now}
	for _, opt := range opts {
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	s := &Server{
		now:    cfg.now,
		seed:   cfg.seed,
		done:   make(chan struct{}),
		users:  map[string]*user{},
		keys:   map[string]*user{},
		groups: map[string]*group{},
		graphs: map[string]*graph{},
		public: map[string]bool{},
		quotas: quotas{quota: cfg.quota, usage: map[string]*keyUsage{}},
		counts: requestCounts{counts: map[string]int{}},
	}
	if cfg.universe == nil {
		w, err := demoWorld()
		if err != nil {
			return nil, err
		}
		cfg.universe = w
	}
	s.world.Store(cfg.universe)
	s.latency.Store(int64(cfg.latency))
	if !cfg.noDefaults {
		for _, u := range defaultUsers {
			if err := s.AddUser(u.id, u.key, u.groups...); err != nil {
				return nil, err
			}
			if u.public {
				s.public[u.id] = true
			}
		}
	}
	for _, g := range cfg.groups {
		if err := s.AddGroup(g); err != nil {
			return nil, err
		}
	}
	for _, u := range cfg.users {
		if err := s.AddUser(u.id, u.key, u.groups...); err != nil {
			return nil, err
		}
	}
	s.handler = s.buildHandler(cfg.middlewares)
	return s, nil
}

// buildHandler stacks the layers so that the recorder and the counts see
// every request as sent, user middleware sees what a real client would, and
// only authenticated, fault-free requests within their key's quota reach the
// strict handler.
func (s *Server) buildHandler(middlewares []func(http.Handler) http.Handler) http.Handler {
	mux := http.NewServeMux()
	strict := vtapiserver.NewStrictHandlerWithOptions(&api{s: s}, nil, vtapiserver.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: func(w http.ResponseWriter, _ *http.Request, err error) {
			writeError(w, http.StatusBadRequest, "BadRequestError", err.Error())
		},
		ResponseErrorHandlerFunc: func(w http.ResponseWriter, _ *http.Request, err error) {
			if responseStarted(w) {
				// Writing the body failed: the status is sent already.
				return
			}
			writeError(w, http.StatusInternalServerError, "InternalError", err.Error())
		},
	})
	vtapiserver.HandlerWithOptions(strict, vtapiserver.StdHTTPServerOptions{
		BaseURL:    apiRoot,
		BaseRouter: mux,
		ErrorHandlerFunc: func(w http.ResponseWriter, _ *http.Request, err error) {
			writeError(w, http.StatusBadRequest, "InvalidArgumentError", err.Error())
		},
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "NotFoundError", fmt.Sprintf("Resource %s %s not found", r.Method, r.URL.Path))
	})

	var h http.Handler = captureBody(mux)
	h = s.enforceQuota(h)
	h = s.authenticate(h)
	h = s.injectFaults(h)
	h = s.delay(h)
	for i := len(middlewares) - 1; i >= 0; i-- {
		h = middlewares[i](h)
	}
	return s.record(s.count(mux, h))
}

// URL returns the base URL of the API, ending in /api/v3 and without a
// trailing slash, ready to be given to a client.
func (s *Server) URL() string {
	return s.ts.URL + apiRoot
}

// Handler returns the server's complete handler, including the middleware
// given with [WithMiddleware], so it can be mounted or wrapped elsewhere. It
// serves the API under /api/v3.
func (s *Server) Handler() http.Handler {
	return s.handler
}

// Close stops the server, ending any injected latency early, and waits for
// requests in flight. It may be called more than once.
func (s *Server) Close() {
	s.closing.Do(func() {
		close(s.done)
		if s.ts != nil {
			s.ts.Close()
		}
	})
}
