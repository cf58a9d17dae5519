package vtgraph

import "testing"

// TestQuotes checks the quoting of DOT and Mermaid strings, on the fast
// path for strings with nothing to escape and on the slow one.
func TestQuotes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, dot, mermaid string
	}{
		{"hooli.com", `"hooli.com"`, `"hooli.com"`},
		{"Grüße, 名前", `"Grüße, 名前"`, `"Grüße, 名前"`},
		{`say "hi"`, `"say \"hi\""`, `"say #quot;hi#quot;"`},
		{`C:\temp`, `"C:\\temp"`, `"C:\temp"`},
		{"two\nlines\r", `"two\nlines"`, `"two<br>lines"`},
		{"#1 <a|b> & `c`", `"#1 <a|b> & ` + "`c`" + `"`, `"#35;1 #lt;a#124;b#gt; #amp; #96;c#96;"`},
		{"bad \xff byte", "\"bad \uFFFD byte\"", "\"bad \uFFFD byte\""},
		{"", `""`, `""`},
	} {
		if got := dotQuote(tc.in); got != tc.dot {
			t.Errorf("dotQuote(%q) = %s, want %s", tc.in, got, tc.dot)
		}
		if got := mermaidQuote(tc.in); got != tc.mermaid {
			t.Errorf("mermaidQuote(%q) = %s, want %s", tc.in, got, tc.mermaid)
		}
	}
}
