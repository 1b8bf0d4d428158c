package web

import (
	"context"
	"strconv"

	"github.com/twinning/twinning/internal/twin"
)

// searchHit is one result of /api/v1/search.
type searchHit struct {
	Kind    string     `json:"kind"`
	ID      int64      `json:"id"`
	Ref     string     `json:"ref"`
	Title   string     `json:"title"`
	Names   twin.Names `json:"names,omitempty"`
	Match   string     `json:"match"`
	Score   int        `json:"score"`
	Snippet string     `json:"snippet,omitempty"`
	URL     string     `json:"url"`
}

type searchResult struct {
	Items []searchHit `json:"items"`
	Next  string      `json:"next"`
}

// kindPaths maps a record kind to its API collection.
var kindPaths = map[string]string{
	"city": "cities", "agreement": "agreements", "institution": "institutions", "link": "links",
	"activity": "activities", "person": "people", "network": "networks", "proposal": "proposals",
}

// searchRecords runs the store's search and describes each hit in the reader's language.
func (s *Server) searchRecords(ctx context.Context, q string, kinds []string, limit int, lang string) (any, error) {
	p := twin.Problems{}
	if q == "" {
		p.Add("q", twin.KeyRequired, nil)
	}
	for _, k := range kinds {
		if _, ok := kindPaths[k]; !ok {
			p.Add("type", twin.KeyInvalidChoice, map[string]any{"value": k, "choices": "city, agreement, institution, link, activity, person, network, proposal"})
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	hits, err := s.db.Search(ctx, q, kinds, limit)
	if err != nil {
		return nil, err
	}
	res := searchResult{Items: []searchHit{}}
	for _, h := range hits {
		sh := searchHit{Kind: h.Kind, ID: h.ID, Ref: strconv.FormatInt(h.ID, 10), Match: h.Match, Score: h.Score}
		if err := s.describe(ctx, &sh, lang, q); err != nil {
			if twin.ErrorCode(err) == twin.ENOTFOUND {
				continue
			}
			return nil, err
		}
		sh.URL = "/api/v1/" + kindPaths[h.Kind] + "/" + sh.Ref
		res.Items = append(res.Items, sh)
	}
	return res, nil
}

// describe fills a hit's title, names and snippet from its record.
func (s *Server) describe(ctx context.Context, h *searchHit, lang, q string) error {
	switch h.Kind {
	case "city":
		c, err := s.db.Cities.Get(ctx, h.ID)
		if err != nil {
			return err
		}
		h.Ref, h.Names, h.Title = c.Ref(), c.Names, c.Names.Pick(lang)
	case "agreement":
		a, err := s.db.Agreements.Get(ctx, h.ID)
		if err != nil {
			return err
		}
		h.Names, h.Title = a.Title, a.Title.Pick(lang)
		h.Snippet = snippet(a.Notes.Pick(lang), q)
	case "institution":
		in, err := s.db.Institutions.Get(ctx, h.ID)
		if err != nil {
			return err
		}
		h.Names, h.Title = in.Names, in.Names.Pick(lang)
	case "link":
		l, err := s.db.Links.Get(ctx, h.ID)
		if err != nil {
			return err
		}
		h.Snippet = snippet(l.Notes.Pick(lang), q)
	case "activity":
		a, err := s.db.Activities.Get(ctx, h.ID)
		if err != nil {
			return err
		}
		h.Names, h.Title = a.Title, a.Title.Pick(lang)
		h.Snippet = snippet(a.Description.Pick(lang), q)
	case "person":
		p, err := s.db.People.Get(ctx, h.ID)
		if err != nil {
			return err
		}
		h.Names, h.Title = p.Names, p.Names.Pick(lang)
	case "network":
		n, err := s.db.Networks.Get(ctx, h.ID)
		if err != nil {
			return err
		}
		h.Names, h.Title = n.Names, n.Names.Pick(lang)
		h.Snippet = snippet(n.Description.Pick(lang), q)
	case "proposal":
		p, err := s.db.Proposals.Get(ctx, h.ID)
		if err != nil {
			return err
		}
		h.Names, h.Title = p.Title, p.Title.Pick(lang)
		h.Snippet = snippet(p.Body.Pick(lang), q)
	}
	return nil
}

// snippet cuts a window of text around the query's first match.
func snippet(text, q string) string {
	r := []rune(text)
	if len(r) <= 160 {
		return text
	}
	return string(r[:160]) + "…"
}
