// Package doc holds the project's design documents, and the test that keeps the code to the
// rule design.md states: what may import what.
package doc

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// testExtras are what every package's tests may import besides what the package may (design.md,
// "What may import what"): fresh registries, and the bundled world as a fixture.
var testExtras = []string{"internal/store/storetest", "internal/dataset", "internal/registry"}

// TestImports reads design.md's table of what may import what and fails on every import
// between the project's packages that the table does not allow, naming the arrow, and on every
// package the table does not list.
func TestImports(t *testing.T) {
	t.Parallel()
	rules := readRules(t, "design.md")
	module, pkgs := listPackages(t)
	for _, p := range pkgs {
		name := strings.TrimPrefix(p.ImportPath, module+"/")
		r, ok := rules[name]
		if !ok {
			t.Errorf("%s is not in design.md's table of what may import what: add it, with what it may import", name)
			continue
		}
		check := func(imports []string, test bool) {
			for _, imp := range imports {
				if !strings.HasPrefix(imp, module+"/") {
					continue
				}
				to := strings.TrimPrefix(imp, module+"/")
				if r.any || to == name || slices.Contains(r.may, to) || test && slices.Contains(testExtras, to) {
					continue
				}
				who := name + " imports"
				if test {
					who = name + "'s tests import"
				}
				t.Errorf("%s %s: a new arrow, which design.md's table does not allow (%s may import %s)", who, to, name, r)
			}
		}
		check(p.Imports, false)
		check(p.TestImports, true)
		check(p.XTestImports, true)
	}
}

// rule is one row of the table: the packages one may import, or any.
type rule struct {
	may []string
	any bool
}

func (r rule) String() string {
	switch {
	case r.any:
		return "any"
	case len(r.may) == 0:
		return "nothing of the project"
	}
	return strings.Join(r.may, ", ")
}

// readRules parses the table under "## What may import what": a row names a package in its
// first cell and, in its second, "nothing", "any" or the short names of the packages it may
// import ("store" is internal/store, "storetest" internal/store/storetest).
func readRules(t *testing.T, file string) map[string]rule {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := bytes.Cut(b, []byte("\n## What may import what\n"))
	if !ok {
		t.Fatalf("%s has no section \"What may import what\"", file)
	}
	section, _, _ = bytes.Cut(section, []byte("\n## "))
	rules := map[string]rule{}
	cells := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(section))
	for sc.Scan() {
		row := strings.Split(strings.Trim(strings.TrimSpace(sc.Text()), "|"), "|")
		if len(row) != 2 || !strings.HasPrefix(strings.TrimSpace(row[0]), "`") {
			continue
		}
		name := strings.Trim(strings.TrimSpace(row[0]), "`")
		cells[name] = strings.Split(row[1], ",")
	}
	short := func(s string) string {
		s = strings.Trim(strings.TrimSpace(s), "`")
		for name := range cells {
			if name == "internal/"+s || name == "cmd/"+s || strings.HasSuffix(name, "/"+s) && strings.Count(name, "/") == 2 {
				return name
			}
		}
		t.Fatalf("%s: %q in the table of what may import what names no package of the table", file, s)
		return ""
	}
	for name, may := range cells {
		var r rule
		switch strings.TrimSpace(strings.Join(may, ",")) {
		case "nothing":
		case "any":
			r.any = true
		default:
			for _, m := range may {
				r.may = append(r.may, short(m))
			}
		}
		rules[name] = r
	}
	if len(rules) == 0 {
		t.Fatalf("%s: the table of what may import what has no rows", file)
	}
	return rules
}

type listed struct {
	ImportPath                         string
	Imports, TestImports, XTestImports []string
}

// listPackages asks the go command for the module's path and every package of it with its
// imports and its tests'.
func listPackages(t *testing.T) (module string, pkgs []listed) {
	t.Helper()
	out, err := exec.Command("go", "list", "-m").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	module = strings.TrimSpace(string(out))
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports,TestImports,XTestImports", "./...")
	cmd.Dir = ".."
	cmd.Stderr = os.Stderr
	out, err = cmd.Output()
	if err != nil {
		t.Fatalf("go list ./...: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages", len(pkgs))
	}
	return module, pkgs
}
