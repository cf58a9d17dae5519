package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

func (r *runner) demoCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "demo [flags]",
		Short: "Walk through the whole API against a built-in server (no key, no network).",
		Long: `
Starts an in-memory Threat Graphs server on 127.0.0.1 inside this process and
narrates an investigation against it: build a graph, catch a mistake, save,
search page by page, share, check access, comment, list relationships,
update, export and delete; then pivot through the server's universe of
files, domains and addresses: expand a domain two levels, connect it to its
command-and-control domain, save and export. alice is the analyst, bob a
colleague in her group, carol an outsider. Ids and dates are fixed, so the
output is the same on every run. VT_API_KEY and --base-url are not used; 'vtgraph serve' runs
the same server for the vtgraph command and your own programs.`,
		Example:           examples("vtgraph demo", "vtgraph demo --verbose"),
		Args:              exactArgs(0),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: r.action(func(ctx context.Context, _ []string) error {
			return runDemo(ctx, r)
		}),
	}
}

// demoStart is the fixed time the demo's story starts at.
var demoStart = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)

// demoClock is the server's clock in the demo: fixed, and moved on by the
// story between steps, so that dates are the same on every run.
type demoClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *demoClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *demoClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// demo holds the state of one run of the walkthrough.
type demo struct {
	ctx               context.Context
	out               io.Writer
	srv               *vtgraphtest.Server
	clock             *demoClock
	alice, bob, carol *vtgraph.Client
	g                 *vtgraph.Graph
	id                string
}

// The investigation's entities.
const (
	demoDomain  = "login-lantern.example"
	demoIP      = "203.0.113.77"
	demoFile    = "5f2b7c1e9a0d4c3b8e6f1a2d7c9b0e4f3a6d8c1b2e5f7a9c0d3b6e8f1a4c7d2e"
	demoC2      = "cdn-lantern-sync.example"
	demoMissing = "198.51.100.23"
)

func runDemo(ctx context.Context, r *runner) error {
	clock := &demoClock{now: demoStart}
	srv, err := vtgraphtest.Start(vtgraphtest.WithClock(clock.Now), vtgraphtest.WithIDSeed("vtgraph demo"))
	if err != nil {
		return fmt.Errorf("starting the demo server: %w", err)
	}
	defer srv.Close()
	d := &demo{ctx: ctx, out: r.stdout, srv: srv, clock: clock}
	for _, u := range []struct {
		c   **vtgraph.Client
		key string
	}{{&d.alice, vtgraphtest.AliceKey}, {&d.bob, vtgraphtest.BobKey}, {&d.carol, vtgraphtest.CarolKey}} {
		if *u.c, err = vtgraph.New(u.key, r.clientOptions(srv.URL())...); err != nil {
			return err
		}
	}
	fmt.Fprint(d.out, `vtgraph demo: the Threat Graphs API step by step, against an in-memory server
on 127.0.0.1 started by this command (no API key, no network). alice is the
analyst, bob a colleague in her group threat-intel, carol an outsider.
Lines starting with ">" are the Go calls made; "$" lines show the same with
the vtgraph command.
`)
	steps := []func() error{
		d.build, d.validate, d.save, d.search, d.share, d.access, d.comment,
		d.relationships, d.update, d.export, d.remove, d.pivot,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
		d.clock.advance(7 * time.Minute)
	}
	fmt.Fprintf(d.out, "\nDone: %d requests, all answered by the in-process server.\n", len(srv.Requests()))
	fmt.Fprint(d.out, "To try the vtgraph command itself, or your own program, against the same\nserver: run 'vtgraph serve' and follow what it prints.\n")
	return nil
}

func (d *demo) step(title string) { fmt.Fprintf(d.out, "\n==> %s\n", title) }

// say prints narration, indented under the step title. The saved graph's
// long id is written $ID, as in the "$" lines.
func (d *demo) say(format string, args ...any) {
	fmt.Fprint(d.out, d.short("    "+fmt.Sprintf(format, args...)+"\n"))
}

// call shows a Go call the demo makes.
func (d *demo) call(format string, args ...any) {
	fmt.Fprint(d.out, d.short("    > "+fmt.Sprintf(format, args...)+"\n"))
}

func (d *demo) short(s string) string {
	if d.id == "" {
		return s
	}
	return strings.ReplaceAll(s, d.id, "$ID")
}

