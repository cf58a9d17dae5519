package stix_test

import (
	"encoding/json"
	"fmt"
	"log"

	"github.com/vtgraphs/vtgraphs/wrapper/stix"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

func ExampleExport() {
	g := vtgraph.NewGraph("Hooli investigation")
	g.AddNode("www.hooli.com", vtgraph.NodeTypeDomain).Text = "phishing page"
	g.AddNode("198.51.100.7", vtgraph.NodeTypeIPAddress)
	if err := g.AddLink("www.hooli.com", "198.51.100.7", "resolutions"); err != nil {
		log.Fatal(err)
	}

	data, report, err := stix.Export(g)
	if err != nil {
		log.Fatal(err)
	}
	var bundle struct {
		Objects []map[string]any `json:"objects"`
	}
	if err := json.Unmarshal(data, &bundle); err != nil {
		log.Fatal(err)
	}
	for _, o := range bundle.Objects {
		switch o["type"] {
		case "report":
			fmt.Println(o["type"], o["name"])
		case "relationship":
			fmt.Println(o["type"], o["relationship_type"], o["x_vt_connection_type"])
		default:
			// Observables have the ids every STIX producer gives them.
			fmt.Println(o["id"], o["value"])
		}
	}
	fmt.Print(report)
	// Output:
	// report Hooli investigation
	// domain-name--0d8f00d3-aea7-5a1b-8d3c-019b5772fb53 www.hooli.com
	// ipv4-addr--12592121-be4c-5a93-a813-5a5af16e50db 198.51.100.7
	// relationship resolves-to resolutions
	// kept 4: 1 domain-name, 1 ipv4-addr, 1 relationship, 1 report
}

func ExampleImport() {
	bundle := []byte(`{
	  "type": "bundle",
	  "id": "bundle--5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d",
	  "objects": [
	    {"type": "domain-name", "spec_version": "2.1", "id": "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7", "value": "example.com"},
	    {"type": "indicator", "spec_version": "2.1", "id": "indicator--e2e1a340-4415-4ba8-9671-f7343fbf0836",
	     "created": "2024-05-01T10:00:00.000Z", "modified": "2024-05-01T10:00:00.000Z", "valid_from": "2024-05-01T00:00:00Z",
	     "pattern": "[ipv4-addr:value = '198.51.100.3' OR ipv4-addr:value = '198.51.100.4']", "pattern_type": "stix"},
	    {"type": "relationship", "spec_version": "2.1", "id": "relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad",
	     "created": "2024-05-01T10:00:00.000Z", "modified": "2024-05-01T10:00:00.000Z", "relationship_type": "resolves-to",
	     "source_ref": "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7", "target_ref": "indicator--e2e1a340-4415-4ba8-9671-f7343fbf0836"},
	    {"type": "sighting", "spec_version": "2.1", "id": "sighting--ee20065d-2555-424f-ad9e-0f8428623c75",
	     "created": "2024-05-01T10:00:00.000Z", "modified": "2024-05-01T10:00:00.000Z",
	     "sighting_of_ref": "indicator--e2e1a340-4415-4ba8-9671-f7343fbf0836"}
	  ]
	}`)

	g, report, err := stix.Import(bundle)
	if err != nil {
		log.Fatal(err)
	}
	g.Description = "Imported from a partner"
	if err := g.Validate(); err != nil {
		log.Fatal(err)
	}
	for _, r := range g.Related("example.com") {
		fmt.Println("example.com", r.ConnectionType, r.Node.EntityID)
	}
	fmt.Print(report)
	// Output:
	// example.com resolutions 198.51.100.3
	// example.com resolutions 198.51.100.4
	// kept 3: 1 domain-name, 1 indicator, 1 relationship
	// dropped 1:
	//   sighting--ee20065d-2555-424f-ad9e-0f8428623c75 (sighting): a sighting has no place in a graph
	// properties not kept:
	//   indicator: valid_from
}
