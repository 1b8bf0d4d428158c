package registry

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/extract"
	"github.com/twinning/twinning/internal/persian"
	"github.com/twinning/twinning/internal/twin"
)

// Decision is one fact of an extract answer that a reviewer accepts: its ref ("agreement:0",
// "institution:2", "person:1", "event:0", "domain:3") and the values the reviewer changed.
// Values keys: agreement status, kind, signed, signed_calendar; institution name, type,
// city; person name, title, city; event kind, title, date, date_calendar, agreement (the
// two city refs as "Q42053|Q5753"). A key left out keeps the proposed value.
type Decision struct {
	Ref    string
	Values map[string]string
}

// Applied is one accepted fact and the record it created or changed.
type Applied struct {
	Ref    string
	Kind   string // agreement, institution, person, activity; domain facts name their agreement
	ID     int64
	Action string // created, updated, unchanged
	Claim  bool   // the article disagreed with the record: kept as a claim
}

// Pending records: each is written once, at the end, whatever number of facts touched it.
type agWork struct {
	rec      *twin.Agreement
	version  int64 // 0: to create
	orig     *twin.Agreement
	refs     []string
	claim    bool
	domainOf []string // domain facts added to it
}

type instWork struct {
	rec     *twin.Institution
	version int64
	orig    *twin.Institution
	refs    []string
	key     string
}

type personWork struct {
	rec     *twin.Person
	version int64
	orig    *twin.Person
	refs    []string
	inst    []*instWork // per title, the institution accepted with it
}

type actWork struct {
	rec     *twin.Activity
	version int64
	orig    *twin.Activity
	refs    []string
	ag      *agWork
}

// acceptance is the plan of one accept: the pending records and the problems found.
type acceptance struct {
	r        *Registry
	ctx      context.Context
	res      *extract.Result
	problems twin.Problems
	cities   map[string]*twin.City // registry cities by extractor ref; nil when not in the registry
	ags      []*agWork
	insts    []*instWork
	people   []*personWork
	acts     []*actWork
}

// registryCity finds the registry city an extractor ref names, or nil.
func (ac *acceptance) registryCity(ref string) (*twin.City, error) {
	if c, ok := ac.cities[ref]; ok {
		return c, nil
	}
	var c *twin.City
	if twin.IsQID(ref) {
		var err error
		c, err = ac.r.db.City(ac.ctx, ref)
		if err != nil && twin.ErrorCode(err) != twin.ENOTFOUND {
			return nil, err
		}
		if err != nil {
			c = nil
		}
	}
	ac.cities[ref] = c
	return c, nil
}

// needCity resolves a city a fact needs, recording why not under field.
func (ac *acceptance) needCity(field, ref string) (*twin.City, error) {
	if ref == "" {
		ac.problems.Add(field, twin.KeyRequired, nil)
		return nil, nil
	}
	c, err := ac.registryCity(ref)
	if err != nil {
		return nil, err
	}
	if c == nil {
		ac.problems.Add(field, "extract_not_in_registry", map[string]any{"value": ref, "name": CityName(ac.res, ref, ac.res.Lang)})
	}
	return c, nil
}

// readDate reads an edited date in its calendar; "" is no date.
func (ac *acceptance) readDate(field, cal, value string) *calendar.PartialDate {
	value = strings.TrimSpace(persian.PlainNumber(value))
	if value == "" {
		return nil
	}
	d, err := calendar.Parse(calendar.Calendar(cal), value)
	if err != nil {
		if ce, ok := err.(*calendar.Error); ok {
			ac.problems.Add(field, ce.Code, map[string]any{"value": ce.Value})
		} else {
			ac.problems.Add(field, "date_syntax", map[string]any{"value": value})
		}
		return nil
	}
	return &d
}

// AcceptArticle reads an article (text, its URL, its publication date YYYY-MM-DD, its language
// fa or en, detected when empty) and accepts the facts decided, as Accept: the facts are the
// server's own reading, never the client's.
func (r *Registry) AcceptArticle(ctx context.Context, text, url, published, lang string, decided []Decision) ([]Applied, twin.Problems, error) {
	res, err := ReadArticle(text, url, published, lang)
	if err != nil {
		return nil, nil, err
	}
	return r.Accept(ctx, res, decided)
}

// ReadArticle reads an article with the bundled gazetteer: the facts it proposes, each with
// its evidence.
func ReadArticle(text, url, published, lang string) (*extract.Result, error) {
	g, err := extract.DefaultGazetteer()
	if err != nil {
		return nil, err
	}
	return extract.Extract(text, g, extract.Options{SourceURL: url, Published: published, Lang: lang}), nil
}

