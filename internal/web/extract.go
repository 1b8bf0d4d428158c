package web

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/extract"
	"github.com/twinning/twinning/internal/persian"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// Reading the news (DESIGN §5): POST /api/v1/extract proposes records from an article;
// POST /api/v1/extract/accept and the staff page /{lang}/staff/extract turn the proposals a
// reviewer accepts into records, all in one transaction, each record citing the article.

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

// acceptItem names one fact of the extract answer by kind and index ("agreement:0",
// "institution:2", "person:1", "event:0", "domain:3") with the values the reviewer changed.
// Values keys: agreement status, kind, signed, signed_calendar; institution name, type,
// city; person name, title, city; event kind, title, date, date_calendar, agreement (the
// two city refs as "Q42053|Q5753"). A key left out keeps the proposed value.
type acceptItem struct {
	Ref    string            `json:"ref"`
	Values map[string]string `json:"values,omitempty"`
}

// acceptAnswer lists the records the accepted facts became.
type acceptAnswer struct {
	Applied []appliedFact `json:"applied"`
}

// appliedFact is one accepted fact and the record it created or changed.
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
	res, err := readArticle(req.Text, req.URL, req.Published, req.Lang)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func readArticle(text, url, published, lang string) (*extract.Result, error) {
	g, err := extract.DefaultGazetteer()
	if err != nil {
		return nil, err
	}
	return extract.Extract(text, g, extract.Options{SourceURL: url, Published: published, Lang: lang}), nil
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
	res, err := readArticle(req.Text, req.URL, req.Published, req.Lang)
	if err != nil {
		return err
	}
	applied, problems, err := s.acceptFacts(r.Context(), res, req.Accept)
	if err == nil && len(problems) > 0 {
		err = problems.Err()
	}
	if err != nil {
		return err
	}
	if applied == nil {
		applied = []appliedFact{}
	}
	writeJSON(w, http.StatusOK, acceptAnswer{Applied: applied})
	return nil
}

// The kinds of facts that can be accepted.
var acceptKinds = []string{"agreement", "institution", "person", "event", "domain"}

// splitRef parses "kind:index".
func splitRef(ref string) (string, int, bool) {
	k, i, ok := strings.Cut(ref, ":")
	n, err := strconv.Atoi(i)
	if !ok || err != nil || n < 0 {
		return "", 0, false
	}
	return k, n, true
}

// factCount is how many facts of kind res holds.
func factCount(res *extract.Result, kind string) int {
	switch kind {
	case "agreement":
		return len(res.Agreements)
	case "institution":
		return len(res.Institutions)
	case "person":
		return len(res.People)
	case "event":
		return len(res.Events)
	case "domain":
		return len(res.Domains)
	}
	return 0
}

// factEvidence is the evidence of an acceptable fact.
func factEvidence(res *extract.Result, kind string, i int) extract.Evidence {
	switch kind {
	case "agreement":
		return res.Agreements[i].Evidence
	case "institution":
		return res.Institutions[i].Evidence
	case "person":
		return res.People[i].Evidence
	case "event":
		return res.Events[i].Evidence
	case "domain":
		return res.Domains[i].Evidence
	}
	return extract.Evidence{}
}

// eventKinds maps the extractor's event kinds to activity kinds.
var eventKinds = map[string]string{"delegation": "visit", "festival": "festival", "invitation": "invitation", "visit": "visit", "ceremony": "event", "meeting": "meeting", "exhibition": "exhibition", "conference": "conference"}

// pairKey is two city refs in a stable order, as the event form names an agreement.
func pairKey(a, b string) string {
	if b < a {
		a, b = b, a
	}
	return a + "|" + b
}

// proposedValues are a fact's values as read: what "accept" applies and what the edit fields
// start from.
func proposedValues(res *extract.Result, kind string, i int) map[string]string {
	v := map[string]string{}
	datePair := func(prefix string, d *calendar.PartialDate) {
		v[prefix], v[prefix+"_calendar"] = "", string(homeCalendar(res.Lang))
		if d != nil {
			v[prefix], v[prefix+"_calendar"] = d.Value, string(d.Calendar)
		}
	}
	switch kind {
	case "agreement":
		a := res.Agreements[i]
		v["status"], v["kind"] = a.Status, a.Kind
		datePair("signed", a.Signed)
	case "institution":
		in := res.Institutions[i]
		v["name"], v["type"], v["city"] = in.Name, in.Type, in.City
	case "person":
		pe := res.People[i]
		v["name"], v["title"], v["city"] = pe.Name, pe.Title, pe.City
	case "event":
		ev := res.Events[i]
		k := eventKinds[ev.Kind]
		if k == "" {
			k = "other"
		}
		v["kind"], v["title"] = k, ev.Title
		if v["title"] == "" {
			v["title"] = persian.Canonical(ev.Evidence.Text)
		}
		datePair("date", ev.Date)
		v["agreement"] = defaultPair(res, ev.Cities)
	}
	return v
}

