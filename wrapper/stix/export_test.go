package stix_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/stix"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

func TestExportDemoGolden(t *testing.T) {
	t.Parallel()
	data, rep := export(t, demoGraph(t))
	assertGolden(t, "demo.golden.json", data)
	assert.Equal(t, map[string]int{"report": 1, "domain-name": 2, "ipv4-addr": 1, "file": 1, "relationship": 3}, rep.Kept)
	assert.Empty(t, rep.Dropped)

	again, _, err := stix.Export(demoGraph(t))
	require.NoError(t, err)
	assert.Equal(t, string(data), string(again), "the same graph gives the same bytes")
}

// loadGraph decodes a graph object from testdata.
func loadGraph(t testing.TB, name string) *vtgraph.Graph {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	g := new(vtgraph.Graph)
	require.NoError(t, json.Unmarshal(raw, g))
	return g
}

// find returns the one object of type typ whose key holds value.
func find(t testing.TB, data []byte, typ, key string, value any) map[string]any {
	t.Helper()
	var hits []map[string]any
	for _, o := range byType(t, data, typ) {
		if o[key] == value {
			hits = append(hits, o)
		}
	}
	require.Len(t, hits, 1, "%s with %s = %v", typ, key, value)
	return hits[0]
}

// hops lists the relationships as "source relationship_type target
// connection", with the ends named by the objects' values or entity ids.
func hops(t testing.TB, data []byte) []string {
	t.Helper()
	names := map[string]string{}
	for _, o := range objects(t, data) {
		id, _ := o["id"].(string)
		switch {
		case o["value"] != nil:
			names[id] = o["value"].(string)
		case o["x_vt_entity_id"] != nil:
			names[id] = o["x_vt_entity_id"].(string)
		case o["hashes"] != nil:
			for _, h := range o["hashes"].(map[string]any) {
				names[id] = h.(string)[:8]
			}
		case o["name"] != nil:
			names[id] = o["name"].(string)
		}
	}
	var out []string
	for _, r := range byType(t, data, "relationship") {
		out = append(out, names[r["source_ref"].(string)]+" "+r["relationship_type"].(string)+" "+
			names[r["target_ref"].(string)]+" "+r["x_vt_connection_type"].(string))
	}
	return out
}

// shapes is the fixture reproducing what the UI and vt-graph-api save: a
// relationship node shared by five files and a group, repeated links, a
// commonality node without relationship_type, searches, hunts, custom
// nodes in both forms, has_detections as counts and bools, and a link to a
// node that is not there.
func shapes(t testing.TB) *vtgraph.Graph { return loadGraph(t, "shapes.graph.json") }

const (
	shapesIP    = "198.51.100.44"
	shapesFile0 = "52a38b8f2df6a7158b31abb26ecb1f85cd8bdafff3784f4f4b8033a61cd2db70"
)