// cli shows the vtgraph command doing the same.
func (d *demo) cli(format string, args ...any) {
	fmt.Fprintf(d.out, "    $ vtgraph "+format+"\n", args...)
}

// block prints text indented under the step, for tables and exports.
func (d *demo) block(text string) {
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		fmt.Fprintf(d.out, "      %s\n", line)
	}
}

// table renders rows with a header through tabwriter into an indented block.
func (d *demo) table(header []string, rows [][]string) {
	var b strings.Builder
	tw := newTable(&b, header...)
	for _, cells := range rows {
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	_ = tw.Flush()
	d.block(b.String())
}

// failure shows an expected error with the exit code the CLI gives it.
func (d *demo) failure(err error) {
	d.say("error: %s", describe(err))
	d.say("the vtgraph command maps this to exit code %d: %s", ExitCode(err), exitText(ExitCode(err)))
}

func exitText(code int) string {
	for _, e := range exitCodes {
		if e.code == code {
			return e.text
		}
	}
	return "unknown"
}

// demoName, demoNodes and demoLinks are the investigation the demo builds.
const demoName = "Operation Lantern: phishing to payload"

var demoNodes = []struct {
	id, label string
	typ       vtgraph.NodeType
	constant  string
}{
	{demoDomain, "phishing landing page", vtgraph.NodeTypeDomain, "NodeTypeDomain"},
	{demoIP, "", vtgraph.NodeTypeIPAddress, "NodeTypeIPAddress"},
	{demoFile, "lantern-dropper.exe", vtgraph.NodeTypeFile, "NodeTypeFile"},
	{demoC2, "C2", vtgraph.NodeTypeDomain, "NodeTypeDomain"},
}

var demoLinks = [][3]string{
	{demoDomain, demoIP, "resolutions"},
	{demoIP, demoFile, "communicating_files"},
	{demoFile, demoC2, "contacted_domains"},
}

// demoGraph builds the investigation: a phishing domain resolving to an
// address that served a dropper, which contacts its C2.
func demoGraph() (*vtgraph.Graph, error) {
	g := vtgraph.NewGraph(demoName)
	for _, n := range demoNodes {
		g.AddNode(n.id, n.typ).Text = n.label
	}
	g.Node(demoFile).SetHasDetections(true)
	for _, l := range demoLinks {
		if err := g.AddLink(l[0], l[1], l[2]); err != nil {
			return nil, err
		}
	}
	return g, nil
}

func (d *demo) build() error {
	d.step("Build an investigation graph")
	d.say("A phishing domain resolves to an IP address that served a dropper, which")
	d.say("talks to a command-and-control domain: three hops, drawn with the builder.")
	d.call("g := vtgraph.NewGraph(%q)", demoName)
	for _, n := range demoNodes {
		d.call("g.AddNode(%q, vtgraph.%s)", clip(n.id, 24), n.constant)
	}
	for _, l := range demoLinks {
		d.call("g.AddLink(%q, %q, %q)", clip(l[0], 24), clip(l[1], 24), l[2])
	}
	g, err := demoGraph()
	if err != nil {
		return err
	}
	var rows [][]string
	for i := range g.Nodes {
		n := &g.Nodes[i]
		rows = append(rows, []string{itoa(int64(n.Index)), string(n.Type), clip(n.EntityID, 40), oneLine(n.Text)})
	}
	d.table([]string{"INDEX", "TYPE", "ENTITY", "LABEL"}, rows)
	d.say("%s and %s: each typed link goes through a relationship node, as", plural(len(g.Nodes), "node"), plural(len(g.Links), "link"))
	d.say("in the VirusTotal UI. Looking through them, the hops are:")
	rows = nil
	for _, n := range demoNodes {
		for _, m := range g.Related(n.id) {
			rows = append(rows, []string{clip(n.id, 24), m.ConnectionType, clip(m.Node.EntityID, 24)})
		}
	}
	d.table([]string{"SOURCE", "RELATIONSHIP", "TARGET"}, rows)
	d.g = g
	return nil
}

func (d *demo) validate() error {
	d.step("Validation catches mistakes before anything is sent")
	d.say("A copy of the graph gets a link to an address that was never added as a")
	d.say("node, and a node without a type:")
	bad := *d.g
	bad.Nodes = append(slices.Clone(d.g.Nodes), vtgraph.Node{EntityID: "lantern-mirror.example"})
	bad.Links = append(slices.Clone(d.g.Links), vtgraph.Link{Source: demoFile, Target: demoMissing, ConnectionType: vtgraph.ConnectionManual})
	d.call("bad.Validate()")
	err := bad.Validate()
	var verr *vtgraph.ValidationError
	if !errors.As(err, &verr) {
		return fmt.Errorf("the broken graph passed validation: %v", err)
	}
	d.say("*vtgraph.ValidationError with every problem, each with its path:")
	for _, p := range verr.Problems {
		d.block(p.Error())
	}
	before := len(d.srv.Requests())
	d.call("alice.CreateGraph(ctx, &bad)")
	if _, err := d.alice.CreateGraph(d.ctx, &bad); err == nil {
		return errors.New("the broken graph was created")
	} else {
		d.say("refused too; requests that reached the server: %d", len(d.srv.Requests())-before)
		d.say("the vtgraph command maps this to exit code %d: %s", ExitCode(err), exitText(ExitCode(err)))
	}
	return nil
}

func (d *demo) save() error {
	d.step("Save it")
	d.call("id, err := alice.CreateGraph(ctx, g)")
	id, err := d.alice.CreateGraph(d.ctx, d.g)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.out, "    created %s, called $ID below\n    %s\n", id, vtgraph.GraphURL(id))
	d.id = id
	d.say("From a list of indicators instead (hashes, IPs, URLs, domains, one a line):")
	d.cli("create --name 'Operation Lantern' --indicators iocs.txt")
	return nil
}

