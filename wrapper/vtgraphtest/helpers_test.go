package vtgraphtest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// clock is a settable clock for WithClock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var epoch = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

// client returns a generated client sending key as x-apikey; an empty key
// sends none.
func client(t *testing.T, srv *vtgraphtest.Server, key string) *vtapi.ClientWithResponses {
	t.Helper()
	c, err := vtapi.NewClientWithResponses(srv.URL(), vtapi.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		if key != "" {
			r.Header.Set("x-apikey", key)
		}
		return nil
	}))
	require.NoError(t, err)
	return c
}

// fixture is a server with the demo users and a client for each.
type fixture struct {
	srv               *vtgraphtest.Server
	clock             *clock
	alice, bob, carol *vtapi.ClientWithResponses
}

func setup(t *testing.T, opts ...vtgraphtest.Option) *fixture {
	t.Helper()
	clk := newClock(epoch)
	srv := vtgraphtest.NewServer(t, append([]vtgraphtest.Option{vtgraphtest.WithClock(clk.Now)}, opts...)...)
	return &fixture{
		srv:   srv,
		clock: clk,
		alice: client(t, srv, vtgraphtest.AliceKey),
		bob:   client(t, srv, vtgraphtest.BobKey),
		carol: client(t, srv, vtgraphtest.CarolKey),
	}
}

// create posts a graph with the given raw attributes and returns its id.
func create(t *testing.T, c *vtapi.ClientWithResponses, attributes string) string {
	t.Helper()
	resp, err := c.CreateGraphsWithBodyWithResponse(t.Context(), "application/json",
		strings.NewReader(`{"data":{"type":"graph","attributes":`+attributes+`}}`))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode(), string(resp.Body))
	return resp.JSON200.Data.Id
}

// named returns minimal attributes for a graph with a name and privacy.
func named(name string, private bool) string {
	b, _ := json.Marshal(map[string]any{
		"graph_data": map[string]any{"description": name},
		"private":    private,
		"nodes":      []any{map[string]any{"entity_id": "example.com", "type": "domain"}},
	})
	return string(b)
}

// errorCode extracts the VirusTotal error code from a body.
func errorCode(t *testing.T, body []byte) string {
	t.Helper()
	var e vtapi.ErrorResponse
	require.NoError(t, json.Unmarshal(body, &e), string(body))
	require.NotEmpty(t, e.Error.Message, string(body))
	return e.Error.Code
}

// attrs decodes a graph response body's data.attributes as raw JSON.
func attrs(t *testing.T, body []byte) map[string]json.RawMessage {
	t.Helper()
	var v struct {
		Data struct {
			Attributes map[string]json.RawMessage `json:"attributes"`
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal(body, &v), string(body))
	return v.Data.Attributes
}

func grant(t *testing.T, c *vtapi.ClientWithResponses, id string, editor bool, principals ...vtapi.PrincipalDescriptor) {
	t.Helper()
	body := vtapi.PrincipalListRequest{Data: principals}
	var status int
	var raw []byte
	if editor {
		resp, err := c.GraphsAddEditorWithResponse(t.Context(), id, body)
		require.NoError(t, err)
		status, raw = resp.StatusCode(), resp.Body
	} else {
		resp, err := c.GraphsAddViewerWithResponse(t.Context(), id, body)
		require.NoError(t, err)
		status, raw = resp.StatusCode(), resp.Body
	}
	require.Equal(t, http.StatusOK, status, string(raw))
}

func userRef(id string) vtapi.PrincipalDescriptor {
	return vtapi.PrincipalDescriptor{Type: "user", Id: id}
}

func groupRef(id string) vtapi.PrincipalDescriptor {
	return vtapi.PrincipalDescriptor{Type: "group", Id: id}
}

func ptr[T any](v T) *T { return &v }

func jsonBody(s string) *strings.Reader { return strings.NewReader(s) }