// defaultPair is the agreement an event is filed under: the first agreement of the article
// that involves one of the event's cities, else the article's first agreement.
func defaultPair(res *extract.Result, cities []string) string {
	for _, a := range res.Agreements {
		if len(a.Cities) == 2 && (slices.Contains(cities, a.Cities[0]) || slices.Contains(cities, a.Cities[1])) {
			return pairKey(a.Cities[0], a.Cities[1])
		}
	}
	if len(cities) == 2 {
		return pairKey(cities[0], cities[1])
	}
	for _, a := range res.Agreements {
		if len(a.Cities) == 2 {
			return pairKey(a.Cities[0], a.Cities[1])
		}
	}
	return ""
}

// articleSource is what every record touched by a fact cites: the article, the evidence
// quoted, and its byte offsets in the article (Quote == text[Start:End]).
func articleSource(res *extract.Result, ev extract.Evidence) twin.Source {
	return twin.Source{Dataset: "news", URL: res.SourceURL, Date: res.Published, Quote: ev.Text, Start: ev.Start, End: ev.End}
}

func addSource(ss *[]twin.Source, src twin.Source) bool {
	for _, s := range *ss {
		if s.Dataset == src.Dataset && s.URL == src.URL && s.Start == src.Start && s.End == src.End && s.Quote == src.Quote {
			return false
		}
	}
	*ss = append(*ss, src)
	return true
}

func clone[T any](v *T) *T {
	b, _ := json.Marshal(v)
	out := new(T)
	json.Unmarshal(b, out)
	return out
}

func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
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
	s        *Server
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
		c, err = ac.s.db.City(ac.ctx, ref)
		if err != nil && !isNotFound(err) {
			return nil, err
		}
		if err != nil {
			c = nil
		}
	}
	ac.cities[ref] = c
	return c, nil
}

// cityName is how the article's city ref is called in the reader's language.
func cityName(res *extract.Result, ref, lang string) string {
	for _, c := range res.Cities {
		if c.Ref() == ref {
			if n := c.Names.Pick(lang); n != "" {
				return n
			}
		}
	}
	return ref
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
		ac.problems.Add(field, "extract_not_in_registry", map[string]any{"value": ref, "name": cityName(ac.res, ref, ac.res.Lang)})
	}
	return c, nil
}

// readDate reads an edited date in its calendar; "" is no date.
func (ac *acceptance) readDate(field, cal, value string) *calendar.PartialDate {
	value = strings.TrimSpace(asciiDigits(value))
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

// acceptFacts plans the accepted facts against the registry and, when no fact has a problem,
// writes them in one transaction. Problems are keyed "ref.field" ("ref" alone for the fact).
func (s *Server) acceptFacts(ctx context.Context, res *extract.Result, items []acceptItem) ([]appliedFact, twin.Problems, error) {
	ac := &acceptance{s: s, ctx: ctx, res: res, problems: twin.Problems{}, cities: map[string]*twin.City{}}
	byKind := map[string][]int{}
	values := map[string]map[string]string{}
	seen := map[string]bool{}
	for _, it := range items {
		kind, i, ok := splitRef(it.Ref)
		if !ok || !slices.Contains(acceptKinds, kind) || i >= factCount(res, kind) {
			ac.problems.Add(it.Ref, "extract_unknown_fact", map[string]any{"value": it.Ref})
			continue
		}
		if seen[it.Ref] {
			continue
		}
		seen[it.Ref] = true
		v := proposedValues(res, kind, i)
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
	for _, k := range acceptKinds {
		slices.Sort(byKind[k])
	}
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
	// Accepted domains go to every agreement this acceptance touches.
	for _, i := range byKind["domain"] {
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
	if len(ac.problems) > 0 {
		return nil, ac.problems, nil
	}
	return ac.write()
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
				if sameJSON(c, claim) {
					dup = true
				}
			}
			if !dup {
				a.Claims = append(a.Claims, claim)
				w.claim = true
			}
		}
	}
	// The people and institutions the article credits: the proposer (for an agreement already
	// in the registry too) and the facilitators, each once.
	if f.Proposal != nil && f.Proposal.By != "" {
		addParty(w.rec, twin.Party{Role: twin.RoleProposer, Name: twin.Names{ac.res.Lang: f.Proposal.By}, Date: f.Proposal.Date})
	}
	for _, fc := range f.Facilitators {
		addParty(w.rec, twin.Party{Role: twin.RoleFacilitator, Name: twin.Names{ac.res.Lang: fc.Name}})
	}
	addSource(&w.rec.Sources, src)
	w.refs = append(w.refs, ref)
	return nil
}