func TestExportShapes(t *testing.T) {
	t.Parallel()
	g := shapes(t)
	data, rep := export(t, g)
	assert.Equal(t, []stix.Dropped{{ID: "shapes.example -> 198.51.100.250", Type: "link", Reason: "its target is not in the graph"}}, rep.Dropped)

	// Every source of the shared relationship node, the group included,
	// reaches the address once, although its link to the address repeats.
	var toIP []string
	for _, h := range hops(t, data) {
		if len(h) > len(shapesIP) && h[len(h)-len(shapesIP+" contacted_ips"):] == shapesIP+" contacted_ips" {
			toIP = append(toIP, h)
		}
	}
	assert.Equal(t, []string{
		"52a38b8f communicates-with 198.51.100.44 contacted_ips",
		"4dde8001 communicates-with 198.51.100.44 contacted_ips",
		"7b8d3400 communicates-with 198.51.100.44 contacted_ips",
		"9b051dd9 communicates-with 198.51.100.44 contacted_ips",
		"8fc5f89a communicates-with 198.51.100.44 contacted_ips",
		"relationships_group_123456789 communicates-with 198.51.100.44 contacted_ips",
	}, toIP)
	assert.Contains(t, hops(t, data), "Lantern Spider related-to shapes.example manual", "a repeated manual link gives one relationship")
	assert.Len(t, byType(t, data, "relationship"), 13)

	ids := map[string]bool{}
	for _, o := range objects(t, data) {
		assert.False(t, ids[o["id"].(string)], "repeated id %s", o["id"])
		ids[o["id"].(string)] = true
	}

	file := find(t, data, "file", "x_vt_type_tag", "docx")
	assert.Equal(t, map[string]any{"SHA-256": shapesFile0}, file["hashes"])
	assert.Equal(t, 45.0, file["x_vt_has_detections"], "a count stays a count")
	assert.Equal(t, "peexe", find(t, data, "file", "x_vt_has_detections", false)["x_vt_type_tag"], "a bool stays a bool")
	assert.Equal(t, "GB", find(t, data, "ipv4-addr", "value", shapesIP)["x_vt_country"])
	assert.NotNil(t, find(t, data, "ipv6-addr", "value", "2001:db8::44"))

	commonality := find(t, data, "x-vt-node", "x_vt_relationship_type", "commonality")
	assert.Equal(t, "relationships_commonality_1670398662", commonality["x_vt_entity_id"])
	assert.Len(t, commonality["x_vt_member_refs"], 2)
	assert.Equal(t, []any{map[string]any{"commonality": "1670398662"}}, commonality["x_vt_commonalities"])
	group := find(t, data, "x-vt-node", "x_vt_relationship_type", "group")
	assert.Equal(t, "Loaders", group["x_vt_label"])
	assert.Len(t, group["x_vt_member_refs"], 2, "the member in grouped_node_ids and the one linked")
	assert.NotContains(t, group, "x_vt_grouped_node_ids")
	search := find(t, data, "x-vt-node", "x_vt_relationship_type", "intelligence")
	assert.Equal(t, "entity:url path:landing", search["x_vt_intelligence_query"])

	assert.Equal(t, "victim", find(t, data, "identity", "name", "badguy")["x_vt_custom_type"])
	department := find(t, data, "identity", "name", "Finance")
	assert.Equal(t, "department", department["x_vt_custom_type"])
	assert.Equal(t, "dept-finance", department["x_vt_entity_id"])
	actor := find(t, data, "threat-actor", "name", "Lantern Spider")
	assert.NotContains(t, actor, "x_vt_custom_type", "actor is what a threat actor imports as")
	assert.NotNil(t, find(t, data, "email-addr", "value", "payroll@shapes.example"))
	assert.Equal(t, "phone", find(t, data, "x-vt-node", "x_vt_entity_id", "+44 20 7946 0000")["x_vt_custom_type"])
	assert.Equal(t, "whois", find(t, data, "x-vt-node", "x_vt_entity_id", "whois_shapes.example_1")["x_vt_node_type"])

	url := find(t, data, "x-vt-node", "x_vt_node_type", "url")
	assert.Equal(t, true, url["x_vt_has_detections"], "a URL known by its VirusTotal id only has no url object")
	assert.Equal(t, "second stage", find(t, data, "url", "value", "http://shapes.example/landing?step=2&from=mail")["x_vt_label"])

	odd := find(t, data, "domain-name", "value", "odd.shapes.example")
	assert.Equal(t, map[string]any{
		"Odd-Key": "kept", "nothing": nil, "empty": []any{}, "blob_hex": "zz", "label": "an attribute named label",
	}, odd["x_vt_entity_attributes"])

	report := byType(t, data, "report")[0]
	assert.Equal(t, "Shapes of saved graphs", report["name"])
	assert.Equal(t, true, report["x_vt_private"])
	assert.Equal(t, "2023-11-14T22:13:20.000Z", report["created"])
	assert.Equal(t, "2023-11-14T23:13:20.000Z", report["modified"])
	assert.Len(t, report["object_refs"], len(objects(t, data))-1, "the report refers to every other object")
}

// TestExportLinkOrder checks that the order links are saved in does not
// change the bundle: relationships are sorted by their ends.
func TestExportLinkOrder(t *testing.T) {
	t.Parallel()
	g := shapes(t)
	want, _, err := stix.Export(g)
	require.NoError(t, err)
	slices.Reverse(g.Links)
	got, _, err := stix.Export(g)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
}

