package persian

import (
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// buf collects the output of one normalization pass. When track is set it
// also records, for every output byte, the span [starts[i], ends[i]) of the
// pass input that produced it; the bytes of one output rune share a span.
type buf struct {
	out      []byte
	track    bool
	starts   []int
	ends     []int
	lastRune int // index in out of the last emitted rune, -1 before any
}

func newBuf(n int, track bool) *buf {
	b := &buf{out: make([]byte, 0, n), track: track, lastRune: -1}
	if track {
		b.starts = make([]int, 0, n)
		b.ends = make([]int, 0, n)
	}
	return b
}

// emit appends r, produced by input span [a, e).
func (b *buf) emit(r rune, a, e int) {
	b.lastRune = len(b.out)
	if r < utf8.RuneSelf {
		b.out = append(b.out, byte(r))
	} else {
		b.out = utf8.AppendRune(b.out, r)
	}
	if b.track {
		for len(b.starts) < len(b.out) {
			b.starts = append(b.starts, a)
			b.ends = append(b.ends, e)
		}
	}
}

// extend makes the last emitted rune's span reach e: input that was deleted
// right after it (marks, kashida, a collapsed letter run) belongs to it.
func (b *buf) extend(e int) {
	if !b.track || b.lastRune < 0 {
		return
	}
	for i := b.lastRune; i < len(b.ends); i++ {
		if b.ends[i] < e {
			b.ends[i] = e
		}
	}
}

// truncate drops output from byte n on.
func (b *buf) truncate(n int) {
	b.out = b.out[:n]
	if b.track {
		b.starts = b.starts[:n]
		b.ends = b.ends[:n]
	}
}

// lastRuneValue returns the last emitted rune, or -1.
func (b *buf) lastRuneValue() rune {
	if b.lastRune < 0 {
		return -1
	}
	r, _ := utf8.DecodeRune(b.out[b.lastRune:])
	return r
}

// spanMap gives, for each byte of a string derived from an original one, the
// original span that produced it. A nil spanMap is the identity.
type spanMap struct {
	starts, ends []int
}

// compose maps the spans of outer (relative to an intermediate string whose
// own map to the original is inner) to spans of the original.
func compose(inner *spanMap, outer *buf) *spanMap {
	if !outer.track {
		return nil
	}
	m := &spanMap{starts: outer.starts, ends: outer.ends}
	if inner == nil {
		return m
	}
	for i := range m.starts {
		a, e := m.starts[i], m.ends[i]
		m.starts[i] = inner.starts[a]
		if e > a {
			m.ends[i] = inner.ends[e-1]
		} else {
			m.ends[i] = inner.starts[a]
		}
	}
	return m
}

// normalizeMap applies form f to s. If s is already normal it returns s and
// a nil (identity) map. Otherwise, with track set, it maps each output byte
// to the normalization segment of s it came from; segments that normalize to
// themselves are mapped rune by rune.
func normalizeMap(f norm.Form, s string, track bool) (string, *spanMap) {
	n := f.QuickSpanString(s)
	if n == len(s) {
		return s, nil
	}
	if !track {
		return f.String(s), nil
	}
	out := make([]byte, 0, len(s)+8)
	m := &spanMap{starts: make([]int, 0, len(s)+8), ends: make([]int, 0, len(s)+8)}
	// The quick span ends at a boundary, so the prefix maps to itself.
	identity := func(a, e int) {
		for i := a; i < e; {
			_, size := utf8.DecodeRuneInString(s[i:e])
			for k := 0; k < size; k++ {
				m.starts = append(m.starts, i)
				m.ends = append(m.ends, i+size)
			}
			i += size
		}
		out = append(out, s[a:e]...)
	}
	identity(0, n)
	for i := n; i < len(s); {
		e := i + f.NextBoundaryInString(s[i:], true)
		if e <= i {
			e = len(s)
		}
		seg := f.String(s[i:e])
		if seg == s[i:e] {
			identity(i, e)
		} else {
			out = append(out, seg...)
			for len(m.starts) < len(out) {
				m.starts = append(m.starts, i)
				m.ends = append(m.ends, e)
			}
		}
		i = e
	}
	return string(out), m
}
