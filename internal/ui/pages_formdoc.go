package ui

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// Form values as paths into a record's JSON document: read, set, deleted, merged, compacted, and the differences between two documents.

func deepCopy(x any) any {
	switch t := x.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, v := range t {
			out[k] = deepCopy(v)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, v := range t {
			out[i] = deepCopy(v)
		}
		return out
	}
	return x
}

// deletePath removes the value at a JSON path (a list item becomes nil), and the maps left
// empty on the way.
func deletePath(m map[string]any, path string) {
	segs := splitPath(path)
	var walk func(cur map[string]any, i int)
	walk = func(cur map[string]any, i int) {
		seg := segs[i]
		last := i == len(segs)-1
		if seg.index >= 0 {
			l, ok := cur[seg.key].([]any)
			if !ok || seg.index >= len(l) {
				return
			}
			if last {
				l[seg.index] = nil
				return
			}
			if next, ok := l[seg.index].(map[string]any); ok {
				walk(next, i+1)
			}
			return
		}
		if last {
			delete(cur, seg.key)
			return
		}
		if next, ok := cur[seg.key].(map[string]any); ok {
			walk(next, i+1)
			if len(next) == 0 {
				delete(cur, seg.key)
			}
		}
	}
	if path != "" {
		walk(m, 0)
	}
}

// deepMerge writes src into dst: maps merge key by key, lists item by item (nil items of src
// leave dst's), anything else replaces.
func deepMerge(dst, src map[string]any) {
	for k, sv := range src {
		switch s := sv.(type) {
		case map[string]any:
			if d, ok := dst[k].(map[string]any); ok {
				deepMerge(d, s)
				continue
			}
		case []any:
			if d, ok := dst[k].([]any); ok {
				for len(d) < len(s) {
					d = append(d, nil)
				}
				for i, x := range s {
					if x != nil {
						d[i] = x
					}
				}
				dst[k] = d
				continue
			}
		}
		dst[k] = sv
	}
}

// getPath reads a value at a JSON path from decoded JSON.
func getPath(m map[string]any, path string) (any, bool) {
	var cur any = m
	for _, seg := range splitPath(path) {
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[seg.key]
			if !ok {
				return nil, false
			}
			cur = v
		default:
			return nil, false
		}
		if seg.index >= 0 {
			l, ok := cur.([]any)
			if !ok || seg.index >= len(l) {
				return nil, false
			}
			cur = l[seg.index]
		}
	}
	return cur, true
}

type pathSeg struct {
	key   string
	index int
}

func splitPath(path string) []pathSeg {
	var out []pathSeg
	for _, part := range strings.Split(path, ".") {
		seg := pathSeg{key: part, index: -1}
		if i := strings.IndexByte(part, '['); i >= 0 && strings.HasSuffix(part, "]") {
			if n, err := strconv.Atoi(part[i+1 : len(part)-1]); err == nil {
				seg.key, seg.index = part[:i], n
			}
		}
		out = append(out, seg)
	}
	return out
}

// setPath writes v at a JSON path, creating maps and growing lists on the way.
func setPath(m map[string]any, path string, v any) {
	segs := splitPath(path)
	var cur = m
	for i, seg := range segs {
		last := i == len(segs)-1
		if seg.index < 0 {
			if last {
				cur[seg.key] = v
				return
			}
			next, ok := cur[seg.key].(map[string]any)
			if !ok {
				next = map[string]any{}
				cur[seg.key] = next
			}
			cur = next
			continue
		}
		l, _ := cur[seg.key].([]any)
		for len(l) <= seg.index {
			l = append(l, nil)
		}
		if last {
			l[seg.index] = v
			cur[seg.key] = l
			return
		}
		next, ok := l[seg.index].(map[string]any)
		if !ok {
			next = map[string]any{}
			l[seg.index] = next
		}
		cur[seg.key] = l
		cur = next
	}
}

// diffDocs lists the top-level fields whose values differ between two JSON documents.
func diffDocs(before, after []byte) []fieldDiff {
	var b, a map[string]json.RawMessage
	json.Unmarshal(before, &b)
	json.Unmarshal(after, &a)
	keys := map[string]bool{}
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	var out []fieldDiff
	for k := range keys {
		switch k {
		case "version", "updated", "created", "id":
			continue
		}
		x, y := compactRaw(b[k]), compactRaw(a[k])
		if x != y {
			out = append(out, fieldDiff{Field: k, Before: truncate(x, 300), After: truncate(y, 300), before: b[k], after: a[k]})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

type fieldDiff struct {
	Field, Label, Before, After string
	before, after               json.RawMessage // the values as stored, for describeDiffs
}

func compactRaw(r json.RawMessage) string {
	if len(r) == 0 {
		return ""
	}
	var buf bytes.Buffer
	if json.Compact(&buf, r) != nil {
		return string(r)
	}
	s := buf.String()
	if u, err := strconv.Unquote(s); err == nil {
		return u
	}
	return s
}

func compactJSON(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return strings.TrimSpace(buf.String())
}
