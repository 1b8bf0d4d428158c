package ui

import (
	"context"
	"github.com/twinning/twinning/internal/httpx"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/twin"
)

// The citizens' pages: the public list of proposals, one proposal with its status history and
// a support button, the form anyone may use to propose (linked from the home page, every city
// and every agreement), and the moderators' queue. They work without JavaScript.

// proposalCard is a proposal as lists and its page show it: with the names of its cities.
type proposalCard struct {
	P         *twin.Proposal
	Cities    []httpx.CityBrief
	Agreement int64
	Supported bool
	Moves     []string
	// Error, Status and Reason keep a refused moderation's input beside its message.
	Error, Status, Reason string
}

// proposalCards names the cities of proposals in lang: the agreements that stand for their
// cities are read once each, and every city named in one batch.
func (s *Pages) proposalCards(ctx context.Context, prs []*twin.Proposal, lang string) ([]proposalCard, error) {
	agreements := map[int64][]string{}
	refsOf := func(pr *twin.Proposal) []string {
		if pr.Agreement != 0 && len(pr.Cities) == 0 {
			return agreements[pr.Agreement]
		}
		return pr.Cities
	}
	for _, pr := range prs {
		if _, ok := agreements[pr.Agreement]; ok || pr.Agreement == 0 || len(pr.Cities) > 0 {
			continue
		}
		a, err := s.db.Agreements.Get(ctx, pr.Agreement)
		if err = httpx.UnlessMissing(err); err != nil {
			return nil, err
		}
		agreements[pr.Agreement] = nil
		if a != nil {
			agreements[pr.Agreement] = a.Cities
		}
	}
	var refs []string
	for _, pr := range prs {
		refs = append(refs, refsOf(pr)...)
	}
	names, err := s.db.CityNamesByRef(ctx, refs)
	if err != nil {
		return nil, err
	}
	out := make([]proposalCard, 0, len(prs))
	for _, pr := range prs {
		c := proposalCard{P: pr, Agreement: pr.Agreement, Moves: moderationMoves(pr.Status)}
		for _, ref := range refsOf(pr) {
			if city, ok := names[ref]; ok {
				c.Cities = append(c.Cities, httpx.NewCityBrief(city.ID, city.Wikidata, city.Country, city.Names, lang))
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// proposalsOf lists the public proposals of a filter (a city's, an agreement's), most
// supported first: the small query city and agreement pages add.
func (s *Pages) proposalsOf(ctx context.Context, f twin.Filter, lang string) ([]proposalCard, error) {
	f = f.With(twin.FilterStatuses, twin.PublicProposalStatuses)
	f.Limit = 200
	pg, err := s.db.Proposals.List(ctx, f)
	if err != nil {
		return nil, err
	}
	sortProposals(pg.Items)
	if len(pg.Items) > 10 {
		pg.Items = pg.Items[:10]
	}
	return s.proposalCards(ctx, pg.Items, lang)
}

// sortProposals puts the most supported first, then the newest.
func sortProposals(prs []*twin.Proposal) {
	sort.SliceStable(prs, func(i, j int) bool {
		if prs[i].Supporters != prs[j].Supporters {
			return prs[i].Supporters > prs[j].Supporters
		}
		return prs[i].ID > prs[j].ID
	})
}

type choice struct {
	Value, Label string
	Selected     bool
}

type proposalsData struct {
	Items    []proposalCard
	City     string // what the reader typed
	CityName string
	CityRef  string
	CityErr  string
	// CityAlt are the cities a typed name leaves to choose from, each a link to the list
	// filtered by it.
	CityAlt  []cityChoice
	Domain   string
	Status   string
	Domains  []choice
	Statuses []choice
	Total    int
}

// ProposalsPage lists the published proposals: filters by city, domain and status.
func (s *Pages) ProposalsPage(r *http.Request, p *Page) error {
	ctx := r.Context()
	q := r.URL.Query()
	d := &proposalsData{City: typedCity(q, "city"), Domain: q.Get("domain"), Status: q.Get("status")}
	p.tmpl, p.Data, p.Section = "proposals", d, "proposals"
	p.Title = i18n.T(p.Lang, "proposals.title", nil)
	f := twin.Filter{Limit: 500}.With(twin.FilterStatuses, twin.PublicProposalStatuses)
	if d.City != "" {
		c, err := s.filterCity(r, d.City, p.Lang, &d.CityErr, &d.CityAlt)
		if err != nil {
			return err
		}
		if c == nil {
			return s.fillProposalChoices(ctx, d, p.Lang)
		}
		f, d.CityName, d.CityRef = f.With(twin.FilterCity, c.ID), c.Names.Pick(p.Lang), c.Ref()
		d.City = d.CityName // the field shows the city's name, its id beside
	}
	if d.Domain != "" {
		f = f.With(twin.FilterDomain, d.Domain)
	}
	if d.Status != "" && twin.ProposalIsPublic(d.Status) {
		f = f.With(twin.FilterStatuses, []string{d.Status})
	}
	pg, err := s.db.Proposals.List(ctx, f)
	if err != nil {
		return err
	}
	sortProposals(pg.Items)
	if d.Items, err = s.proposalCards(ctx, pg.Items, p.Lang); err != nil {
		return err
	}
	d.Total = len(d.Items)
	return s.fillProposalChoices(ctx, d, p.Lang)
}

func (s *Pages) fillProposalChoices(ctx context.Context, d *proposalsData, lang string) error {
	ds, err := s.db.Domains(ctx)
	if err != nil {
		return err
	}
	for _, dm := range ds {
		d.Domains = append(d.Domains, choice{Value: dm.Code, Label: dm.Names.Pick(lang), Selected: dm.Code == d.Domain})
	}
	for _, st := range twin.PublicProposalStatuses {
		d.Statuses = append(d.Statuses, choice{Value: st, Label: i18n.T(lang, "pstatus."+st, nil), Selected: st == d.Status})
	}
	return nil
}

// proposalForm is the citizen's form, with what was typed and what was wrong.
type proposalForm struct {
	CSRF                   string
	Title, Body, Kind      string
	CityA, CityB           string
	RefA, RefB             string // the cities the fields name, kept while their names are (#id)
	PickA, PickB           []httpx.CityBrief
	Agreement              int64
	AgreementCities        []httpx.CityBrief
	Proposer, Contact      string
	Kinds, Domains         []choice
	Errors                 map[string]string
	ErrorList              []formError
	FromCity, FromAgreemnt string
}

func (s *Pages) newProposalForm(ctx context.Context, w http.ResponseWriter, r *http.Request, lang string) *proposalForm {
	return &proposalForm{CSRF: csrfToken(w, r, s), Errors: map[string]string{}}
}

func (s *Pages) fillProposalForm(ctx context.Context, f *proposalForm, lang string, domains []string) error {
	f.Kinds = nil
	for _, k := range twin.ProposalKinds {
		f.Kinds = append(f.Kinds, choice{Value: k, Label: i18n.T(lang, "pkind."+k, nil), Selected: k == f.Kind})
	}
	ds, err := s.db.Domains(ctx)
	if err != nil {
		return err
	}
	f.Domains = nil
	for _, dm := range ds {
		sel := false
		for _, v := range domains {
			sel = sel || v == dm.Code
		}
		f.Domains = append(f.Domains, choice{Value: dm.Code, Label: dm.Names.Pick(lang), Selected: sel})
	}
	if f.Agreement != 0 && f.AgreementCities == nil {
		a, err := s.db.Agreements.Get(ctx, f.Agreement)
		if err != nil {
			if httpx.IsNotFound(err) {
				f.Agreement = 0
				return nil
			}
			return err
		}
		cards, err := s.proposalCards(ctx, []*twin.Proposal{{Agreement: a.ID}}, lang)
		if err != nil {
			return err
		}
		if len(cards) == 1 {
			f.AgreementCities = cards[0].Cities
		}
	}
	return nil
}

// ProposalNewPage shows the form, pre-filled with a city (?city=) or an agreement (?agreement=).
func (s *Pages) ProposalNewPage(r *http.Request, p *Page) error {
	ctx := r.Context()
	f := s.newProposalForm(ctx, p.response, r, p.Lang)
	q := r.URL.Query()
	if ref := q.Get("city"); ref != "" {
		c, err := s.db.City(ctx, ref)
		if err = httpx.UnlessMissing(err); err != nil {
			return err
		}
		if c != nil {
			f.CityA, f.RefA = c.Names.Pick(p.Lang), c.Ref()
		}
	}
	if id, err := strconv.ParseInt(q.Get("agreement"), 10, 64); err == nil && id > 0 {
		f.Agreement = id
	}
	p.tmpl, p.Data, p.Section = "proposal_new", f, "proposals"
	p.Title = i18n.T(p.Lang, "proposals.new", nil)
	return s.fillProposalForm(ctx, f, p.Lang, nil)
}

// ProposalNewPost stores a citizen's proposal and sends them to its private follow page; a
// refusal shows the form again with everything typed and each problem beside its field.
func (s *Pages) ProposalNewPost(r *http.Request, p *Page) error {
	ctx := r.Context()
	if err := s.checkCSRF(r); err != nil {
		return err
	}
	f, in := s.readProposalForm(r, p)
	if f.Agreement == 0 {
		if err := s.proposalCities(ctx, r.PostForm, f, &in, p.Lang); err != nil {
			return err
		}
	}
	if err := s.fillProposalForm(ctx, f, p.Lang, in.Domains); err != nil {
		return err
	}
	if len(f.Errors) > 0 {
		// The cities are not settled yet: say at once what else is wrong.
		f.probe(in, p.Lang)
	} else if sent, err := s.submitProposal(r, p, f, in); sent || err != nil {
		return err
	}
	f.listErrors(p.Lang)
	if p.status == 0 {
		p.status = http.StatusUnprocessableEntity
	}
	return nil
}

// readProposalForm reads the citizen's form into the form shown again and the proposal's
// input.
func (s *Pages) readProposalForm(r *http.Request, p *Page) (*proposalForm, httpx.ProposalInput) {
	f := s.newProposalForm(r.Context(), p.response, r, p.Lang)
	v := r.PostForm
	f.Title, f.Body, f.Kind = strings.TrimSpace(v.Get("title")), strings.TrimSpace(v.Get("body")), v.Get("kind")
	f.CityA, f.CityB = typedCity(v, "city_a"), typedCity(v, "city_b")
	f.Proposer, f.Contact = strings.TrimSpace(v.Get("proposer")), strings.TrimSpace(v.Get("contact"))
	f.Agreement, _ = strconv.ParseInt(v.Get("agreement"), 10, 64)
	p.tmpl, p.Data, p.Section = "proposal_new", f, "proposals"
	p.Title = i18n.T(p.Lang, "proposals.new", nil)
	in := httpx.ProposalInput{Kind: f.Kind, Agreement: f.Agreement, Domains: v["domains"], Proposer: f.Proposer, Contact: f.Contact, Website: v.Get(httpx.HoneypotField)}
	if f.Title != "" {
		in.Title = twin.Names{p.Lang: f.Title}
	}
	if f.Body != "" {
		in.Body = twin.Names{p.Lang: f.Body}
	}
	return f, in
}

// proposalCities reads the cities by name, in any script; an ambiguous name offers its
// candidates to choose.
func (s *Pages) proposalCities(ctx context.Context, v url.Values, f *proposalForm, in *httpx.ProposalInput, lang string) error {
	refs, picks := []*string{&f.RefA, &f.RefB}, []*[]httpx.CityBrief{&f.PickA, &f.PickB}
	for i, typed := range []*string{&f.CityA, &f.CityB} {
		field := []string{"city_a", "city_b"}[i]
		if pick := v.Get(field + "#pick"); pick != "" {
			*typed = pick
		}
		if *typed == "" {
			continue
		}
		c, alt, msg, err := s.pickCity(ctx, *typed, lang)
		if err != nil {
			return err
		}
		if c == nil {
			f.Errors[field] = msg
			if len(alt) > 0 {
				*picks[i] = alt
			}
			continue
		}
		in.Cities = append(in.Cities, c.Ref())
		*typed, *refs[i] = c.Names.Pick(lang), c.Ref()
	}
	if len(in.Cities) == 0 && len(f.Errors) == 0 {
		f.Errors["city_a"] = i18n.T(lang, "proposals.need_city", nil)
	}
	return nil
}

// probe says what else is wrong with a proposal whose cities are not settled.
func (f *proposalForm) probe(in httpx.ProposalInput, lang string) {
	probe := &twin.Proposal{Title: in.Title, Body: in.Body, Kind: in.Kind, Cities: []string{"-"}, Proposer: in.Proposer, Contact: in.Contact}
	for path, fe := range twin.ErrorFields(probe.Validate(func(string) bool { return true })) {
		field := proposalField(path)
		if _, ok := f.Errors[field]; !ok && field != "cities" {
			f.Errors[field] = i18n.T(lang, "field."+fe.Key, fe.Params)
		}
	}
}

// submitProposal submits the proposal and sends the citizen to its follow page (sent), or
// puts the refusal beside its fields.
func (s *Pages) submitProposal(r *http.Request, p *Page, f *proposalForm, in httpx.ProposalInput) (sent bool, err error) {
	out, key, err := s.SubmitProposal(r.Context(), r, in)
	if err == nil {
		p.redirect("/proposals/" + strconv.FormatInt(out.ID, 10) + "?key=" + url.QueryEscape(key) + "&sent=1")
		return true, nil
	}
	switch twin.ErrorCode(err) {
	case twin.EINVALID:
		for path, fe := range twin.ErrorFields(err) {
			field := proposalField(path)
			if field == "cities" {
				field = "city_a"
			}
			f.Errors[field] = i18n.T(p.Lang, "field."+fe.Key, fe.Params)
		}
	case twin.ELIMITED:
		f.Errors["form"] = p.limited(err)
	default:
		return false, err
	}
	return false, nil
}

// proposalField is the form's field of a problem's path: "title" of "title.fa".
func proposalField(path string) string {
	return strings.SplitN(strings.SplitN(path, ".", 2)[0], "[", 2)[0]
}

// listErrors lists the problems for the summary at the top, in the form's order.
func (f *proposalForm) listErrors(lang string) {
	for _, k := range []string{"form", "title", "kind", "city_a", "city_b", "agreement", "body", "domains", "proposer", "contact", httpx.HoneypotField} {
		if msg, ok := f.Errors[k]; ok {
			label := i18n.T(lang, "proposals.field."+k, nil)
			f.ErrorList = append(f.ErrorList, formError{ID: "pf-" + k, Label: label, Message: msg})
		}
	}
}

type proposalPageData struct {
	proposalCard
	Card      *proposalCard // the same, for the moderation form
	KeyHolder bool
	Key       string
	Sent      bool
	SeeAll    bool // the reader may see the contact
	Moderator bool
	CSRF      string
	Support   string // the message of a refused support
	FollowURL string
}

// ProposalPage shows one proposal: what is proposed, its status and every move with the
// moderator's reasons, its supporters and the support button; the proposer's follow link (with
// ?key=) shows it before publication too; moderators see the contact and the moderation form.
func (s *Pages) ProposalPage(r *http.Request, p *Page) error {
	return s.showProposal(r, p, "", nil)
}

func (s *Pages) showProposal(r *http.Request, p *Page, supportErr string, card *proposalCard) error {
	ctx := r.Context()
	id, err := httpx.ParseID(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	pr, err := s.db.Proposals.Get(ctx, id)
	if err != nil {
		return err
	}
	if !s.MayReadProposal(r, pr) {
		return httpx.NotFound(string(twin.KindProposal), id)
	}
	who, _ := s.Who(r)
	d := &proposalPageData{KeyHolder: s.HoldsKey(r, id), Sent: r.URL.Query().Get("sent") == "1", Moderator: httpx.IsModerator(who), Support: supportErr}
	if d.KeyHolder {
		d.Key = httpx.FollowKey(r)
		scheme := "http://"
		if s.IsHTTPS(r) {
			scheme = "https://"
		}
		// The whole address, to copy and keep.
		d.FollowURL = scheme + r.Host + "/" + p.Lang + "/proposals/" + strconv.FormatInt(id, 10) + "?key=" + url.QueryEscape(d.Key)
		p.response.Header().Set("Cache-Control", "no-store")
	}
	d.SeeAll = d.KeyHolder || s.MaySee(r, string(twin.KindProposal), pr)
	if !d.SeeAll {
		pr.Contact = ""
	}
	cards, err := s.proposalCards(ctx, []*twin.Proposal{pr}, p.Lang)
	if err != nil {
		return err
	}
	d.proposalCard = cards[0]
	d.Card = &d.proposalCard
	if card != nil {
		d.Error, d.Status, d.Reason = card.Error, card.Status, card.Reason
	}
	if sup := s.ReaderSupporter(r); sup != "" {
		m, err := s.db.Supports(ctx, sup, []int64{id})
		if err != nil {
			return err
		}
		d.Supported = m[id]
	}
	d.CSRF = csrfToken(p.response, r, s)
	p.tmpl, p.Data, p.Section = "proposal", d, "proposals"
	p.Title = pr.Title.Pick(p.Lang)
	return nil
}

// ProposalSupportPost is the support button.
func (s *Pages) ProposalSupportPost(r *http.Request, p *Page) error {
	if err := s.checkCSRF(r); err != nil {
		return err
	}
	id, err := httpx.ParseID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if _, err := s.Support(p.response, r, id); err != nil {
		switch twin.ErrorCode(err) {
		case twin.ELIMITED:
			return s.showProposal(r, p, p.limited(err), nil)
		}
		return err
	}
	p.redirect("/proposals/" + strconv.FormatInt(id, 10) + "#support")
	return nil
}
