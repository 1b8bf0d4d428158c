package ui

import (
	"context"
	"fmt"
	"github.com/twinning/twinning/internal/httpx"
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

// factOrder is the order of the review's groups of facts.
var factOrder = []string{"agreement", "city", "institution", "person", "event", "date", "count", "ordinal", "domain", "country", "production"}

// reviewer builds one review: what it reads once (the registry's cities, the choices the edit
// fields offer) and what it gathers (the facts by kind, the spans of their evidence).
type reviewer struct {
	s         *Pages
	ctx       context.Context
	res       *extract.Result
	lang      string
	decisions map[string]string
	edits     map[string]map[string]string
	reg       map[string]*twin.City
	readErr   error // a registry that could not be read: the review is not shown without it
	spans     []span
	groups    map[string]*factGroup
	cityOpts  []xoption // the article's cities, for an institution's or a person's city
	pairOpts  []xoption // the article's agreements by their cities, for an event's agreement
}

// buildReview fills the review: the marked article and the facts by kind, with the reviewer's
// decisions and edits kept and the problems beside their facts.
func (s *Pages) buildReview(ctx context.Context, v *extractView, res *extract.Result, lang string,
	decisions map[string]string, edits map[string]map[string]string, problems twin.Problems) error {
	if v.Step == "" {
		v.Step = "review"
	}
	rv := s.newReviewer(ctx, res, lang, decisions, edits)
	if err := rv.addFacts(); err != nil {
		return err
	}
	rv.placeProblems(v, problems)
	rv.finish(v)
	return rv.readErr
}

func (s *Pages) newReviewer(ctx context.Context, res *extract.Result, lang string,
	decisions map[string]string, edits map[string]map[string]string) *reviewer {
	rv := &reviewer{s: s, ctx: ctx, res: res, lang: lang, decisions: decisions, edits: edits,
		reg: map[string]*twin.City{}, groups: map[string]*factGroup{}}
	for _, k := range factOrder {
		rv.groups[k] = &factGroup{Kind: k, ID: "g-" + k, Title: rv.T("extract.group." + k), Acceptable: slices.Contains(registry.FactKinds, k)}
	}
	for _, c := range res.Cities {
		label := c.Names.Pick(lang)
		if rv.inRegistry(c.Ref()) == nil {
			label += " — " + rv.T("extract.not_in_registry_short")
		}
		rv.cityOpts = append(rv.cityOpts, xoption{Value: c.Ref(), Label: label})
	}
	for _, a := range res.Agreements {
		if len(a.Cities) != 2 {
			continue
		}
		k := registry.PairKey(a.Cities[0], a.Cities[1])
		if !slices.ContainsFunc(rv.pairOpts, func(o xoption) bool { return o.Value == k }) {
			rv.pairOpts = append(rv.pairOpts, xoption{Value: k, Label: rv.pair(a.Cities)})
		}
	}
	return rv
}

// T says key in the review's language.
func (rv *reviewer) T(key string, kv ...any) string { return i18n.T(rv.lang, key, params(kv)) }

// inRegistry is the registry's city of ref, nil when it has none; the first failed read is kept.
func (rv *reviewer) inRegistry(ref string) *twin.City {
	if c, ok := rv.reg[ref]; ok {
		return c
	}
	var c *twin.City
	if twin.IsQID(ref) {
		var err error
		if c, err = rv.s.db.City(rv.ctx, ref); httpx.UnlessMissing(err) != nil && rv.readErr == nil {
			rv.readErr = err
		}
	}
	rv.reg[ref] = c
	return c
}

// city names one of the article's cities.
func (rv *reviewer) city(ref string) string { return registry.CityName(rv.res, ref, rv.lang) }

// pair names two cities: "Isfahan – Samarkand".
func (rv *reviewer) pair(refs []string) string { return rv.city(refs[0]) + " – " + rv.city(refs[1]) }

// dateText says a date in the reader's calendar, the other one beside it.
func (rv *reviewer) dateText(d *calendar.PartialDate) string {
	if d == nil {
		return ""
	}
	out := calendar.Format(*d, rv.lang)
	if alt := calendar.FormatAlt(*d, rv.lang); alt != "" {
		out += " (" + alt + ")"
	}
	return out
}

// add puts the i-th fact of kind in its group, with the reviewer's decision kept and its
// evidence (and more mentions) marked in the article.
func (rv *reviewer) add(kind string, i int, heading string, ev extract.Evidence, conf float64, more ...extract.Evidence) *factView {
	ref := kind + ":" + strconv.Itoa(i)
	f := &factView{Ref: ref, ID: kind + "-" + strconv.Itoa(i), Kind: kind, Heading: heading, Evidence: ev.Text,
		Confidence: percent(rv.lang, conf), Acceptable: slices.Contains(registry.FactKinds, kind), Decision: "reject"}
	if d := rv.decisions[ref]; d == "accept" || d == "edit" || d == "reject" {
		f.Decision = d
	}
	label := rv.T("extract.kind."+kind) + ": " + heading
	for _, e := range append([]extract.Evidence{ev}, more...) {
		rv.spans = append(rv.spans, span{start: e.Start, end: e.End, fact: f.ID, kind: kind, label: label})
	}
	rv.groups[kind].Facts = append(rv.groups[kind].Facts, f)
	return f
}

// det adds a detail labelled by its key, unless its value is empty.
func (rv *reviewer) det(f *factView, label, value string) {
	if value != "" {
		f.Details = append(f.Details, detail{Label: rv.T(label), Value: value})
	}
}

// link adds a detail that links to url; ltr says the value is written left to right.
func (rv *reviewer) link(f *factView, label, value, url string, ltr bool) {
	f.Details = append(f.Details, detail{Label: rv.T(label), Value: value, URL: url, LTR: ltr})
}

// fields gives an acceptable fact its edit fields, filled with the proposal or the edits.
func (rv *reviewer) fields(f *factView, kind string, i int, specs ...*factField) {
	vals := registry.ProposedValues(rv.res, kind, i)
	for k, x := range rv.edits[f.Ref] {
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

// choices are the options of a select over values, each labelled by prefix+value.
func (rv *reviewer) choices(prefix string, values []string) []xoption {
	var out []xoption
	for _, x := range values {
		out = append(out, xoption{Value: x, Label: rv.T(prefix + x)})
	}
	return out
}

// withBlank is opts after a blank choice.
func withBlank(opts []xoption) []xoption {
	return append([]xoption{{Value: "", Label: "—"}}, slices.Clone(opts)...)
}

// addFacts adds every fact of the article, in factOrder; err is a registry that failed.
func (rv *reviewer) addFacts() error {
	for i, a := range rv.res.Agreements {
		if err := rv.agreement(i, a); err != nil {
			return err
		}
	}
	for i, c := range rv.res.Cities {
		rv.cityFact(i, c)
	}
	for i, in := range rv.res.Institutions {
		rv.institution(i, in)
	}
	for i, pe := range rv.res.People {
		rv.person(i, pe)
	}
	for i, e := range rv.res.Events {
		rv.event(i, e)
	}
	rv.measures()
	rv.codes()
	return nil
}

func (rv *reviewer) agreement(i int, a extract.Agreement) error {
	head := ""
	if len(a.Cities) == 2 {
		head = rv.pair(a.Cities)
	}
	var more []extract.Evidence
	for _, m := range a.Mentions {
		more = append(more, m.Evidence)
	}
	f := rv.add("agreement", i, head, a.Evidence, a.Confidence, more...)
	rv.det(f, "extract.state", rv.T("extract.state."+a.State))
	rv.det(f, "extract.kind", rv.T("kind."+a.Kind))
	rv.det(f, "extract.status", rv.T("status."+a.Status))
	rv.det(f, "extract.signed", rv.dateText(a.Signed))
	if a.Proposal != nil {
		rv.det(f, "extract.proposed_by", a.Proposal.By)
		rv.det(f, "extract.proposed_on", rv.dateText(a.Proposal.Date))
	}
	if err := rv.agreementInRegistry(f, a); err != nil {
		return err
	}
	rv.fields(f, "agreement", i,
		&factField{Name: "status", Label: rv.T("extract.status"), Type: "select", Options: rv.choices("status.", twin.AgreementStatuses)},
		&factField{Name: "kind", Label: rv.T("extract.kind"), Type: "select", Options: rv.choices("kind.", twin.AgreementKinds)},
		&factField{Name: "signed", Label: rv.T("extract.signed"), Type: "date"})
	return nil
}

// agreementInRegistry says whether the registry holds the agreement already; one whose cities
// it lacks cannot be accepted.
func (rv *reviewer) agreementInRegistry(f *factView, a extract.Agreement) error {
	var missing []string
	var cs []*twin.City
	for _, ref := range a.Cities {
		c := rv.inRegistry(ref)
		if c == nil {
			missing = append(missing, rv.city(ref))
		}
		cs = append(cs, c)
	}
	switch {
	case len(missing) > 0:
		f.Blocked = rv.T("extract.blocked_cities", "names", strings.Join(missing, i18n.ListSep(rv.lang)))
		f.Decision = "reject"
	case len(cs) == 2:
		ex, err := rv.s.reg.ExistingAgreement(rv.ctx, cs[0], cs[1])
		if err != nil {
			return err
		}
		if ex != nil {
			rv.link(f, "extract.in_registry", rv.T("status."+ex.Status), "/"+rv.lang+"/agreements/"+strconv.FormatInt(ex.ID, 10), false)
		} else {
			rv.det(f, "extract.in_registry", rv.T("extract.new_record"))
		}
	}
	return nil
}

func (rv *reviewer) cityFact(i int, c extract.City) {
	more := append(slices.Clone(c.Mentions), c.NameMentions...)
	f := rv.add("city", i, c.Names.Pick(rv.lang), c.Evidence, c.Confidence, more...)
	if c.Wikidata != "" {
		rv.link(f, "extract.wikidata", c.Wikidata, "https://www.wikidata.org/wiki/"+c.Wikidata, true)
	}
	rv.det(f, "extract.country", countryName(c.Country, rv.lang))
	if rc := rv.inRegistry(c.Ref()); rc != nil {
		rv.link(f, "extract.registry", rc.Names.Pick(rv.lang), "/"+rv.lang+"/cities/"+rc.Ref(), false)
	} else {
		f.Warning = rv.T("extract.not_in_registry")
	}
	rv.det(f, "extract.mentions", i18n.Number(rv.lang, int64(len(c.Mentions)+len(c.NameMentions))))
	if len(c.Alternatives) > 0 {
		rv.link(f, "extract.alternatives", strings.Join(c.Alternatives, ", "), "", true)
	}
}

// placeDetails says a fact's city (warning when the registry lacks it) and country.
func (rv *reviewer) placeDetails(f *factView, city, country string) {
	if city != "" {
		rv.det(f, "extract.city", rv.city(city))
		if rv.inRegistry(city) == nil {
			f.Warning = rv.T("extract.city_not_in_registry", "name", rv.city(city))
		}
	}
	if country != "" {
		rv.det(f, "extract.country", countryName(country, rv.lang))
	}
}

func (rv *reviewer) institution(i int, in extract.Institution) {
	f := rv.add("institution", i, in.Name, in.Evidence, in.Confidence)
	rv.det(f, "extract.type", rv.T("itype."+in.Type))
	rv.placeDetails(f, in.City, in.Country)
	if in.City == "" {
		f.Warning = rv.T("extract.choose_city")
	}
	rv.fields(f, "institution", i,
		&factField{Name: "name", Label: rv.T("extract.name"), Type: "text"},
		&factField{Name: "type", Label: rv.T("extract.type"), Type: "select", Options: rv.choices("itype.", twin.InstitutionTypes)},
		&factField{Name: "city", Label: rv.T("extract.city"), Type: "select", Options: withBlank(rv.cityOpts)})
}

func (rv *reviewer) person(i int, pe extract.Person) {
	head := pe.Name
	if head == "" {
		head = pe.Title
	}
	f := rv.add("person", i, head, pe.Evidence, pe.Confidence)
	rv.det(f, "extract.title_of", pe.Title)
	rv.placeDetails(f, pe.City, pe.Country)
	rv.det(f, "extract.organization", pe.Organization)
	if pe.Note != "" {
		rv.det(f, "extract.note", rv.T("extract.coreference"))
	}
	rv.fields(f, "person", i,
		&factField{Name: "name", Label: rv.T("extract.name"), Type: "text"},
		&factField{Name: "title", Label: rv.T("extract.title_of"), Type: "text"},
		&factField{Name: "city", Label: rv.T("extract.city"), Type: "select", Options: withBlank(rv.cityOpts)})
}

func (rv *reviewer) event(i int, e extract.Event) {
	head := e.Title
	if head == "" {
		head = e.Evidence.Text
	}
	f := rv.add("event", i, head, e.Evidence, e.Confidence)
	rv.det(f, "extract.kind", rv.T("extract.event."+e.Kind))
	if e.Ordinal > 0 {
		rv.det(f, "extract.ordinal", i18n.Number(rv.lang, int64(e.Ordinal)))
	}
	rv.det(f, "extract.date", rv.dateText(e.Date))
	var cs []string
	for _, c := range e.Cities {
		cs = append(cs, rv.city(c))
	}
	rv.det(f, "extract.cities", strings.Join(cs, i18n.ListSep(rv.lang)))
	rv.det(f, "extract.invitees", e.Invitees)
	if len(rv.pairOpts) == 0 {
		f.Warning = rv.T("extract.event_needs_agreement")
	}
	rv.fields(f, "event", i,
		&factField{Name: "kind", Label: rv.T("extract.kind"), Type: "select", Options: rv.choices("activity.kind.", twin.ActivityKinds)},
		&factField{Name: "title", Label: rv.T("extract.name"), Type: "text"},
		&factField{Name: "date", Label: rv.T("extract.date"), Type: "date"},
		&factField{Name: "agreement", Label: rv.T("extract.under_agreement"), Type: "select", Options: withBlank(rv.pairOpts)})
}

// measures adds the article's dates, counts and ordinals.
func (rv *reviewer) measures() {
	for i, d := range rv.res.Dates {
		f := rv.add("date", i, d.Evidence.Text, d.Evidence, d.Confidence)
		pd := d.PartialDate
		rv.det(f, "extract.calendar", rv.T("calendar."+string(pd.Calendar)))
		rv.det(f, "extract.precision", rv.T("extract.precision."+string(pd.Precision)))
		rv.link(f, "extract.value", pd.Value, "", true)
		rv.det(f, "extract.date", rv.dateText(&pd))
		if pd.Start != "" {
			rv.link(f, "extract.interval", pd.Start+" … "+pd.End, "", true)
		}
	}
	for i, c := range rv.res.Counts {
		f := rv.add("count", i, c.Evidence.Text, c.Evidence, c.Confidence)
		rv.det(f, "extract.value", i18n.Digits(rv.lang, strconv.FormatFloat(c.Value, 'f', -1, 64)))
		rv.det(f, "extract.noun", c.NounText)
		if c.Subject != "" {
			rv.det(f, "extract.subject", rv.city(c.Subject))
		}
	}
	for i, o := range rv.res.Ordinals {
		f := rv.add("ordinal", i, o.Evidence.Text, o.Evidence, o.Confidence)
		rv.det(f, "extract.value", i18n.Digits(rv.lang, strconv.Itoa(o.Value)))
		rv.det(f, "extract.noun", o.NounText)
	}
}

// codes adds the article's domains, countries and joint productions.
func (rv *reviewer) codes() {
	for i, d := range rv.res.Domains {
		f := rv.add("domain", i, domainName(d.Code, rv.lang), d.Evidence, d.Confidence)
		rv.det(f, "extract.mentions", i18n.Number(rv.lang, int64(len(d.Mentions))))
		rv.link(f, "extract.code", d.Code, "", true)
	}
	for i, c := range rv.res.Countries {
		name := c.Names.Pick(rv.lang)
		if name == "" {
			name = countryName(c.Code, rv.lang)
		}
		f := rv.add("country", i, name, c.Evidence, c.Confidence)
		rv.link(f, "extract.code", c.Code, "", true)
	}
	for i, pr := range rv.res.Productions {
		f := rv.add("production", i, rv.T("extract.production."+pr.Kind), pr.Evidence, pr.Confidence)
		if pr.Joint {
			rv.det(f, "extract.joint", rv.T("extract.yes"))
		}
	}
}

// placeProblems puts each problem beside its field, else its fact, and in the summary at the
// top.
func (rv *reviewer) placeProblems(v *extractView, problems twin.Problems) {
	for key, fe := range problems {
		msg := rv.T("field."+fe.Key, flatten(fe.Params)...)
		ref, field, _ := strings.Cut(key, ".")
		target := rv.fact(ref)
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
}

// fact is the fact of ref ("agreement:0"), nil when the review has none.
func (rv *reviewer) fact(ref string) *factView {
	kind, _, _ := registry.SplitRef(ref)
	var target *factView
	if g := rv.groups[kind]; g != nil {
		for _, f := range g.Facts {
			if f.Ref == ref {
				target = f
			}
		}
	}
	return target
}

// finish marks the article and lists the groups that have facts, each fact linked to where
// its evidence begins.
func (rv *reviewer) finish(v *extractView) {
	segs, anchors := markArticle(v.Text, rv.spans)
	v.Segments = segs
	for _, k := range factOrder {
		g := rv.groups[k]
		for _, f := range g.Facts {
			f.EvAnchor = anchors[f.ID]
		}
		if len(g.Facts) > 0 {
			v.Groups = append(v.Groups, *g)
			v.Counts = append(v.Counts, kindCount{Label: g.Title, N: len(g.Facts), ID: g.ID})
		}
	}
}

// flatten turns a problem's parameters into the key, value list T takes.
func flatten(m map[string]any) []any {
	var out []any
	for k, x := range m {
		out = append(out, k, fmt.Sprint(x))
	}
	return out
}
