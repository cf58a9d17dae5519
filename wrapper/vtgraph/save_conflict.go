package vtgraph

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrConflict is the error a save matches, with [errors.Is], when the graph
// changed on the server since it was loaded, so that saving it would have
// overwritten someone else's changes. The error itself is a
// [*ConflictError] with both dates.
//
// It is not an [ErrorCode]: VirusTotal has no such code, since it does not
// check for concurrent saves. The client does, before it writes.
var ErrConflict = errors.New("vtgraph: the graph changed on the server since it was loaded")

// ConflictError is the error of a [Client.SaveGraph], or of a
// [Client.UpdateGraph] with [GraphUpdate.UnmodifiedSince], that wrote
// nothing because the graph changed on the server since it was loaded. It
// matches [ErrConflict].
type ConflictError struct {
	// GraphID is the id of the graph being saved.
	GraphID string
	// LoadedDate is the last_modified_date of the version the save started
	// from: the saved graph's LastModifiedDate (an update's
	// UnmodifiedSince) or, after a merge, that of the server's version
	// merged with.
	LoadedDate time.Time
	// ServerDate is the last_modified_date the server reported when the
	// save checked: the date of a save made since. It is zero when the
	// server reported none.
	ServerDate time.Time
	// Conflicts are set when [MergeOnConflict] merged and the merge left a
	// conflict [Unresolved]: they are every conflict of that merge.
	Conflicts []Conflict
	// Merged is the merged graph when Conflicts are set. It holds both
	// sides' changes and, where they conflict, what each [ConflictKind]
	// says; resolve the conflicts in it and save it, and the save checks
	// against the server's version it was merged with.
	Merged *Graph
}

// Error says which graph changed and when, and, after a merge, the first
// conflict left unresolved.
func (e *ConflictError) Error() string {
	var b strings.Builder
	b.WriteString("vtgraph: graph " + e.GraphID + ": changed on the server since it was loaded (")
	if e.ServerDate.IsZero() {
		b.WriteString("the server reports no last_modified_date")
	} else {
		b.WriteString("saved at " + e.ServerDate.UTC().Format(time.RFC3339))
	}
	b.WriteString(", loaded version of " + e.LoadedDate.UTC().Format(time.RFC3339) + "); nothing was saved")
	var unresolved []Conflict
	for _, c := range e.Conflicts {
		if c.Resolution == Unresolved {
			unresolved = append(unresolved, c)
		}
	}
	if len(unresolved) > 0 {
		b.WriteString("; the merge left " + strconv.Itoa(len(unresolved)) + " unresolved: " + unresolved[0].String())
		if len(unresolved) > 1 {
			b.WriteString(" and " + strconv.Itoa(len(unresolved)-1) + " more")
		}
	}
	return b.String()
}

// Is reports whether target is [ErrConflict].
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// SaveOption changes what [Client.SaveGraph] does when the graph may have
// changed on the server since it was loaded. When two options are given,
// the later one wins.
type SaveOption interface {
	applySave(*saveSettings)
}

type saveOptionFunc func(*saveSettings)

func (f saveOptionFunc) applySave(s *saveSettings) { f(s) }

type saveMode int

const (
	saveChecked saveMode = iota
	saveOverwrite
	saveMerge
)

type saveSettings struct {
	mode saveMode
	base *Graph
}

// Overwrite saves the graph as it is, without checking whether it changed
// on the server since it was loaded: a save made by someone else in between
// is lost.
func Overwrite() SaveOption {
	return saveOptionFunc(func(s *saveSettings) { s.mode, s.base = saveOverwrite, nil })
}

// MergeOnConflict makes a save that finds the graph changed on the server
// merge the server's version in rather than fail: base is the graph as it
// was loaded, before the edits being saved, such as a [Graph.Clone] taken
// right after [Client.GetGraph], or the graph a save returned. The caller
// keeps it because the client keeps no state between calls, and the merge
// needs it to tell the edits being saved from those made on the server. A
// base that cannot be that version (nil, the saved graph itself or a copy
// sharing its nodes, or one with another LastModifiedDate) is refused with
// a *ParamError, since merging with it would lose the edits.
//
// On a conflict the save fetches the server's graph, merges it with
// [MergeGraphs] and, when no conflict is [Unresolved], saves the merge
// after checking again that the server still holds the version merged
// with. When a merge leaves a conflict unresolved, it writes nothing and
// returns a [*ConflictError] with the conflicts and the merged graph. It
// merges at most 3 times, for editors saving faster than a merge can
// complete, and then returns a ConflictError too.
func MergeOnConflict(base *Graph) SaveOption {
	return saveOptionFunc(func(s *saveSettings) { s.mode, s.base = saveMerge, base })
}

