package web

import (
	"bufio"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/twinning/twinning/internal/exchange"
	"github.com/twinning/twinning/internal/twin"
)

// queryCity resolves a city named by a query parameter: one that is not found is a field
// error of that parameter (400), not a missing resource.
func (s *Server) queryCity(r *http.Request, name, ref string) (*twin.City, error) {
	c, err := s.db.City(r.Context(), ref)
	if twin.ErrorCode(err) == twin.ENOTFOUND {
		return nil, twin.Problem(name, twin.KeyUnknownCity, map[string]any{"value": ref})
	}
	return c, err
}

// exportTypes are the media types of the export formats.
func exportTypes() []string {
	var ts []string
	for _, f := range exchange.ExportFormats {
		ts = append(ts, exchange.ContentType(f))
	}
	return ts
}

// attention answers GET /api/v1/cities/{id}/attention: the city's partnerships that need
// attention, the most urgent first, each with its reasons (cityAttention).
func (s *Server) attention(w http.ResponseWriter, r *http.Request) error {
	c, ps, err := s.cityPartners(r)
	if err != nil {
		return err
	}
	out, err := s.pages.CityAttention(r.Context(), c.ID, ps, apiLang(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(out, ""))
	return nil
}

// pipeline answers GET /api/v1/cities/{id}/pipeline.
func (s *Server) pipeline(w http.ResponseWriter, r *http.Request) error {
	_, ps, err := s.cityPartners(r)
	if err != nil {
		return err
	}
	ps = slices.DeleteFunc(ps, func(p twin.Partner) bool {
		return p.Agreement.Status != twin.StatusProposed && p.Agreement.Status != twin.StatusNegotiating
	})
	writeJSON(w, http.StatusOK, newList(ps, ""))
	return nil
}

func (s *Server) cityPartners(r *http.Request) (*twin.City, []twin.Partner, error) {
	c, err := s.graphCity(r)
	if err != nil {
		return nil, nil, err
	}
	ps, err := s.db.Partners(r.Context(), c.ID)
	return c, ps, err
}

// export answers GET /api/v1/export?format=&city=&depth=: the same files as `twinning export`.
// Private contacts are left out for readers who may not see them.
func (s *Server) export(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	format := q.Get("format")
	if format == "" {
		format = exchange.FormatJSONL
	}
	if !slices.Contains(exchange.ExportFormats, format) {
		return twin.Problem("format", twin.KeyInvalidChoice, map[string]any{"value": format, "choices": "csv, jsonl, geojson, graphml, ics"})
	}
	depth, _ := strconv.Atoi(q.Get("depth"))
	if ref := q.Get("city"); ref != "" {
		if _, err := s.queryCity(r, "city", ref); err != nil {
			return err
		}
	}
	maxCities := 0
	if !s.signedIn(r) {
		// An anonymous reader's export is bounded: the whole registry comes from a snapshot
		// (snapshot.go); a neighbourhood is at most anonymousDepth steps deep and
		// s.exportCities cities large, and one such export runs at a time (the others wait
		// their turn).
		if q.Get("city") == "" && s.intel != nil {
			return s.exportSnapshot(w, r, format, apiLang(r))
		}
		depth, maxCities = min(depth, anonymousDepth), s.exportCities
		select {
		case anonymousExports <- struct{}{}:
			defer func() { <-anonymousExports }()
		case <-r.Context().Done():
			return nil
		}
	}
	d, err := exchange.GatherAtMost(r.Context(), s.db, q.Get("city"), depth, maxCities)
	if errors.Is(err, exchange.ErrTooManyCities) {
		p := twin.Problems{}
		p.Add("depth", "export_too_large", map[string]any{"max": maxCities})
		return p.Err()
	}
	if err != nil {
		return err
	}
	if !s.canSeePrivate(r) {
		for _, p := range d.People {
			p.Contact = ""
		}
		for _, p := range d.Proposals {
			p.Contact = ""
		}
	}
	// Streamed: the file is written as it is made, never held whole in memory.
	w.Header().Set("Content-Type", exchange.ContentType(format))
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="twinning.%s"`, format))
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := exchange.Write(bw, format, d, apiLang(r)); err != nil {
		s.log.ErrorContext(r.Context(), "export", "format", format, "err", err) // the answer has begun: it ends short
		return nil
	}
	bw.Flush()
	return nil
}

// anonymousDepth is the deepest neighbourhood an anonymous reader may export.
const anonymousDepth = 3

// anonymousExportCities is the most cities a neighbourhood an anonymous reader exports may
// have, so that making it costs well under a second of CPU (Paris three steps out, 1,626
// cities with the agreements among them, cost 0.5-0.9 s).
const anonymousExportCities = 1000

// anonymousExports lets one anonymous export run at a time.
var anonymousExports = make(chan struct{}, 1)

// signedIn reports whether the request carries a valid credential (a session or a token).
func (s *Server) signedIn(r *http.Request) bool {
	p, err := s.who(r)
	return err == nil && p != nil
}
