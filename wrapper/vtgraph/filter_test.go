package vtgraph

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func utcDay(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// TestFilterDocExamples builds every example of the search endpoint's
// modifier tables and curl samples. Where the output differs from the
// documentation's text, the case says why.
func TestFilterDocExamples(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		filter Filter
		want   string
	}{
		{"id", FilterID("g675a2fd4c8834e288afd71bbbe88f78884e7d21a8c9348b5ab45cc9281cffc3c"), "id:g675a2fd4c8834e288afd71bbbe88f78884e7d21a8c9348b5ab45cc9281cffc3c"},
		{"name", FilterName("Wannacry"), "name:Wannacry"},
		{"owner", FilterOwner("richard_hendricks"), "owner:richard_hendricks"},
		{"group", FilterGroup("piedpiper"), "group:piedpiper"},
		{"visible_to_user", FilterVisibleToUser("richard_hendricks"), "visible_to_user:richard_hendricks"},
		{"visible_to_group", FilterVisibleToGroup("piedpiper"), "visible_to_group:piedpiper"},
		{"private true", FilterPrivate(true), "private:true"},
		{"private false", FilterPrivate(false), "private:false"},
		{"creation_date as documented", FilterModifier("creation_date", "2018-11-1"), "creation_date:2018-11-1"},
		{"creation_date from a time, zero-padded", FilterCreationDate(utcDay(2018, 11, 1), CmpEqual), "creation_date:2018-11-01"},
		{"last_modified_date", FilterLastModifiedDate(utcDay(2018, 11, 12), CmpEqual), "last_modified_date:2018-11-12"},
		{"total_nodes", FilterTotalNodes(100, CmpEqual), "total_nodes:100"},
		{"comments_count", FilterCommentsCount(10, CmpGreater), "comments_count:10+"},
		{"views_count", FilterViewsCount(1000, CmpGreater), "views_count:1000+"},
		// The table shows label:Kill switch, which would search for the label
		// "Kill" and the free word "switch".
		{"label with a space is quoted", FilterLabel("Kill switch"), `label:"Kill switch"`},
		{"file", FilterFile("131f95c51cc819465fa1797f6ccacf9d494aaaff46fa3eac73ae63ffbdfd8267"), "file:131f95c51cc819465fa1797f6ccacf9d494aaaff46fa3eac73ae63ffbdfd8267"},
		{"domain", FilterDomain("piedpiper.com"), "domain:piedpiper.com"},
		{"ip_address", FilterIPAddress("1.1.1.1"), "ip_address:1.1.1.1"},
		// The table's url example is empty; a URL holds a colon, so it is quoted.
		{"url", FilterURL("http://piedpiper.com/"), `url:"http://piedpiper.com/"`},
		{"actor with a space is quoted", FilterActor("funny bear"), `actor:"funny bear"`},
		{"victim", FilterVictim("richard_hendricks"), "victim:richard_hendricks"},
		// The table renders the address as a mailto link.
		{"email", FilterEmail("richard@piedpiper.com"), "email:richard@piedpiper.com"},
		{"department", FilterDepartment("engineers"), "department:engineers"},
		{
			"range as documented",
			FilterAnd(FilterModifier("creation_date", "2018-11-1+"), FilterModifier("creation_date", "2018-11-12-")),
			"creation_date:2018-11-1+ creation_date:2018-11-12-",
		},
		{
			"range from times",
			FilterAnd(FilterCreationDate(utcDay(2018, 11, 1), CmpGreater), FilterCreationDate(utcDay(2018, 11, 12), CmpLess)),
			"creation_date:2018-11-01+ creation_date:2018-11-12-",
		},
		{"curl filter by user", FilterOwner("bbunny"), "owner:bbunny"},
		{"curl filter by domain", FilterDomain("hooli.com"), "domain:hooli.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.filter.Build()
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			if got != tt.want {
				t.Errorf("Build = %s, want %s", got, tt.want)
			}
			if s := tt.filter.String(); s != got {
				t.Errorf("String = %s, Build = %s", s, got)
			}
		})
	}
}

