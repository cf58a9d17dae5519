package vtgraphtest_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// hosting is a universe with an IP address resolving 45 domains, for
// paging.
func hosting(t *testing.T) *vtgraphtest.Universe {
	t.Helper()
	u := vtgraphtest.NewUniverse()
	var refs []vtgraphtest.Ref
	for i := range 45 {
		refs = append(refs, vtgraphtest.Ref{Type: "domain", ID: fmt.Sprintf("site-%02d.example", i)})
	}
	require.NoError(t, u.Add(vtgraphtest.Entity{
		Type: "ip_address", ID: "203.0.113.9",
		Relationships: map[string][]vtgraphtest.Ref{"resolutions": refs},
	}))
	return u
}

func TestRelationshipPaging(t *testing.T) {
	t.Parallel()
	f := checked(t, vtgraphtest.WithUniverse(hosting(t)))
	for _, route := range []string{"resolutions", "relationships/resolutions"} {
		t.Run(route, func(t *testing.T) {
			t.Parallel()
			var got []string
			var sizes []int
			path := "/ip_addresses/203.0.113.9/" + route + "?limit=20"
			for path != "" {
				page := list(t, f, path)
				sizes = append(sizes, len(page.Data))
				got = append(got, page.ids()...)
				require.NotNil(t, page.Meta.Count)
				assert.Equal(t, 45, *page.Meta.Count)
				if page.Meta.Cursor == "" {
					assert.Empty(t, page.Links.Next, "no next link on the last page")
					break
				}
				next, err := url.Parse(page.Links.Next)
				require.NoError(t, err)
				assert.Equal(t, page.Meta.Cursor, next.Query().Get("cursor"))
				assert.Equal(t, "20", next.Query().Get("limit"))
				path = strings.TrimPrefix(page.Links.Next, f.srv.URL())
			}
			assert.Equal(t, []int{20, 20, 5}, sizes)
			require.Len(t, got, 45)
			assert.Equal(t, "resolution:203.0.113.9site-00.example", got[0], "in the order given")
			assert.Equal(t, "resolution:203.0.113.9site-44.example", got[44])
		})
	}
	t.Run("default page size", func(t *testing.T) {
		t.Parallel()
		page := list(t, f, "/ip_addresses/203.0.113.9/resolutions")
		assert.Len(t, page.Data, 10)
		assert.NotEmpty(t, page.Meta.Cursor)
	})
	t.Run("limits", func(t *testing.T) {
		t.Parallel()
		// Requests the spec refuses, so sent to a server without the check.
		unchecked := setup(t, vtgraphtest.WithUniverse(hosting(t)))
		for _, limit := range []int{41, 0, -1} {
			status, body := get(t, unchecked.srv, vtgraphtest.AliceKey, fmt.Sprintf("/ip_addresses/203.0.113.9/resolutions?limit=%d", limit))
			assert.Equal(t, http.StatusBadRequest, status, "limit %d", limit)
			assert.Equal(t, "InvalidArgumentError", errorCode(t, body))
		}
		page := list(t, f, "/ip_addresses/203.0.113.9/relationships/resolutions?limit=40")
		assert.Len(t, page.Data, 40)
	})
	t.Run("invalid cursor", func(t *testing.T) {
		t.Parallel()
		status, body := get(t, f.srv, vtgraphtest.AliceKey, "/ip_addresses/203.0.113.9/resolutions?cursor=%21%21")
		assert.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "InvalidArgumentError", errorCode(t, body))
	})
}

