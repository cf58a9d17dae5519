package vtgraphtest

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
)

// AddGraph stores a graph as if the user owner had created it, without a
// request, and returns its id; the server then serves it like any other.
// object is a graph object as GET /graphs/{id} returns it, such as what
// "vtgraph get --json" prints: {"type":"graph","id":…,"attributes":{…}}.
//
// Its id is kept when it has one, so that saved ids keep working; an id
// already stored is refused. Its creation_date and last_modified_date are
// kept when present, the other server-owned attributes (views_count,
// comments_count) start at zero, and everything else is stored as sent,
// private included. The owner must be a user the server knows.
func (s *Server) AddGraph(owner string, object []byte) (string, error) {
	var obj struct {
		Type       string                     `json:"type"`
		ID         string                     `json:"id"`
		Attributes map[string]json.RawMessage `json:"attributes"`
	}
	if err := json.Unmarshal(object, &obj); err != nil {
		return "", fmt.Errorf("vtgraphtest: AddGraph: %w", err)
	}
	switch {
	case obj.Type != "" && obj.Type != "graph":
		return "", fmt.Errorf("vtgraphtest: AddGraph: type must be \"graph\", got %q", obj.Type)
	case obj.Attributes == nil:
		return "", errors.New("vtgraphtest: AddGraph: no attributes")
	case obj.ID != "" && !validGraphID(obj.ID):
		return "", fmt.Errorf("vtgraphtest: AddGraph: %q is not a graph id (g followed by 64 lowercase hex digits)", obj.ID)
	}
	var typed vtapi.GraphAttributes
	raw, err := json.Marshal(obj.Attributes)
	if err == nil {
		err = json.Unmarshal(raw, &typed)
	}
	if err != nil {
		return "", fmt.Errorf("vtgraphtest: AddGraph: attributes: %w", err)
	}
	if apiErr := validateAttributes(typed); apiErr != nil {
		return "", fmt.Errorf("vtgraphtest: AddGraph: %s", apiErr.message)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[owner]
	if !ok {
		return "", fmt.Errorf("vtgraphtest: AddGraph: unknown user %q", owner)
	}
	id := obj.ID
	if id == "" {
		id = s.newGraphID()
	} else if _, taken := s.graphs[id]; taken {
		return "", fmt.Errorf("vtgraphtest: AddGraph: graph %s already exists", id)
	}
	now := s.now().Unix()
	g := &graph{
		id:       id,
		seq:      s.nextSeq(),
		owner:    u.id,
		attrs:    map[string]json.RawMessage{},
		created:  now,
		modified: now,
	}
	if len(u.groups) > 0 {
		g.group = u.groups[0]
	}
	if typed.CreationDate != nil {
		g.created = *typed.CreationDate
	}
	if typed.LastModifiedDate != nil {
		g.modified = *typed.LastModifiedDate
	}
	if err := g.apply(obj.Attributes); err != nil {
		return "", fmt.Errorf("vtgraphtest: AddGraph: %w", err)
	}
	s.graphs[id] = g
	return id, nil
}

// validGraphID reports whether id has the form the server gives ids.
func validGraphID(id string) bool {
	return len(id) == 65 && id[0] == 'g' && isHex(id[1:], 64)
}
