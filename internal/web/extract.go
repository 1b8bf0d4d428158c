package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/extract"
	"github.com/twinning/twinning/internal/registry"
	"github.com/twinning/twinning/internal/twin"
)

// Reading the news (DESIGN §5): POST /api/v1/extract proposes records from an article;
// POST /api/v1/extract/accept and the staff page /{lang}/staff/extract turn the proposals a
// reviewer accepts into records (registry.Accept), all in one transaction, each record citing
// the article.

// extractRequest is the body of POST /api/v1/extract.
type extractRequest struct {
	Text      string `json:"text"`
	URL       string `json:"url,omitempty"`
	Published string `json:"published,omitempty"` // YYYY-MM-DD
	Lang      string `json:"lang,omitempty"`      // fa or en; detected when empty
}

// acceptRequest is the body of POST /api/v1/extract/accept: the article again (it is read
// again, so the facts are the server's own and never the client's) and the facts to accept.
type acceptRequest struct {
	Text      string       `json:"text"`
	URL       string       `json:"url,omitempty"`
	Published string       `json:"published,omitempty"` // YYYY-MM-DD
	Lang      string       `json:"lang,omitempty"`
	Accept    []acceptItem `json:"accept"`
}

// acceptItem is a registry.Decision on the wire: one fact of the extract answer by kind and
// index ("agreement:0") with the values the reviewer changed.
type acceptItem struct {
	Ref    string            `json:"ref"`
	Values map[string]string `json:"values,omitempty"`
}

// acceptAnswer lists the records the accepted facts became.
type acceptAnswer struct {
	Applied []appliedFact `json:"applied"`
}

// appliedFact is a registry.Applied on the wire: one accepted fact and the record it created
// or changed.
type appliedFact struct {
	Ref    string `json:"ref"`
	Kind   string `json:"kind"` // agreement, institution, person, activity; domain facts name their agreement
	ID     int64  `json:"id"`
	Action string `json:"action"`          // created, updated, unchanged
	Claim  bool   `json:"claim,omitempty"` // the article disagreed with the record: kept as a claim
}

// extractRoutes declares the news-reading API and the staff page.
func (s *Server) extractRoutes() []route {
	rs := []route{
		{method: "POST", pattern: "/api/v1/extract", handler: s.extractArticle, api: true, tag: "news",
			summary: "Read a news article (Persian or English) and propose records, each with its evidence span", body: extractRequest{}, reply: extract.Result{}, status: 200},
		{method: "POST", pattern: "/api/v1/extract/accept", handler: s.acceptArticle, api: true, tag: "news", write: true, kind: "extract", action: auth.ActAccept,
			summary: "Accept facts read from an article (reviewers, admins): {text, url, published, accept: [{ref: \"agreement:0\", values: {status, signed, ...}}]}; " +
				"the article is read again and the accepted facts become agreements, institutions, people and activities in one transaction, each citing the article; " +
				"facts not listed are rejected; one invalid fact (problems keyed \"ref.field\") writes nothing",
			body: acceptRequest{}, reply: acceptAnswer{}, status: 200},
	}
	return append(rs, s.extractPageRoutes()...)
}

// checkArticle validates the article fields common to both API routes.
func checkArticle(p twin.Problems, text, published, lang string) {
	if strings.TrimSpace(text) == "" {
		p.Add("text", twin.KeyRequired, nil)
	} else if !utf8.ValidString(text) {
		p.Add("text", "wrong_type", map[string]any{"type": "string"})
	}
	if published != "" {
		if d, err := calendar.Parse(calendar.Gregorian, published); err != nil || d.Precision != calendar.Day {
			p.Add("published", "date_syntax", map[string]any{"value": published})
		}
	}
	if lang != "" && lang != "fa" && lang != "en" {
		p.Add("lang", twin.KeyInvalidChoice, map[string]any{"value": lang, "choices": "fa, en"})
	}
}

// extractArticle answers POST /api/v1/extract with the same JSON as `twinning extract`.
func (s *Server) extractArticle(w http.ResponseWriter, r *http.Request) {
	var req extractRequest
	if err := decodeBody(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	p := twin.Problems{}
	checkArticle(p, req.Text, req.Published, req.Lang)
	if err := p.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := registry.ReadArticle(req.Text, req.URL, req.Published, req.Lang)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// acceptArticle answers POST /api/v1/extract/accept.
func (s *Server) acceptArticle(w http.ResponseWriter, r *http.Request) {
	var req acceptRequest
	if err := decodeBody(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	p := twin.Problems{}
	checkArticle(p, req.Text, req.Published, req.Lang)
	if err := p.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.authorize(r, "extract", auth.ActAccept, nil); err != nil {
		s.fail(w, r, err)
		return
	}
	decided := make([]registry.Decision, len(req.Accept))
	for i, it := range req.Accept {
		decided[i] = registry.Decision(it)
	}
	applied, problems, err := s.reg.AcceptArticle(r.Context(), req.Text, req.URL, req.Published, req.Lang, decided)
	if err == nil && len(problems) > 0 {
		err = problems.Err()
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ans := acceptAnswer{Applied: make([]appliedFact, len(applied))}
	for i, a := range applied {
		ans.Applied[i] = appliedFact(a)
	}
	writeJSON(w, http.StatusOK, ans)
}