// addParty adds a party to an agreement unless one of the same role and name is there.
func addParty(a *twin.Agreement, p twin.Party) {
	for _, x := range a.Parties {
		if x.Role == p.Role && sameJSON(x.Name, p.Name) {
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
	ex, err := ac.existingAgreement(a, b)
	if err != nil || ex == nil {
		return nil, err
	}
	w := &agWork{rec: clone(ex), version: ex.Version, orig: ex}
	ac.ags = append(ac.ags, w)
	return w, nil
}

func (ac *acceptance) existingAgreement(a, b *twin.City) (*twin.Agreement, error) {
	f := twin.Filter{Limit: 1000}.With(twin.FilterCity, a.ID)
	for {
		pg, err := ac.s.db.Agreements.List(ac.ctx, f)
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

func (ac *acceptance) institution(ref string, i int, v map[string]string) error {
	f := ac.res.Institutions[i]
	name, typ := v["name"], v["type"]
	if name == "" {
		ac.problems.Add(ref+".name", twin.KeyRequired, nil)
	}
	if !slices.Contains(twin.InstitutionTypes, typ) {
		ac.problems.Add(ref+".type", twin.KeyInvalidChoice, map[string]any{"value": typ, "choices": strings.Join(twin.InstitutionTypes, ", ")})
	}
	c, err := ac.needCity(ref+".city", v["city"])
	if err != nil || c == nil || name == "" {
		return err
	}
	src := articleSource(ac.res, f.Evidence)
	key := persian.NameKey(name)
	for _, w := range ac.insts {
		if w.key == key && w.rec.CityID == c.ID {
			addSource(&w.rec.Sources, src)
			w.refs = append(w.refs, ref)
			return nil
		}
	}
	ex, err := ac.existingInstitution(name, c)
	if err != nil {
		return err
	}
	var w *instWork
	if ex != nil {
		w = &instWork{rec: clone(ex), version: ex.Version, orig: ex, key: key}
	} else {
		w = &instWork{rec: &twin.Institution{Names: twin.Names{ac.res.Lang: name}, Aliases: articleSpellings(name, f.Name, f.Aliases), Type: typ, City: c.Ref(), CityID: c.ID}, key: key}
	}
	addSource(&w.rec.Sources, src)
	w.refs = append(w.refs, ref)
	ac.insts = append(ac.insts, w)
	return nil
}

// existingInstitution is the registry's institution of that name (by NameKey, names and
// aliases) in city c, or nil.
func (ac *acceptance) existingInstitution(name string, c *twin.City) (*twin.Institution, error) {
	hits, err := ac.s.db.Search(ac.ctx, name, []string{"institution"}, 50)
	if err != nil || len(hits) == 0 {
		return nil, err
	}
	ids := store.HitIDs(hits)
	ins, err := ac.s.db.Institutions.ByIDs(ac.ctx, ids)
	if err != nil {
		return nil, err
	}
	key := persian.NameKey(name)
	for _, in := range ins {
		if in.CityID == c.ID && namedAs(in.Names, in.Aliases, key) {
			return in, nil
		}
	}
	return nil, nil
}

// articleSpellings are the article's spellings of a proposed name (extract
// restores half-spaces the article stripped) to keep as aliases when the
// reviewer accepted the proposed name as it was.
func articleSpellings(accepted, proposed string, aliases []string) []string {
	if accepted != proposed {
		return nil
	}
	var out []string
	for _, a := range aliases {
		if a != accepted {
			out = append(out, a)
		}
	}
	return out
}

func namedAs(n twin.Names, aliases []string, key string) bool {
	for _, v := range n {
		if persian.NameKey(v) == key {
			return true
		}
	}
	for _, a := range aliases {
		if persian.NameKey(a) == key {
			return true
		}
	}
	return false
}

func (ac *acceptance) person(ref string, i int, v map[string]string) error {
	f := ac.res.People[i]
	name, title := v["name"], v["title"]
	if name == "" {
		ac.problems.Add(ref+".name", twin.KeyRequired, nil)
	}
	var c *twin.City
	if v["city"] != "" {
		var err error
		if c, err = ac.needCity(ref+".city", v["city"]); err != nil {
			return err
		}
		if c == nil {
			return nil
		}
	}
	if name == "" {
		return nil
	}
	src := articleSource(ac.res, f.Evidence)
	key := persian.NameKey(name)
	var w *personWork
	for _, pw := range ac.people {
		if namedAs(pw.rec.Names, pw.rec.Aliases, key) {
			w = pw
		}
	}
	if w == nil {
		ex, err := ac.existingPerson(name)
		if err != nil {
			return err
		}
		if ex != nil {
			w = &personWork{rec: clone(ex), version: ex.Version, orig: ex}
		} else {
			w = &personWork{rec: &twin.Person{Names: twin.Names{ac.res.Lang: name}, Aliases: articleSpellings(name, f.Name, f.Aliases)}}
		}
		w.inst = make([]*instWork, len(w.rec.Titles))
		ac.people = append(ac.people, w)
	}
	if title != "" {
		t := twin.Title{Title: twin.Names{ac.res.Lang: title}, Role: f.Role}
		if c != nil {
			t.City = c.Ref()
		}
		var iw *instWork
		if f.Organization != "" {
			ok := persian.NameKey(f.Organization)
			for _, x := range ac.insts {
				if x.key == ok {
					iw = x
				}
			}
		}
		dup := false
		for _, have := range w.rec.Titles {
			if persian.NameKey(have.Title.Pick(ac.res.Lang)) == persian.NameKey(title) && have.City == t.City {
				dup = true
			}
		}
		if !dup {
			w.rec.Titles = append(w.rec.Titles, t)
			w.inst = append(w.inst, iw)
		}
	}
	addSource(&w.rec.Sources, src)
	w.refs = append(w.refs, ref)
	return nil
}

func (ac *acceptance) existingPerson(name string) (*twin.Person, error) {
	hits, err := ac.s.db.Search(ac.ctx, name, []string{"person"}, 50)
	if err != nil || len(hits) == 0 {
		return nil, err
	}
	ids := store.HitIDs(hits)
	ps, err := ac.s.db.People.ByIDs(ac.ctx, ids)
	if err != nil {
		return nil, err
	}
	key := persian.NameKey(name)
	for _, p := range ps {
		if namedAs(p.Names, p.Aliases, key) {
			return p, nil
		}
	}
	return nil, nil
}

func (ac *acceptance) event(ref string, i int, v map[string]string) error {
	f := ac.res.Events[i]
	kind, title := v["kind"], v["title"]
	if !slices.Contains(twin.ActivityKinds, kind) {
		ac.problems.Add(ref+".kind", twin.KeyInvalidChoice, map[string]any{"value": kind, "choices": strings.Join(twin.ActivityKinds, ", ")})
	}
	if title == "" {
		ac.problems.Add(ref+".title", twin.KeyRequired, nil)
	}
	date := ac.readDate(ref+".date", v["date_calendar"], v["date"])
	a, b, ok := strings.Cut(v["agreement"], "|")
	if !ok || a == "" || b == "" {
		ac.problems.Add(ref+".agreement", "extract_no_agreement", nil)
		return nil
	}
	ca, err := ac.needCity(ref+".agreement", a)
	if err != nil {
		return err
	}
	cb, err := ac.needCity(ref+".agreement", b)
	if err != nil || ca == nil || cb == nil {
		return err
	}
	ag, err := ac.agreementBetween(ca, cb)
	if err != nil {
		return err
	}
	if ag == nil {
		ac.problems.Add(ref+".agreement", "extract_no_agreement", nil)
		return nil
	}
	if kind == "" || title == "" || !slices.Contains(twin.ActivityKinds, kind) {
		return nil
	}
	src := articleSource(ac.res, f.Evidence)
	key := persian.NameKey(title)
	same := func(x *twin.Activity) bool {
		return x.Kind == kind && namedAs(x.Title, nil, key) && (x.Start == nil) == (date == nil) && (date == nil || x.Start.Start == date.Start)
	}
	for _, w := range ac.acts {
		if w.ag == ag && same(w.rec) {
			addSource(&w.rec.Sources, src)
			w.refs = append(w.refs, ref)
			return nil
		}
	}
	var w *actWork
	if ag.version != 0 {
		pg, err := ac.s.db.Activities.List(ac.ctx, twin.Filter{Limit: 1000}.With(twin.FilterAgreement, ag.rec.ID))
		if err != nil {
			return err
		}
		for _, x := range pg.Items {
			if same(x) {
				w = &actWork{rec: clone(x), version: x.Version, orig: x, ag: ag}
				break
			}
		}
	}
	if w == nil {
		w = &actWork{rec: &twin.Activity{Kind: kind, Title: twin.Names{ac.res.Lang: title}, Start: date}, ag: ag}
	}
	addSource(&w.rec.Sources, src)
	w.refs = append(w.refs, ref)
	ac.acts = append(ac.acts, w)
	return nil
}

// write stores the plan in one transaction: agreements first (activities need their ids),
// then institutions, people and activities. A record whose plan changes nothing is left alone.
// A problem the store finds rolls everything back and is reported under the fact's ref.
func (ac *acceptance) write() ([]appliedFact, twin.Problems, error) {
	var applied []appliedFact
	var failedRefs []string
	put := func(refs []string, kind string, id int64, action string, claim bool) {
		for _, r := range refs {
			applied = append(applied, appliedFact{Ref: r, Kind: kind, ID: id, Action: action, Claim: claim})
		}
	}
	// save runs one create or update and names the facts an error belongs to.
	save := func(refs []string, err error) error {
		if err != nil {
			failedRefs = refs
		}
		return err
	}
	action := func(version int64, changed bool) string {
		switch {
		case version == 0:
			return "created"
		case changed:
			return "updated"
		}
		return "unchanged"
	}
	err := ac.s.db.Write(ac.ctx, func(t *store.Tx) error {
		applied = nil
		for _, w := range ac.ags {
			refs := append(slices.Clone(w.refs), w.domainOf...)
			changed := w.version == 0 || !sameJSON(w.orig, w.rec)
			if err := save(refs, writeRec(ac.ctx, t, ac.s.db.Agreements, w.rec, w.version, changed)); err != nil {
				return err
			}
			put(w.refs, "agreement", w.rec.ID, action(w.version, changed), w.claim)
			put(w.domainOf, "agreement", w.rec.ID, action(w.version, changed), false)
		}
		for _, w := range ac.insts {
			changed := w.version == 0 || !sameJSON(w.orig, w.rec)
			if err := save(w.refs, writeRec(ac.ctx, t, ac.s.db.Institutions, w.rec, w.version, changed)); err != nil {
				return err
			}
			put(w.refs, "institution", w.rec.ID, action(w.version, changed), false)
		}
		for _, w := range ac.people {
			for k, iw := range w.inst {
				if iw != nil && k < len(w.rec.Titles) && w.rec.Titles[k].Institution == 0 {
					w.rec.Titles[k].Institution = iw.rec.ID
				}
			}
			changed := w.version == 0 || !sameJSON(w.orig, w.rec)
			if err := save(w.refs, writeRec(ac.ctx, t, ac.s.db.People, w.rec, w.version, changed)); err != nil {
				return err
			}
			put(w.refs, "person", w.rec.ID, action(w.version, changed), false)
		}
		for _, w := range ac.acts {
			if w.rec.Agreement == 0 {
				w.rec.Agreement = w.ag.rec.ID
			}
			changed := w.version == 0 || !sameJSON(w.orig, w.rec)
			if err := save(w.refs, writeRec(ac.ctx, t, ac.s.db.Activities, w.rec, w.version, changed)); err != nil {
				return err
			}
			put(w.refs, "activity", w.rec.ID, action(w.version, changed), false)
		}
		return nil
	})
	if err == nil {
		return applied, nil, nil
	}
	p := twin.Problems{}
	switch twin.ErrorCode(err) {
	case twin.EINVALID:
		for field, fe := range twin.ErrorFields(err) {
			for _, r := range failedRefs {
				p.Add(r+"."+field, fe.Key, fe.Params)
			}
		}
		if len(p) == 0 {
			for _, r := range failedRefs {
				p.Add(r, "invalid", nil)
			}
		}
	case twin.EPRECONDITION:
		for _, r := range failedRefs {
			p.Add(r, "extract_changed_meanwhile", nil)
		}
	default:
		return nil, nil, err
	}
	return nil, p, nil
}

// writeRec creates rec (version 0) or replaces the stored record with it when changed.
func writeRec[T any](ctx context.Context, t *store.Tx, tb *store.Table[T], rec *T, version int64, changed bool) error {
	if version == 0 {
		out, err := tb.CreateTx(ctx, t, rec)
		if err == nil {
			*rec = *out
		}
		return err
	}
	if !changed {
		return nil
	}
	next := clone(rec)
	out, err := tb.UpdateTx(ctx, t, any(rec).(twin.Record).GetMeta().ID, version, func(cur *T) error {
		*cur = *next
		return nil
	})
	if err == nil {
		*rec = *out
	}
	return err
}
