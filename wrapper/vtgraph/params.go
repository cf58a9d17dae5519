package vtgraph

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The checks below run before a request is built. Path parameters are
// escaped by the request builders, but escaping alone does not make every
// value safe: "." and ".." are resolved away by URL handling on either side,
// an escaped "/" (%2F) is decoded by some proxies into a path separator, and
// "%" invites double decoding. Such a value can never be a VirusTotal id, so
// it is refused rather than sent to an unintended route.

// checkGraphID reports a graph id that ValidGraphID rejects.
func checkGraphID(p *paramProblems, id string) {
	switch {
	case id == "":
		p.add("id", "empty")
	case !ValidGraphID(id):
		p.addf("id", "%s is not a graph id (g followed by 64 lowercase hex characters)", strconv.Quote(truncateValue(id)))
	}
}

// checkPathSegment reports a value that cannot be sent as one path segment
// unchanged.
func checkPathSegment(p *paramProblems, path, v string) {
	switch v {
	case "":
		p.add(path, "empty")
		return
	case ".", "..":
		p.addf(path, "must not be %q", v)
		return
	}
	if !utf8.ValidString(v) {
		p.add(path, "must be valid UTF-8")
		return
	}
	if i := strings.IndexFunc(v, unsafeInSegment); i >= 0 {
		r, _ := utf8.DecodeRuneInString(v[i:])
		p.addf(path, "must not contain %s, found in %s", strconv.QuoteRune(r), strconv.Quote(truncateValue(v)))
	}
}

// unsafeInSegment reports the runes a path segment must not hold: the URL
// delimiters, the escape character, a backslash (which some servers treat as
// a slash), whitespace and control characters.
func unsafeInSegment(r rune) bool {
	switch r {
	case '/', '?', '#', '%', '\\':
		return true
	}
	return unicode.IsSpace(r) || unicode.IsControl(r)
}

// checkPrincipalID reports a user or group id that cannot be sent.
func checkPrincipalID(p *paramProblems, path, id string) {
	checkPathSegment(p, path, id)
}

// checkRelation reports a relationship name that is neither a known
// [Relation] nor of the form of one (lowercase letters and underscores).
func checkRelation(p *paramProblems, rel Relation) {
	if rel.Known() {
		return
	}
	if rel == "" {
		p.add("relationship", "empty")
		return
	}
	for _, r := range string(rel) {
		if (r < 'a' || r > 'z') && r != '_' {
			p.addf("relationship", "%s is not a relationship name (lowercase letters and underscores)", strconv.Quote(truncateValue(string(rel))))
			return
		}
	}
}

// listOptions returns *opts, or the zero options for nil.
func listOptions(opts *ListOptions) ListOptions {
	if opts == nil {
		return ListOptions{}
	}
	return *opts
}

// pageParams converts checked ListOptions into the generated parameters'
// limit and cursor, nil when unset.
func pageParams(o ListOptions) (limit *int32, cursor *string) {
	if o.Limit != 0 {
		n := int32(o.Limit) // checked to be within 1..MaxPageSize
		limit = &n
	}
	if o.Cursor != "" {
		c := o.Cursor
		cursor = &c
	}
	return limit, cursor
}
