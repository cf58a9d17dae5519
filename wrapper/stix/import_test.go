package stix_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/stix"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// countObjects returns how many objects a bundle or single object holds.
func countObjects(t testing.TB, data []byte) int {
	t.Helper()
	n := countObjectsLenient(data)
	require.GreaterOrEqual(t, n, 0, "%s", data)
	return n
}

// countObjectsLenient is countObjects for any input: -1 when data is not
// a bundle or an object. It reads keys as STIX does, case-sensitively,
// which decoding into a struct would not.
func countObjectsLenient(data []byte) int {
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil || top == nil {
		return -1
	}
	var typ string
	if json.Unmarshal(top["type"], &typ) != nil || typ != "bundle" {
		return 1
	}
	var objs []json.RawMessage
	if raw, ok := top["objects"]; ok && json.Unmarshal(raw, &objs) != nil {
		return -1
	}
	return len(objs)
}

// importChecked imports data and checks what holds for every import: each
// object is counted once, kept or dropped.
func importChecked(t testing.TB, data []byte) (*vtgraph.Graph, *stix.Report) {
	t.Helper()
	g, rep, err := stix.Import(data)
	require.NoError(t, err)
	assert.Equal(t, countObjects(t, data), rep.KeptCount()+len(rep.Dropped), "every object is kept or dropped:\n%s", rep)
	return g, rep
}

// TestImportExamples imports the examples of the STIX 2.1 JSON schemas'
// repository. What is dropped are indicators whose patterns name no
// observable a graph can show (e-mail subjects, x509 issuer and serial,
// file names) and the relationships from them.
func TestImportExamples(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(sharedDir(t), "stix2.1", "examples")
	tests := []struct {
		file    string
		name    string
		kept    map[string]int
		dropped int
		// entities are the nodes other than relationship nodes.
		entities int
	}{
		{"indicator-for-c2-ip-address.json", "", map[string]int{"indicator": 1}, 0, 1},
		{"indicator-to-campaign-relationship.json", "", map[string]int{"campaign": 1, "indicator": 1, "relationship": 1}, 0, 2},
		{"indicators-for-C2-with-COA.json", "", map[string]int{"course-of-action": 1, "identity": 1, "indicator": 2, "malware": 1, "relationship": 3}, 0, 5},
		{"infrastructure.json", "", map[string]int{"domain-name": 1, "infrastructure": 2, "ipv4-addr": 1, "malware": 2, "relationship": 4}, 0, 6},
		{"interop-objectmarking-test.json", "", map[string]int{"campaign": 1}, 0, 1},
		{"malicious-email-indicator-with-attachment.json", "", map[string]int{"attack-pattern": 1, "identity": 1}, 4, 2},
		{"threat-reports/apt1.json", "APT1: Exposing One of China's Cyber Espionage Units", map[string]int{
			"attack-pattern": 7, "identity": 4, "indicator": 10, "intrusion-set": 1, "malware": 6,
			"relationship": 30, "report": 1, "threat-actor": 5, "tool": 10,
		}, 2, 43},
		{"threat-reports/poisonivy.json", "Poison Ivy: Assessing Damage and Extracting Intelligence", map[string]int{
			"attack-pattern": 3, "campaign": 3, "course-of-action": 1, "identity": 1, "indicator": 23,
			"malware": 25, "relationship": 80, "report": 1, "vulnerability": 6,
		}, 12, 82},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join(dir, tt.file))
			require.NoError(t, err)
			g, rep := importChecked(t, data)
			assert.Equal(t, tt.kept, rep.Kept)
			assert.Len(t, rep.Dropped, tt.dropped, "%s", rep)
			assert.Equal(t, tt.name, g.Description)
			assert.NoError(t, g.Validate())
			entities := 0
			for i := range g.Nodes {
				if !g.Nodes[i].IsRelationship() {
					entities++
				}
			}
			assert.Equal(t, tt.entities, entities)

			// The graph exports to a valid bundle that reads back the same.
			out, _ := export(t, g)
			back, rep := importChecked(t, out)
			assert.Empty(t, rep.Dropped)
			again, _, err := stix.Export(back)
			require.NoError(t, err)
			assert.Equal(t, string(out), string(again))
		})
	}
}

