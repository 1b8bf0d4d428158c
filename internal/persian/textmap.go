package persian

import (
	"sync"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// gaps is what a pass owes its output before the next visible rune: a space and a ZWNJ, each
// with the span of input it stands for. Canonical and Fold both collapse runs of white space
// into one space, drop white space at the start, and keep a ZWNJ only where it is followed by
// more of the word.
type gaps struct {
	b        *buf
	pendSp   bool // a space is due before the next visible rune
	spA, spE int
	pendZW   bool // a ZWNJ is due if the next rune is word-like
	zwA, zwE int
}

// space owes a space for input [a, e), joining a run of them; it drops a pending ZWNJ, and
// owes nothing before the first visible rune.
func (g *gaps) space(a, e int) {
	g.pendZW = false
	if g.b.lastRune < 0 {
		return
	}
	if !g.pendSp {
		g.pendSp, g.spA = true, a
	}
	g.spE = e
}

// joiner owes a ZWNJ for input [a, e), joining a run of them.
func (g *gaps) joiner(a, e int) {
	if !g.pendZW {
		g.pendZW, g.zwA = true, a
	}
	g.zwE = e
}

// emit writes r, from input [a, e), after the pending space and, when word is set, the
// pending ZWNJ (a ZWNJ before punctuation is dropped).
func (g *gaps) emit(r rune, word bool, a, e int) {
	if g.pendSp {
		g.b.emit(' ', g.spA, g.spE)
		g.pendSp = false
	}
	if g.pendZW {
		if word {
			g.b.emit(zwnj, g.zwA, g.zwE)
		}
		g.pendZW = false
	}
	g.b.emit(r, a, e)
}

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

// bufPool keeps the output and end buffers of finished passes: they are
// the larger part of what folding a document allocates.
var bufPool sync.Pool

// getBuf returns an empty buf for n bytes of output, in pooled memory,
// with the starts in dst's memory when it is large enough.
func getBuf(n int, track bool, dst []int) *buf {
	b, _ := bufPool.Get().(*buf)
	if b == nil {
		b = &buf{}
	}
	b.out, b.track, b.lastRune = grown(b.out, n), track, -1
	if track {
		if dst != nil {
			b.starts = dst
		}
		b.starts, b.ends = grown(b.starts, n), grown(b.ends, n)
	}
	return b
}

// putBuf hands b back to the pool with its memory: whoever keeps its
// starts or ends (FoldMapTo's offsets, a span map) sets them to nil first.
func putBuf(b *buf) {
	if b != nil {
		bufPool.Put(b)
	}
}

// grown returns s emptied, with room for n elements.
func grown[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, 0, n)
	}
	return s[:0]
}

// emit appends r, produced by input span [a, e).
func (b *buf) emit(r rune, a, e int) {
	b.lastRune = len(b.out)
	if r < utf8.RuneSelf {
		b.out = append(b.out, byte(r))
	} else if r < 0x800 {
		b.out = append(b.out, 0xC0|byte(r>>6), 0x80|byte(r)&0x3F)
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

// spans returns the span map a tracking buf recorded, or nil.
func (b *buf) spans() *spanMap {
	if !b.track {
		return nil
	}
	return &spanMap{starts: b.starts, ends: b.ends}
}

// chain maps the spans of next (relative to the string prev maps from)
// back to the original.
func chain(prev, next *spanMap) *spanMap {
	if prev == nil {
		return next
	}
	if next == nil {
		return prev
	}
	for i := range next.starts {
		a, e := next.starts[i], next.ends[i]
		next.starts[i] = prev.starts[a]
		if e > a {
			next.ends[i] = prev.ends[e-1]
		} else {
			next.ends[i] = prev.starts[a]
		}
	}
	return next
}

// Runes below inertLimit, and in the General Punctuation block, whose
// normalization under NFC (bit 0) or NFKC (bit 1) is themselves and which
// never combine with what precedes them: a string of such runes is already
// normal. Checking them by table is much faster than norm's quick check.
const inertLimit = 0x800

var inert [inertLimit + 0x70]uint8

func init() {
	set := func(r rune, idx int) {
		for bit, f := range []norm.Form{norm.NFC, norm.NFKC} {
			p := f.PropertiesString(string(r))
			if p.BoundaryBefore() && p.CCC() == 0 && f.String(string(r)) == string(r) {
				inert[idx] |= 1 << bit
			}
		}
	}
	for r := rune(0); r < inertLimit; r++ {
		set(r, int(r))
	}
	for r := rune(0x2000); r < 0x2070; r++ {
		set(r, inertLimit+int(r-0x2000))
	}
}

// isNormal reports whether s is in form f (NFC or NFKC), quickly for
// ASCII and Arabic-script text. Inert runes are segment boundaries, so only
// the stretches around other runes need norm's own check.
func isNormal(f norm.Form, s string) bool {
	bit := inertBit(f)
	segStart := 0 // start of the last inert rune: a boundary
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			segStart = i
			i++
			continue
		}
		// Arabic script and most other letters are two bytes: below
		// inertLimit.
		if c >= 0xC2 && c <= 0xDF && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			if inert[rune(c&0x1F)<<6|rune(s[i+1]&0x3F)]&bit != 0 {
				segStart = i
				i += 2
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if isInert(r, bit) {
			segStart = i
			i += size
			continue
		}
		j := i + size
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if isInert(r, bit) {
				break
			}
			j += n
		}
		if !f.IsNormalString(s[segStart:j]) {
			return false
		}
		i = j
	}
	return true
}

func inertBit(f norm.Form) uint8 {
	if f == norm.NFKC {
		return 2
	}
	return 1
}

// isInert reports whether r is in form f by itself and never combines with
// what precedes it.
func isInert(r rune, bit uint8) bool {
	switch {
	case r < inertLimit:
		return inert[r]&bit != 0
	case r >= 0x2000 && r < 0x2070:
		return inert[inertLimit+int(r-0x2000)]&bit != 0
	}
	return false
}

// normalizeMap applies form f to s. If s is already normal it returns s and
// a nil (identity) map. Otherwise, with track set, it maps each output byte
// to the normalization segment of s it came from; segments that normalize to
// themselves are mapped rune by rune.
func normalizeMap(f norm.Form, s string, track bool) (string, *spanMap) {
	if isNormal(f, s) {
		return s, nil
	}
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