func (d *demo) search() error {
	d.step("Search, page by page")
	names := []string{"Lantern: mirror domains", "Lantern: second-stage loaders", "Quarterly phishing review"}
	d.say("alice saves %d more graphs; bob saves one of his own.", len(names))
	for _, name := range names {
		g := vtgraph.NewGraph(name)
		g.AddNode(demoDomain, vtgraph.NodeTypeDomain)
		if _, err := d.alice.CreateGraph(d.ctx, g); err != nil {
			return err
		}
		d.clock.advance(time.Minute)
	}
	bobs := vtgraph.NewGraph("Bob's sandbox notes")
	bobs.AddNode(demoIP, vtgraph.NodeTypeIPAddress)
	if _, err := d.bob.CreateGraph(d.ctx, bobs); err != nil {
		return err
	}

	opts := &vtgraph.SearchOptions{
		Filter:      vtgraph.FilterOwner("alice"),
		Order:       vtgraph.OrderName.Asc(),
		ListOptions: vtgraph.ListOptions{Limit: 3},
	}
	d.say("Her graphs by name, three a page; each page's cursor fetches the next:")
	d.call("opts := &vtgraph.SearchOptions{Filter: vtgraph.FilterOwner(%q), Order: vtgraph.OrderName.Asc(), ListOptions: vtgraph.ListOptions{Limit: 3}}", "alice")
	for n := 1; ; n++ {
		d.call("page, err := alice.SearchGraphs(ctx, opts)   // filter %s, order %s, cursor %q", opts.Filter, opts.Order, opts.Cursor)
		page, err := d.alice.SearchGraphs(d.ctx, opts)
		if err != nil {
			return err
		}
		var rows [][]string
		for _, g := range page.Items {
			rows = append(rows, []string{clip(g.ID, 20), g.Description})
		}
		d.say("page %d: %s", n, plural(len(page.Items), "graph"))
		d.table([]string{"ID", "NAME"}, rows)
		if !page.HasMore() {
			d.say("no next cursor: that was the last page")
			break
		}
		d.say("next cursor: %s", page.NextCursor)
		d.call("opts.Cursor = page.NextCursor")
		opts.Cursor = page.NextCursor
	}
	opts.Cursor = ""
	d.say("The iterator does the same without handling cursors:")
	d.call("for g, err := range alice.SearchGraphsIter(ctx, opts, nil) { … }")
	count := 0
	for _, err := range d.alice.SearchGraphsIter(d.ctx, opts, nil) {
		if err != nil {
			return err
		}
		count++
	}
	d.say("%s in all", plural(count, "graph"))
	d.cli("search --filter owner:alice --order name --limit 3 --all")
	return nil
}

