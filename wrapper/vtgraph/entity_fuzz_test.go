package vtgraph

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"testing"
)

// FuzzEntityBody sends arbitrary 200 bodies to the entity routes: a page of
// related objects and a file lookup. Decoding must never panic; a body is
// either decoded or a *DecodeError. What is decoded agrees with
// encoding/json: every kept attribute is valid JSON, and the shared typed
// fields hold what encoding/json reads from their attribute.
func FuzzEntityBody(f *testing.F) {
	f.Add([]byte(`{"data":[{"type":"file","id":"` + testSHA256 + `","attributes":{"reputation":-5,"tags":["a"],` +
		`"last_analysis_stats":{"malicious":3},"last_modification_date":1700000000,"total_votes":{"harmless":1}},` +
		`"context_attributes":{"k":1},"relationships":{"contacted_ips":{"data":[{"type":"ip_address","id":"192.0.2.1"}],"meta":{"cursor":"c"}}}}],"meta":{"cursor":"n"}}`))
	f.Add([]byte(`{"data":{"type":"ip_address","id":"192.0.2.1","attributes":{"country":"NL"}}}`))
	f.Add([]byte(`{"data":null}`))
	f.Add([]byte(`{"data":[{"type":"file","id":"x","attributes":{"tags":"not a list"}}]}`))
	f.Add([]byte(`{"data":{"type":"file","id":"x","attributes":{"Reputation":1,"reputation":null,"reputation":2}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := New(testAPIKey, WithoutRetries(), WithDoer(doerFunc(func(req *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body)), Request: req}, nil
		})))
		if err != nil {
			t.Fatal(err)
		}
		ref := EntityRef{Type: NodeTypeDomain, ID: "acme.example"}
		var entities []*Entity
		page, err := c.ListEntityRelated(t.Context(), ref, DomainSubdomains, nil)
		if err == nil {
			entities = append(entities, page.Items...)
		} else if de := (*DecodeError)(nil); !errors.As(err, &de) {
			t.Fatalf("ListEntityRelated: %v is not a *DecodeError", err)
		}
		if f, err := c.GetFile(t.Context(), testSHA256, nil); err == nil {
			entities = append(entities, &f.Entity)
		} else if de := (*DecodeError)(nil); !errors.As(err, &de) {
			t.Fatalf("GetFile: %v is not a *DecodeError", err)
		}
		for _, e := range entities {
			if e == nil {
				t.Fatal("a nil entity")
			}
			for k, v := range e.Attributes {
				if !json.Valid(v) {
					t.Fatalf("attribute %q kept as invalid JSON %q", k, v)
				}
			}
			var reputation int64
			// A null, the last of repeated keys, leaves the field as an
			// earlier key set it, as encoding/json does into a struct.
			if raw, ok := e.Attributes["reputation"]; ok && string(raw) != "null" && json.Unmarshal(raw, &reputation) == nil && reputation != e.Reputation {
				t.Fatalf("reputation %d, encoding/json reads %d from %s", e.Reputation, reputation, raw)
			}
			// A conversion to another type fails; one that succeeds keeps
			// the entity it was made from.
			for typ, conv := range map[NodeType]func() (*Entity, error){
				NodeTypeFile:      func() (*Entity, error) { v, err := e.AsFile(); return entityOf(v, err) },
				NodeTypeURL:       func() (*Entity, error) { v, err := e.AsURL(); return entityOf(v, err) },
				NodeTypeDomain:    func() (*Entity, error) { v, err := e.AsDomain(); return entityOf(v, err) },
				NodeTypeIPAddress: func() (*Entity, error) { v, err := e.AsIPAddress(); return entityOf(v, err) },
				"resolution": func() (*Entity, error) {
					v, err := e.AsResolution()
					if err != nil {
						return nil, err
					}
					return &v.Entity, nil
				},
			} {
				got, err := conv()
				switch {
				case err == nil && typ != e.Type:
					t.Fatalf("converting a %q entity to a %s succeeded", e.Type, typ)
				case err == nil && (got.Ref() != e.Ref() || len(got.Attributes) != len(e.Attributes)):
					t.Fatalf("converting %s to a %s gave %s with %d attributes, not %d", e.Ref(), typ, got.Ref(), len(got.Attributes), len(e.Attributes))
				}
			}
		}
	})
}