// TestImportForeign checks what the objects of the hand-written bundle
// testdata/foreign.stix.json, shaped like one another platform exports,
// become.
func TestImportForeign(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("testdata", "foreign.stix.json"))
	require.NoError(t, err)
	g, rep := importChecked(t, data)
	require.NoError(t, g.Validate())
	assertRoundTrip(t, g)

	assert.Equal(t, "Harbor Lights phishing wave", g.Description, "the only grouping stands for the graph")
	assert.Equal(t, time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC), g.CreationDate)
	assert.Equal(t, time.Date(2024, 5, 2, 8, 30, 0, 0, time.UTC), g.LastModifiedDate)
	assert.Empty(t, g.ID)

	assert.Equal(t, map[string]int{
		"campaign": 1, "domain-name": 1, "email-addr": 1, "file": 1, "grouping": 1, "identity": 1,
		"indicator": 2, "ipv4-addr": 1, "malware": 1, "mutex": 1, "observed-data": 2, "relationship": 6,
		"threat-actor": 1, "url": 1, "x509-certificate": 1,
	}, rep.Kept)
	reasons := map[string]string{}
	for _, d := range rep.Dropped {
		reasons[d.ID] = d.Reason
	}
	assert.Equal(t, map[string]string{
		"malware--0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d":            "a newer version of the object follows it",
		"file--2b3c4d5e-6f7a-5b8c-9d0e-1f2a3b4c5d6e":               "has no MD5, SHA-1 or SHA-256 hash, which VirusTotal names files by",
		"indicator--8d7c6b5a-4f3e-4c2d-9e0f-1a2b3c4d5e6f":          "its pattern is not a list of observables a graph can show",
		"indicator--9e8d7c6b-5a4f-4d3e-8f1a-2b3c4d5e6f7a":          `its pattern is "yara", not a STIX pattern`,
		"sighting--5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c":           "a sighting has no place in a graph",
		"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": "data markings have no place in a graph",
		"relationship--1f2a3b4c-5d6e-4f7a-8b8c-9d0e1f2a3b4c":       "its source file--2b3c4d5e-6f7a-5b8c-9d0e-1f2a3b4c5d6e is not in the graph",
		"relationship--2a3b4c5d-6e7f-4a8b-9c9d-0e1f2a3b4c5d":       "its target tool--3b4c5d6e-7f8a-4b9c-8d0e-1f2a3b4c5d6e is not in the bundle",
	}, reasons)
	assert.Equal(t, []string{"is_family", "malware_types"}, rep.Properties["malware"])
	assert.Equal(t, []string{"name", "pattern", "valid_from"}, rep.Properties["indicator"], "one pattern also named a file by name")
	assert.Equal(t, []string{"description"}, rep.Properties["relationship"])

	type node struct {
		typ    vtgraph.NodeType
		custom string
		text   string
	}
	nodes := map[string]node{}
	for i := range g.Nodes {
		n := &g.Nodes[i]
		if n.IsRelationship() {
			continue
		}
		custom, _ := n.Attributes.String("custom_type")
		nodes[n.EntityID] = node{n.Type, custom, n.Text}
	}
	assert.Equal(t, map[string]node{
		"Example Threat Intel Team": {vtgraph.NodeTypeCustom, "identity", ""},
		"harbor-lights.example":     {vtgraph.NodeTypeDomain, "", ""},
		"192.0.2.10":                {vtgraph.NodeTypeIPAddress, "", ""},
		"ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb": {vtgraph.NodeTypeFile, "", "invoice.pdf.exe"},
		"https://harbor-lights.example/login?next=%2Fpay&id=7":             {vtgraph.NodeTypeURL, "", ""},
		"billing@harbor-lights.example":                                    {vtgraph.NodeTypeCustom, "email", "Harbor Billing"},
		"3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d": {vtgraph.NodeTypeSSLCert, "", ""},
		`Global\HarborLightsMutex`:                                         {vtgraph.NodeTypeCustom, "mutex", ""},
		"cdn.harbor-lights.example":                                        {vtgraph.NodeTypeDomain, "", ""},
		"https://harbor-lights.example/it's":                               {vtgraph.NodeTypeURL, "", ""},
		"HarborLoader":                                                     {vtgraph.NodeTypeCustom, "malware", ""},
		"Harbor Spider":                                                    {vtgraph.NodeTypeCustom, "actor", ""},
		// A campaign named like the domain gets its STIX id as entity id.
		"campaign--2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f": {vtgraph.NodeTypeCustom, "campaign", "harbor-lights.example"},
		"old-style.harbor-lights.example":                {vtgraph.NodeTypeDomain, "", ""},
	}, nodes)

	var related []string
	for _, e := range []string{"cdn.harbor-lights.example", "192.0.2.10", "harbor-lights.example", "Harbor Spider",
		"campaign--2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f", "HarborLoader", "https://harbor-lights.example/login?next=%2Fpay&id=7"} {
		for _, r := range g.Related(e) {
			related = append(related, e+" "+r.ConnectionType+" "+r.Node.EntityID)
		}
	}
	assert.Equal(t, []string{
		// The indicator's three observables indicate the malware.
		"cdn.harbor-lights.example indicates HarborLoader",
		"192.0.2.10 indicates HarborLoader",
		"192.0.2.10 contacted_domains harbor-lights.example",
		"harbor-lights.example resolutions 192.0.2.10",
		"Harbor Spider uses HarborLoader",
		"campaign--2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f manual Harbor Spider",
		"HarborLoader dropped_files ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb",
		// The observed data's URL and address contact the domain.
		"https://harbor-lights.example/login?next=%2Fpay&id=7 contacted_domains harbor-lights.example",
	}, related)
}

