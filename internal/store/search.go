package store

import (
	"context"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/twin"
)

// The search index is a table of (term, kind, id, weight) rows that the store keeps current in
// the same transaction as every write. Terms come from internal/persian, so SQLite and
// PostgreSQL index and answer exactly alike; neither engine's own text search handles Persian.
//
// Term namespaces:
//
//	n:KEY   a whole name's NameKey (names weigh more than aliases)
//	w:TERM  a word of a name or text, with ZWNJ joins and compact shingles
//	s:SKEL  a name's cross-script skeleton (Samarkand = Самарқанд = سمرقند)
//	d:SKEL  a skeleton with one letter deleted, for one-typo tolerance in Latin names
//	m:STEM  the light stem of a word of a text (never of a name), weighing least
//
// A row's weight is the term's base weight times 1000 plus a small boost (population for
// cities), so one ORDER BY ranks exact names, then aliases, then prefixes, then words.
const (
	wName     = 100
	wAlias    = 80
	wSkeleton = 30
	wNameWord = 20
	wTypo     = 10
	wText     = 2
	wStem     = 1
)

type weighted struct {
	term   string
	weight int
}

func nameTerms(names twin.Names, aliases []string) []weighted {
	var out []weighted
	add := func(s string, base int) {
		if k := nameKey(s); k != "" {
			out = append(out, weighted{"n:" + k, base})
		}
		for _, w := range searchTerms(s) {
			out = append(out, weighted{"w:" + w, wNameWord})
		}
		if sk := skeleton(s); len([]rune(sk)) >= 2 {
			out = append(out, weighted{"s:" + sk, wSkeleton})
			if r := []rune(sk); len(r) >= 4 {
				for i := range r {
					out = append(out, weighted{"d:" + string(r[:i]) + string(r[i+1:]), wTypo})
				}
			}
		}
	}
	for _, n := range names {
		add(n, wName)
	}
	for _, a := range aliases {
		add(a, wAlias)
	}
	return out
}

func textTerms(texts twin.Names) []weighted {
	var out []weighted
	for _, s := range texts {
		for _, w := range searchTerms(s) {
			out = append(out, weighted{"w:" + w, wText})
		}
		for _, st := range stemTerms(s) {
			out = append(out, weighted{"m:" + st, wStem})
		}
	}
	return out
}

