// Command overlay applies an OpenAPI Overlay 1.0 document to an OpenAPI
// description, so that the project's corrections to VirusTotal's spec are a
// reviewable, re-runnable step rather than a hand-edited copy.
//
// Supported: `update` (objects merged recursively, arrays appended, scalars
// replaced) and `remove` actions, with JSONPath targets made of `$`, `.name`,
// `['name']`, `.*`, `[*]` and `[?(@.key == 'value')]` segments. One extension
// edits text in place, for typos inside long descriptions:
//
//	x-replace: {from: "old text", to: "new text"}
//
// Every action must match at least one node, and every x-replace must find its
// text: when VirusTotal fixes something upstream the corresponding correction
// fails loudly instead of silently doing nothing.
//
// Usage: go run ./scripts/overlay -spec in.yaml -overlay overlay.yaml -out out.yaml
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

type action struct {
	Target      string    `yaml:"target"`
	Description string    `yaml:"description"`
	Update      yaml.Node `yaml:"update"`
	Remove      bool      `yaml:"remove"`
	Replace     *struct {
		From string `yaml:"from"`
		To   string `yaml:"to"`
	} `yaml:"x-replace"`
}

type overlayDoc struct {
	Overlay string   `yaml:"overlay"`
	Actions []action `yaml:"actions"`
}

func main() {
	specPath := flag.String("spec", "", "OpenAPI description to correct")
	overlayPath := flag.String("overlay", "", "overlay document")
	outPath := flag.String("out", "", "where to write the result (default stdout)")
	flag.Parse()
	out, err := run(*specPath, *overlayPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "overlay:", err)
		os.Exit(1)
	}
	if *outPath == "" {
		_, err = os.Stdout.Write(out)
	} else {
		err = os.WriteFile(*outPath, out, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "overlay:", err)
		os.Exit(1)
	}
}

func run(specPath, overlayPath string) ([]byte, error) {
	var doc yaml.Node
	if err := readYAML(specPath, &doc); err != nil {
		return nil, err
	}
	var ov overlayDoc
	if err := readYAML(overlayPath, &ov); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(ov.Overlay, "1.") {
		return nil, fmt.Errorf("%s: unsupported overlay version %q", overlayPath, ov.Overlay)
	}
	root := doc.Content[0]
	var errs []error
	for i, a := range ov.Actions {
		if err := apply(root, a); err != nil {
			errs = append(errs, fmt.Errorf("action %d (%s): %w", i+1, a.Description, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), enc.Close()
}

func readYAML(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// match is a node selected by a target, with what is needed to remove it.
type match struct {
	node   *yaml.Node
	parent *yaml.Node
	index  int // position of node (mapping: of its value) in parent.Content
}

func apply(root *yaml.Node, a action) error {
	segs, err := parsePath(a.Target)
	if err != nil {
		return err
	}
	ms := []match{{node: root}}
	for _, s := range segs {
		ms = s.step(ms)
	}
	if len(ms) == 0 {
		return fmt.Errorf("target %s matches nothing", a.Target)
	}
	switch {
	case a.Remove:
		// Remove from the end so earlier indexes stay valid.
		for i := len(ms) - 1; i >= 0; i-- {
			m := ms[i]
			if m.parent == nil {
				return errors.New("cannot remove the document root")
			}
			if m.parent.Kind == yaml.MappingNode {
				m.parent.Content = append(m.parent.Content[:m.index-1], m.parent.Content[m.index+1:]...)
			} else {
				m.parent.Content = append(m.parent.Content[:m.index], m.parent.Content[m.index+1:]...)
			}
		}
	case a.Update.Kind != 0:
		for _, m := range ms {
			if err := merge(m.node, &a.Update); err != nil {
				return err
			}
		}
	case a.Replace != nil:
		for _, m := range ms {
			if m.node.Kind != yaml.ScalarNode || !strings.Contains(m.node.Value, a.Replace.From) {
				return fmt.Errorf("target %s does not contain %q", a.Target, a.Replace.From)
			}
			m.node.Value = strings.ReplaceAll(m.node.Value, a.Replace.From, a.Replace.To)
			m.node.Style = 0
		}
	default:
		return errors.New("action has neither update, remove nor x-replace")
	}
	return nil
}

// merge applies an Overlay update to target.
func merge(target, update *yaml.Node) error {
	switch {
	case target.Kind == yaml.MappingNode && update.Kind == yaml.MappingNode:
		for i := 0; i < len(update.Content); i += 2 {
			k, v := update.Content[i], update.Content[i+1]
			found := false
			for j := 0; j < len(target.Content); j += 2 {
				if target.Content[j].Value == k.Value {
					found = true
					tv := target.Content[j+1]
					if (tv.Kind == yaml.MappingNode && v.Kind == yaml.MappingNode) || (tv.Kind == yaml.SequenceNode && v.Kind == yaml.SequenceNode) {
						if err := merge(tv, v); err != nil {
							return err
						}
					} else {
						target.Content[j+1] = clone(v)
					}
					break
				}
			}
			if !found {
				target.Content = append(target.Content, clone(k), clone(v))
			}
		}
	case target.Kind == yaml.SequenceNode && update.Kind == yaml.SequenceNode:
		for _, v := range update.Content {
			target.Content = append(target.Content, clone(v))
		}
	case target.Kind == yaml.SequenceNode:
		target.Content = append(target.Content, clone(update))
	default:
		return fmt.Errorf("cannot merge a %s into a %s", kind(update), kind(target))
	}
	return nil
}

func clone(n *yaml.Node) *yaml.Node {
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, x := range n.Content {
		c.Content[i] = clone(x)
	}
	return &c
}

func kind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "sequence"
	default:
		return "scalar"
	}
}
