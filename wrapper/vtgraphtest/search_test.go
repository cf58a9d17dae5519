package vtgraphtest_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
)

const wannacryFile = "131f95c51cc819465fa1797f6ccacf9d494aaaff46fa3eac73ae63ffbdfd8267"

// corpus is a set of graphs with known dates, owners, nodes and counters.
type corpus struct {
	*fixture
	ids map[string]string // name to id
}

func newCorpus(t *testing.T) *corpus {
	t.Helper()
	f := setup(t)
	c := &corpus{fixture: f, ids: map[string]string{}}
	add := func(name string, owner *vtapi.ClientWithResponses, day time.Time, private bool, nodes ...map[string]any) {
		f.clock.Set(day)
		b, err := json.Marshal(map[string]any{"graph_data": map[string]any{"description": name}, "private": private, "nodes": nodes})
		require.NoError(t, err)
		c.ids[name] = create(t, owner, string(b))
	}
	n := func(typ, id, text string, ea map[string]any) map[string]any {
		m := map[string]any{"entity_id": id, "type": typ, "text": text}
		if ea != nil {
			m["entity_attributes"] = ea
		}
		return m
	}
	add("Wannacry campaign", f.alice, time.Date(2018, 11, 1, 10, 0, 0, 0, time.UTC), false,
		n("domain", "hooli.com", "", nil),
		n("ip_address", "1.1.1.1", "", nil),
		n("file", wannacryFile, "Kill switch", nil),
		n("relationship", "relationships_x", "", nil))
	add("Hooli investigation", f.bob, time.Date(2018, 11, 12, 23, 59, 0, 0, time.UTC), true,
		n("domain", "piedpiper.com", "", nil),
		n("actor", "funny bear", "funny bear", nil),
		n("email", "richard@piedpiper.com", "", nil))
	add("Emotet", f.carol, time.Date(2018, 11, 22, 0, 0, 0, 0, time.UTC), false,
		n("url", "d2e8f6e2c9a1", "", map[string]any{"url": "http://evil.example/x"}),
		n("victim", "richard_hendricks", "", nil),
		n("department", "engineers", "", nil))
	add("Carol's secret", f.carol, time.Date(2018, 12, 5, 0, 0, 0, 0, time.UTC), true)

	grant(t, f.bob, c.ids["Hooli investigation"], false, userRef("alice"))
	f.clock.Set(time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC))
	emotet := c.ids["Emotet"]
	for range 2 {
		resp, err := f.bob.GraphsInfoWithResponse(t.Context(), emotet, nil)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode())
	}
	body := vtapi.CommentCreateRequest{}
	body.Data.Type = "comment"
	body.Data.Attributes.Text = "#emotet again"
	resp, err := f.bob.PostGraphsCommentsWithResponse(t.Context(), emotet, body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode())
	// Modify Wannacry last, so its last_modified_date differs from its
	// creation date.
	upd, err := f.alice.GraphsUpdateWithBodyWithResponse(t.Context(), c.ids["Wannacry campaign"], "application/json",
		jsonBody(`{"data":{"type":"graph","attributes":{"representation":"tree"}}}`))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, upd.StatusCode())
	return c
}

// search returns the names of the graphs found, in order.
func (c *corpus) search(t *testing.T, user *vtapi.ClientWithResponses, p vtapi.GraphsParams) ([]string, *vtapi.GraphsHTTPResponse) {
	t.Helper()
	resp, err := user.GraphsWithResponse(t.Context(), &p)
	require.NoError(t, err)
	if resp.StatusCode() != http.StatusOK {
		return nil, resp
	}
	names := []string{}
	for _, g := range resp.JSON200.Data {
		if g.Attributes.GraphData != nil && g.Attributes.GraphData.Description != nil {
			names = append(names, *g.Attributes.GraphData.Description)
		}
	}
	return names, resp
}

