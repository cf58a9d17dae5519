package contract_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/internal/contract"
)

// TestImportRule enforces the rule in the package documentation: outside
// internal/contract, kin-openapi is imported only by tests, and this package
// only by tests and the tools under scripts/.
func TestImportRule(t *testing.T) {
	t.Parallel()
	spec, err := contract.SpecPath()
	require.NoError(t, err)
	root := filepath.Dir(filepath.Dir(spec))

	rules := []struct {
		importPrefix string
		allowedDirs  []string
	}{
		{"github.com/getkin/kin-openapi", []string{"internal/contract"}},
		{"github.com/vtgraphs/vtgraphs/internal/contract", []string{"internal/contract", "scripts"}},
	}
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			ipath, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				return err
			}
			for _, rule := range rules {
				if strings.HasPrefix(ipath, rule.importPrefix) && !underAny(rel, rule.allowedDirs) {
					assert.Failf(t, "import rule broken", "%s imports %s outside a test", rel, ipath)
				}
			}
		}
		return nil
	})
	require.NoError(t, err)
}

func underAny(rel string, dirs []string) bool {
	for _, dir := range dirs {
		if strings.HasPrefix(rel, dir+"/") {
			return true
		}
	}
	return false
}
