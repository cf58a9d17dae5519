package vtgraph

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
)

// fzRoute is one operation of FuzzPathParams: the route it must reach and
// the call.
type fzRoute struct {
	pattern string // the one route that may serve it, /api/v3 prefix included
	body    string // the canned success response
	call    func(ctx context.Context, c *Client, id, principal, rel string) error
	// want returns the path values the server must decode, and the
	// principal expected in the request body ("" for none).
	want func(id, principal, rel string) (values map[string]string, bodyPrincipal string)
}

var fzRoutes = []fzRoute{
	// Without an id, the graph takes the one asked for, whatever the fuzzer
	// asks for.
	{"GET /api/v3/graphs/{id}", `{"data":{"type":"graph","attributes":{}}}`,
		func(ctx context.Context, c *Client, id, _, _ string) error {
			_, err := c.GetGraph(ctx, id, nil)
			return err
		},
		func(id, _, _ string) (map[string]string, string) { return map[string]string{"id": id}, "" }},
	{"DELETE /api/v3/graphs/{id}", `{"data":null}`,
		func(ctx context.Context, c *Client, id, _, _ string) error { return c.DeleteGraph(ctx, id) },
		func(id, _, _ string) (map[string]string, string) { return map[string]string{"id": id}, "" }},
	{"POST /api/v3/graphs/{id}/comments", `{"data":{"type":"comment","id":"c1","attributes":{"text":"x"}}}`,
		func(ctx context.Context, c *Client, id, principal, _ string) error {
			_, err := c.AddComment(ctx, id, "by "+principal)
			return err
		},
		func(id, _, _ string) (map[string]string, string) { return map[string]string{"id": id}, "" }},
	{"GET /api/v3/graphs/{id}/relationships/viewers/{principal}", `{"data":true}`,
		func(ctx context.Context, c *Client, id, principal, _ string) error {
			_, err := c.IsViewer(ctx, id, User(principal))
			return err
		},
		func(id, principal, _ string) (map[string]string, string) {
			return map[string]string{"id": id, "principal": principal}, ""
		}},
	{"DELETE /api/v3/graphs/{id}/relationships/editors/{principal}", `{"data":null}`,
		func(ctx context.Context, c *Client, id, principal, _ string) error {
			return c.RemoveEditor(ctx, id, Group(principal))
		},
		func(id, principal, _ string) (map[string]string, string) {
			return map[string]string{"id": id, "principal": principal}, ""
		}},
	{"GET /api/v3/graphs/{id}/{relationship}", `{"data":[]}`,
		func(ctx context.Context, c *Client, id, _, rel string) error {
			_, err := c.ListRelated(ctx, id, Relation(rel), nil)
			return err
		},
		func(id, _, rel string) (map[string]string, string) {
			return map[string]string{"id": id, "relationship": rel}, ""
		}},
	{"GET /api/v3/graphs/{id}/relationships/{relationship}", `{"data":[]}`,
		func(ctx context.Context, c *Client, id, _, rel string) error {
			_, err := c.ListRelatedDescriptors(ctx, id, Relation(rel), nil)
			return err
		},
		func(id, _, rel string) (map[string]string, string) {
			return map[string]string{"id": id, "relationship": rel}, ""
		}},
	{"POST /api/v3/graphs/{id}/relationships/viewers", `{"data":[{"type":"group","id":"g"}]}`,
		func(ctx context.Context, c *Client, id, principal, _ string) error {
			_, err := c.AddViewers(ctx, id, Group(principal))
			return err
		},
		func(id, principal, _ string) (map[string]string, string) {
			return map[string]string{"id": id}, principal
		}},
}

// fzServed is what the fuzz server saw of one request.
type fzServed struct {
	pattern string
	values  map[string]string
	body    []byte
}

