package vtgraphtest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

func ExampleLoadUniverse() {
	u, err := vtgraphtest.LoadUniverse(strings.NewReader(`{"entities": [
	  {"type": "domain", "id": "login.acme.example",
	   "attributes": {"registrar": "Example Registrar", "last_analysis_stats": {"malicious": 12}},
	   "relationships": {"resolutions": [{"type": "ip_address", "id": "192.0.2.10"}]}},
	  {"type": "ip_address", "id": "192.0.2.10", "attributes": {"country": "NL"}}
	]}`))
	if err != nil {
		panic(err)
	}
	srv, err := vtgraphtest.Start(vtgraphtest.WithUniverse(u))
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	c, err := vtgraph.New(vtgraphtest.AliceKey, vtgraph.WithBaseURL(srv.URL()))
	if err != nil {
		panic(err)
	}
	// The way back exists too: the address resolves to the domain.
	ip := vtgraph.EntityRef{Type: vtgraph.NodeTypeIPAddress, ID: "192.0.2.10"}
	page, err := c.ListEntityRelated(context.Background(), ip, vtgraph.IPAddressResolutions, nil)
	if err != nil {
		panic(err)
	}
	r, err := page.Items[0].AsResolution()
	if err != nil {
		panic(err)
	}
	fmt.Println(r.ID, r.HostName, r.HostNameStats.Malicious)
	// Output:
	// 192.0.2.10login.acme.example login.acme.example 12
}

func ExampleUniverse_Add() {
	u := vtgraphtest.NewUniverse()
	err := u.Add(vtgraphtest.Entity{
		Type:       "file",
		ID:         strings.Repeat("ab", 32),
		Attributes: map[string]any{"type_tag": "peexe", "size": 1024},
		Relationships: map[string][]vtgraphtest.Ref{
			"contacted_domains": {{Type: "domain", ID: "c2.acme.example"}},
		},
	})
	fmt.Println(err)
	err = u.Add(vtgraphtest.Entity{Type: "file", ID: "invoice.docx", Attributes: map[string]any{"size": "big"}})
	fmt.Println(err)
	// Output:
	// <nil>
	// vtgraphtest: Universe.Add: id: "invoice.docx" is not a SHA-256
}

func ExampleWithQuota() {
	// The public API's quota; the frozen clock keeps the minute from passing.
	srv, err := vtgraphtest.Start(
		vtgraphtest.WithQuota(vtgraphtest.Quota{PerMinute: 4, PerDay: 500}),
		vtgraphtest.WithClock(func() time.Time { return time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC) }),
	)
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	c, err := vtgraph.New(vtgraphtest.AliceKey, vtgraph.WithBaseURL(srv.URL()), vtgraph.WithoutRetries())
	if err != nil {
		panic(err)
	}
	for i := range 5 {
		_, err := c.GetDomain(context.Background(), vtgraphtest.DemoDomain, nil)
		var apiErr *vtgraph.APIError
		if errors.As(err, &apiErr) {
			fmt.Println(i+1, apiErr.Code, apiErr.RetryAfter)
			continue
		}
		fmt.Println(i+1, err)
	}
	fmt.Println(srv.RequestCounts()["GET /domains/{domain}"], "requests")
	// Output:
	// 1 <nil>
	// 2 <nil>
	// 3 <nil>
	// 4 <nil>
	// 5 QuotaExceededError 1m0s
	// 5 requests
}
