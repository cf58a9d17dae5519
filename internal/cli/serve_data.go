package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// serveData is the --data file of serve: graphs to preload, each a graph
// object with the id of its owner, and the files, domains, IP addresses and
// URLs the lookups answer for, in the form vtgraphtest.LoadUniverse reads.
type serveData struct {
	path     string
	Graphs   []json.RawMessage `json:"graphs"`
	Entities json.RawMessage   `json:"entities"`
	// universe is what Entities held, checked; nil when the file had none,
	// and the server keeps its built-in demo universe.
	universe *vtgraphtest.Universe
}

// readServeData reads and checks the --data file; no file is no data.
func readServeData(path string) (*serveData, error) {
	d := &serveData{path: path}
	if path == "" {
		return d, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--data: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxGraphFile+1))
	if err != nil {
		return nil, fmt.Errorf("--data: reading %s: %w", path, err)
	}
	if len(b) > maxGraphFile {
		return nil, inputErrorf("%s: larger than %d MiB", path, maxGraphFile>>20)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(d); err != nil {
		return nil, inputErrorf("%s: want a JSON object with a \"graphs\" or an \"entities\" list: %s", path, err)
	}
	if len(d.Entities) > 0 {
		// LoadUniverse reads a whole universe file; the entities are that
		// file's one member.
		doc := append(append([]byte(`{"entities":`), d.Entities...), '}')
		u, err := vtgraphtest.LoadUniverse(bytes.NewReader(doc))
		if err != nil {
			return nil, inputErrorf("%s: %s", path, strings.TrimPrefix(err.Error(), "vtgraphtest: "))
		}
		d.universe = u
	}
	return d, nil
}

// load stores the graphs and the entities in srv and returns how many
// graphs there were.
func (d *serveData) load(srv *vtgraphtest.Server) (int, error) {
	if d.universe != nil {
		if err := srv.SetUniverse(d.universe); err != nil {
			return 0, inputErrorf("%s: %s", d.path, strings.TrimPrefix(err.Error(), "vtgraphtest: "))
		}
	}
	for i, raw := range d.Graphs {
		var head struct {
			Owner string `json:"owner"`
		}
		if err := json.Unmarshal(raw, &head); err != nil {
			return 0, inputErrorf("%s: graphs[%d]: %s", d.path, i, err)
		}
		if head.Owner == "" {
			return 0, inputErrorf("%s: graphs[%d]: no \"owner\": name the user who owns it, such as alice", d.path, i)
		}
		if _, err := srv.AddGraph(head.Owner, raw); err != nil {
			return 0, inputErrorf("%s: graphs[%d]: %s", d.path, i, strings.TrimPrefix(err.Error(), "vtgraphtest: AddGraph: "))
		}
	}
	return len(d.Graphs), nil
}
