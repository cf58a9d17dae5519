package vtgraphtest

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
)

// The demo users' API keys. They are fake and only open this server.
const (
	AliceKey = "alice-test-key"
	BobKey   = "bob-test-key"
	CarolKey = "carol-test-key"
)

// DefaultGroup is the group the demo users alice and bob belong to; carol
// belongs to none.
const DefaultGroup = "threat-intel"

// defaultUsers are the demo users; carol's key is a public API key, the
// others premium ones (see Server.SetPremium).
var defaultUsers = []userSpec{
	{id: "alice", key: AliceKey, groups: []string{DefaultGroup}},
	{id: "bob", key: BobKey, groups: []string{DefaultGroup}},
	{id: "carol", key: CarolKey, public: true},
}

// user is immutable once stored: AddUser replaces it, so a request that
// authenticated with an older version keeps a consistent view.
type user struct {
	id     string
	key    string
	groups []string
	since  int64
}

func (u *user) inGroup(id string) bool {
	return slices.Contains(u.groups, id)
}

type group struct {
	id    string
	since int64
}

// Principal kinds, as in the API's {"type": "user"|"group"} descriptors.
const (
	kindUser  = "user"
	kindGroup = "group"
)

// AddUser adds a user, or replaces the one with the same id, with an API key
// and the groups it belongs to; missing groups are created. Users and groups
// share one namespace, as the ACL endpoints take a user_or_group_id, so an id
// already used by a group is refused, as is a key used by another user.
func (s *Server) AddUser(id, apiKey string, groups ...string) error {
	if id == "" || apiKey == "" {
		return errors.New("vtgraphtest: AddUser: empty id or API key")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.groups[id]; ok {
		return fmt.Errorf("vtgraphtest: AddUser: %q is a group", id)
	}
	if other, ok := s.keys[apiKey]; ok && other.id != id {
		return fmt.Errorf("vtgraphtest: AddUser: the key of %q is already used", id)
	}
	for _, g := range groups {
		if _, ok := s.users[g]; ok || g == id || g == "" {
			return fmt.Errorf("vtgraphtest: AddUser: %q cannot be a group", g)
		}
	}
	now := s.now().Unix()
	for _, g := range groups {
		if _, ok := s.groups[g]; !ok {
			s.groups[g] = &group{id: g, since: now}
		}
	}
	u := &user{id: id, key: apiKey, groups: slices.Clone(groups), since: now}
	if old, ok := s.users[id]; ok {
		delete(s.keys, old.key)
		u.since = old.since
	}
	s.users[id] = u
	s.keys[apiKey] = u
	return nil
}

// AddGroup adds an empty group, unless it exists. Its id must not be a user's.
func (s *Server) AddGroup(id string) error {
	if id == "" {
		return errors.New("vtgraphtest: AddGroup: empty id")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[id]; ok {
		return fmt.Errorf("vtgraphtest: AddGroup: %q is a user", id)
	}
	if _, ok := s.groups[id]; !ok {
		s.groups[id] = &group{id: id, since: s.now().Unix()}
	}
	return nil
}

// principalExists reports whether a user or group of that kind exists.
// Callers hold s.mu.
func (s *Server) principalExists(kind, id string) bool {
	switch kind {
	case kindUser:
		_, ok := s.users[id]
		return ok
	case kindGroup:
		_, ok := s.groups[id]
		return ok
	}
	return false
}

// principalKind tells whether an id names a user or a group, for the ACL
// routes that only carry an id. Callers hold s.mu.
func (s *Server) principalKind(id string) (string, bool) {
	if _, ok := s.users[id]; ok {
		return kindUser, true
	}
	if _, ok := s.groups[id]; ok {
		return kindGroup, true
	}
	return "", false
}

// userObject renders a user or group the way the owner, group, viewers and
// editors relationships return it. Callers hold s.mu.
func (s *Server) userObject(kind, id, base string) vtapi.UserOrGroup {
	self := base + "/" + kind + "s/" + id
	o := vtapi.UserOrGroup{Type: vtapi.UserOrGroupType(kind), Id: id, Links: &vtapi.ObjectLinks{Self: &self}}
	switch kind {
	case kindUser:
		first := strings.ToUpper(id[:1]) + id[1:]
		last, status := "Example", "active"
		var reputation, since int64
		if u, ok := s.users[id]; ok {
			since = u.since
		}
		o.Attributes = &vtapi.UserOrGroup_Attributes{
			FirstName: &first, LastName: &last, Status: &status,
			Reputation: &reputation, UserSince: &since,
		}
	case kindGroup:
		if g, ok := s.groups[id]; ok {
			o.Attributes = &vtapi.UserOrGroup_Attributes{AdditionalProperties: map[string]any{"creation_date": g.since}}
		}
	}
	return o
}
