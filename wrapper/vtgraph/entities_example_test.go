package vtgraph_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// The entity examples look up the in-memory server's demo universe: a small
// campaign of .example domains, documentation addresses and made-up hashes.

func ExampleClient_GetFile() {
	srv := startServer()
	defer srv.Close()
	c := newClient(srv, vtgraphtest.AliceKey)

	// Any of the file's hashes finds it; the answer's ID is the SHA-256.
	f, err := c.GetFile(context.Background(), "0c58dc49280e7f1e1f531301d955b18c", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(f.ID)
	fmt.Println(f.MeaningfulName, f.TypeTag, f.TypeDescription, f.Size)
	fmt.Println("detections:", f.LastAnalysisStats.Detections())
	// Output:
	// 42733d3038823324afcb89bc507a7d37e2b3451adbd3eebc8bbc1b8b6e302de0
	// update.exe peexe Win32 EXE 733184
	// detections: 56
}

func ExampleClient_GetURL() {
	srv := startServer()
	defer srv.Close()
	c := newClient(srv, vtgraphtest.AliceKey)

	u, err := c.GetURL(context.Background(), "https://acme-login.example/login", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.Title, u.LastHTTPResponseCode, u.LastAnalysisStats.Malicious)
	// Output:
	// Acme Sign-in 200 10
}

func ExampleClient_GetDomain() {
	srv := startServer()
	defer srv.Close()
	c := newClient(srv, vtgraphtest.AliceKey)

	// One request returns the domain and tells which relationships hold
	// anything, with their first descriptors.
	d, err := c.GetDomain(context.Background(), "acme-login.example", &vtgraph.GetEntityOptions{
		Relationships: []vtgraph.Relationship{vtgraph.DomainResolutions, vtgraph.DomainSubdomains, vtgraph.DomainSiblings},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Registrar, d.CreationDate.Format("2006-01-02"), d.Categories["Example Labs"])
	for _, rel := range []vtgraph.Relationship{vtgraph.DomainResolutions, vtgraph.DomainSubdomains, vtgraph.DomainSiblings} {
		fmt.Println(rel, len(d.Relationships[rel].Items))
	}
	// Output:
	// Example Registrar, Inc. 2025-01-04 phishing
	// resolutions 2
	// subdomains 4
	// siblings 0
}

func ExampleClient_GetIPAddress() {
	srv := startServer()
	defer srv.Close()
	c := newClient(srv, vtgraphtest.AliceKey)

	ip, err := c.GetIPAddress(context.Background(), "2001:db8:0:0::10", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ip.ID, ip.Country, ip.ASN, ip.ASOwner, ip.Network)
	// Output:
	// 2001:db8::10 NL 64496 Example Hosting B.V. 2001:db8::/32
}

func ExampleClient_GetEntity() {
	srv := startServer()
	defer srv.Close()
	c := newClient(srv, vtgraphtest.AliceKey)

	// Walk a graph's nodes, whatever their type.
	g := vtgraph.NewGraph("pivot")
	g.AddNode("acme-update.example", vtgraph.NodeTypeDomain)
	g.AddNode("198.51.100.23", vtgraph.NodeTypeIPAddress)
	for _, n := range g.Nodes {
		e, err := c.GetEntity(context.Background(), vtgraph.EntityRef{Type: n.Type, ID: n.EntityID}, nil)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(e.Ref(), e.LastAnalysisStats.Detections(), e.Tags)
	}
	// Output:
	// domain:acme-update.example 19 [c2]
	// ip_address:198.51.100.23 15 [c2]
}

func ExampleClient_ListEntityRelated() {
	srv := startServer()
	defer srv.Close()
	c := newClient(srv, vtgraphtest.AliceKey)

	dropper := vtgraph.EntityRef{Type: vtgraph.NodeTypeFile, ID: vtgraphtest.DemoDropper}
	page, err := c.ListEntityRelated(context.Background(), dropper, vtgraph.FileContactedIPs, &vtgraph.ListOptions{Limit: 10})
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range page.Items {
		ip, err := e.AsIPAddress()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(ip.ID, ip.Country, ip.ASOwner)
	}
	// Output:
	// 192.0.2.10 NL Example Hosting B.V.
	// 198.51.100.23 DE Example Transit GmbH
}

func ExampleClient_ListEntityRelatedDescriptorsIter() {
	srv := startServer()
	defer srv.Close()
	c := newClient(srv, vtgraphtest.AliceKey)

	// Every domain the parking address resolves, five a page; each
	// resolution's other end is a domain.
	parking := vtgraph.EntityRef{Type: vtgraph.NodeTypeIPAddress, ID: vtgraphtest.DemoParkingIP}
	n := 0
	for d, err := range c.ListEntityRelatedDescriptorsIter(context.Background(), parking, vtgraph.IPAddressResolutions, &vtgraph.ListOptions{Limit: 5}, nil) {
		if err != nil {
			log.Fatal(err)
		}
		domain, _ := vtgraph.ResolutionPeer(parking, d.ID)
		if n < 2 {
			fmt.Println(domain)
		}
		n++
	}
	fmt.Println(n, "domains")
	// Output:
	// domain:news-portal.example
	// domain:parked-01.example
	// 13 domains
}

func ExampleClient_SearchIntelligence() {
	srv := startServer()
	defer srv.Close()
	c := newClient(srv, vtgraphtest.AliceKey)

	page, err := c.SearchIntelligence(context.Background(), &vtgraph.IntelligenceSearchOptions{
		Query: "entity:file p:40+",
		Order: "positives-",
	})
	if err != nil {
		log.Fatal(err)
	}
	hits, _ := vtgraph.TotalHits(page)
	fmt.Println(hits, "hits")
	for _, e := range page.Items {
		f, err := e.AsFile()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(f.MeaningfulName, f.LastAnalysisStats.Malicious)
	}
	// Output:
	// 2 hits
	// update.exe 55
	// payload.dll 47
}

func ExampleClient_ResolveFileHash() {
	srv := startServer()
	defer srv.Close()
	c := newClient(srv, vtgraphtest.AliceKey)

	// A graph keys files by SHA-256: resolve an MD5 before adding it.
	sha256, err := c.ResolveFileHash(context.Background(), vtgraphtest.DemoDropperMD5)
	if err != nil {
		log.Fatal(err)
	}
	g := vtgraph.NewGraph("resolved")
	g.AddNode(sha256, vtgraph.NodeTypeFile)
	fmt.Println(g.Nodes[0].EntityID)
	// Output:
	// 42733d3038823324afcb89bc507a7d37e2b3451adbd3eebc8bbc1b8b6e302de0
}

func ExampleURLID() {
	fmt.Println(vtgraph.URLID("http://www.example.com/"))
	// Output:
	// aHR0cDovL3d3dy5leGFtcGxlLmNvbS8
}

func ExamplePremiumError() {
	srv := startServer()
	defer srv.Close()
	// carol's demo key is a public API key.
	c := newClient(srv, vtgraphtest.CarolKey)

	domain := vtgraph.EntityRef{Type: vtgraph.NodeTypeDomain, ID: vtgraphtest.DemoDomain}
	for _, info := range vtgraph.EntityRelationships(vtgraph.NodeTypeDomain) {
		if info.Name != vtgraph.DomainResolutions && info.Name != vtgraph.DomainURLs {
			continue
		}
		page, err := c.ListEntityRelatedDescriptors(context.Background(), domain, info.Name, nil)
		var premium *vtgraph.PremiumError
		switch {
		case errors.As(err, &premium):
			fmt.Println(info.Name, "skipped: needs a premium key", info.Premium)
		case err != nil:
			log.Fatal(err)
		default:
			fmt.Println(info.Name, len(page.Items))
		}
	}
	// Output:
	// resolutions 2
	// urls skipped: needs a premium key true
}
