package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/extract"
	"github.com/twinning/twinning/internal/twin"
)

// extractRequest is the body of POST /api/v1/extract.
type extractRequest struct {
	Text      string `json:"text"`
	URL       string `json:"url,omitempty"`
	Published string `json:"published,omitempty"` // YYYY-MM-DD
	Lang      string `json:"lang,omitempty"`      // fa or en; detected when empty
}

// extractRoutes declares the news-reading API.
func (s *Server) extractRoutes() []route {
	return []route{{method: "POST", pattern: "/api/v1/extract", handler: s.extractArticle, api: true, tag: "news",
		summary: "Read a news article (Persian or English) and propose records, each with its evidence span", body: extractRequest{}, reply: extract.Result{}}}
}

// extractArticle answers POST /api/v1/extract with the same JSON as `twinning extract`.
func (s *Server) extractArticle(w http.ResponseWriter, r *http.Request) {
	b, err := readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var req extractRequest
	if err := decodeStrict(b, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	p := twin.Problems{}
	if strings.TrimSpace(req.Text) == "" {
		p.Add("text", twin.KeyRequired, nil)
	} else if !utf8.ValidString(req.Text) {
		p.Add("text", "wrong_type", map[string]any{"type": "string"})
	}
	if req.Published != "" {
		if d, err := calendar.Parse(calendar.Gregorian, req.Published); err != nil || d.Precision != calendar.Day {
			p.Add("published", "date_syntax", map[string]any{"value": req.Published})
		}
	}
	if req.Lang != "" && req.Lang != "fa" && req.Lang != "en" {
		p.Add("lang", twin.KeyInvalidChoice, map[string]any{"value": req.Lang, "choices": "fa, en"})
	}
	if err := p.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	g, err := extract.DefaultGazetteer()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, extract.Extract(req.Text, g, extract.Options{SourceURL: req.URL, Published: req.Published, Lang: req.Lang}))
}
