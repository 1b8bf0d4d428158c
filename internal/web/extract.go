package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/registry"
	"github.com/twinning/twinning/internal/twin"
)

// Reading the news (doc/design.md, "A news article"): POST /api/v1/extract proposes records
// from an article; POST /api/v1/extract/accept and the staff page /{lang}/staff/extract turn
// the proposals a reviewer accepts into records (registry.Accept), all in one transaction, each
// record citing the article.

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
func (s *Server) extractArticle(w http.ResponseWriter, r *http.Request) error {
	var req extractRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	p := twin.Problems{}
	checkArticle(p, req.Text, req.Published, req.Lang)
	if err := p.Err(); err != nil {
		return err
	}
	res, err := registry.ReadArticle(req.Text, req.URL, req.Published, req.Lang)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// acceptArticle answers POST /api/v1/extract/accept.
func (s *Server) acceptArticle(w http.ResponseWriter, r *http.Request) error {
	var req acceptRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	p := twin.Problems{}
	checkArticle(p, req.Text, req.Published, req.Lang)
	if err := p.Err(); err != nil {
		return err
	}
	if err := s.authorize(r, "extract", auth.ActAccept, nil); err != nil {
		return err
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
		return err
	}
	ans := acceptAnswer{Applied: make([]appliedFact, len(applied))}
	for i, a := range applied {
		ans.Applied[i] = appliedFact(a)
	}
	writeJSON(w, http.StatusOK, ans)
	return nil
}