func TestEntityRoutes(t *testing.T) {
	t.Parallel()
	f := checked(t)
	tests := []struct {
		name, path string
		key        string
		status     int
		code       string
	}{
		{"unknown file", "/files/" + sha256A, vtgraphtest.AliceKey, http.StatusNotFound, "NotFoundError"},
		{"unknown domain", "/domains/nowhere.example", vtgraphtest.AliceKey, http.StatusNotFound, "NotFoundError"},
		{"unknown IP address", "/ip_addresses/192.0.2.254", vtgraphtest.AliceKey, http.StatusNotFound, "NotFoundError"},
		{"unknown URL", "/urls/aHR0cDovL25vd2hlcmUuZXhhbXBsZS8", vtgraphtest.AliceKey, http.StatusNotFound, "NotFoundError"},
		{"relationships of an unknown entity", "/domains/nowhere.example/resolutions", vtgraphtest.AliceKey, http.StatusNotFound, "NotFoundError"},
		{"relationship the type does not have", "/domains/" + vtgraphtest.DemoDomain + "/contacted_ips", vtgraphtest.AliceKey, http.StatusBadRequest, "InvalidArgumentError"},
		{"inline relationship the type does not have", "/domains/" + vtgraphtest.DemoDomain + "?relationships=resolutions,dropped_files", vtgraphtest.AliceKey, http.StatusBadRequest, "InvalidArgumentError"},
		{"premium relationship, public key", "/domains/" + vtgraphtest.DemoDomain + "/urls", vtgraphtest.CarolKey, http.StatusForbidden, "ForbiddenError"},
		{"premium descriptors, public key", "/files/" + vtgraphtest.DemoDropper + "/relationships/itw_urls", vtgraphtest.CarolKey, http.StatusForbidden, "ForbiddenError"},
		{"premium inline, public key", "/domains/" + vtgraphtest.DemoDomain + "?relationships=urls", vtgraphtest.CarolKey, http.StatusForbidden, "ForbiddenError"},
		{"premium relationship, premium key", "/domains/" + vtgraphtest.DemoDomain + "/urls", vtgraphtest.BobKey, http.StatusOK, ""},
		{"public relationship, public key", "/domains/" + vtgraphtest.DemoDomain + "/resolutions", vtgraphtest.CarolKey, http.StatusOK, ""},
		{"relationship without entities", "/domains/" + vtgraphtest.DemoDomain + "/historical_whois", vtgraphtest.AliceKey, http.StatusOK, ""},
		{"no key", "/domains/" + vtgraphtest.DemoDomain, "", http.StatusUnauthorized, "AuthenticationRequiredError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			status, body := get(t, f.srv, tt.key, tt.path)
			require.Equal(t, tt.status, status, string(body))
			if tt.code != "" {
				assert.Equal(t, tt.code, errorCode(t, body))
			}
		})
	}
}

func TestSingleRelationships(t *testing.T) {
	t.Parallel()
	f := checked(t)
	login := "/urls/" + base64URL("https://acme-login.example/login")
	var one struct {
		Data *struct {
			Type, ID   string
			Attributes map[string]json.RawMessage
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal(mustGet(t, f, login+"/last_serving_ip_address"), &one))
	require.NotNil(t, one.Data, "one object, not a list")
	assert.Equal(t, "ip_address", one.Data.Type)
	assert.Equal(t, "192.0.2.10", one.Data.ID)
	assert.JSONEq(t, `"NL"`, string(one.Data.Attributes["country"]))

	require.NoError(t, json.Unmarshal(mustGet(t, f, "/domains/"+vtgraphtest.DemoDomain+"/relationships/parent"), &one))
	assert.Nil(t, one.Data, "a domain without a parent answers null")
}

func base64URL(u string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(u))
}

func TestResolutions(t *testing.T) {
	t.Parallel()
	f := checked(t)
	page := list(t, f, "/domains/"+vtgraphtest.DemoDomain+"/resolutions")
	require.Equal(t, []string{"resolution:192.0.2.10acme-login.example", "resolution:2001:db8::10acme-login.example"}, page.ids())
	attrs := page.Data[0].Attributes
	assert.JSONEq(t, `"192.0.2.10"`, string(attrs["ip_address"]))
	assert.JSONEq(t, `"acme-login.example"`, string(attrs["host_name"]))
	assert.Contains(t, attrs, "ip_address_last_analysis_stats")
	assert.Contains(t, attrs, "host_name_last_analysis_stats")

	back := list(t, f, "/ip_addresses/192.0.2.10/relationships/resolutions")
	assert.Contains(t, back.ids(), "resolution:192.0.2.10acme-login.example", "the same resolution from the other end")
}

