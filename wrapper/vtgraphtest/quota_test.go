package vtgraphtest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// spend sends n requests with key and returns their statuses.
func spend(t *testing.T, f *fixture, key string, n int) []int {
	t.Helper()
	statuses := make([]int, n)
	for i := range statuses {
		statuses[i], _ = get(t, f.srv, key, "/domains/"+vtgraphtest.DemoDomain)
	}
	return statuses
}

func statuses(n int, status int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = status
	}
	return out
}

// quotaAnswer sends one request and returns its status, code and
// Retry-After.
func quotaAnswer(t *testing.T, f *fixture, key string) (int, string, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, f.srv.URL()+"/graphs", nil)
	require.NoError(t, err)
	req.Header.Set("x-apikey", key)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var code string
	if resp.StatusCode != http.StatusOK {
		var body [512]byte
		n, _ := resp.Body.Read(body[:])
		code = errorCode(t, body[:n])
	}
	return resp.StatusCode, code, resp.Header.Get("Retry-After")
}

func TestQuotaPerMinute(t *testing.T) {
	t.Parallel()
	f := checked(t, vtgraphtest.WithQuota(vtgraphtest.Quota{PerMinute: 4}))
	assert.Equal(t, statuses(1, http.StatusOK), spend(t, f, vtgraphtest.AliceKey, 1))
	f.clock.Advance(10 * time.Second)
	assert.Equal(t, statuses(3, http.StatusOK), spend(t, f, vtgraphtest.AliceKey, 3))

	f.clock.Advance(10 * time.Second)
	status, code, retry := quotaAnswer(t, f, vtgraphtest.AliceKey)
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.Equal(t, "QuotaExceededError", code)
	assert.Equal(t, "40", retry, "the oldest request of the minute frees its slot in 40s")

	// Every key has its own budget, whatever the route.
	assert.Equal(t, statuses(4, http.StatusOK), spend(t, f, vtgraphtest.BobKey, 4))

	f.clock.Advance(39 * time.Second)
	status, _, retry = quotaAnswer(t, f, vtgraphtest.AliceKey)
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.Equal(t, "1", retry)

	f.clock.Advance(time.Second)
	assert.Equal(t, []int{http.StatusOK, http.StatusTooManyRequests}, spend(t, f, vtgraphtest.AliceKey, 2),
		"a minute after the first request, its slot is free: the window slides, and refused requests did not count")
	status, _, retry = quotaAnswer(t, f, vtgraphtest.AliceKey)
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.Equal(t, "10", retry, "the next slot frees a minute after the second request")
}

func TestQuotaPerDay(t *testing.T) {
	t.Parallel()
	f := checked(t, vtgraphtest.WithQuota(vtgraphtest.Quota{PerMinute: 100, PerDay: 3}))
	assert.Equal(t, append(statuses(3, http.StatusOK), http.StatusTooManyRequests), spend(t, f, vtgraphtest.AliceKey, 4))

	status, code, retry := quotaAnswer(t, f, vtgraphtest.AliceKey)
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.Equal(t, "QuotaExceededError", code)
	assert.Equal(t, "43200", retry, "the clock is at noon UTC: the day's budget frees at midnight")

	f.clock.Advance(12*time.Hour - time.Second)
	assert.Equal(t, []int{http.StatusTooManyRequests}, spend(t, f, vtgraphtest.AliceKey, 1))
	f.clock.Advance(time.Second)
	assert.Equal(t, statuses(3, http.StatusOK), spend(t, f, vtgraphtest.AliceKey, 3), "a new UTC day")

	t.Run("raised at run time", func(t *testing.T) {
		require.NoError(t, f.srv.SetQuota(vtgraphtest.Quota{PerDay: 5}))
		assert.Equal(t, append(statuses(5, http.StatusOK), http.StatusTooManyRequests), spend(t, f, vtgraphtest.AliceKey, 6),
			"SetQuota counts afresh")
		require.NoError(t, f.srv.SetQuota(vtgraphtest.Quota{}))
		assert.Equal(t, statuses(10, http.StatusOK), spend(t, f, vtgraphtest.AliceKey, 10), "the zero Quota limits nothing")
		assert.ErrorContains(t, f.srv.SetQuota(vtgraphtest.Quota{PerMinute: -1}), "PerMinute: -1 is negative")
	})
}

func TestQuotaSkipsUnauthenticated(t *testing.T) {
	t.Parallel()
	f := checked(t, vtgraphtest.WithQuota(vtgraphtest.Quota{PerDay: 1}))
	status, _ := get(t, f.srv, "", "/domains/"+vtgraphtest.DemoDomain)
	assert.Equal(t, http.StatusUnauthorized, status)
	status, _ = get(t, f.srv, "unknown-key", "/domains/"+vtgraphtest.DemoDomain)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, []int{http.StatusOK, http.StatusTooManyRequests}, spend(t, f, vtgraphtest.AliceKey, 2))
}

func TestParseQuota(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want vtgraphtest.Quota
		err  string
	}{
		{in: "", want: vtgraphtest.Quota{}},
		{in: "none", want: vtgraphtest.Quota{}},
		{in: "4/min,500/day", want: vtgraphtest.Quota{PerMinute: 4, PerDay: 500}},
		{in: "1000/day", want: vtgraphtest.Quota{PerDay: 1000}},
		{in: " 30/min ", want: vtgraphtest.Quota{PerMinute: 30}},
		{in: "30", err: "want budgets such as"},
		{in: "30/hour", err: "want budgets such as"},
		{in: "0/min", err: "not a positive number"},
		{in: "x/day", err: "not a positive number"},
		{in: "1/min,2/min", err: "two budgets per min"},
	}
	for _, tt := range tests {
		got, err := vtgraphtest.ParseQuota(tt.in)
		if tt.err != "" {
			assert.ErrorContains(t, err, tt.err, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
		again, err := vtgraphtest.ParseQuota(got.String())
		require.NoError(t, err)
		assert.Equal(t, got, again, "String writes what ParseQuota reads")
	}
	assert.Equal(t, "4/min,500/day", vtgraphtest.Quota{PerMinute: 4, PerDay: 500}.String())
	_, err := vtgraphtest.Start(vtgraphtest.WithQuota(vtgraphtest.Quota{PerDay: -2}))
	assert.ErrorContains(t, err, "PerDay: -2 is negative")
}

func TestRequestCounts(t *testing.T) {
	t.Parallel()
	f := checked(t)
	before := f.srv.RequestCounts()
	assert.Empty(t, before)
	mustGet(t, f, "/domains/"+vtgraphtest.DemoDomain+"/resolutions")
	mustGet(t, f, "/domains/"+vtgraphtest.DemoDomain+"/subdomains")
	mustGet(t, f, "/ip_addresses/192.0.2.10/relationships/resolutions")
	mustGet(t, f, "/domains/"+vtgraphtest.DemoDomain)
	get(t, f.srv, "", "/domains/"+vtgraphtest.DemoDomain)
	assert.Equal(t, map[string]int{
		"GET /domains/{domain}/{relationship}":                2,
		"GET /ip_addresses/{ip}/relationships/{relationship}": 1,
		"GET /domains/{domain}":                               2,
	}, f.srv.RequestCounts(), "every request counts, answered or refused")
	counts := f.srv.RequestCounts()
	counts["GET /domains/{domain}"] = 99
	assert.Equal(t, 2, f.srv.RequestCounts()["GET /domains/{domain}"], "a copy")
}
