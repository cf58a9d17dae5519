package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// relatedPageSize is the largest page of a relationship, the one an
// expansion asks for.
const relatedPageSize = 40

// relatedPageBody is one full page of a domain's communicating files, each
// with the attributes VirusTotal sends for a file (hashes, names, type,
// dates, analysis stats and a few more), as an expansion reads it.
func relatedPageBody() []byte {
	var b strings.Builder
	b.WriteString(`{"data":[`)
	for i := range relatedPageSize {
		if i > 0 {
			b.WriteByte(',')
		}
		sha := fmt.Sprintf("%064x", i+1)
		fmt.Fprintf(&b, `{"type":"file","id":"%s","links":{"self":"https://www.virustotal.com/api/v3/files/%s"},`+
			`"attributes":{"sha256":"%s","sha1":"%040x","md5":"%032x","size":%d,"type_tag":"peexe",`+
			`"type_description":"Win32 EXE","meaningful_name":"sample-%d.exe","names":["sample-%d.exe","update.exe"],`+
			`"tags":["peexe","overlay"],"reputation":-%d,"times_submitted":%d,`+
			`"first_submission_date":17364672%02d,"last_submission_date":17381952%02d,"last_analysis_date":17381952%02d,`+
			`"last_modification_date":17382816%02d,`+
			`"last_analysis_stats":{"harmless":0,"malicious":%d,"suspicious":1,"undetected":14,"timeout":0,"type-unsupported":4,"failure":0,"confirmed-timeout":0},`+
			`"total_votes":{"harmless":0,"malicious":3},"pe_info":{"imphash":"%032x","entry_point":4096},"magic":"PE32 executable"}}`,
			sha, sha, sha, i+1, i+1, 100000+i, i, i, i, 2+i%5, i, i, i, i, 20+i, i+7)
	}
	fmt.Fprintf(&b, `],"meta":{"count":%d,"cursor":"Cu8BChEKBGRhdGUSCQjA1"},"links":{"self":"s","next":"n"}}`, relatedPageSize*3)
	return []byte(b.String())
}

// BenchmarkListEntityRelated fetches one full page of related files from a
// loopback server, through the client (every object decoded into an
// *Entity and then its typed *File, as an expansion does) and through the
// code a user would write instead: net/http and encoding/json into structs
// with the same typed fields and the attributes kept raw.
func BenchmarkListEntityRelated(b *testing.B) {
	body := relatedPageBody()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	ctx := context.Background()
	domain := vtgraph.EntityRef{Type: vtgraph.NodeTypeDomain, ID: "acme.example"}

	b.Run("impl=client", func(b *testing.B) {
		c, err := vtgraph.New("bench-key", vtgraph.WithBaseURL(srv.URL), vtgraph.WithoutRetries())
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			page, err := c.ListEntityRelated(ctx, domain, vtgraph.DomainCommunicatingFiles, &vtgraph.ListOptions{Limit: relatedPageSize})
			if err != nil {
				b.Fatal(err)
			}
			for _, e := range page.Items {
				if _, err := e.AsFile(); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("impl=raw", func(b *testing.B) {
		hc := &http.Client{}
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := rawListRelated(ctx, hc, srv.URL, "bench-key", "acme.example", "communicating_files"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// plainEntityPage is what a user decoding a page of files would write, with
// the attributes left raw for a second pass into the typed fields and into
// a map that keeps every attribute, as the client keeps them.
type plainEntityPage struct {
	Data []struct {
		Type  string `json:"type"`
		ID    string `json:"id"`
		Links struct {
			Self string `json:"self"`
		} `json:"links"`
		Attributes        json.RawMessage            `json:"attributes"`
		ContextAttributes map[string]json.RawMessage `json:"context_attributes"`
	} `json:"data"`
	Meta struct {
		Cursor string `json:"cursor"`
		Count  int    `json:"count"`
	} `json:"meta"`
}

type plainFileAttributes struct {
	SHA256              string   `json:"sha256"`
	SHA1                string   `json:"sha1"`
	MD5                 string   `json:"md5"`
	Size                int64    `json:"size"`
	TypeTag             string   `json:"type_tag"`
	TypeDescription     string   `json:"type_description"`
	MeaningfulName      string   `json:"meaningful_name"`
	Names               []string `json:"names"`
	Tags                []string `json:"tags"`
	Reputation          int64    `json:"reputation"`
	TimesSubmitted      int64    `json:"times_submitted"`
	FirstSubmissionDate int64    `json:"first_submission_date"`
	LastSubmissionDate  int64    `json:"last_submission_date"`
	LastAnalysisDate    int64    `json:"last_analysis_date"`
	LastModification    int64    `json:"last_modification_date"`
	LastAnalysisStats   *struct {
		Harmless, Malicious, Suspicious, Undetected, Timeout int64
	} `json:"last_analysis_stats"`
	TotalVotes *struct{ Harmless, Malicious int64 } `json:"total_votes"`
	// All keeps every attribute, as the client does.
	All map[string]json.RawMessage `json:"-"`
}

// rawListRelated is GET /domains/{domain}/{relationship} written with the
// standard library alone: the page, then the typed attributes of each file.
func rawListRelated(ctx context.Context, hc *http.Client, baseURL, key, domain, rel string) ([]plainFileAttributes, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/domains/"+domain+"/"+rel+"?limit=40", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("x-apikey", key)
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /domains/%s/%s: %s", domain, rel, resp.Status)
	}
	var page plainEntityPage
	if err := json.Unmarshal(data, &page); err != nil {
		return nil, err
	}
	files := make([]plainFileAttributes, len(page.Data))
	for i, o := range page.Data {
		if err := json.Unmarshal(o.Attributes, &files[i]); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(o.Attributes, &files[i].All); err != nil {
			return nil, err
		}
	}
	return files, nil
}