func TestExportRelationshipTypes(t *testing.T) {
	t.Parallel()
	const file2 = "0969de02ecf8a5f003e3f6d063d848c8a193aada092623f8ce408c15bcb5f038"
	tests := []struct {
		src, dst   string
		srcT, dstT vtgraph.NodeType
		connection string
		want       string
	}{
		{"a.example", "192.0.2.1", vtgraph.NodeTypeDomain, vtgraph.NodeTypeIPAddress, "resolutions", "resolves-to"},
		{"a.example", "2001:db8::1", vtgraph.NodeTypeDomain, vtgraph.NodeTypeIPAddress, "resolutions", "resolves-to"},
		{"192.0.2.1", "a.example", vtgraph.NodeTypeIPAddress, vtgraph.NodeTypeDomain, "resolutions", "related-to"},
		{demoFile, "a.example", vtgraph.NodeTypeFile, vtgraph.NodeTypeDomain, "contacted_domains", "communicates-with"},
		{demoFile, "192.0.2.1", vtgraph.NodeTypeFile, vtgraph.NodeTypeIPAddress, "contacted_ips", "communicates-with"},
		{demoFile, "http://a.example/", vtgraph.NodeTypeFile, vtgraph.NodeTypeURL, "contacted_urls", "communicates-with"},
		{demoFile, file2, vtgraph.NodeTypeFile, vtgraph.NodeTypeFile, "dropped_files", "drops"},
		{"192.0.2.1", demoFile, vtgraph.NodeTypeIPAddress, vtgraph.NodeTypeFile, "communicating_files", "related-to"},
		{demoFile, file2, vtgraph.NodeTypeFile, vtgraph.NodeTypeFile, "execution_parents", "related-to"},
		{"a.example", "192.0.2.1", vtgraph.NodeTypeDomain, vtgraph.NodeTypeIPAddress, vtgraph.ConnectionManual, "related-to"},
		{"a.example", "192.0.2.1", vtgraph.NodeTypeDomain, vtgraph.NodeTypeIPAddress, "", "related-to"},
		{"APT", "a.example", vtgraph.NodeTypeActor, vtgraph.NodeTypeDomain, "uses", "uses"},
	}
	for _, tt := range tests {
		t.Run(string(tt.srcT)+" "+tt.connection+" "+string(tt.dstT), func(t *testing.T) {
			t.Parallel()
			g := vtgraph.NewGraph("types")
			g.AddNode(tt.src, tt.srcT)
			g.AddNode(tt.dst, tt.dstT)
			require.NoError(t, g.AddLink(tt.src, tt.dst, tt.connection))
			data, _ := export(t, g)
			rels := byType(t, data, "relationship")
			require.Len(t, rels, 1)
			assert.Equal(t, tt.want, rels[0]["relationship_type"])
			assert.Equal(t, tt.connection, rels[0]["x_vt_connection_type"])
		})
	}
}

func TestExportDates(t *testing.T) {
	t.Parallel()
	created := time.Date(2025, 1, 2, 3, 4, 5, 678_900_000, time.FixedZone("CET", 3600))
	later := created.Add(time.Hour)
	tests := []struct {
		name                      string
		creation, lastModified    time.Time
		wantCreated, wantModified string
	}{
		{"saved", created, later, "2025-01-02T02:04:05.678Z", "2025-01-02T03:04:05.678Z"},
		{"never saved", time.Time{}, time.Time{}, "1970-01-01T00:00:00.000Z", "1970-01-01T00:00:00.000Z"},
		{"modified only", time.Time{}, later, "2025-01-02T03:04:05.678Z", "2025-01-02T03:04:05.678Z"},
		{"modified before created", later, created, "2025-01-02T03:04:05.678Z", "2025-01-02T03:04:05.678Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := demoGraph(t)
			g.CreationDate, g.LastModifiedDate = tt.creation, tt.lastModified
			data, _ := export(t, g)
			for _, typ := range []string{"report", "relationship"} {
				for _, o := range byType(t, data, typ) {
					assert.Equal(t, tt.wantCreated, o["created"])
					assert.Equal(t, tt.wantModified, o["modified"])
				}
			}
			assert.Equal(t, tt.wantCreated, byType(t, data, "report")[0]["published"])
		})
	}
}

