package ui

import (
	"context"
	"fmt"
	"github.com/twinning/twinning/internal/httpx"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/extract"
	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/registry"
	"github.com/twinning/twinning/internal/twin"
)

// The review of a news article: the facts the extractor proposes, grouped and marked in the
// article's text, each with its fields and choices.

// span is the evidence of one fact in the article.
type span struct {
	start, end int
	fact, kind string
	label      string
}

// markArticle cuts the article into plain and marked pieces at every evidence boundary; a
// piece covered by several facts is marked for the innermost (shortest) one and lists all in
// its title. It returns, for every fact, the id of the piece where its evidence begins.
func markArticle(text string, spans []span) ([]segment, map[string]string) {
	points := []int{0, len(text)}
	var ok []span
	for _, sp := range spans {
		if sp.start < 0 || sp.end > len(text) || sp.start >= sp.end {
			continue
		}
		ok = append(ok, sp)
		points = append(points, sp.start, sp.end)
	}
	sort.Ints(points)
	points = slices.Compact(points)
	anchors := map[string]string{}
	var segs []segment
	for k := 0; k+1 < len(points); k++ {
		a, b := points[k], points[k+1]
		var cover []span
		for _, sp := range ok {
			if sp.start <= a && sp.end >= b {
				cover = append(cover, sp)
			}
		}
		seg := segment{Text: text[a:b]}
		if len(cover) > 0 {
			inner := cover[0]
			var titles []string
			for _, sp := range cover {
				if sp.end-sp.start < inner.end-inner.start {
					inner = sp
				}
				if !slices.Contains(titles, sp.label) {
					titles = append(titles, sp.label)
				}
			}
			seg.Mark, seg.Href, seg.Title = true, "#f-"+inner.fact, strings.Join(titles, " · ")
			seg.Class = "ev ev-" + inner.kind
			if len(cover) > 1 {
				seg.Class += " ev-multi"
			}
			for _, sp := range cover {
				if _, done := anchors[sp.fact]; !done && sp.start == a {
					if seg.ID == "" {
						seg.ID = "ev-" + sp.fact
					}
					anchors[sp.fact] = seg.ID
				}
			}
		}
		segs = append(segs, seg)
	}
	return segs, anchors
}

func percent(lang string, c float64) string {
	return i18n.Digits(lang, strconv.Itoa(int(math.Round(c*100)))) + "٪"
}

