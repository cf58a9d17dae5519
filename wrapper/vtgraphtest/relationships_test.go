package vtgraphtest_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
)

type ref struct{ Type, ID string }

// related fetches a relationship both ways, checks the descriptors match the
// objects, and returns the objects as refs; single is nil-able.
func related(t *testing.T, c *vtapi.ClientWithResponses, id, rel string, limit *int32) (single *ref, list []ref, objects []byte) {
	t.Helper()
	objs, err := c.GraphsRelationshipsWithResponse(t.Context(), id, rel, &vtapi.GraphsRelationshipsParams{Limit: limit})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, objs.StatusCode(), string(objs.Body))
	descs, err := c.GraphsRelationshipsIdsWithResponse(t.Context(), id, rel, &vtapi.GraphsRelationshipsIdsParams{Limit: limit})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, descs.StatusCode(), string(descs.Body))

	var o, d struct {
		Data json.RawMessage `json:"data"`
	}
	require.NoError(t, json.Unmarshal(objs.Body, &o))
	require.NoError(t, json.Unmarshal(descs.Body, &d))
	if len(o.Data) > 0 && o.Data[0] == '[' {
		var os, ds []struct {
			Type       string         `json:"type"`
			ID         string         `json:"id"`
			Attributes map[string]any `json:"attributes"`
		}
		require.NoError(t, json.Unmarshal(o.Data, &os))
		require.NoError(t, json.Unmarshal(d.Data, &ds))
		require.Len(t, ds, len(os))
		for i := range os {
			assert.Equal(t, ref{os[i].Type, os[i].ID}, ref{ds[i].Type, ds[i].ID})
			// /relationships/viewers and /relationships/editors are the ACL
			// lists, which the spec gives full user objects.
			if rel != "viewers" && rel != "editors" {
				assert.Nil(t, ds[i].Attributes, "descriptors carry no attributes")
			}
			list = append(list, ref{os[i].Type, os[i].ID})
		}
		return nil, list, objs.Body
	}
	if string(o.Data) == "null" {
		assert.JSONEq(t, "null", string(d.Data))
		return nil, nil, objs.Body
	}
	obj, err := objs.JSON200.Data.AsObject()
	require.NoError(t, err)
	desc, err := descs.JSON200.Data.AsObjectDescriptor()
	require.NoError(t, err)
	assert.Equal(t, ref{obj.Type, obj.Id}, ref{desc.Type, desc.Id})
	return &ref{obj.Type, obj.Id}, nil, objs.Body
}

func TestRelationships(t *testing.T) {
	t.Parallel()
	f := setup(t)
	id := create(t, f.alice, investigation)
	grant(t, f.alice, id, false, userRef("carol"), groupRef("threat-intel"))
	grant(t, f.alice, id, true, userRef("bob"))
	for _, text := range []string{"first", "second"} {
		resp, err := f.bob.PostGraphsCommentsWithResponse(t.Context(), id, comment(text))
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode())
	}
	orphan := create(t, f.carol, named("carol has no group", false))

	t.Run("owner", func(t *testing.T) {
		t.Parallel()
		one, _, body := related(t, f.carol, id, "owner", nil)
		assert.Equal(t, &ref{"user", "alice"}, one)
		assert.Contains(t, string(body), `"first_name":"Alice"`)
		assert.Contains(t, string(body), f.srv.URL()+"/users/alice")
	})
	t.Run("group", func(t *testing.T) {
		t.Parallel()
		one, _, _ := related(t, f.carol, id, "group", nil)
		assert.Equal(t, &ref{"group", "threat-intel"}, one)
		one, list, body := related(t, f.carol, orphan, "group", nil)
		assert.Nil(t, one)
		assert.Nil(t, list)
		assert.Contains(t, string(body), `"data":null`)
	})
	t.Run("items", func(t *testing.T) {
		t.Parallel()
		_, list, body := related(t, f.carol, id, "items", nil)
		assert.Equal(t, []ref{{"domain", "www.hooli.com"}, {"ip_address", "8.8.8.8"}}, list, "relationship nodes are not items")
		assert.Contains(t, string(body), "12345678901234567890", "entity attributes keep their digits")
		assert.Contains(t, string(body), f.srv.URL()+"/ip_addresses/8.8.8.8")

		_, first, _ := related(t, f.carol, id, "items", ptr(int32(1)))
		assert.Equal(t, []ref{{"domain", "www.hooli.com"}}, first)
	})
	t.Run("comments", func(t *testing.T) {
		t.Parallel()
		_, list, _ := related(t, f.carol, id, "comments", nil)
		assert.Equal(t, []ref{{"comment", id + "-2"}, {"comment", id + "-1"}}, list)
	})
	t.Run("viewers", func(t *testing.T) {
		t.Parallel()
		_, list, _ := related(t, f.carol, id, "viewers", nil)
		assert.Equal(t, []ref{{"user", "carol"}, {"group", "threat-intel"}}, list)
	})
	t.Run("editors", func(t *testing.T) {
		t.Parallel()
		objs, err := f.carol.GraphsRelationshipsWithResponse(t.Context(), id, "editors", nil)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, objs.StatusCode())
		list, err := objs.JSON200.Data.AsRelatedObjectsResponseData1()
		require.NoError(t, err)
		require.Len(t, list, 1)
		assert.Equal(t, "bob", list[0].Id)
	})
	t.Run("unknown", func(t *testing.T) {
		t.Parallel()
		objs, err := f.carol.GraphsRelationshipsWithResponse(t.Context(), id, "siblings", nil)
		require.NoError(t, err)
		assert.Equal(t, http.StatusNotFound, objs.StatusCode())
		assert.Equal(t, "NotFoundError", errorCode(t, objs.Body))
		descs, err := f.carol.GraphsRelationshipsIdsWithResponse(t.Context(), id, "siblings", nil)
		require.NoError(t, err)
		assert.Equal(t, http.StatusNotFound, descs.StatusCode())
	})
}

func TestRelationshipPagination(t *testing.T) {
	t.Parallel()
	f := setup(t)
	nodes := "["
	for i := range 45 {
		if i > 0 {
			nodes += ","
		}
		nodes += `{"entity_id":"host` + string(rune('a'+i%26)) + string(rune('a'+i/26)) + `.example","type":"domain"}`
	}
	id := create(t, f.alice, `{"nodes":`+nodes+`]}`)
	var all []string
	var cursor *string
	for {
		resp, err := f.alice.GraphsRelationshipsIdsWithResponse(t.Context(), id, "items", &vtapi.GraphsRelationshipsIdsParams{Limit: ptr(int32(40)), Cursor: cursor})
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode())
		page, err := resp.JSON200.Data.AsRelatedDescriptorsResponseData1()
		require.NoError(t, err)
		for _, d := range page {
			all = append(all, d.Id)
		}
		if cursor = resp.JSON200.Meta.Cursor; cursor == nil {
			break
		}
	}
	assert.Len(t, all, 45)
	assert.Equal(t, "hostaa.example", all[0])
}