// index replaces the record's terms; a nil terms list removes them.
func (t *Tx) index(ctx context.Context, kind string, id int64, terms []weighted, boost int, fresh bool) error {
	if !fresh {
		if _, err := t.exec(ctx, "DELETE FROM search_terms WHERE kind = ? AND id = ?", kind, id); err != nil {
			return err
		}
	}
	best := map[string]int{}
	for _, w := range terms {
		if w.weight > best[w.term] {
			best[w.term] = w.weight
		}
	}
	if len(best) == 0 {
		return nil
	}
	keys := make([]string, 0, len(best))
	for k := range best {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for chunk := range chunks(keys, 100) {
		var b strings.Builder
		args := make([]any, 0, len(chunk)*4)
		b.WriteString("INSERT INTO search_terms (term, kind, id, weight) VALUES ")
		for i, k := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?)")
			args = append(args, k, kind, id, best[k]*1000+boost)
		}
		if _, err := t.exec(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// PopulationBoost turns a population into a 0–999 ranking boost.
func PopulationBoost(pop int64) int {
	if pop <= 0 {
		return 0
	}
	return min(999, int(math.Log10(float64(pop))*100))
}

// Hit is one search result: a record's kind and id and its score.
type Hit struct {
	Kind  string `json:"kind"`
	ID    int64  `json:"id"`
	Score int    `json:"score"`
	Match string `json:"match"` // name, alias, prefix, word, skeleton, typo
}

// Search finds records of the given kinds (all kinds when empty) by a query in any script.
// Ranking: the whole name, then an alias, then a name prefix, then the cross-script skeleton,
// then words (every word of the query must match), then one-typo skeletons.
func (db *DB) Search(ctx context.Context, q string, kinds []string, limit int) (hits []Hit, err error) {
	defer wrap(&err, "Search(%q)", q)
	if limit <= 0 || limit > 200 {
		limit = 20
	}
	key := nameKey(q)
	if key == "" {
		return nil, nil
	}
	scores := map[[2]any]*Hit{}
	put := func(kind string, id int64, score int, match string) {
		k := [2]any{kind, id}
		if h, ok := scores[k]; !ok || score > h.Score {
			scores[k] = &Hit{Kind: kind, ID: id, Score: score, Match: match}
		}
	}
	kindCond, kindArgs := "", []any{}
	if len(kinds) > 0 {
		kindCond = " AND kind IN (" + placeholders(len(kinds)) + ")"
		for _, k := range kinds {
			kindArgs = append(kindArgs, k)
		}
	}
	run := func(cond string, args []any, fn func(kind string, id int64, w int)) error {
		rows, err := db.query(ctx, "SELECT kind, id, weight FROM search_terms WHERE "+cond+kindCond+" ORDER BY weight DESC LIMIT 500", append(args, kindArgs...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var kind string
			var id int64
			var w int
			if err := rows.Scan(&kind, &id, &w); err != nil {
				return err
			}
			fn(kind, id, w)
		}
		return rows.Err()
	}
	// Whole names and aliases.
	if err := run("term = ?", []any{"n:" + key}, func(k string, id int64, w int) {
		m := "name"
		if w/1000 == wAlias {
			m = "alias"
		}
		put(k, id, w, m)
	}); err != nil {
		return nil, err
	}
	// Name prefixes, from four letters on ("Isfa" finds Isfahan; «تهر» is not a word of تهران).
	if len([]rune(key)) >= 4 {
		if err := run("term > ? AND term < ?", []any{"n:" + key, "n:" + key + "\U0010FFFF"}, func(k string, id int64, w int) {
			put(k, id, 60*1000+w%1000, "prefix")
		}); err != nil {
			return nil, err
		}
	}
	// Cross-script skeleton.
	sk := skeleton(q)
	if len([]rune(sk)) >= 3 {
		if err := run("term = ?", []any{"s:" + sk}, func(k string, id int64, w int) { put(k, id, w, "skeleton") }); err != nil {
			return nil, err
		}
	}
	// Words: every query word must match, through one of its alternatives (its compact term,
	// the ZWNJ joins and compact shingles it forms with its neighbours, its light stem). Words
	// match whole: «تهر» does not find تهران, «دان» does not find میدان.
	if err := db.searchWords(ctx, q, kindCond, kindArgs, put); err != nil {
		return nil, err
	}
	// One typo in a name (Latin scripts mostly): deletions of the query skeleton against the
	// indexed deletions, and the skeleton itself against them.
	if r := []rune(sk); len(r) >= 4 {
		cands := []any{"d:" + sk}
		for i := range r {
			cands = append(cands, "d:"+string(r[:i])+string(r[i+1:]), "s:"+string(r[:i])+string(r[i+1:]))
		}
		if err := run("term IN ("+placeholders(len(cands))+")", cands, func(k string, id int64, w int) {
			put(k, id, wTypo*1000+w%1000, "typo")
		}); err != nil {
			return nil, err
		}
	}
	for _, h := range scores {
		hits = append(hits, *h)
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		if hits[i].Kind != hits[j].Kind {
			return hits[i].Kind < hits[j].Kind
		}
		return hits[i].ID < hits[j].ID
	})
	if len(hits) > limit {
		hits = hits[:limit]
	}
	return hits, nil
}

// maxCandidates bounds how many records the rarest query word may bring before the others
// narrow them down.
const maxCandidates = 20000

// searchWords finds records holding every word of q. Each word is a group of alternative terms;
// the rarest group is read first and the others only confirm its candidates, so a common word
// never truncates the answer of a rare one.
func (db *DB) searchWords(ctx context.Context, q, kindCond string, kindArgs []any, put func(string, int64, int, string)) error {
	groups := queryGroups(q)
	if len(groups) == 0 {
		return nil
	}
	terms := make([][]any, len(groups))
	for i, alts := range groups {
		for _, a := range alts {
			terms[i] = append(terms[i], "w:"+a)
		}
		if st := queryStem(alts[0]); st != "" {
			terms[i] = append(terms[i], "m:"+st)
		}
	}
	counts := make([]int, len(groups))
	for i := range groups {
		if err := db.queryRow(ctx, "SELECT COUNT(*) FROM search_terms WHERE term IN ("+placeholders(len(terms[i]))+")", terms[i]...).Scan(&counts[i]); err != nil {
			return err
		}
		if counts[i] == 0 {
			return nil // a word nobody has: no record holds them all
		}
	}
	order := make([]int, len(groups))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return counts[order[a]] < counts[order[b]] })

	type key struct {
		kind string
		id   int64
	}
	type acc struct{ sum, boost int }
	cands := map[key]*acc{}
	first := terms[order[0]]
	rows, err := db.query(ctx, "SELECT kind, id, weight FROM search_terms WHERE term IN ("+placeholders(len(first))+")"+kindCond+" ORDER BY weight DESC LIMIT "+strconv.Itoa(maxCandidates), append(append([]any{}, first...), kindArgs...)...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k key
		var w int
		if err := rows.Scan(&k.kind, &k.id, &w); err != nil {
			rows.Close()
			return err
		}
		if a, ok := cands[k]; !ok || w/1000 > a.sum {
			cands[k] = &acc{sum: w / 1000, boost: w % 1000}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, gi := range order[1:] {
		if len(cands) == 0 {
			return nil
		}
		ids := make([]int64, 0, len(cands))
		for k := range cands {
			ids = append(ids, k.id)
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		next := map[key]*acc{}
		for chunk := range chunks(ids, 500) {
			args := append([]any{}, terms[gi]...)
			for _, id := range chunk {
				args = append(args, id)
			}
			rows, err := db.query(ctx, "SELECT kind, id, MAX(weight) FROM search_terms WHERE term IN ("+placeholders(len(terms[gi]))+") AND id IN ("+placeholders(len(chunk))+") GROUP BY kind, id", args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var k key
				var w int
				if err := rows.Scan(&k.kind, &k.id, &w); err != nil {
					rows.Close()
					return err
				}
				if a, ok := cands[k]; ok {
					next[k] = &acc{sum: a.sum + w/1000, boost: a.boost}
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		cands = next
	}
	for k, a := range cands {
		put(k.kind, k.id, a.sum/len(groups)*1000+a.boost, "word")
	}
	return nil
}
