package ui

import (
	"context"
	"encoding/json"
	"github.com/twinning/twinning/internal/httpx"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/persian"
	"github.com/twinning/twinning/internal/twin"
)

// decodeForm turns submitted values into the JSON document of a record (only the fields the
// form governs), resolving city and institution pickers and reading numbers and dates as
// written (Persian digits too). Problems are keyed by path like the store's; err is the first
// read that failed while resolving a picker (the page is the error page, not a field's).
func (s *Pages) decodeForm(ctx context.Context, sp formSpec, v url.Values, lang string) (map[string]any, map[string]twin.FieldError, map[string][]httpx.CityBrief, error) {
	out := map[string]any{}
	p := twin.Problems{}
	cands := map[string][]httpx.CityBrief{}
	var readErr error
	read := func(err error) {
		if readErr == nil {
			readErr = err
		}
	}
	one := func(ff formField, path string) {
		raw := strings.TrimSpace(v.Get(path))
		switch ff.Kind {
		case "date":
			val := strings.TrimSpace(v.Get(path + ".value"))
			if val != "" {
				setPath(out, path, map[string]any{"calendar": v.Get(path + ".calendar"), "value": val})
			}
		case "domains":
			var ds []string
			for _, x := range v[path] {
				if x != "" {
					ds = append(ds, x)
				}
			}
			if len(ds) > 0 {
				setPath(out, path, ds)
			}
		case "lines":
			var ls []string
			for _, l := range strings.Split(raw, "\n") {
				if l = strings.TrimSpace(l); l != "" {
					if path == "countries" {
						l = strings.ToUpper(l)
					}
					ls = append(ls, l)
				}
			}
			if len(ls) > 0 {
				setPath(out, path, ls)
			}
		case "number":
			if raw != "" {
				f, err := strconv.ParseFloat(persian.PlainNumber(raw), 64)
				if err != nil {
					p.Add(path, "invalid_number", nil)
					return
				}
				setPath(out, path, f)
			}
		case "int":
			if raw != "" {
				n, err := strconv.ParseInt(persian.PlainNumber(raw), 10, 64)
				if err != nil {
					p.Add(path, "invalid_number", nil)
					return
				}
				setPath(out, path, n)
			}
		case "city":
			if id := v.Get(path + "#id"); id != "" && raw == strings.TrimSpace(v.Get(path+"#name")) {
				raw = id // the city the field named, its name left as shown
			}
			if pick := v.Get(path + "#pick"); pick != "" {
				raw = pick
				v.Set(path, pick)
			}
			if raw == "" {
				return
			}
			c, alt, err := s.resolveCity(ctx, raw, lang)
			switch {
			case err != nil:
				read(err)
			case c != nil:
				setPath(out, path, c.Ref())
				v.Set(path, c.Ref()) // shown again (after another field's error) by its name
			case len(alt) > 0:
				cands[path] = alt
				p.Add(path, "choose_one", map[string]any{"value": raw})
			default:
				p.Add(path, twin.KeyUnknownCity, map[string]any{"value": raw})
			}
		case "agreement":
			read(s.decodePick(ctx, v, path, raw, lang, s.resolveAgreement, "unknown_agreement", out, cands, p))
		case "institution":
			read(s.decodePick(ctx, v, path, raw, lang, s.resolveInstitution, "unknown_institution", out, cands, p))
		case "link":
			read(s.decodePick(ctx, v, path, raw, lang, s.resolveLink, "unknown_link", out, cands, p))
		case "network":
			read(s.decodePick(ctx, v, path, raw, lang, s.resolveNetwork, "unknown_network", out, cands, p))
		case "person":
			read(s.decodePick(ctx, v, path, raw, lang, s.resolvePerson, "unknown_person", out, cands, p))
		case "participants":
			read(s.decodeParticipants(ctx, raw, path, lang, out, p))
		case "code":
			if raw != "" {
				setPath(out, path, strings.ToUpper(persian.PlainNumber(raw)))
			}
		default:
			if raw != "" {
				setPath(out, path, strings.ReplaceAll(v.Get(path), "\r\n", "\n"))
			}
		}
	}
	for _, ff := range sp.Fields {
		one(ff, ff.Path)
	}
	for _, ff := range sp.Fields {
		if ff.Prefix == "direction." {
			checkDirection(v, out, p)
		}
	}
	for _, g := range sp.Repeats {
		for i := 0; i < g.rows(v); i++ {
			if keep := v.Get(g.Path + "[" + strconv.Itoa(i) + "]#keep"); keep != "" {
				var rest map[string]any
				if json.Unmarshal([]byte(keep), &rest) == nil && len(rest) > 0 {
					setPath(out, g.Path+"["+strconv.Itoa(i)+"]", rest)
				}
			}
			for _, ff := range g.Fields {
				one(ff, rowPath(g, i, ff))
			}
		}
	}
	return out, p, cands, readErr
}

// resolveCity finds the city a staff member typed: an id, or a name in any script.
func (s *Pages) resolveCity(ctx context.Context, v, lang string) (*twin.City, []httpx.CityBrief, error) {
	c, alt, _, err := s.pickCity(ctx, v, lang)
	return c, alt, err
}

