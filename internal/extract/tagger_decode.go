package extract

import (
	"math"
)

// The tagger's decoding: Viterbi over the BIO tag transitions, with each
// word's max-marginal margin, and the reading of the tags as spans.

// allowed reports whether tag t may follow tag p in BIO (p == nTags: the
// start of a sentence).
func allowed(p, t int) bool {
	switch t {
	case tILoc:
		return p == tBLoc || p == tILoc
	case tIOrg:
		return p == tBOrg || p == tIOrg
	case tIPer:
		return p == tBPer || p == tIPer
	}
	return true
}

const negInf = math.MinInt32 / 4

// bioIn is the I tag allowed after tag p besides O and the B tags, or -1.
func bioIn(p int) int {
	switch p {
	case tBLoc, tILoc:
		return tILoc
	case tBOrg, tIOrg:
		return tIOrg
	case tBPer, tIPer:
		return tIPer
	}
	return -1
}

// bioTags checks that viterbi's unrolled loops try every allowed
// transition: O and B-X after any tag, I-X after B-X or I-X.
var bioTags = func() bool {
	_ = [1]struct{}{}[nTags-7] // seven tags
	for p := 0; p < nTags; p++ {
		for t := 0; t < nTags; t++ {
			tried := t == tO || t == tBLoc || t == tBOrg || t == tBPer || t == bioIn(p)
			if allowed(p, t) != tried {
				panic("extract: viterbi's transitions are not allowed's")
			}
		}
	}
	return true
}()

// viterbi fills tags[a:b] with the best well-formed BIO sequence for the
// emission scores em (one row per word of [a, b)) and the transitions, and
// margins[a:b] with each word's max-marginal margin: how much worse the best
// sequence that gives the word another tag scores. bp and beta are scratch
// space of len(em).
func viterbi(em [][nTags]int32, trans *[nTags + 1][nTags]int32, tags []int8, margins []int32, alpha, beta [][nTags]int32, bp [][nTags]int8) {
	n := len(em)
	if n == 0 {
		return
	}
	// The transitions with the forbidden ones at minus infinity: no test in
	// the loops (sums stay far from overflow: a forbidden path is never the
	// best of its column, so at most two infinities ever add up).
	var tr [nTags + 1][nTags]int32
	for p := range tr {
		for t := range tr[p] {
			if allowed(p, t) {
				tr[p][t] = trans[p][t]
			} else {
				tr[p][t] = negInf
			}
		}
	}
	for t := 0; t < nTags; t++ {
		alpha[0][t] = em[0][t] + tr[nTags][t]
	}
	// Only allowed transitions are tried (bioTags): a forbidden one is
	// never the best, B-X being finite wherever I-X is allowed. The loops
	// are unrolled: the compiler keeps them, and they were a tenth of the
	// extraction's instructions.
	var trT [nTags][nTags]int32 // transposed: trT[t][p] = tr[p][t]
	for p := 0; p < nTags; p++ {
		for t := 0; t < nTags; t++ {
			trT[t][p] = tr[p][t]
		}
	}
	for i := 1; i < n; i++ {
		prev, cur, back, e := &alpha[i-1], &alpha[i], &bp[i], &em[i]
		for _, t := range [...]int{tO, tBLoc, tBOrg, tBPer} { // after any tag
			r := &trT[t]
			best, arg := prev[0]+r[0], int8(0)
			if s := prev[1] + r[1]; s > best {
				best, arg = s, 1
			}
			if s := prev[2] + r[2]; s > best {
				best, arg = s, 2
			}
			if s := prev[3] + r[3]; s > best {
				best, arg = s, 3
			}
			if s := prev[4] + r[4]; s > best {
				best, arg = s, 4
			}
			if s := prev[5] + r[5]; s > best {
				best, arg = s, 5
			}
			if s := prev[6] + r[6]; s > best {
				best, arg = s, 6
			}
			cur[t], back[t] = best+e[t], arg
		}
		for _, t := range [...]int{tILoc, tIOrg, tIPer} { // after B-X or I-X
			r := &trT[t]
			best, arg := prev[t-1]+r[t-1], int8(t-1)
			if s := prev[t] + r[t]; s > best {
				best, arg = s, int8(t)
			}
			cur[t], back[t] = best+e[t], arg
		}
	}
	last := 0
	for t := 1; t < nTags; t++ {
		if alpha[n-1][t] > alpha[n-1][last] {
			last = t
		}
	}
	tags[n-1] = int8(last)
	for i := n - 1; i > 0; i-- {
		tags[i-1] = bp[i][tags[i]]
	}
	if margins == nil {
		return
	}
	beta[n-1] = [nTags]int32{}
	for i := n - 2; i >= 0; i-- {
		var next [nTags]int32
		for t := range next {
			next[t] = em[i+1][t] + beta[i+1][t]
		}
		b := &beta[i]
		for p := 0; p < nTags; p++ {
			r := &tr[p]
			best := max(r[tO]+next[tO], r[tBLoc]+next[tBLoc], r[tBOrg]+next[tBOrg], r[tBPer]+next[tBPer])
			if in := bioIn(p); in >= 0 {
				best = max(best, r[in]+next[in])
			}
			b[p] = best
		}
	}
	for i := 0; i < n; i++ {
		bt := int(tags[i])
		best := alpha[i][bt] + beta[i][bt]
		second := int32(math.MinInt32)
		for t := 0; t < nTags; t++ {
			if t != bt {
				second = max(second, alpha[i][t]+beta[i][t])
			}
		}
		if second < negInf/2 {
			margins[i] = math.MaxInt32 / 2 // every other tag is forbidden here
		} else {
			margins[i] = best - second
		}
	}
}

// tagSpan is a labelled span of words.
type tagSpan struct {
	a, b   int
	kind   int   // tBLoc, tBOrg, tBPer
	margin int32 // the smallest margin of its words
}

// spans reads the BIO tags as spans.
func spans(tags []int8, margins []int32) []tagSpan {
	var out []tagSpan
	for i := 0; i < len(tags); {
		t := int(tags[i])
		if t == tBLoc || t == tBOrg || t == tBPer {
			j := i + 1
			for j < len(tags) && int(tags[j]) == t+1 {
				j++
			}
			sp := tagSpan{a: i, b: j, kind: t, margin: math.MaxInt32}
			if margins != nil {
				for k := i; k < j; k++ {
					sp.margin = min(sp.margin, margins[k])
				}
			}
			out = append(out, sp)
			i = j
			continue
		}
		i++
	}
	return out
}
