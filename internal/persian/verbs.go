package persian

import (
	_ "embed"
	"strings"
	"sync"
)

// verbsData is Hazm's list of verb stems, one "past#present" pair a line
// (MIT licence; see LICENSE-hazm for its origin).
//
//go:embed verbs.dat
var verbsData string

var (
	verbsOnce   sync.Once
	pastStems   map[string]bool
	presentStem map[string]bool
)

// loadVerbs folds the stems the same way tokens are folded, so that آمد
// matches «امد» and «آمد» alike.
func loadVerbs() {
	pastStems = make(map[string]bool, 700)
	presentStem = make(map[string]bool, 700)
	for _, line := range strings.Split(verbsData, "\n") {
		past, present, ok := strings.Cut(line, "#")
		if !ok {
			continue
		}
		if p := NameKey(past); p != "" {
			pastStems[p] = true
		}
		if p := NameKey(present); p != "" {
			presentStem[p] = true
		}
	}
}

// Person endings of the verb-body test (doc/persian.md §1.4 step 4).
var (
	presentEndings = []string{"م", "ی", "د", "یم", "ید", "ند"}
	pastEndings    = []string{"", "م", "ی", "یم", "ید", "ند", "ه"}
)

// isVerbBody reports whether x (folded, compact) is a present stem plus
// م ی د یم ید ند, or a past stem plus nothing or م ی یم ید ند ه: what may
// follow the prefix «می» or «نمی».
func isVerbBody(x string) bool {
	verbsOnce.Do(loadVerbs)
	for _, e := range presentEndings {
		if len(x) > len(e) && strings.HasSuffix(x, e) && presentStem[x[:len(x)-len(e)]] {
			return true
		}
	}
	for _, e := range pastEndings {
		if len(x) > len(e) && strings.HasSuffix(x, e) && pastStems[x[:len(x)-len(e)]] {
			return true
		}
	}
	return false
}