// fzWireDoer serialises each request as net/http's transport writes it,
// parses it back as a server reads it, and serves it with h, all in memory:
// the request crosses the same text form as over a socket, at the speed a
// fuzzer needs.
func fzWireDoer(t *testing.T, h http.Handler) Doer {
	return doerFunc(func(r *http.Request) (*http.Response, error) {
		var wire bytes.Buffer
		if err := r.Write(&wire); err != nil {
			return nil, err
		}
		sr, err := http.ReadRequest(bufio.NewReader(&wire))
		if err != nil {
			t.Fatalf("the server cannot read the request the client wrote: %v\n%q", err, wire.String())
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, sr)
		resp := rec.Result()
		resp.Request = r
		return resp, nil
	})
}

// FuzzPathParams sends arbitrary graph ids, principal ids and relationship
// names through the checks and request building of the calls that put them
// in a path (or, for grants, a body). Each call either fails with a
// *ParamError before anything is sent, or sends exactly one request that
// reaches the intended route, where the server decodes exactly the values
// given.
func FuzzPathParams(f *testing.F) {
	f.Add(testGraphID, "alice", "items", uint8(0))
	f.Add("../"+testGraphID, "a/b", "../owner", uint8(5))
	f.Add(testGraphID, "a..b", "future_relation", uint8(0x83))
	f.Add(testGraphID, "名前", "comments", uint8(0x85))
	f.Fuzz(func(t *testing.T, id, principal, rel string, op uint8) {
		// The high bit swaps in a valid graph id, so that the fuzzer
		// reaches the principal and relationship checks behind it.
		if op&0x80 != 0 {
			id = testGraphID
		}
		route := fzRoutes[int(op&0x7f)%len(fzRoutes)]

		var served []fzServed
		mux := http.NewServeMux()
		names := wildcardRE.FindAllStringSubmatch(route.pattern, -1)
		mux.HandleFunc(route.pattern, func(w http.ResponseWriter, r *http.Request) {
			s := fzServed{pattern: r.Pattern, values: map[string]string{}}
			for _, n := range names {
				s.values[n[1]] = r.PathValue(n[1])
			}
			s.body, _ = io.ReadAll(r.Body)
			served = append(served, s)
			writeJSON(w, http.StatusOK, route.body)
		})
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			served = append(served, fzServed{pattern: "unintended " + r.Method + " " + r.URL.EscapedPath()})
			writeJSON(w, http.StatusNotFound, `{"error":{"code":"NotFoundError","message":"no"}}`)
		})
		c := newFakeClient(t, fzWireDoer(t, mux), WithoutRetries())

		err := route.call(t.Context(), c, id, principal, rel)
		var pe *ParamError
		if errors.As(err, &pe) {
			if len(served) != 0 {
				t.Fatalf("rejected with %v, yet sent %+v", err, served)
			}
			for _, p := range pe.Problems {
				if !slices.Contains([]string{"id", "principal.id", "relationship", "principal[0].id"}, p.Path) {
					t.Fatalf("unexpected problem %v", p)
				}
			}
			return
		}
		if err != nil {
			t.Fatalf("call failed after validation: %v (served %+v)", err, served)
		}
		if len(served) != 1 {
			t.Fatalf("served %d requests, want 1: %+v", len(served), served)
		}
		got := served[0]
		if got.pattern != route.pattern {
			t.Fatalf("reached %q, want %q", got.pattern, route.pattern)
		}
		values, bodyPrincipal := route.want(id, principal, rel)
		for k, v := range values {
			if got.values[k] != v {
				t.Fatalf("the server decoded %s = %q, want %q", k, got.values[k], v)
			}
		}
		if bodyPrincipal != "" {
			var body struct {
				Data []struct {
					ID string `json:"id"`
				} `json:"data"`
			}
			if err := json.Unmarshal(got.body, &body); err != nil || len(body.Data) != 1 || body.Data[0].ID != bodyPrincipal {
				t.Fatalf("body %s does not hold the principal %q (%v)", got.body, bodyPrincipal, err)
			}
		}
	})
}