// maxMerges bounds the merges of one save.
const maxMerges = 3

// saveSettingsOf applies opts, reporting a merge base that cannot be the
// graph g was loaded as. Merging with g itself, or with a copy sharing its
// nodes, would find no local edit and save the server's graph over them.
func saveSettingsOf(g *Graph, opts []SaveOption, p *paramProblems) saveSettings {
	var s saveSettings
	for _, o := range opts {
		if o != nil {
			o.applySave(&s)
		}
	}
	if s.mode != saveMerge {
		return s
	}
	switch b := s.base; {
	case b == nil:
		p.add("base", "nil: keep a Clone of the graph as loaded")
	case g == nil:
	case b == g || (len(b.Nodes) > 0 && len(g.Nodes) > 0 && &b.Nodes[0] == &g.Nodes[0]):
		p.add("base", "is the graph being saved, or shares its nodes: keep a Clone of the graph as loaded")
	case !sameSecond(b.LastModifiedDate, g.LastModifiedDate):
		p.addf("base", "last modified at %s, the graph being saved at %s: keep a Clone of the graph as loaded, or as last saved",
			b.LastModifiedDate.UTC().Format(time.RFC3339), g.LastModifiedDate.UTC().Format(time.RFC3339))
	}
	return s
}

// saveGraph writes g, valid and with a valid id, as the settings say.
func (c *Client) saveGraph(ctx context.Context, g *Graph, s saveSettings) (*Graph, error) {
	if s.mode == saveOverwrite || g.LastModifiedDate.IsZero() {
		return c.writeGraph(ctx, g, g)
	}
	local, base, loaded := g, s.base, g.LastModifiedDate
	for merges := 0; ; merges++ {
		current, err := c.lastModified(ctx, g.ID)
		if err != nil {
			return nil, err
		}
		if sameSecond(current, loaded) {
			return c.writeGraph(ctx, g, local)
		}
		conflict := &ConflictError{GraphID: g.ID, LoadedDate: loaded, ServerDate: current}
		if s.mode != saveMerge || merges == maxMerges {
			return nil, conflict
		}
		remote, err := c.GetGraph(ctx, g.ID, nil)
		if err != nil {
			return nil, err
		}
		merged, conflicts := MergeGraphs(base, local, remote)
		merged.ID = g.ID
		if anyUnresolved(conflicts) {
			conflict.ServerDate = remote.LastModifiedDate
			conflict.Conflicts, conflict.Merged = conflicts, merged
			return nil, conflict
		}
		if err := merged.Validate(); err != nil {
			return nil, fmt.Errorf("vtgraph: merging with the server's graph: %w", err)
		}
		base, local, loaded = remote, merged, remote.LastModifiedDate
	}
}

// sameSecond reports whether two last_modified_dates are the same date:
// the API gives them to the second.
func sameSecond(a, b time.Time) bool { return a.Unix() == b.Unix() }

// lastModified asks for the graph's last_modified_date alone, the lightest
// read the API offers.
func (c *Client) lastModified(ctx context.Context, id string) (time.Time, error) {
	g, err := c.GetGraph(ctx, id, &GetGraphOptions{Attributes: []string{"last_modified_date"}})
	if err != nil {
		return time.Time{}, err
	}
	return g.LastModifiedDate, nil
}

// writeGraph sends local, which is g or a merge of it, in one PATCH. When it
// is g, g's date becomes the saved one, so that saving g again checks
// against this save rather than report it as someone else's.
func (c *Client) writeGraph(ctx context.Context, g, local *Graph) (*Graph, error) {
	local.RenumberIndexes()
	body, err := graphBody(local, g.ID)
	if err != nil {
		return nil, err
	}
	saved, err := c.patchGraph(ctx, g.ID, body)
	if err != nil {
		return nil, err
	}
	if local == g {
		g.LastModifiedDate = saved.LastModifiedDate
	}
	return saved, nil
}
