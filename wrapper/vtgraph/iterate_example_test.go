package vtgraph_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// ExampleRepeatedCursorError lists the comments of a graph from a server
// whose second page names itself as the next one. The iterator yields both
// pages' comments, then a *RepeatedCursorError instead of ending as if the
// listing were complete; its Position, saved, resumes after the last
// comment once the server pages correctly again.
func ExampleRepeatedCursorError() {
	pages := map[string]string{
		"":   `{"data":[{"type":"comment","id":"c1","attributes":{"text":"first"}}],"meta":{"cursor":"p2"}}`,
		"p2": `{"data":[{"type":"comment","id":"c2","attributes":{"text":"second"}}],"meta":{"cursor":"p2"}}`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, pages[r.URL.Query().Get("cursor")])
	}))
	defer srv.Close()
	c, err := vtgraph.New("made-up-key", vtgraph.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	graphID := "g" + fmt.Sprintf("%064x", 7)
	for comment, err := range c.ListCommentsIter(context.Background(), graphID, nil, nil) {
		var repeated *vtgraph.RepeatedCursorError
		if errors.As(err, &repeated) {
			saved, _ := repeated.Position.MarshalText()
			fmt.Printf("incomplete; resume from %s\n", saved)
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(comment.ID, comment.Text)
	}
	// Output:
	// c1 first
	// c2 second
	// incomplete; resume from v1:1:p2
}
