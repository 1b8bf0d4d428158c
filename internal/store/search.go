package store

import (
	"context"
	"fmt"
	"iter"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/twinning/twinning/internal/persian"
	"github.com/twinning/twinning/internal/twin"
)

// The search index is a table of (term, kind, id, weight) rows, unique by (term, kind, id),
// that the store keeps current in
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
// A query also asks for t:STEM, which no row holds: it stands for the w:STEM rows of texts
// (weight below a name word's), so that a query's stem meets a text's word that needed no
// stemming (the query «شهرداری‌ها» finds a note saying «شهرداری»; the index keeps m: rows only
// for words their stem changes). Names are never matched by a stem.
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

// wTypoHit is the category of a one-typo hit: below every word hit, so that a record holding
// every word of the query ranks above a name that is one letter away from the whole query.
const wTypoHit = 0

// stemMet is what a text's word met through the query's stem (a t: term) weighs less than the
// row's weight: it weighs as a stem, in top's SQL and in confirm alike.
const stemMet = (wText - wStem) * 1000

// termWhere returns the condition that selects the rows of term and its argument: a t:STEM
// query term selects the w:STEM rows of texts.
func termWhere(term string) (string, []any) {
	if rest, ok := strings.CutPrefix(term, "t:"); ok {
		return "(term = ? AND weight < ?)", []any{"w:" + rest, wNameWord * 1000}
	}
	return "term = ?", []any{term}
}