func TestInlineRelationships(t *testing.T) {
	t.Parallel()
	f := checked(t)
	resp, err := f.alice.GetIpAddressWithResponse(t.Context(), vtgraphtest.DemoParkingIP,
		&vtapi.GetIpAddressParams{Relationships: ptr("resolutions,communicating_files,urls")})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode(), string(resp.Body))
	rels := *resp.JSON200.Data.Relationships
	require.Len(t, rels, 3)

	res := rels["resolutions"]
	first, err := res.Data.AsObjectRelationshipData1()
	require.NoError(t, err)
	assert.Len(t, first, 10, "the first page of descriptors")
	require.NotNil(t, res.Meta)
	require.NotNil(t, res.Links.Next)
	assert.Contains(t, *res.Links.Self, "/ip_addresses/203.0.113.5/relationships/resolutions")
	assert.Contains(t, *res.Links.Related, "/ip_addresses/203.0.113.5/resolutions")

	// The cursor carries on where the inline page stopped.
	rest := list(t, f, strings.TrimPrefix(*res.Links.Next, f.srv.URL()))
	assert.Len(t, rest.Data, 3)
	assert.Empty(t, rest.Meta.Cursor)
	var all []string
	for _, d := range first {
		all = append(all, d.Type+":"+d.Id)
	}
	all = append(all, rest.ids()...)
	assert.Equal(t, list(t, f, "/ip_addresses/203.0.113.5/relationships/resolutions?limit=40").ids(), all)

	empty, err := rels["communicating_files"].Data.AsObjectRelationshipData1()
	require.NoError(t, err)
	assert.Empty(t, empty, "an empty relationship says so in the same request")
	assert.Nil(t, rels["communicating_files"].Meta)

	t.Run("single", func(t *testing.T) {
		resp, err := f.alice.GetDomainWithResponse(t.Context(), "cdn."+vtgraphtest.DemoDomain, &vtapi.GetDomainParams{Relationships: ptr("parent")})
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode(), string(resp.Body))
		parent, err := (*resp.JSON200.Data.Relationships)["parent"].Data.AsObjectDescriptor()
		require.NoError(t, err)
		assert.Equal(t, vtgraphtest.DemoDomain, parent.Id)
	})
}

func TestGraphOwnerAndGroup(t *testing.T) {
	t.Parallel()
	f := checked(t)
	id := create(t, f.alice, named("owned", false))
	owner, err := f.bob.GraphsOwnerWithResponse(t.Context(), id)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, owner.StatusCode(), string(owner.Body))
	assert.Equal(t, "alice", owner.JSON200.Data.Id)
	assert.Equal(t, vtapi.UserOrGroupType("user"), owner.JSON200.Data.Type)

	group, err := f.bob.GraphsGroupWithResponse(t.Context(), id)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, group.StatusCode())
	g, err := group.JSON200.Data.AsUserOrGroup()
	require.NoError(t, err)
	assert.Equal(t, vtgraphtest.DefaultGroup, g.Id)

	lonely := create(t, f.carol, named("no group", false))
	none, err := f.alice.GraphsGroupWithResponse(t.Context(), lonely)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, none.StatusCode())
	assert.JSONEq(t, `null`, string(mustField(t, none.Body, "data")))

	private := create(t, f.alice, named("private", true))
	hidden, err := f.carol.GraphsOwnerWithResponse(t.Context(), private)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, hidden.StatusCode(), "a private graph is invisible")
}

func mustField(t *testing.T, body []byte, key string) json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(body, &m))
	v, ok := m[key]
	require.True(t, ok, "no %s in %s", key, body)
	return v
}

func TestSetPremium(t *testing.T) {
	t.Parallel()
	f := checked(t)
	path := "/domains/" + vtgraphtest.DemoDomain + "/urls"
	require.NoError(t, f.srv.SetPremium("carol", true))
	status, _ := get(t, f.srv, vtgraphtest.CarolKey, path)
	assert.Equal(t, http.StatusOK, status)
	require.NoError(t, f.srv.SetPremium("alice", false))
	status, _ = get(t, f.srv, vtgraphtest.AliceKey, path)
	assert.Equal(t, http.StatusForbidden, status)
	assert.ErrorContains(t, f.srv.SetPremium("mallory", true), "no user")
}