func TestFilterCombinations(t *testing.T) {
	t.Parallel()
	owner, priv := FilterOwner("bbunny"), FilterPrivate(true)
	tests := []struct {
		name   string
		filter Filter
		want   string
	}{
		{"zero filter", Filter{}, ""},
		{"and", FilterAnd(owner, priv), "owner:bbunny private:true"},
		{"or", FilterOr(owner, FilterGroup("hooli")), "owner:bbunny OR group:hooli"},
		{"not", FilterNot(priv), "NOT private:true"},
		{"not of a combination", FilterNot(FilterOr(owner, priv)), "NOT (owner:bbunny OR private:true)"},
		{"not of not", FilterNot(FilterNot(priv)), "NOT (NOT private:true)"},
		{"or inside and", FilterAnd(FilterOr(owner, FilterOwner("dduck")), priv), "(owner:bbunny OR owner:dduck) private:true"},
		{"and inside or", FilterOr(FilterAnd(owner, priv), FilterDomain("hooli.com")), "(owner:bbunny private:true) OR domain:hooli.com"},
		{"and inside and is flat", FilterAnd(FilterAnd(owner, priv), FilterDomain("hooli.com")), "owner:bbunny private:true domain:hooli.com"},
		{"not inside and", FilterAnd(owner, FilterNot(priv)), "owner:bbunny NOT private:true"},
		{"empty operands are left out", FilterAnd(Filter{}, owner, FilterRaw("  "), FilterOr()), "owner:bbunny"},
		{"a lone operand keeps its own binding", FilterOr(FilterAnd(Filter{}, FilterOr(owner, priv)), FilterDomain("x.com")), "owner:bbunny OR private:true OR domain:x.com"},
		{"empty and", FilterAnd(), ""},
		{"free text word", FilterText("wannacry"), "wannacry"},
		{"free text phrase", FilterText("kill switch"), `"kill switch"`},
		{"free text operator word", FilterText("or"), `"or"`},
		{"free text leading minus", FilterText("-x"), `"-x"`},
		{"free text like a modifier", FilterText("owner:bbunny"), `"owner:bbunny"`},
		{"free text with modifier", FilterAnd(FilterText("ransom"), owner), "ransom owner:bbunny"},
		{"quote and backslash escaped", FilterName(`say "hi" \o/`), `name:"say \"hi\" \\o/"`},
		{"parenthesis quoted", FilterName("a(b)"), `name:"a(b)"`},
		{"unicode kept", FilterName("Zürich-Ω"), "name:Zürich-Ω"},
		{"non-breaking space quoted", FilterName("a\u00a0b"), "name:\"a\u00a0b\""},
		{"raw verbatim", FilterRaw("owner:bbunny"), "owner:bbunny"},
		{"raw of several words in parentheses when combined", FilterOr(FilterRaw("a b"), priv), "(a b) OR private:true"},
		{"raw alone unchanged", FilterRaw("a OR b"), "a OR b"},
		{"modifier", FilterModifier("threat_actor", "APT 28"), `threat_actor:"APT 28"`},
		{"less than", FilterTotalNodes(5, CmpLess), "total_nodes:5-"},
		{"date keeps its own day", FilterLastModifiedDate(time.Date(2020, 1, 2, 23, 0, 0, 0, time.FixedZone("X", -5*3600)), CmpEqual), "last_modified_date:2020-01-02"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.filter.Build()
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			if got != tt.want {
				t.Errorf("Build = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestFilterOperandsAreCopied(t *testing.T) {
	t.Parallel()
	ops := []Filter{FilterOwner("a"), FilterOwner("b")}
	f := FilterOr(ops...)
	ops[0] = FilterOwner("changed")
	if got := f.String(); got != "owner:a OR owner:b" {
		t.Errorf("String = %s after changing the caller's slice", got)
	}
}

func TestFilterInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		filter    Filter
		wantPaths []string
	}{
		{"empty value", FilterOwner(""), []string{"filter.owner"}},
		{"blank value", FilterName("  "), []string{"filter.name"}},
		{"newline", FilterLabel("a\nb"), []string{"filter.label"}},
		{"carriage return", FilterName("a\rb"), []string{"filter.name"}},
		{"tab", FilterName("a\tb"), []string{"filter.name"}},
		{"invalid UTF-8", FilterName("a\xffb"), []string{"filter.name"}},
		{"negative count", FilterViewsCount(-1, CmpEqual), []string{"filter.views_count"}},
		{"unknown comparison", FilterTotalNodes(1, Cmp(9)), []string{"filter.total_nodes"}},
		{"zero time", FilterCreationDate(time.Time{}, CmpGreater), []string{"filter.creation_date"}},
		{"bad modifier name", FilterModifier("Owner:", "x"), []string{"filter.Owner:"}},
		{"empty modifier name", FilterModifier("", "x"), []string{"filter."}},
		{"empty text", FilterText(""), []string{"filter.text"}},
		{"raw with a newline", FilterRaw("owner:a\nowner:b"), []string{"filter.raw"}},
		{"not of nothing", FilterNot(Filter{}), []string{"filter.not"}},
		{"not of empty operands", FilterNot(FilterOr(Filter{}, FilterRaw(""))), []string{"filter.not"}},
		{
			"every problem, by path",
			FilterAnd(FilterOwner("ok"), FilterOr(FilterGroup(""), FilterNot(FilterDomain("a\nb"))), FilterText("")),
			[]string{"filter.and[1].or[0].group", "filter.and[1].or[1].not.domain", "filter.and[2].text"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.filter.Build()
			var pe *ParamError
			if !errors.As(err, &pe) {
				t.Fatalf("Build = %q, %v; want a *ParamError", got, err)
			}
			if got != "" {
				t.Errorf("Build returned %q with its error", got)
			}
			var paths []string
			for _, p := range pe.Problems {
				paths = append(paths, p.Path)
				if p.Message == "" {
					t.Errorf("problem at %s has no message", p.Path)
				}
			}
			if !slices.Equal(paths, tt.wantPaths) {
				t.Errorf("paths = %q, want %q", paths, tt.wantPaths)
			}
		})
	}
}