// termsWhere is termWhere for a set of alternative terms.
func termsWhere(terms []string) (string, []any) {
	var plain []any
	var conds []string
	var args []any
	for _, t := range terms {
		if strings.HasPrefix(t, "t:") {
			c, a := termWhere(t)
			conds = append(conds, c)
			args = append(args, a...)
		} else {
			plain = append(plain, t)
		}
	}
	if len(plain) > 0 {
		conds = append([]string{"term IN (" + placeholders(len(plain)) + ")"}, conds...)
		args = append(plain, args...)
	}
	if len(conds) == 1 {
		return conds[0], args
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

// maxTerm is the longest term the index stores, in characters after its namespace: longer
// than any word, so a "word" beyond it (a pasted blob, an address) is not indexed, and a whole
// name's key or skeleton is cut to it (queries cut theirs alike, so long names still match).
const maxTerm = 64

// capTerm returns the term as the index stores it, or false when it is not stored at all.
func capTerm(term string) (string, bool) {
	if len(term) <= 2+maxTerm {
		return term, true // short in bytes, so in characters too
	}
	body := []rune(term[2:])
	if len(body) <= maxTerm {
		return term, true
	}
	switch term[:2] {
	case "n:", "s:":
		return term[:2] + string(body[:maxTerm]), true
	}
	return "", false // words, stems and typo variants that long are no words
}

// cut shortens a whole-name key or a skeleton as capTerm does.
func cut(key string) string {
	if r := []rune(key); len(r) > maxTerm {
		return string(r[:maxTerm])
	}
	return key
}

type weighted struct {
	term   string
	weight int
}

func nameTerms(names twin.Names, aliases []string) []weighted {
	var out []weighted
	// A name written alike in several languages (most Latin names) gives the same terms each
	// time, and an alias equal to a name gives nothing heavier: each string counts once.
	seen := make(map[string]bool, len(names)+len(aliases))
	add := func(s string, base int) {
		if seen[s] {
			return
		}
		seen[s] = true
		k, words, sk := nameForms(s)
		if k != "" {
			out = append(out, weighted{"n:" + k, base})
		}
		for _, w := range words {
			out = append(out, weighted{"w:" + w, wNameWord})
		}
		if n := utf8.RuneCountInString(sk); n >= 2 {
			out = append(out, weighted{"s:" + sk, wSkeleton})
			if n >= 4 && n <= maxTerm+1 {
				for v := range deletions(sk) {
					out = append(out, weighted{"d:" + v, wTypo})
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

// titleTerms index a title: the whole title and its words, weighing as a name's words; no
// skeletons or typo variants, which are for names.
func titleTerms(titles twin.Names) []weighted {
	var out []weighted
	for _, s := range titles {
		if k := nameKey(s); k != "" {
			out = append(out, weighted{"n:" + k, wName})
		}
		for _, w := range searchTerms(s) {
			out = append(out, weighted{"w:" + w, wNameWord})
		}
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
func (t *Tx) index(ctx context.Context, kind twin.Kind, id int64, terms []weighted, boost int, fresh bool) error {
	name := string(kind)
	if !fresh {
		if _, err := t.exec(ctx, "DELETE FROM search_terms WHERE kind = ? AND id = ?", name, id); err != nil {
			return err
		}
	}
	best := map[string]int{}
	for _, w := range terms {
		term, ok := capTerm(w.term)
		if ok && w.weight > best[term] {
			best[term] = w.weight
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
			args = append(args, k, name, id, best[k]*1000+boost)
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

// MaxQuery is the longest search query, in characters: the longest name, so that any name can
// be looked for whole, and a bound on the work one query makes (every word is looked up).
const MaxQuery = twin.MaxName

// Hit is one search result: a record's kind and id and its score.
type Hit struct {
	Kind  twin.Kind `json:"kind"`
	ID    int64     `json:"id"`
	Score int       `json:"score"`
	Match string    `json:"match"` // name, alias, prefix, word, skeleton, typo
}

// posting is one row of the index.
type posting struct {
	kind   string
	id     int64
	weight int
}

// top reads the n heaviest postings of each term (of the given kinds), each through the
// (term, weight) index, so a common term costs n rows, not all of its rows.
func (db *DB) top(ctx context.Context, terms []string, kinds []string, n int) ([]posting, error) {
	if len(terms) == 0 {
		return nil, nil
	}
	kindCond := ""
	if len(kinds) > 0 {
		// kind || '' keeps the planner on the term indexes: a kind has too many rows to lead.
		kindCond = " AND kind || '' IN (" + placeholders(len(kinds)) + ")"
	}
	var b strings.Builder
	var args []any
	for i, t := range terms {
		if i > 0 {
			b.WriteString(" UNION ALL ")
		}
		cond, targs := termWhere(t)
		weight := "weight"
		if strings.HasPrefix(t, "t:") {
			// A text's word met through the query's stem weighs as a stem.
			weight = fmt.Sprintf("weight - %d", stemMet)
		}
		fmt.Fprintf(&b, "SELECT kind, id, %s FROM (SELECT kind, id, weight FROM search_terms WHERE %s%s ORDER BY weight DESC LIMIT %d) AS t%d", weight, cond, kindCond, n, i)
		args = append(args, targs...)
		for _, k := range kinds {
			args = append(args, k)
		}
	}
	return db.postings(ctx, b.String(), args...)
}

func (db *DB) postings(ctx context.Context, q string, args ...any) ([]posting, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []posting
	for rows.Next() {
		var p posting
		if err := rows.Scan(&p.kind, &p.id, &p.weight); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Search finds records of the given kinds (all kinds when empty) by a query in any script.
// Ranking: the whole name, then an alias, then a name prefix, then the cross-script skeleton,
// then words (every word of the query must match), then one-typo skeletons.
func (db *DB) Search(ctx context.Context, q string, kinds []string, limit int) (hits []Hit, err error) {
	if n := utf8.RuneCountInString(q); n > MaxQuery {
		p := twin.Problems{}
		p.Add("q", "too_long", map[string]any{"max": MaxQuery})
		return nil, p.Err()
	}
	defer wrap(&err, "Search(%q)", q)
	if limit <= 0 || limit > 200 {
		limit = 20
	}
	key := nameKey(q)
	if key == "" {
		return nil, nil
	}
	// Without its key index (after a bulk load) the search table is read whole for each of a
	// query's terms: when this process is building that index, the answer is quicker after
	// it, and the same.
	if p := db.keyBuilding.Load(); p != nil {
		select {
		case <-*p:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	type hk struct {
		kind string
		id   int64
	}
	scores := map[hk]*Hit{}
	put := func(kind string, id int64, score int, match string) {
		k := hk{kind, id}
		if h, ok := scores[k]; !ok || score > h.Score {
			scores[k] = &Hit{Kind: twin.Kind(kind), ID: id, Score: score, Match: match}
		}
	}
	// Whole names and aliases.
	key = cut(key)
	ps, err := db.top(ctx, []string{"n:" + key}, kinds, 200)
	if err != nil {
		return nil, err
	}
	named := len(ps) > 0
	for _, p := range ps {
		m := "name"
		if p.weight/1000 == wAlias {
			m = "alias"
		}
		put(p.kind, p.id, p.weight, m)
	}
	// A Cyrillic query is also a name in its Latin transliterations, Uzbek and Russian
	// (doc/persian.md §4.1): «Самарқанд» is Samarqand, «Бухоро» Buxoro, names their cities'
	// records carry; such a match counts as an alias.
	looked := map[string]bool{key: true}
	for _, reading := range persian.Readings(q) {
		lk := cut(nameKey(reading))
		if looked[lk] || lk == "" {
			continue
		}
		looked[lk] = true
		ps, err := db.top(ctx, []string{"n:" + lk}, kinds, 200)
		if err != nil {
			return nil, err
		}
		named = named || len(ps) > 0
		for _, p := range ps {
			put(p.kind, p.id, wAlias*1000+p.weight%1000, "alias")
		}
	}
	// Name prefixes, from four letters on ("Isfa" finds Isfahan), from three in Arabic script,
	// which writes no short vowels: «اصف» is what "Esfa" is in Latin letters, and a Persian
	// reader typing a city's name into a picker expects it there.
	if n := len([]rune(key)); n >= 4 || n == 3 && arabicScript(key) {
		args := []any{"n:" + key, "n:" + key + "\U0010FFFF"}
		cond := ""
		if len(kinds) > 0 {
			cond = " AND kind || '' IN (" + placeholders(len(kinds)) + ")"
			for _, k := range kinds {
				args = append(args, k)
			}
		}
		ps, err := db.postings(ctx, "SELECT kind, id, weight FROM search_terms WHERE term > ? AND term < ?"+cond+" LIMIT 300", args...)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			put(p.kind, p.id, 60*1000+p.weight%1000, "prefix")
		}
	}
	// Cross-script skeleton.
	sk := skeleton(q)
	if len([]rune(sk)) >= 3 {
		ps, err := db.top(ctx, []string{"s:" + cut(sk)}, kinds, 200)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			put(p.kind, p.id, p.weight, "skeleton")
		}
	}
	if err := db.searchWords(ctx, q, kinds, limit, put); err != nil {
		return nil, err
	}
	// One typo in a name (Latin scripts mostly), when no name matched as written: deletions of
	// the query skeleton against the indexed deletions, and the skeleton itself against them.
	// (No indexed variant is longer than maxTerm, so a longer skeleton has none to meet.)
	if n := utf8.RuneCountInString(sk); n >= 4 && n <= maxTerm+1 && !named && len(scores) < limit {
		cands := []string{"d:" + sk}
		for v := range deletions(sk) {
			cands = append(cands, "d:"+v, "s:"+v)
		}
		ps, err := db.top(ctx, cands, kinds, 50)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			put(p.kind, p.id, wTypoHit*1000+p.weight%1000, "typo")
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

// maxCandidates bounds how many postings of the rarest query word are read before the other
// words narrow them down. Below it the AND is exact; above it (every word of the query is
// common) the heaviest postings are kept, which is where the ranking looks anyway.
const maxCandidates = 300

// searchWords finds records holding every word of q. Each word is a group of alternative terms;
// the rarest group is read first and the others only confirm its candidates, through the
// (term, kind, id) key, so a common word never truncates the answer of a rare one.
func (db *DB) searchWords(ctx context.Context, q string, kinds []string, limit int, put func(string, int64, int, string)) error {
	groups, stems := queryGroups(q)
	if len(groups) == 0 {
		return nil
	}
	terms := make([][]string, len(groups))
	for i, alts := range groups {
		for _, a := range alts {
			terms[i] = append(terms[i], "w:"+a)
		}
		for _, st := range stems[i] {
			if slices.Contains(alts, st) {
				continue
			}
			terms[i] = append(terms[i], "m:"+st, "t:"+st)
		}
	}
	// A term every word offers (the compact «میتوانند» of «می توانند», the shingle
	// «بینالمللی» of «بین المللی») matches the whole query by itself: when it brings enough
	// records, the words need not be intersected at all.
	if len(groups) > 1 {
		var shared []string
		for _, t := range terms[0] {
			all := true
			for _, g := range terms[1:] {
				all = all && slices.Contains(g, t)
			}
			if all {
				shared = append(shared, t)
			}
		}
		if len(shared) > 0 {
			ps, err := db.top(ctx, shared, kinds, max(limit*3, 60))
			if err != nil {
				return err
			}
			seen := map[[2]any]bool{}
			for _, p := range ps {
				put(p.kind, p.id, p.weight, "word")
				seen[[2]any{p.kind, p.id}] = true
			}
			if len(seen) >= limit {
				return nil
			}
		}
	}
	counts := make([]int, len(groups))
	for i := range groups {
		for _, t := range terms[i] {
			var n int
			cond, args := termWhere(t)
			if err := db.queryRow(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM search_terms WHERE "+cond+" LIMIT "+strconv.Itoa(maxCandidates+1)+") AS c", args...).Scan(&n); err != nil {
				return err
			}
			counts[i] += n
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

	// A term that several neighbouring words offer together (the shingle «جشنوارهفیلم» of
	// «جشنواره فیلم کودک») narrows the candidates to records with those words side by side;
	// the other words confirm them. When every word is common, enough such records answer the
	// query.
	if len(groups) > 2 && counts[order[0]] > maxCandidates {
		best, covers := "", 1
		for _, g := range terms {
			for _, t := range g {
				n := 0
				for _, h := range terms {
					if slices.Contains(h, t) {
						n++
					}
				}
				if n > covers {
					best, covers = t, n
				}
			}
		}
		if best != "" {
			ps, err := db.top(ctx, []string{best}, kinds, maxCandidates)
			if err != nil {
				return err
			}
			cands := map[hitKey]*hitAcc{}
			for _, p := range ps {
				cands[hitKey{p.kind, p.id}] = &hitAcc{sum: p.weight / 1000 * covers, boost: p.weight % 1000}
			}
			for _, g := range terms {
				if slices.Contains(g, best) {
					continue
				}
				if cands, err = db.confirm(ctx, cands, g); err != nil {
					return err
				}
			}
			for k, a := range cands {
				put(k.kind, k.id, a.sum/len(groups)*1000+a.boost, "word")
			}
			if len(cands) >= limit {
				return nil
			}
		}
	}

	cands := map[hitKey]*hitAcc{}
	n := maxCandidates
	if len(groups) == 1 {
		n = max(limit*5, 100) // one word: only the best few are wanted
	}
	first, err := db.top(ctx, terms[order[0]], kinds, n)
	if err != nil {
		return err
	}
	for _, p := range first {
		k := hitKey{p.kind, p.id}
		if a, ok := cands[k]; !ok || p.weight/1000 > a.sum {
			cands[k] = &hitAcc{sum: p.weight / 1000, boost: p.weight % 1000}
		}
	}
	for _, gi := range order[1:] {
		if cands, err = db.confirm(ctx, cands, terms[gi]); err != nil {
			return err
		}
	}
	for k, a := range cands {
		put(k.kind, k.id, a.sum/len(groups)*1000+a.boost, "word")
	}
	return nil
}

// hitKey names a record in the index; hitAcc adds up its weights over the query's words.
type hitKey struct {
	kind string
	id   int64
}

type hitAcc struct{ sum, boost int }

// confirm keeps the candidates holding one of terms, adding the term's weight, through the
// (term, kind, id) key.
func (db *DB) confirm(ctx context.Context, cands map[hitKey]*hitAcc, terms []string) (map[hitKey]*hitAcc, error) {
	next := map[hitKey]*hitAcc{}
	if len(cands) == 0 {
		return next, nil
	}
	// The w: terms the query's t: terms stand for.
	stemmed := map[string]bool{}
	for _, t := range terms {
		if rest, ok := strings.CutPrefix(t, "t:"); ok {
			stemmed["w:"+rest] = true
		}
	}
	byKind := map[string][]int64{}
	for k := range cands {
		byKind[k.kind] = append(byKind[k.kind], k.id)
	}
	for kind, ids := range byKind {
		slices.Sort(ids)
		for chunk := range chunks(ids, 500) {
			cond, args := termsWhere(terms)
			args = append(args, kind)
			for _, id := range chunk {
				args = append(args, id)
			}
			rows, err := db.query(ctx, "SELECT id, term, weight FROM search_terms WHERE "+cond+" AND kind = ? AND id IN ("+placeholders(len(chunk))+")", args...)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var id int64
				var term string
				var w int
				if err := rows.Scan(&id, &term, &w); err != nil {
					rows.Close()
					return nil, err
				}
				if stemmed[term] && w < wNameWord*1000 {
					w -= stemMet // a text's word met through the query's stem
				}
				k := hitKey{kind, id}
				a, ok := cands[k]
				if !ok {
					continue
				}
				if b, ok := next[k]; !ok || a.sum+w/1000 > b.sum {
					next[k] = &hitAcc{sum: a.sum + w/1000, boost: a.boost}
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
	}
	return next, nil
}

// searchIndexes are the secondary indexes of the search table, as the migrations create them.
var searchIndexes = []struct{ name, sql string }{
	{"search_terms_key", "CREATE UNIQUE INDEX search_terms_key ON search_terms(term, kind, id)"},
	{"search_terms_top", "CREATE INDEX search_terms_top ON search_terms(term, weight)"},
	{"search_terms_record", "CREATE INDEX search_terms_record ON search_terms(kind, id)"},
}

// HitIDs lists the ids of hits, in their ranked order.
func HitIDs(hits []Hit) []int64 {
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	return ids
}

// deletions yields each variant of s with one letter deleted, in order: the typo variants a
// name's skeleton is indexed under and a query's skeleton is looked up by.
func deletions(s string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for i, r := range s {
			if !yield(s[:i] + s[i+utf8.RuneLen(r):]) {
				return
			}
		}
	}
}

// arabicScript reports whether every letter of s is in the Arabic script (Persian is written
// in it).
func arabicScript(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Arabic, r) {
			return false
		}
	}
	return s != ""
}