// TestExportLeavesOut checks that what a bundle has no place for is
// reported, and the rest still exported.
func TestExportLeavesOut(t *testing.T) {
	t.Parallel()
	g := vtgraph.NewGraph("broken")
	g.ID = "not-a-graph-id"
	g.AddNode("a.example", vtgraph.NodeTypeDomain)
	g.AddNode("192.0.2.1", vtgraph.NodeTypeIPAddress)
	require.NoError(t, g.AddLink("a.example", "192.0.2.1", "resolutions"))
	g.Nodes = append(g.Nodes,
		vtgraph.Node{EntityID: "", Type: vtgraph.NodeTypeDomain},
		vtgraph.Node{EntityID: "a.example", Type: vtgraph.NodeTypeDomain},
		vtgraph.Node{EntityID: "A.EXAMPLE-hash-less", Type: vtgraph.NodeTypeFile},
		vtgraph.Node{EntityID: "relationships_loop", Type: vtgraph.NodeTypeRelationship},
		vtgraph.Node{EntityID: "relationships_dangling", Type: vtgraph.NodeTypeRelationship},
		vtgraph.Node{EntityID: "relationships_group_empty", Type: vtgraph.NodeTypeRelationship,
			Attributes: vtgraph.EntityAttributes{"relationship_type": json.RawMessage(`"group"`), "grouped_node_ids": json.RawMessage(`["gone.example"]`)}},
	)
	g.Links = append(g.Links,
		vtgraph.Link{Source: "a.example", Target: "relationships_loop", ConnectionType: "siblings"},
		vtgraph.Link{Source: "relationships_loop", Target: "a.example", ConnectionType: "siblings"},
		vtgraph.Link{Source: "a.example", Target: "relationships_dangling", ConnectionType: "subdomains"},
		vtgraph.Link{Source: "relationships_loop", Target: "relationships_dangling", ConnectionType: "siblings"},
		vtgraph.Link{Source: "ghost.example", Target: "a.example", ConnectionType: vtgraph.ConnectionManual},
	)
	data, rep := export(t, g)
	assert.Equal(t, []stix.Dropped{
		{ID: "not-a-graph-id", Type: "graph", Reason: "is not a VirusTotal graph id, so the bundle does not refer to it"},
		{ID: "nodes[3]", Type: "domain", Reason: "has no entity id"},
		{ID: "a.example", Type: "domain", Reason: "repeats the entity id of an earlier node"},
		{ID: "relationships_loop -> relationships_dangling", Type: "link", Reason: "it joins two relationship nodes"},
		{ID: "ghost.example -> a.example", Type: "link", Reason: "its source is not in the graph"},
		{ID: "relationships_dangling", Type: "relationship", Reason: "relationship node without a target: its sources are kept, not the links from them"},
		{ID: "relationships_group_empty -> gone.example", Type: "link", Reason: "grouped_node_ids names a node that is not in the graph"},
		{ID: "relationships_group_empty", Type: "relationship", Reason: "a group node without members"},
		{ID: "a.example -> a.example", Type: "link", Reason: "it links a node to itself"},
	}, rep.Dropped)
	assert.Equal(t, []string{"a.example resolves-to 192.0.2.1 resolutions"}, hops(t, data))
	assert.Equal(t, "file", find(t, data, "x-vt-node", "x_vt_entity_id", "A.EXAMPLE-hash-less")["x_vt_node_type"])
	assert.NotContains(t, byType(t, data, "report")[0], "external_references")
}

func TestExportEmptyGraph(t *testing.T) {
	t.Parallel()
	data, rep := export(t, vtgraph.NewGraph("nothing yet"))
	assert.Empty(t, objects(t, data))
	assert.Equal(t, []stix.Dropped{{ID: "nothing yet", Type: "graph", Reason: "has no node a STIX object stands for, and a report must refer to one"}}, rep.Dropped)

	data, rep = export(t, &vtgraph.Graph{})
	assert.Empty(t, objects(t, data))
	assert.Empty(t, rep.Dropped, "an empty graph without a name or id loses nothing")
}

func TestExportUnnamedGraph(t *testing.T) {
	t.Parallel()
	g := demoGraph(t)
	g.Description = ""
	data, _ := export(t, g)
	assert.Equal(t, "VirusTotal graph "+demoID, byType(t, data, "report")[0]["name"])
	g.ID = ""
	data, _ = export(t, g)
	assert.Equal(t, "VirusTotal graph", byType(t, data, "report")[0]["name"])
}

func TestExportErrors(t *testing.T) {
	t.Parallel()
	_, _, err := stix.Export(nil)
	assert.EqualError(t, err, "stix: export: nil graph")

	g := demoGraph(t)
	g.Node(demoIP).Attributes["country"] = json.RawMessage(`{"broken"`)
	_, _, err = stix.Export(g)
	assert.ErrorContains(t, err, `stix: export: node "203.0.113.77": entity_attributes.country: `)
}