func TestImportSingleObject(t *testing.T) {
	t.Parallel()
	g, rep := importChecked(t, []byte(`{"type":"threat-actor","spec_version":"2.1","id":"threat-actor--1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e","created":"2024-05-01T10:00:00.000Z","modified":"2024-05-01T10:00:00.000Z","name":"Harbor Spider"}`))
	require.Len(t, g.Nodes, 1)
	assert.Equal(t, "Harbor Spider", g.Nodes[0].EntityID)
	assert.Equal(t, map[string]int{"threat-actor": 1}, rep.Kept)
}

func TestImportGroupings(t *testing.T) {
	t.Parallel()
	// Two groupings: neither stands for the graph, both become groups.
	data := []byte(`{"type":"bundle","id":"bundle--5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d","objects":[
	 {"type":"domain-name","id":"domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7","value":"example.com"},
	 {"type":"ipv4-addr","id":"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4","value":"198.51.100.3"},
	 {"type":"grouping","id":"grouping--0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a","created":"2024-05-01T10:00:00.000Z","modified":"2024-05-01T10:00:00.000Z","name":"Both","context":"unspecified",
	  "object_refs":["domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7","ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"]},
	 {"type":"grouping","id":"grouping--1f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a","created":"2024-05-01T10:00:00.000Z","modified":"2024-05-01T10:00:00.000Z","name":"Nothing shown","context":"unspecified",
	  "object_refs":["sighting--5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c"]}
	]}`)
	g, rep := importChecked(t, data)
	require.NoError(t, g.Validate())
	assertRoundTrip(t, g)
	assert.Empty(t, g.Description)
	group := g.Node("relationships_group_0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a")
	require.NotNil(t, group)
	assert.True(t, group.IsGroup())
	assert.Equal(t, "Both", group.Text)
	assert.JSONEq(t, `["example.com","198.51.100.3"]`, string(group.Attributes["grouped_node_ids"]))
	var members []string
	for _, n := range g.Neighbours(group.EntityID) {
		assert.False(t, n.Outgoing, "members link to their group")
		assert.Equal(t, "group", n.ConnectionType)
		members = append(members, n.Node.EntityID)
	}
	assert.Equal(t, []string{"example.com", "198.51.100.3"}, members)
	assert.Equal(t, []stix.Dropped{{ID: "grouping--1f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", Type: "grouping", Reason: "refers to nothing the graph shows"}}, rep.Dropped)
	assert.Nil(t, g.Node("relationships_group_1f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"))
}

