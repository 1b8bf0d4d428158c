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
	d := &formDecoder{s: s, ctx: ctx, v: v, lang: lang, out: map[string]any{}, p: twin.Problems{}, cands: map[string][]httpx.CityBrief{}}
	for _, ff := range sp.Fields {
		d.field(ff, ff.Path)
	}
	for _, ff := range sp.Fields {
		if ff.Prefix == "direction." {
			checkDirection(v, d.out, d.p)
		}
	}
	for _, g := range sp.Repeats {
		d.repeat(g)
	}
	return d.out, d.p, d.cands, d.readErr
}

// formDecoder is one form's decoding: the values it reads, the document it writes, the
// problems and the pickers' candidates it finds.
type formDecoder struct {
	s       *Pages
	ctx     context.Context
	v       url.Values
	lang    string
	out     map[string]any
	p       twin.Problems
	cands   map[string][]httpx.CityBrief
	readErr error // the first read that failed
}

func (d *formDecoder) read(err error) {
	if d.readErr == nil {
		d.readErr = err
	}
}

// field decodes the field ff at path (a row's field has its row's path).
func (d *formDecoder) field(ff formField, path string) {
	raw := strings.TrimSpace(d.v.Get(path))
	switch ff.Kind {
	case "date":
		if val := strings.TrimSpace(d.v.Get(path + ".value")); val != "" {
			setPath(d.out, path, map[string]any{"calendar": d.v.Get(path + ".calendar"), "value": val})
		}
	case "domains":
		d.domains(path)
	case "lines":
		d.lines(path, raw)
	case "number", "int":
		d.number(ff.Kind, path, raw)
	case "city":
		d.city(path, raw)
	case "agreement", "institution", "link", "network", "person":
		d.pick(path, raw, ff.Kind)
	case "participants":
		d.read(d.s.decodeParticipants(d.ctx, raw, path, d.lang, d.out, d.p))
	case "code":
		if raw != "" {
			setPath(d.out, path, strings.ToUpper(persian.PlainNumber(raw)))
		}
	default:
		if raw != "" {
			setPath(d.out, path, strings.ReplaceAll(d.v.Get(path), "\r\n", "\n"))
		}
	}
}

// repeat decodes every row of a repeat group, keeping what a row held beyond its fields.
func (d *formDecoder) repeat(g repeatGroup) {
	for i := 0; i < g.rows(d.v); i++ {
		if keep := d.v.Get(g.Path + "[" + strconv.Itoa(i) + "]#keep"); keep != "" {
			var rest map[string]any
			if json.Unmarshal([]byte(keep), &rest) == nil && len(rest) > 0 {
				setPath(d.out, g.Path+"["+strconv.Itoa(i)+"]", rest)
			}
		}
		for _, ff := range g.Fields {
			d.field(ff, rowPath(g, i, ff))
		}
	}
}

func (d *formDecoder) domains(path string) {
	var ds []string
	for _, x := range d.v[path] {
		if x != "" {
			ds = append(ds, x)
		}
	}
	if len(ds) > 0 {
		setPath(d.out, path, ds)
	}
}

// lines reads one value a line; countries are codes, in capitals.
func (d *formDecoder) lines(path, raw string) {
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
		setPath(d.out, path, ls)
	}
}

// number reads an "int" or a "number" in any digits.
func (d *formDecoder) number(kind, path, raw string) {
	if raw == "" {
		return
	}
	var x any
	var err error
	if kind == "int" {
		x, err = strconv.ParseInt(persian.PlainNumber(raw), 10, 64)
	} else {
		x, err = strconv.ParseFloat(persian.PlainNumber(raw), 64)
	}
	if err != nil {
		d.p.Add(path, "invalid_number", nil)
		return
	}
	setPath(d.out, path, x)
}

// city reads a city picker: the city's ref, kept in the field to be shown again (after another
// field's error) by its name.
func (d *formDecoder) city(path, raw string) {
	if raw = pickedText(d.v, path, raw); raw == "" {
		return
	}
	c, alt, err := d.s.resolveCity(d.ctx, raw, d.lang)
	switch {
	case err != nil:
		d.read(err)
	case c != nil:
		setPath(d.out, path, c.Ref())
		d.v.Set(path, c.Ref())
	default:
		d.unresolved(path, raw, alt, twin.KeyUnknownCity)
	}
}

// pick reads a reference field of kind given by name: the record's number, kept in the field
// to be shown again by its name.
func (d *formDecoder) pick(path, raw, kind string) {
	if raw = pickedText(d.v, path, raw); raw == "" {
		return
	}
	id, alt, err := d.s.resolver(kind)(d.ctx, raw, d.lang)
	switch {
	case err != nil:
		d.read(err)
	case id != 0:
		setPath(d.out, path, id)
		d.v.Set(path, strconv.FormatInt(id, 10))
	default:
		d.unresolved(path, raw, alt, "unknown_"+kind)
	}
}

// unresolved is a picker's text that named no record: the candidates to choose from, or
// unknownKey when there are none.
func (d *formDecoder) unresolved(path, raw string, alt []httpx.CityBrief, unknownKey string) {
	if len(alt) > 0 {
		d.cands[path] = alt
		d.p.Add(path, "choose_one", map[string]any{"value": raw})
		return
	}
	d.p.Add(path, unknownKey, map[string]any{"value": raw})
}

// pickedText is what a picker field names: the choice made among candidates (its "#pick"),
// else the record the field was showing or was picked as the editor typed ("#id", while the
// text is still its "#name"), else the text typed.
func pickedText(v url.Values, path, raw string) string {
	if id := v.Get(path + "#id"); id != "" && raw == strings.TrimSpace(v.Get(path+"#name")) {
		raw = id
	}
	if pick := v.Get(path + "#pick"); pick != "" {
		raw = pick
		v.Set(path, pick)
	}
	return raw
}

// resolveCity finds the city a staff member typed: an id, or a name in any script.
func (s *Pages) resolveCity(ctx context.Context, v, lang string) (*twin.City, []httpx.CityBrief, error) {
	c, alt, _, err := s.pickCity(ctx, v, lang)
	return c, alt, err
}

// resolver finds a record of kind (agreement, institution, link, network, person) by what a
// picker's text says: one id, several candidates to choose from, or none.
func (s *Pages) resolver(kind string) func(context.Context, string, string) (int64, []httpx.CityBrief, error) {
	return map[string]func(context.Context, string, string) (int64, []httpx.CityBrief, error){
		"agreement": s.resolveAgreement, "institution": s.resolveInstitution, "link": s.resolveLink,
		"network": s.resolveNetwork, "person": s.resolvePerson,
	}[kind]
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