// Accept plans the accepted facts against the registry and, when no fact has a problem,
// writes them in one transaction, each record citing the article. Facts not decided are
// rejected. Problems are keyed "ref.field" ("ref" alone for the fact); with problems nothing
// is written.
func (r *Registry) Accept(ctx context.Context, res *extract.Result, decided []Decision) ([]Applied, twin.Problems, error) {
	ac := &acceptance{r: r, ctx: ctx, res: res, problems: twin.Problems{}, cities: map[string]*twin.City{}}
	byKind, values := ac.decisions(decided)
	steps := []struct {
		kind string
		fn   func(ref string, i int, v map[string]string) error
	}{{"agreement", ac.agreement}, {"institution", ac.institution}, {"person", ac.person}, {"event", ac.event}}
	for _, st := range steps {
		for _, i := range byKind[st.kind] {
			ref := st.kind + ":" + strconv.Itoa(i)
			if err := st.fn(ref, i, values[ref]); err != nil {
				return nil, nil, err
			}
		}
	}
	ac.domains(byKind["domain"])
	if len(ac.problems) > 0 {
		return nil, ac.problems, nil
	}
	return ac.write()
}

// decisions checks the reviewer's decisions: each names a fact of the article once, with
// only the fields its kind has. It returns the facts' indexes by kind, in order, and each
// fact's values (the proposed ones, with the reviewer's edits, trimmed) by ref.
func (ac *acceptance) decisions(decided []Decision) (map[string][]int, map[string]map[string]string) {
	res := ac.res
	byKind := map[string][]int{}
	values := map[string]map[string]string{}
	seen := map[string]bool{}
	for _, it := range decided {
		kind, i, ok := SplitRef(it.Ref)
		if !ok || !slices.Contains(FactKinds, kind) || i >= FactCount(res, kind) {
			ac.problems.Add(it.Ref, "extract_unknown_fact", map[string]any{"value": it.Ref})
			continue
		}
		if seen[it.Ref] {
			continue
		}
		seen[it.Ref] = true
		v := ProposedValues(res, kind, i)
		for k, x := range it.Values {
			if _, known := v[k]; !known && kind != "domain" {
				ac.problems.Add(it.Ref+"."+k, "unknown_field", nil)
				continue
			}
			v[k] = strings.TrimSpace(x)
		}
		values[it.Ref] = v
		byKind[kind] = append(byKind[kind], i)
	}
	for _, k := range FactKinds {
		slices.Sort(byKind[k])
	}
	return byKind, values
}

// domains gives the accepted domains (their indexes) to every agreement this acceptance
// touches; without one, a domain is a problem.
func (ac *acceptance) domains(accepted []int) {
	res := ac.res
	for _, i := range accepted {
		ref := "domain:" + strconv.Itoa(i)
		if len(ac.ags) == 0 {
			ac.problems.Add(ref, "extract_domain_needs_agreement", nil)
			continue
		}
		for _, w := range ac.ags {
			if !slices.Contains(w.rec.Domains, res.Domains[i].Code) {
				w.rec.Domains = append(w.rec.Domains, res.Domains[i].Code)
			}
			w.domainOf = append(w.domainOf, ref)
			addSource(&w.rec.Sources, articleSource(res, res.Domains[i].Evidence))
		}
	}
}

func (ac *acceptance) agreement(ref string, i int, v map[string]string) error {
	f := ac.res.Agreements[i]
	if len(f.Cities) != 2 {
		ac.problems.Add(ref, twin.KeyTwoCities, nil)
		return nil
	}
	var cs [2]*twin.City
	for k, cref := range f.Cities {
		c, err := ac.needCity(ref+".cities", cref)
		if err != nil {
			return err
		}
		cs[k] = c
	}
	status, kind := v["status"], v["kind"]
	if !slices.Contains(twin.AgreementStatuses, status) {
		ac.problems.Add(ref+".status", twin.KeyInvalidChoice, map[string]any{"value": status, "choices": strings.Join(twin.AgreementStatuses, ", ")})
	}
	if !slices.Contains(twin.AgreementKinds, kind) {
		ac.problems.Add(ref+".kind", twin.KeyInvalidChoice, map[string]any{"value": kind, "choices": strings.Join(twin.AgreementKinds, ", ")})
	}
	signed := ac.readDate(ref+".signed", v["signed_calendar"], v["signed"])
	if cs[0] == nil || cs[1] == nil {
		return nil
	}
	src := articleSource(ac.res, f.Evidence)
	w, err := ac.agreementBetween(cs[0], cs[1])
	if err != nil {
		return err
	}
	if w == nil {
		a := &twin.Agreement{Cities: []string{cs[0].Ref(), cs[1].Ref()}, Kind: kind, Status: status, Signed: signed}
		if f.Proposal != nil {
			a.Proposed = f.Proposal.Date
		}
		w = &agWork{rec: a}
		ac.ags = append(ac.ags, w)
	} else {
		w.mergeArticle(f, status, signed, src)
	}
	ac.credit(w.rec, f)
	addSource(&w.rec.Sources, src)
	w.refs = append(w.refs, ref)
	return nil
}