func TestImportBadInput(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "nope", "[]", "null", `"bundle"`, `{"type":"bundle","objects":{}}`} {
		_, _, err := stix.Import([]byte(in))
		assert.Error(t, err, "%q", in)
	}

	g, rep := importChecked(t, []byte(`{"type":"bundle","id":"bundle--5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d"}`))
	assert.Empty(t, g.Nodes)
	assert.Empty(t, rep.Kept)

	_, rep = importChecked(t, []byte(`{"type":"bundle","objects":[1, {"id":"x--1"}, {"type":"domain-name"}, {"type":"domain-name","id":"d--1","value":""},
		{"type":"relationship","id":"relationship--1","source_ref":"d--1","target_ref":"d--1"},
		{"type":"x-vt-node","id":"x-vt-node--1"}, {"type":"note","id":"note--1","content":"c","object_refs":["d--1"]}]}`))
	assert.Equal(t, []stix.Dropped{
		{ID: "objects[0]", Type: "", Reason: "not a JSON object"},
		{ID: "x--1", Type: "", Reason: "has no type"},
		{ID: "objects[2]", Type: "domain-name", Reason: "has no id"},
		{ID: "d--1", Type: "domain-name", Reason: "has no value"},
		{ID: "x-vt-node--1", Type: "x-vt-node", Reason: "has no x_vt_entity_id"},
		{ID: "note--1", Type: "note", Reason: "a note has no place in a graph"},
		{ID: "relationship--1", Type: "relationship", Reason: "has no relationship_type"},
	}, rep.Dropped)
}

func TestReportString(t *testing.T) {
	t.Parallel()
	_, rep := importChecked(t, []byte(`{"type":"bundle","id":"bundle--5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d","objects":[
	 {"type":"domain-name","id":"domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7","value":"example.com","resolves_to_refs":["ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"]},
	 {"type":"ipv4-addr","id":"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4","value":"198.51.100.3"},
	 {"type":"sighting","id":"sighting--5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c","sighting_of_ref":"domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7"}
	]}`))
	assert.Equal(t, `kept 2: 1 domain-name, 1 ipv4-addr
dropped 1:
  sighting--5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c (sighting): a sighting has no place in a graph
properties not kept:
  domain-name: resolves_to_refs
`, rep.String())
}

// TestImportCopiesInput checks that the graph shares no memory with the
// bytes it was read from, which the caller may reuse.
func TestImportCopiesInput(t *testing.T) {
	t.Parallel()
	want, _ := export(t, shapes(t))
	data := append([]byte(nil), want...)
	g, _, err := stix.Import(data)
	require.NoError(t, err)
	for i := range data {
		data[i] = ' '
	}
	got, _, err := stix.Export(g)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))

	single := []byte(`{"type":"domain-name","id":"domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7","value":"example.com","x_vt_tags":["a","b"]}`)
	g, _, err = stix.Import(single)
	require.NoError(t, err)
	for i := range single {
		single[i] = ' '
	}
	assert.Equal(t, `["a","b"]`, string(g.Nodes[0].Attributes["tags"]))
	assert.Equal(t, "example.com", g.Nodes[0].EntityID)
}
