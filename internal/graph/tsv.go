package graph

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// LoadEdgesTSV reads edges from tab-separated lines whose first two columns
// name two cities, either as int64 ids or as Wikidata ids ("Q42053", or an
// entity URL ending in one), which map to their number (42053). Further
// columns, blank lines and lines starting with '#' are ignored, and so is a
// first line that does not parse (a header). Do not mix store ids and Q-ids
// in one file: they share one number space. Directed duplicates are kept;
// [New] undirects and dedupes them.
func LoadEdgesTSV(r io.Reader) ([]Edge, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	var edges []Edge
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		cols := strings.Split(text, "\t")
		if len(cols) < 2 {
			return nil, fmt.Errorf("graph: line %d: want two tab-separated columns", line)
		}
		a, errA := ParseCityID(cols[0])
		b, errB := ParseCityID(cols[1])
		if errA != nil || errB != nil {
			if line == 1 {
				continue
			}
			return nil, fmt.Errorf("graph: line %d: %w", line, firstErr(errA, errB))
		}
		edges = append(edges, Edge{A: a, B: b})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("graph: reading edges: %w", err)
	}
	return edges, nil
}

// ParseCityID parses an int64 id, a Wikidata id ("Q42053") or a Wikidata
// entity URL into a number.
func ParseCityID(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "Q"), "q")
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bad city id %q", s)
	}
	return n, nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
