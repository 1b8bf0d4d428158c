package web

import (
	"context"
	"github.com/twinning/twinning/internal/httpx"
	"strings"
	"unicode/utf8"

	"github.com/twinning/twinning/internal/intel"
	"github.com/twinning/twinning/internal/persian"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// kindChoices lists the kinds a search may ask for, for the error that names them.
var kindChoices = func() string {
	var names []string
	for _, k := range twin.Kinds {
		names = append(names, string(k))
	}
	return strings.Join(names, ", ")
}()

// searchRecords runs the store's search and describes each hit in the reader's language.
func (s *Server) searchRecords(ctx context.Context, q string, kinds []string, limit int, lang string) (any, error) {
	if err := checkSearch(q, kinds); err != nil {
		return nil, err
	}
	usable := usableFrom(ctx) // a form's picker: only what its editor may use
	ask := limit
	if usable != nil {
		ask = min(max(limit, 20)*4, 200)
	}
	hits, err := s.db.Search(ctx, q, kinds, ask)
	if err != nil {
		return nil, err
	}
	if hits, err = s.reg.NamedFirst(ctx, q, kinds, hits); err != nil {
		return nil, err
	}
	hits = usable.keepUsable(ctx, hits)
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	return s.describeHits(ctx, hits, q, lang)
}

// checkSearch refuses a search without words or for a kind that does not exist.
func checkSearch(q string, kinds []string) error {
	p := twin.Problems{}
	if q == "" {
		p.Add("q", twin.KeyRequired, nil)
	}
	for _, k := range kinds {
		if !twin.Kind(k).Valid() {
			p.Add("type", twin.KeyInvalidChoice, map[string]any{"value": k, "choices": kindChoices})
		}
	}
	return p.Err()
}

// describeHits describes each hit in lang in one batched read, with its snippet; hits whose
// record has gone since are left out.
func (s *Server) describeHits(ctx context.Context, hits []store.Hit, q, lang string) (httpx.SearchResult, error) {
	ds, err := s.reg.Describe(ctx, hits, lang)
	if err != nil {
		return httpx.SearchResult{}, err
	}
	res := httpx.SearchResult{Items: []httpx.SearchHit{}}
	for i, h := range hits {
		d := ds[i]
		if !d.Found {
			continue
		}
		sh := httpx.SearchHit{Kind: string(h.Kind), ID: h.ID, Ref: d.Ref, Title: d.Title, Names: d.Names, Match: h.Match, Score: h.Score}
		sh.Snippet, sh.Highlight = highlight(d.Text, q)
		sh.URL = "/api/v1/" + h.Kind.Plural() + "/" + sh.Ref
		res.Items = append(res.Items, sh)
	}
	return res, s.tellApart(ctx, res.Items, lang)
}

// tellApart gives the city hits that share their title with another hit a detail that tells
// them apart (intel.TellApart), so that a picker offers "Springfield (United States · partner
// of Tai'an, Kilkenny)" and not five Springfields. Only a page with namesakes reads anything
// more (their partners' names, in one query).
func (s *Server) tellApart(ctx context.Context, items []httpx.SearchHit, lang string) error {
	var cs []intel.Namesake
	for _, h := range items {
		if h.Kind == string(twin.KindCity) {
			cs = append(cs, intel.Namesake{ID: h.ID, Ref: h.Ref, Title: h.Title})
		}
	}
	tells, err := s.intel.TellApart(ctx, cs, lang)
	if err != nil {
		return err
	}
	for i, h := range items {
		if t, ok := tells[h.ID]; ok && h.Kind == string(twin.KindCity) {
			items[i].Detail = t.Text(lang)
		}
	}
	return nil
}

// highlight cuts a window of about 160 characters of text around the first words that match
// the query (the same analysis as the index: ZWNJ, Arabic letters, kashida and digits seen
// through) and marks every matching word, in the original spelling of the text.
func highlight(text, q string) (string, []httpx.Segment) {
	if text == "" {
		return "", nil
	}
	spans := hitSpans(text, queryWants(q))
	from, to := snippetWindow(text, spans)
	return joinSnippet(text, snippetSegments(text, spans, from, to), from, to)
}

// queryWants are the terms of q, in every spelling the search matches, and their stems.
func queryWants(q string) map[string]bool {
	want := map[string]bool{}
	for _, alts := range persian.QueryTerms(q) {
		for _, a := range alts {
			want[a] = true
			if st := persian.LightStem(a); st != "" {
				want["stem:"+st] = true
			}
		}
	}
	return want
}

// hitSpans are the byte spans of text's words that want names, neighbours joined.
func hitSpans(text string, want map[string]bool) [][2]int {
	var spans [][2]int
	for _, t := range persian.Tokens(text) {
		if t.Kind == persian.Part {
			continue
		}
		if want[t.Term] || want["stem:"+persian.LightStem(t.Term)] {
			if n := len(spans); n > 0 && (t.Start <= spans[n-1][1] || strings.TrimSpace(strings.ReplaceAll(text[spans[n-1][1]:t.Start], "\u200c", "")) == "") {
				spans[n-1][1] = max(spans[n-1][1], t.End)
				continue
			}
			spans = append(spans, [2]int{t.Start, t.End})
		}
	}
	return spans
}

// snippetWindow is the part of text the snippet shows: from a little before the first hit,
// on rune boundaries, starting and ending on a word.
func snippetWindow(text string, spans [][2]int) (from, to int) {
	const width = 160
	to = len(text)
	if len(spans) > 0 {
		from = backRunes(text, spans[0][0], 40)
	}
	if from > 0 && len(spans) > 0 {
		// Start on a word: after the first space before the first hit.
		if i := strings.IndexAny(text[from:spans[0][0]], " \n\t"); i >= 0 {
			from += i + 1
			for from < len(text) && (text[from] == ' ' || text[from] == '\n' || text[from] == '\t') {
				from++
			}
		}
	}
	if runes := []rune(text[from:]); len(runes) > width {
		to = from + len(string(runes[:width]))
		// End on a word: at the last space of the window, if it keeps most of it.
		if i := strings.LastIndexAny(text[from:to], " \n\t"); i > len(text[from:to])/2 {
			to = from + i
		}
	}
	return from, to
}

// snippetSegments cuts text[from:to] at the hits' spans.
func snippetSegments(text string, spans [][2]int, from, to int) []httpx.Segment {
	var segs []httpx.Segment
	pos := from
	for _, sp := range spans {
		if sp[0] >= to {
			break
		}
		if sp[0] > pos {
			segs = append(segs, httpx.Segment{Text: text[pos:sp[0]]})
		}
		end := min(sp[1], to)
		segs = append(segs, httpx.Segment{Text: text[max(sp[0], pos):end], Hit: true})
		pos = end
	}
	if pos < to {
		segs = append(segs, httpx.Segment{Text: text[pos:to]})
	}
	return segs
}

// joinSnippet is the snippet's text, with an ellipsis where the window cuts text (on the
// first and last segments too).
func joinSnippet(text string, segs []httpx.Segment, from, to int) (string, []httpx.Segment) {
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
		if len(segs) > 0 {
			segs[0].Text = "…" + segs[0].Text
		}
	}
	for i, sg := range segs {
		if i == 0 && from > 0 {
			b.WriteString(strings.TrimPrefix(sg.Text, "…"))
			continue
		}
		b.WriteString(sg.Text)
	}
	if to < len(text) {
		b.WriteString("…")
		if len(segs) > 0 {
			segs[len(segs)-1].Text += "…"
		}
	}
	return b.String(), segs
}

// backRunes steps back up to n runes from byte offset i.
func backRunes(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}