func (d *demo) share() error {
	d.step("Share it: bob as viewer, the group threat-intel as editor")
	d.call("alice.AddViewers(ctx, id, vtgraph.User(%q))", "bob")
	viewers, err := d.alice.AddViewers(d.ctx, d.id, vtgraph.User("bob"))
	if err != nil {
		return err
	}
	d.call("alice.AddEditors(ctx, id, vtgraph.Group(%q))", vtgraphtest.DefaultGroup)
	editors, err := d.alice.AddEditors(d.ctx, d.id, vtgraph.Group(vtgraphtest.DefaultGroup))
	if err != nil {
		return err
	}
	var rows [][]string
	for _, p := range viewers {
		rows = append(rows, []string{roleViewer, string(p.Type), p.ID})
	}
	for _, p := range editors {
		rows = append(rows, []string{roleEditor, string(p.Type), p.ID})
	}
	d.table([]string{"ROLE", "TYPE", "ID"}, rows)
	d.cli("share $ID --viewer user:bob --editor group:%s", vtgraphtest.DefaultGroup)
	return nil
}

func (d *demo) access() error {
	d.step("Check access")
	checks := []struct {
		who, role, why string
		check          func(context.Context, string, vtgraph.PrincipalRef) (bool, error)
	}{
		{"bob", roleViewer, "granted directly", d.alice.IsViewer},
		{"bob", roleEditor, "through the group threat-intel", d.alice.IsEditor},
		{"carol", roleViewer, "no grant: she is in no group", d.alice.IsViewer},
	}
	for _, c := range checks {
		method := "IsViewer"
		if c.role == roleEditor {
			method = "IsEditor"
		}
		ok, err := c.check(d.ctx, d.id, vtgraph.User(c.who))
		if err != nil {
			return err
		}
		d.call("%-47s → %v (%s)", fmt.Sprintf("alice.%s(ctx, id, vtgraph.User(%q))", method, c.who), ok, c.why)
	}
	d.cli("access $ID --editor user:bob")
	d.say("The graph is public, so carol can read it, but not change it:")
	name := "carol was here"
	d.call("carol.UpdateGraph(ctx, id, &vtgraph.GraphUpdate{Description: &name})")
	if _, err := d.carol.UpdateGraph(d.ctx, d.id, &vtgraph.GraphUpdate{Description: &name}); err == nil {
		return errors.New("carol could change the graph")
	} else {
		d.failure(err)
	}
	return nil
}

func (d *demo) comment() error {
	d.step("Comment")
	comments := []struct {
		who  string
		c    *vtgraph.Client
		text string
	}{
		{"bob", d.bob, "Same dropper as the January wave #lantern #dropper"},
		{"alice", d.alice, "C2 domain sinkholed this morning #lantern"},
	}
	for _, c := range comments {
		d.call("%s.AddComment(ctx, id, %q)", c.who, c.text)
		if _, err := c.c.AddComment(d.ctx, d.id, c.text); err != nil {
			return err
		}
		d.clock.advance(2 * time.Minute)
	}
	d.call("alice.ListComments(ctx, id, nil)   // newest first")
	page, err := d.alice.ListComments(d.ctx, d.id, nil)
	if err != nil {
		return err
	}
	var rows [][]string
	for _, c := range page.Items {
		rows = append(rows, []string{timeText(c.Date), strings.Join(c.Tags, ","), c.Text})
	}
	d.table([]string{"DATE", "TAGS", "TEXT"}, rows)
	d.cli("comments add $ID 'C2 domain sinkholed this morning #lantern'")
	return nil
}

func (d *demo) relationships() error {
	d.step("List relationships")
	var rows [][]string
	for _, rel := range relations {
		page, err := d.alice.ListRelated(d.ctx, d.id, rel, nil)
		if err != nil {
			return err
		}
		var objs []string
		for _, o := range page.Items {
			if rel == vtgraph.RelationComments {
				objs = append(objs, "comment: "+clip(objectDetails(o.Type, o.Attributes), 28))
				continue
			}
			objs = append(objs, o.Type+" "+clip(o.ID, 24))
		}
		if len(objs) == 0 {
			objs = []string{"(none)"}
		}
		for i, o := range objs {
			name := ""
			if i == 0 {
				name = string(rel)
			}
			rows = append(rows, []string{name, o})
		}
	}
	d.call("alice.ListRelated(ctx, id, rel, nil)   // for each relationship")
	d.table([]string{"RELATIONSHIP", "OBJECTS"}, rows)
	d.say("The descriptors variant returns only types and ids, which is cheaper:")
	d.call("alice.ListRelatedDescriptors(ctx, id, vtgraph.RelationItems, nil)")
	page, err := d.alice.ListRelatedDescriptors(d.ctx, d.id, vtgraph.RelationItems, nil)
	if err != nil {
		return err
	}
	rows = nil
	for _, desc := range page.Items {
		rows = append(rows, []string{desc.Type, desc.ID})
	}
	d.table([]string{"TYPE", "ID"}, rows)
	d.cli("related $ID items --descriptors")
	return nil
}