// decodePick reads a reference field given by name: the choice made among candidates (the
// field's "#pick"), else the record the field was showing or was picked as the editor typed
// ("#id", while the text is still its "#name"), else the typed text resolved by resolve, which
// yields one id, several candidates to choose from, or none (unknownKey).
func (s *Pages) decodePick(ctx context.Context, v url.Values, path, raw, lang string,
	resolve func(context.Context, string, string) (int64, []httpx.CityBrief, error), unknownKey string,
	out map[string]any, cands map[string][]httpx.CityBrief, p twin.Problems) error {
	if id := v.Get(path + "#id"); id != "" && raw == strings.TrimSpace(v.Get(path+"#name")) {
		raw = id // the record the field named, its name left as shown
	}
	if pick := v.Get(path + "#pick"); pick != "" {
		raw = pick
		v.Set(path, pick)
	}
	if raw == "" {
		return nil
	}
	id, alt, err := resolve(ctx, raw, lang)
	switch {
	case err != nil:
		return err
	case id != 0:
		setPath(out, path, id)
		v.Set(path, strconv.FormatInt(id, 10)) // shown again (after another field's error) by its name
	case len(alt) > 0:
		cands[path] = alt
		p.Add(path, "choose_one", map[string]any{"value": raw})
	default:
		p.Add(path, unknownKey, map[string]any{"value": raw})
	}
	return nil
}

// resolveAgreement finds an agreement by its number, or by its cities' names in any script
// («اصفهان سمرقند», "Isfahan Samarkand", or one city's name): one match is taken, several
// are offered to choose, each named by its two cities.
func (s *Pages) resolveAgreement(ctx context.Context, v, lang string) (int64, []httpx.CityBrief, error) {
	if id, err := strconv.ParseInt(persian.PlainNumber(v), 10, 64); err == nil {
		if _, err := s.db.Agreements.Get(ctx, id); err == nil {
			return id, nil, nil
		} else if !httpx.IsNotFound(err) {
			return 0, nil, err
		}
		return 0, nil, nil
	}
	hits, err := s.AgreementHits(ctx, v, true)
	hits = s.KeepUsable(ctx, hits)
	if err != nil || len(hits) == 0 {
		return 0, nil, err
	}
	if len(hits) == 1 {
		return hits[0].ID, nil, nil
	}
	var alt []httpx.CityBrief
	for _, h := range hits {
		if len(alt) == 12 {
			break
		}
		name, ok, err := s.agreementName(ctx, h.ID, lang)
		if err != nil {
			return 0, nil, err
		}
		if ok {
			alt = append(alt, httpx.CityBrief{ID: h.ID, Ref: strconv.FormatInt(h.ID, 10), Name: name})
		}
	}
	return 0, alt, nil
}

// agreementName names an agreement by its two cities in lang: "Isfahan – Samarkand".
func (s *Pages) agreementName(ctx context.Context, id int64, lang string) (string, bool, error) {
	a, b, ok, err := s.agreementNames(ctx, strconv.FormatInt(id, 10))
	if !ok {
		return "", false, err
	}
	return a.Pick(lang) + " – " + b.Pick(lang), true, nil
}

// participantLine is one line of the participants field: a city by any name, then the number
// of its people ("Samarkand: 30", "سمرقند ۳۰", "Самарканд — 30").
var participantLine = regexp.MustCompile(`^(.*?)[\s:=،,—–-]*([0-9۰-۹٠-٩]+)\s*$`)

// decodeParticipants reads the people each city sent, one city a line, into the activity's
// participants (city ref → people); an unknown city, a missing or impossible number is an
// error on the field naming the line.
func (s *Pages) decodeParticipants(ctx context.Context, raw, path, lang string, out map[string]any, p twin.Problems) error {
	pm := map[string]any{}
	for _, line := range strings.Split(raw, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		m := participantLine.FindStringSubmatch(line)
		if m == nil || strings.TrimSpace(m[1]) == "" {
			p.Add(path, "participants_line", map[string]any{"value": line})
			return nil
		}
		n, err := strconv.Atoi(persian.PlainNumber(m[2]))
		if err != nil || n > twin.MaxParticipants {
			p.Add(path, "out_of_range", map[string]any{"min": 0, "max": twin.MaxParticipants})
			return nil
		}
		name := strings.TrimSpace(m[1])
		c, alt, err := s.resolveCity(ctx, name, lang)
		switch {
		case err != nil:
			return err
		case c == nil && len(alt) > 0:
			p.Add(path, "choose_one", map[string]any{"value": name})
			return nil
		case c == nil:
			p.Add(path, twin.KeyUnknownCity, map[string]any{"value": name})
			return nil
		}
		if prev, ok := pm[c.Ref()].(int); ok {
			n += prev
		}
		pm[c.Ref()] = n
	}
	if len(pm) > 0 {
		setPath(out, path, pm)
	}
	return nil
}

// nameParticipants rewrites the participants field's city refs as the cities' names in the
// reader's language, for the form.
func (s *Pages) nameParticipants(ctx context.Context, v url.Values, lang string) error {
	raw := v.Get("participants")
	if raw == "" {
		return nil
	}
	var ls []string
	for _, line := range strings.Split(raw, "\n") {
		if ref, n, ok := strings.Cut(line, ": "); ok {
			c, err := s.db.City(ctx, ref)
			if err = httpx.UnlessMissing(err); err != nil {
				return err
			}
			if c != nil {
				line = c.Names.Pick(lang) + ": " + n
			}
		}
		ls = append(ls, line)
	}
	v.Set("participants", strings.Join(ls, "\n"))
	return nil
}