// credit adds the people and institutions the article credits to a: the proposer (for an
// agreement already in the registry too) and the facilitators, each once.
func (ac *acceptance) credit(a *twin.Agreement, f extract.Agreement) {
	if f.Proposal != nil && f.Proposal.By != "" {
		addParty(a, twin.Party{Role: twin.RoleProposer, Name: twin.Names{ac.res.Lang: f.Proposal.By}, Date: f.Proposal.Date})
	}
	for _, fc := range f.Facilitators {
		addParty(a, twin.Party{Role: twin.RoleFacilitator, Name: twin.Names{ac.res.Lang: fc.Name}})
	}
}

// mergeArticle brings what an article says of an agreement already in the registry into
// it: a status it may move to, a signing date or proposal date it lacks. A status or signing
// date that disagrees with the registry's is kept as a claim of the article's, once.
func (w *agWork) mergeArticle(f extract.Agreement, status string, signed *calendar.PartialDate, src twin.Source) {
	a := w.rec
	claim := twin.Claim{Source: src}
	differs := false
	if status != a.Status {
		if twin.CanMove(a.Status, status) {
			a.Status = status
		} else {
			claim.Status, differs = status, true
		}
	}
	if signed != nil {
		switch {
		case a.Signed == nil:
			a.Signed = signed
		case a.Signed.Start != signed.Start || a.Signed.End != signed.End:
			claim.Signed, differs = signed, true
		}
	}
	if f.Proposal != nil && f.Proposal.Date != nil && a.Proposed == nil && (a.Signed == nil || f.Proposal.Date.Start <= a.Signed.Start) {
		a.Proposed = f.Proposal.Date
	}
	if differs {
		dup := false
		for _, c := range a.Claims {
			if twin.SameJSON(c, claim) {
				dup = true
			}
		}
		if !dup {
			a.Claims = append(a.Claims, claim)
			w.claim = true
		}
	}
}

// addParty adds a party to an agreement unless one of the same role and name is there.
func addParty(a *twin.Agreement, p twin.Party) {
	for _, x := range a.Parties {
		if x.Role == p.Role && twin.SameJSON(x.Name, p.Name) {
			return
		}
	}
	a.Parties = append(a.Parties, p)
}

// agreementBetween is the pending agreement between two registry cities: one already planned,
// or the registry's (preferring a live one of any kind), or nil.
func (ac *acceptance) agreementBetween(a, b *twin.City) (*agWork, error) {
	for _, w := range ac.ags {
		if w.rec.Cities[0] == a.Ref() && w.rec.Cities[1] == b.Ref() || w.rec.Cities[0] == b.Ref() && w.rec.Cities[1] == a.Ref() {
			return w, nil
		}
	}
	ex, err := ac.r.ExistingAgreement(ac.ctx, a, b)
	if err != nil || ex == nil {
		return nil, err
	}
	w := &agWork{rec: clone(ex), version: ex.Version, orig: ex}
	ac.ags = append(ac.ags, w)
	return w, nil
}

// ExistingAgreement is the registry's agreement between two cities (the first by id, of any
// status), or nil: what the review page shows beside an agreement read from an article.
func (r *Registry) ExistingAgreement(ctx context.Context, a, b *twin.City) (*twin.Agreement, error) {
	f := twin.Filter{Limit: 1000}.With(twin.FilterCity, a.ID)
	for {
		pg, err := r.db.Agreements.List(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, ag := range pg.Items {
			if slices.Contains(ag.CityIDs, b.ID) {
				return ag, nil
			}
		}
		if pg.Next == "" {
			return nil, nil
		}
		f.After = pg.Next
	}
}