func (d *demo) update() error {
	d.step("Update it: make it private, sending nothing else")
	private := true
	d.call("alice.UpdateGraph(ctx, id, &vtgraph.GraphUpdate{Private: &private})")
	g, err := d.alice.UpdateGraph(d.ctx, d.id, &vtgraph.GraphUpdate{Private: &private})
	if err != nil {
		return err
	}
	reqs := d.srv.Requests()
	d.say("sent: %s %s %s", reqs[len(reqs)-1].Method, reqs[len(reqs)-1].Path, strings.TrimSpace(string(reqs[len(reqs)-1].Body)))
	d.say("private: %s; the name %q, %s and %s are still there",
		yesNo(g.Private), g.Description, plural(len(g.Nodes), "node"), plural(len(g.Links), "link"))
	d.cli("update $ID --private")
	d.say("Now carol cannot even see it, while bob still can:")
	d.call("carol.GetGraph(ctx, id, nil)")
	if _, err := d.carol.GetGraph(d.ctx, d.id, nil); err == nil {
		return errors.New("carol could read the private graph")
	} else {
		d.failure(err)
	}
	d.call("bob.GetGraph(ctx, id, nil)")
	bg, err := d.bob.GetGraph(d.ctx, d.id, nil)
	if err != nil {
		return err
	}
	d.say("%q, %s, %s", bg.Description, plural(len(bg.Nodes), "node"), plural(int(bg.ViewsCount), "view"))
	return nil
}

func (d *demo) export() error {
	d.step("Export it as Graphviz DOT")
	d.call("g, err := alice.GetGraph(ctx, id, nil)")
	g, err := d.alice.GetGraph(d.ctx, d.id, nil)
	if err != nil {
		return err
	}
	d.call("fmt.Print(g.DOT())")
	d.block(g.DOT())
	d.say("With Graphviz installed, the command draws it as SVG, PNG or a self-contained")
	d.say("HTML page with the picture and tables of the entities and relationships:")
	d.cli("export $ID -o lantern.svg")
	d.cli("export $ID --format html -o lantern.html")
	return nil
}

func (d *demo) remove() error {
	d.step("Delete it")
	d.call("alice.DeleteGraph(ctx, id)")
	if err := d.alice.DeleteGraph(d.ctx, d.id); err != nil {
		return err
	}
	d.call("alice.GetGraph(ctx, id, nil)")
	_, err := d.alice.GetGraph(d.ctx, d.id, nil)
	if err == nil {
		return errors.New("the deleted graph is still there")
	}
	d.failure(err)
	d.say("errors.Is(err, vtgraph.ErrNotFound) = %v", errors.Is(err, vtgraph.ErrNotFound))
	d.say("The command asks before deleting on a terminal; in a script it needs --yes:")
	d.cli("delete $ID --yes")
	return nil
}