func TestSearchFilters(t *testing.T) {
	t.Parallel()
	c := newCorpus(t)
	const (
		wannacry = "Wannacry campaign"
		hooli    = "Hooli investigation"
		emotet   = "Emotet"
	)
	tests := []struct {
		filter string
		want   []string
	}{
		{"", []string{wannacry, hooli, emotet}},
		{"id:" + c.ids[emotet], []string{emotet}},
		{"name:wannacry", []string{wannacry}},
		{`name:"Hooli investigation"`, []string{hooli}},
		{"owner:bob", []string{hooli}},
		{"group:threat-intel", []string{wannacry, hooli}},
		{"visible_to_user:alice", []string{wannacry, hooli}},
		{"visible_to_user:carol", []string{emotet}},
		{"visible_to_group:threat-intel", []string{wannacry, hooli}},
		{"private:true", []string{hooli}},
		{"private:false", []string{wannacry, emotet}},
		{"creation_date:2018-11-12", []string{hooli}},
		{"creation_date:2018-11-01", []string{wannacry}},
		{"creation_date:2018-11-12+", []string{hooli, emotet}},
		{"creation_date:2018-11-12-", []string{wannacry, hooli}},
		{"creation_date:2018-11-1+ creation_date:2018-11-12-", []string{wannacry, hooli}},
		{"creation_date:1541066400", []string{wannacry}},
		{"last_modified_date:2019-1-1", []string{wannacry}},
		{"last_modified_date:2018-12-31-", []string{hooli, emotet}},
		{"total_nodes:4", []string{wannacry}},
		{"total_nodes:3-", []string{hooli, emotet}},
		{"total_nodes:3+ total_nodes:3-", []string{hooli, emotet}},
		{"comments_count:1+", []string{emotet}},
		{"comments_count:0", []string{wannacry, hooli}},
		{"views_count:2", []string{emotet}},
		{"views_count:1-", []string{wannacry, hooli}},
		{`label:"Kill switch"`, []string{wannacry}},
		{"label:kill", []string{wannacry}},
		{"file:" + wannacryFile, []string{wannacry}},
		{"domain:hooli.com", []string{wannacry}},
		{"domain:HOOLI.COM", []string{wannacry}},
		{"ip_address:1.1.1.1", []string{wannacry}},
		{"url:http://evil.example/x", []string{emotet}},
		{`actor:"funny bear"`, []string{hooli}},
		{"victim:richard_hendricks", []string{emotet}},
		{"email:richard@piedpiper.com", []string{hooli}},
		{"department:engineers", []string{emotet}},
		{"domain:1.1.1.1", nil},
		{"owner:alice OR owner:bob", []string{wannacry, hooli}},
		{"owner:alice AND private:false", []string{wannacry}},
		{"owner:alice private:true", nil},
		{"NOT owner:alice", []string{hooli, emotet}},
		{"NOT private:true NOT owner:carol", []string{wannacry}},
		{"(owner:alice OR owner:carol) AND NOT private:true", []string{wannacry, emotet}},
		{"owner:bob OR owner:carol private:false", []string{hooli, emotet}},
		{"piedpiper", []string{hooli}},
		{"EMOTET", []string{emotet}},
		{`"funny bear"`, []string{hooli}},
		{"http://evil.example/x", []string{emotet}},
		{"nothing-matches-this", nil},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			t.Parallel()
			got, resp := c.search(t, c.alice, vtapi.GraphsParams{Filter: &tt.filter, Order: ptr("creation_date")})
			require.Equal(t, http.StatusOK, resp.StatusCode(), string(resp.Body))
			if tt.want == nil {
				tt.want = []string{}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestSearchOnlyShowsVisibleGraphs(t *testing.T) {
	t.Parallel()
	c := newCorpus(t)
	got, _ := c.search(t, c.carol, vtapi.GraphsParams{Filter: ptr("owner:carol"), Order: ptr("name")})
	assert.Equal(t, []string{"Carol's secret", "Emotet"}, got)
	got, _ = c.search(t, c.bob, vtapi.GraphsParams{Filter: ptr("owner:carol")})
	assert.Equal(t, []string{"Emotet"}, got)
}

func TestSearchBadFilters(t *testing.T) {
	t.Parallel()
	c := newCorpus(t)
	for _, filter := range []string{
		"private:maybe",
		"creation_date:yesterday",
		"views_count:many",
		"(owner:alice",
		"owner:alice)",
		"OR owner:alice",
		"NOT",
	} {
		t.Run(filter, func(t *testing.T) {
			t.Parallel()
			_, resp := c.search(t, c.alice, vtapi.GraphsParams{Filter: &filter})
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode())
			assert.Equal(t, "InvalidArgumentError", errorCode(t, resp.Body))
		})
	}
}

func TestSearchOrder(t *testing.T) {
	t.Parallel()
	c := newCorpus(t)
	const (
		wannacry = "Wannacry campaign"
		hooli    = "Hooli investigation"
		emotet   = "Emotet"
	)
	tests := []struct {
		order string
		want  []string
	}{
		{"", []string{emotet, hooli, wannacry}}, // newest first
		{"name", []string{emotet, hooli, wannacry}},
		{"name+", []string{emotet, hooli, wannacry}},
		{"name-", []string{wannacry, hooli, emotet}},
		{"owner-", []string{emotet, hooli, wannacry}},
		{"creation_date", []string{wannacry, hooli, emotet}},
		{"creation_date-", []string{emotet, hooli, wannacry}},
		{"last_modified_date-", []string{wannacry, emotet, hooli}},
		// Ties keep creation order, in the direction asked for.
		{"views_count-", []string{emotet, hooli, wannacry}},
		{"views_count", []string{wannacry, hooli, emotet}},
		{"comments_count-", []string{emotet, hooli, wannacry}},
	}
	for _, tt := range tests {
		t.Run(tt.order, func(t *testing.T) {
			t.Parallel()
			got, resp := c.search(t, c.alice, vtapi.GraphsParams{Order: &tt.order})
			require.Equal(t, http.StatusOK, resp.StatusCode(), string(resp.Body))
			assert.Equal(t, tt.want, got)
		})
	}
	t.Run("unknown field", func(t *testing.T) {
		t.Parallel()
		_, resp := c.search(t, c.alice, vtapi.GraphsParams{Order: ptr("colour")})
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode())
		assert.Equal(t, "InvalidArgumentError", errorCode(t, resp.Body))
	})
}

func TestSearchAttributeSelection(t *testing.T) {
	t.Parallel()
	c := newCorpus(t)
	resp, err := c.alice.GraphsWithResponse(t.Context(), &vtapi.GraphsParams{Filter: ptr("owner:alice"), Attributes: ptr("private, graph_data")})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode())
	var body struct {
		Data []struct {
			ID         string                     `json:"id"`
			Attributes map[string]json.RawMessage `json:"attributes"`
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal(resp.Body, &body))
	require.Len(t, body.Data, 1)
	var keys []string
	for k := range body.Data[0].Attributes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	assert.Equal(t, []string{"graph_data", "private"}, keys)
	assert.Equal(t, c.ids["Wannacry campaign"], body.Data[0].ID)
}