// buildReview fills the review: the marked article and the facts by kind, with the reviewer's
// decisions and edits kept and the problems beside their facts.
func (s *Pages) buildReview(ctx context.Context, v *extractView, res *extract.Result, lang string,
	decisions map[string]string, edits map[string]map[string]string, problems twin.Problems) error {
	if v.Step == "" {
		v.Step = "review"
	}
	T := func(key string, kv ...any) string { return i18n.T(lang, key, params(kv)) }
	reg := map[string]*twin.City{}
	var readErr error // a registry that could not be read: the review is not shown without it
	inRegistry := func(ref string) *twin.City {
		if c, ok := reg[ref]; ok {
			return c
		}
		var c *twin.City
		if twin.IsQID(ref) {
			var err error
			if c, err = s.db.City(ctx, ref); httpx.UnlessMissing(err) != nil && readErr == nil {
				readErr = err
			}
		}
		reg[ref] = c
		return c
	}
	city := func(ref string) string { return registry.CityName(res, ref, lang) }
	var cityOpts []xoption
	for _, c := range res.Cities {
		label := c.Names.Pick(lang)
		if inRegistry(c.Ref()) == nil {
			label += " — " + T("extract.not_in_registry_short")
		}
		cityOpts = append(cityOpts, xoption{Value: c.Ref(), Label: label})
	}
	var pairOpts []xoption
	for _, a := range res.Agreements {
		if len(a.Cities) == 2 {
			k := registry.PairKey(a.Cities[0], a.Cities[1])
			if !slices.ContainsFunc(pairOpts, func(o xoption) bool { return o.Value == k }) {
				pairOpts = append(pairOpts, xoption{Value: k, Label: city(a.Cities[0]) + " – " + city(a.Cities[1])})
			}
		}
	}
	dateText := func(d *calendar.PartialDate) string {
		if d == nil {
			return ""
		}
		out := calendar.Format(*d, lang)
		if alt := calendar.FormatAlt(*d, lang); alt != "" {
			out += " (" + alt + ")"
		}
		return out
	}
	var spans []span
	groups := map[string]*factGroup{}
	order := []string{"agreement", "city", "institution", "person", "event", "date", "count", "ordinal", "domain", "country", "production"}
	for _, k := range order {
		groups[k] = &factGroup{Kind: k, ID: "g-" + k, Title: T("extract.group." + k), Acceptable: slices.Contains(registry.FactKinds, k)}
	}
	add := func(kind string, i int, heading string, ev extract.Evidence, conf float64, more ...extract.Evidence) *factView {
		ref := kind + ":" + strconv.Itoa(i)
		f := &factView{Ref: ref, ID: kind + "-" + strconv.Itoa(i), Kind: kind, Heading: heading, Evidence: ev.Text,
			Confidence: percent(lang, conf), Acceptable: slices.Contains(registry.FactKinds, kind), Decision: "reject"}
		if d := decisions[ref]; d == "accept" || d == "edit" || d == "reject" {
			f.Decision = d
		}
		for _, e := range append([]extract.Evidence{ev}, more...) {
			spans = append(spans, span{start: e.Start, end: e.End, fact: f.ID, kind: kind, label: T("extract.kind."+kind) + ": " + heading})
		}
		groups[kind].Facts = append(groups[kind].Facts, f)
		return f
	}
	det := func(f *factView, label, value string) {
		if value != "" {
			f.Details = append(f.Details, detail{Label: T(label), Value: value})
		}
	}
	// fields gives an acceptable fact its edit fields, filled with the proposal or the edits.
	fields := func(f *factView, kind string, i int, specs ...*factField) {
		vals := registry.ProposedValues(res, kind, i)
		for k, x := range edits[f.Ref] {
			vals[k] = x
		}
		for _, ff := range specs {
			key := ff.Name
			ff.Name, ff.ID = "v."+f.Ref+"."+key, "v-"+f.ID+"-"+key
			ff.Value = vals[key]
			if ff.Type == "date" {
				ff.Calendar = vals[key+"_calendar"]
			}
			for k := range ff.Options {
				ff.Options[k].Selected = ff.Options[k].Value == ff.Value
			}
			f.Fields = append(f.Fields, ff)
		}
	}
	choices := func(prefix string, values []string, blank bool) []xoption {
		var out []xoption
		if blank {
			out = append(out, xoption{Value: "", Label: "—"})
		}
		for _, x := range values {
			out = append(out, xoption{Value: x, Label: T(prefix + x)})
		}
		return out
	}
	withBlank := func(opts []xoption) []xoption {
		return append([]xoption{{Value: "", Label: "—"}}, slices.Clone(opts)...)
	}
	for i, a := range res.Agreements {
		head := ""
		if len(a.Cities) == 2 {
			head = city(a.Cities[0]) + " – " + city(a.Cities[1])
		}
		var more []extract.Evidence
		for _, m := range a.Mentions {
			more = append(more, m.Evidence)
		}
		f := add("agreement", i, head, a.Evidence, a.Confidence, more...)
		det(f, "extract.state", T("extract.state."+a.State))
		det(f, "extract.kind", T("kind."+a.Kind))
		det(f, "extract.status", T("status."+a.Status))
		det(f, "extract.signed", dateText(a.Signed))
		if a.Proposal != nil {
			det(f, "extract.proposed_by", a.Proposal.By)
			det(f, "extract.proposed_on", dateText(a.Proposal.Date))
		}
		var missing []string
		var cs []*twin.City
		for _, ref := range a.Cities {
			c := inRegistry(ref)
			if c == nil {
				missing = append(missing, city(ref))
			}
			cs = append(cs, c)
		}
		if len(missing) > 0 {
			f.Blocked = T("extract.blocked_cities", "names", strings.Join(missing, listSep(lang)))
			f.Decision = "reject"
		} else if len(cs) == 2 {
			if ex, err := s.reg.ExistingAgreement(ctx, cs[0], cs[1]); err != nil {
				return err
			} else if ex != nil {
				f.Details = append(f.Details, detail{Label: T("extract.in_registry"), Value: T("status." + ex.Status), URL: "/" + lang + "/agreements/" + strconv.FormatInt(ex.ID, 10)})
			} else {
				det(f, "extract.in_registry", T("extract.new_record"))
			}
		}
		fields(f, "agreement", i,
			&factField{Name: "status", Label: T("extract.status"), Type: "select", Options: choices("status.", twin.AgreementStatuses, false)},
			&factField{Name: "kind", Label: T("extract.kind"), Type: "select", Options: choices("kind.", twin.AgreementKinds, false)},
			&factField{Name: "signed", Label: T("extract.signed"), Type: "date"})
	}
	for i, c := range res.Cities {
		more := append(slices.Clone(c.Mentions), c.NameMentions...)
		f := add("city", i, c.Names.Pick(lang), c.Evidence, c.Confidence, more...)
		if c.Wikidata != "" {
			f.Details = append(f.Details, detail{Label: T("extract.wikidata"), Value: c.Wikidata, URL: "https://www.wikidata.org/wiki/" + c.Wikidata, LTR: true})
		}
		det(f, "extract.country", countryName(c.Country, lang))
		if rc := inRegistry(c.Ref()); rc != nil {
			f.Details = append(f.Details, detail{Label: T("extract.registry"), Value: rc.Names.Pick(lang), URL: "/" + lang + "/cities/" + rc.Ref()})
		} else {
			f.Warning = T("extract.not_in_registry")
		}
		det(f, "extract.mentions", i18n.Number(lang, int64(len(c.Mentions)+len(c.NameMentions))))
		if len(c.Alternatives) > 0 {
			f.Details = append(f.Details, detail{Label: T("extract.alternatives"), Value: strings.Join(c.Alternatives, ", "), LTR: true})
		}
	}
	for i, in := range res.Institutions {
		f := add("institution", i, in.Name, in.Evidence, in.Confidence)
		det(f, "extract.type", T("itype."+in.Type))
		if in.City != "" {
			det(f, "extract.city", city(in.City))
			if inRegistry(in.City) == nil {
				f.Warning = T("extract.city_not_in_registry", "name", city(in.City))
			}
		} else {
			f.Warning = T("extract.choose_city")
		}
		if in.Country != "" {
			det(f, "extract.country", countryName(in.Country, lang))
		}
		fields(f, "institution", i,
			&factField{Name: "name", Label: T("extract.name"), Type: "text"},
			&factField{Name: "type", Label: T("extract.type"), Type: "select", Options: choices("itype.", twin.InstitutionTypes, false)},
			&factField{Name: "city", Label: T("extract.city"), Type: "select", Options: withBlank(cityOpts)})
	}
	for i, pe := range res.People {
		head := pe.Name
		if head == "" {
			head = pe.Title
		}
		f := add("person", i, head, pe.Evidence, pe.Confidence)
		det(f, "extract.title_of", pe.Title)
		if pe.City != "" {
			det(f, "extract.city", city(pe.City))
			if inRegistry(pe.City) == nil {
				f.Warning = T("extract.city_not_in_registry", "name", city(pe.City))
			}
		}
		if pe.Country != "" {
			det(f, "extract.country", countryName(pe.Country, lang))
		}
		det(f, "extract.organization", pe.Organization)
		if pe.Note != "" {
			det(f, "extract.note", T("extract.coreference"))
		}
		fields(f, "person", i,
			&factField{Name: "name", Label: T("extract.name"), Type: "text"},
			&factField{Name: "title", Label: T("extract.title_of"), Type: "text"},
			&factField{Name: "city", Label: T("extract.city"), Type: "select", Options: withBlank(cityOpts)})
	}
	for i, e := range res.Events {
		head := e.Title
		if head == "" {
			head = e.Evidence.Text
		}
		f := add("event", i, head, e.Evidence, e.Confidence)
		det(f, "extract.kind", T("extract.event."+e.Kind))
		if e.Ordinal > 0 {
			det(f, "extract.ordinal", i18n.Number(lang, int64(e.Ordinal)))
		}
		det(f, "extract.date", dateText(e.Date))
		var cs []string
		for _, c := range e.Cities {
			cs = append(cs, city(c))
		}
		det(f, "extract.cities", strings.Join(cs, listSep(lang)))
		det(f, "extract.invitees", e.Invitees)
		if len(pairOpts) == 0 {
			f.Warning = T("extract.event_needs_agreement")
		}
		fields(f, "event", i,
			&factField{Name: "kind", Label: T("extract.kind"), Type: "select", Options: choices("activity.kind.", twin.ActivityKinds, false)},
			&factField{Name: "title", Label: T("extract.name"), Type: "text"},
			&factField{Name: "date", Label: T("extract.date"), Type: "date"},
			&factField{Name: "agreement", Label: T("extract.under_agreement"), Type: "select", Options: withBlank(pairOpts)})
	}
	for i, d := range res.Dates {
		f := add("date", i, d.Evidence.Text, d.Evidence, d.Confidence)
		pd := d.PartialDate
		det(f, "extract.calendar", T("calendar."+string(pd.Calendar)))
		det(f, "extract.precision", T("extract.precision."+string(pd.Precision)))
		f.Details = append(f.Details, detail{Label: T("extract.value"), Value: pd.Value, LTR: true})
		det(f, "extract.date", dateText(&pd))
		if pd.Start != "" {
			f.Details = append(f.Details, detail{Label: T("extract.interval"), Value: pd.Start + " … " + pd.End, LTR: true})
		}
	}
	for i, c := range res.Counts {
		f := add("count", i, c.Evidence.Text, c.Evidence, c.Confidence)
		det(f, "extract.value", i18n.Digits(lang, strconv.FormatFloat(c.Value, 'f', -1, 64)))
		det(f, "extract.noun", c.NounText)
		if c.Subject != "" {
			det(f, "extract.subject", city(c.Subject))
		}
	}
	for i, o := range res.Ordinals {
		f := add("ordinal", i, o.Evidence.Text, o.Evidence, o.Confidence)
		det(f, "extract.value", i18n.Digits(lang, strconv.Itoa(o.Value)))
		det(f, "extract.noun", o.NounText)
	}
	for i, d := range res.Domains {
		f := add("domain", i, domainName(d.Code, lang), d.Evidence, d.Confidence)
		det(f, "extract.mentions", i18n.Number(lang, int64(len(d.Mentions))))
		f.Details = append(f.Details, detail{Label: T("extract.code"), Value: d.Code, LTR: true})
	}
	for i, c := range res.Countries {
		name := c.Names.Pick(lang)
		if name == "" {
			name = countryName(c.Code, lang)
		}
		f := add("country", i, name, c.Evidence, c.Confidence)
		f.Details = append(f.Details, detail{Label: T("extract.code"), Value: c.Code, LTR: true})
	}
	for i, pr := range res.Productions {
		f := add("production", i, T("extract.production."+pr.Kind), pr.Evidence, pr.Confidence)
		if pr.Joint {
			det(f, "extract.joint", T("extract.yes"))
		}
	}
	// Problems beside their facts and fields, and in the summary at the top.
	for key, fe := range problems {
		msg := T("field."+fe.Key, flatten(fe.Params)...)
		ref, field, _ := strings.Cut(key, ".")
		kind, _, _ := registry.SplitRef(ref)
		var target *factView
		if g := groups[kind]; g != nil {
			for _, f := range g.Facts {
				if f.Ref == ref {
					target = f
				}
			}
		}
		if target == nil {
			v.Errors = append(v.Errors, msg)
			continue
		}
		placed := false
		for _, ff := range target.Fields {
			if strings.TrimPrefix(ff.Name, "v."+ref+".") == field && ff.Error == "" {
				ff.Error, placed = msg, true
			}
		}
		if !placed && target.Error == "" {
			target.Error = msg
		} else if !placed {
			target.Error += " " + msg
		}
		v.Errors = append(v.Errors, target.Heading+": "+msg)
	}
	sort.Strings(v.Errors)
	segs, anchors := markArticle(v.Text, spans)
	v.Segments = segs
	for _, k := range order {
		g := groups[k]
		for _, f := range g.Facts {
			f.EvAnchor = anchors[f.ID]
		}
		if len(g.Facts) > 0 {
			v.Groups = append(v.Groups, *g)
			v.Counts = append(v.Counts, kindCount{Label: g.Title, N: len(g.Facts), ID: g.ID})
		}
	}
	return readErr
}

// flatten turns a problem's parameters into the key, value list T takes.
func flatten(m map[string]any) []any {
	var out []any
	for k, x := range m {
		out = append(out, k, fmt.Sprint(x))
	}
	return out
}