func (d *demo) pivot() error {
	d.step("Pivot through VirusTotal: expand two levels, connect, save and export")
	d.say("The server also holds a small universe of files, URLs, domains and IP")
	d.say("addresses to pivot through, as VirusTotal does. alice starts from one")
	d.say("phishing domain and expands it two levels, within a request budget:")
	g := vtgraph.NewGraph("Acme phishing")
	g.AddNode(vtgraphtest.DemoDomain, vtgraph.NodeTypeDomain)
	cache := new(vtgraph.PivotCache)
	d.call("g := vtgraph.NewGraph(%q)", g.Description)
	d.call("g.AddNode(%q, vtgraph.NodeTypeDomain)", vtgraphtest.DemoDomain)
	d.call("cache := new(vtgraph.PivotCache)   // shared by the calls below: nothing is fetched twice")
	d.call("report, err := alice.ExpandGraph(ctx, g, &vtgraph.ExpandGraphOptions{Depth: 2, ExpandOptions: vtgraph.ExpandOptions{PivotOptions: vtgraph.PivotOptions{MaxRequests: 100, Cache: cache}}})")
	report, err := d.alice.ExpandGraph(d.ctx, g, &vtgraph.ExpandGraphOptions{Depth: 2, ExpandOptions: vtgraph.ExpandOptions{
		PivotOptions: vtgraph.PivotOptions{MaxRequests: 100, Cache: cache},
	}})
	if err != nil {
		return err
	}
	nodes := map[string]bool{}
	for _, x := range report.Expanded {
		nodes[x.Node] = true
	}
	d.say("%s: one lookup per node expanded, saying which of its relationships hold", plural(report.Requests, "request"))
	d.say("anything, and a page of each that does, but where the lookup listed all it")
	d.say("holds and the next level looks those up anyway; no empty page, nothing twice.")
	d.say("%s of %s expanded; the graph has %s and %s.", plural(len(report.Expanded), "relationship"), plural(len(nodes), "node"),
		plural(len(entityNodeIDs(g)), "entity"), plural(len(g.Nodes)-len(entityNodeIDs(g)), "relationship node"))
	d.say("The first level, each relationship a relationship node as the UI draws it:")
	var rows [][]string
	for _, x := range report.Expanded {
		if x.Depth == 0 {
			rows = append(rows, []string{string(x.Relationship), clip(vtgraph.RelationshipNodeID(string(x.Relationship), x.Node), 44), itoa(int64(x.Added))})
		}
	}
	d.table([]string{"RELATIONSHIP", "RELATIONSHIP NODE", "ADDED"}, rows)
	detections, _ := g.Node(vtgraphtest.DemoDropper).Attributes.DetectionCount()
	tag, _ := g.Node(vtgraphtest.DemoDropper).Attributes.String("type_tag")
	d.say("Entities come with what the UI shows: the dropper reached through 192.0.2.10")
	d.say("has %d detections and type %s.", detections, tag)

	d.say("Its command-and-control domain is not in the graph: is it related?")
	g.AddNode(vtgraphtest.DemoC2Domain, vtgraph.NodeTypeDomain)
	d.call("g.AddNode(%q, vtgraph.NodeTypeDomain)", vtgraphtest.DemoC2Domain)
	d.call("path, err := alice.Connect(ctx, g, %q, %q, &vtgraph.ConnectOptions{MaxHops: 3, PivotOptions: vtgraph.PivotOptions{Cache: cache}})",
		vtgraphtest.DemoDomain, vtgraphtest.DemoC2Domain)
	path, err := d.alice.Connect(d.ctx, g, vtgraphtest.DemoDomain, vtgraphtest.DemoC2Domain, &vtgraph.ConnectOptions{
		MaxHops: 3, PivotOptions: vtgraph.PivotOptions{Cache: cache},
	})
	if err != nil {
		return err
	}
	if path.Path == nil {
		return errors.New("no path from the phishing domain to its C2")
	}
	rows = nil
	for _, h := range path.Path {
		rows = append(rows, []string{clip(h.From, 24), hopRelationship(h), clip(h.To, 24)})
	}
	d.say("Searched from both ends, %s explored in %s (the expansion", plural(path.Explored, "entity"), plural(path.Requests, "request"))
	d.say("had looked the rest up), it found a path of %s and added it:", plural(len(path.Path), "hop"))
	d.table([]string{"FROM", "RELATIONSHIP", "TO"}, rows)

	d.call("id, err := alice.CreateGraph(ctx, g)")
	id, err := d.alice.CreateGraph(d.ctx, g)
	if err != nil {
		return err
	}
	d.id = id
	fmt.Fprintf(d.out, "    created %s, called $ID here\n", id)
	d.call("fmt.Print(g.Mermaid())")
	lines := strings.Split(strings.TrimRight(g.Mermaid(), "\n"), "\n")
	d.block(strings.Join(lines[:6], "\n") + fmt.Sprintf("\n… %d lines in all", len(lines)))
	d.say("The same with the command, which creates the graph as it expands it and")
	d.say("saves the path into it; Ctrl-C or a spent budget still saves what was done:")
	d.cli("expand %s --depth 2 --max-requests 100 --create 'Acme phishing'", vtgraphtest.DemoDomain)
	d.cli("connect --graph $ID %s %s --save", vtgraphtest.DemoDomain, vtgraphtest.DemoC2Domain)
	d.cli("export $ID --format html -o acme.html")
	return nil
}
