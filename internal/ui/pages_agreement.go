package ui

import (
	"context"
	"github.com/twinning/twinning/internal/httpx"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/twinning/twinning/internal/report"

	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/twin"
)

type agreementData struct {
	Output     *report.Report // joint productions and participants, all time
	A          *twin.Agreement
	Cities     []*twin.City
	Title      string
	Vitality   *twin.Vitality
	Steps      []lifeStep
	Domains    []domainRow
	Activities []*twin.Activity
	Links      []linkView
	Proposals  []proposalCard
	Map        *mapView
	// UploadError is why the last document upload was refused, in the reader's language.
	UploadError string
}

// lifeStep is one stage of an agreement's life: proposal, negotiation, signing, after.
type lifeStep struct {
	Key     string
	State   string // done, current, todo, skipped
	Date    *twin.PartialDate
	Parties []partyView
}

type partyView struct {
	Name, URL, City, Note string
	Date                  *twin.PartialDate
}

// domainRow sets a promised domain beside what was delivered in it.
type domainRow struct {
	Code        string
	Promised    bool
	Activities  int
	People      int // participants of the domain's activities
	Productions int // joint productions of the domain's activities
}

type linkView struct {
	L     *twin.Link
	Insts []*twin.Institution
}

// AgreementPage shows an agreement's life from proposal to signing and after, what it promised
// beside what was delivered, its institution links, documents and sources, and where sources
// disagree.
func (s *Pages) AgreementPage(r *http.Request, p *Page) error {
	ctx := r.Context()
	a, cs, title, err := s.agreementOfPath(r, p.Lang)
	if err != nil {
		return err
	}
	d := &agreementData{A: a, Cities: cs, Title: title, UploadError: r.URL.Query().Get("upload_error")}
	d.Vitality = s.vitalityFor(ctx, a, p.Lang)
	if err := s.agreementStory(ctx, d, p.Lang); err != nil {
		return err
	}
	ls, err := s.db.LinksOf(ctx, a.ID)
	if err != nil {
		return err
	}
	if d.Links, err = s.linkViews(ctx, ls); err != nil {
		return err
	}
	if d.Proposals, err = s.proposalsOf(ctx, twin.Filter{}.With(twin.FilterAgreement, a.ID), p.Lang); err != nil {
		return err
	}
	d.Map = agreementMap(d, p.Lang)
	p.tmpl, p.Title, p.Data = "agreement", d.Title, d
	return nil
}

// agreementOfPath reads the agreement the path names ({id}) with its two cities, in its order,
// and its title in lang (its cities' names when it has none).
func (s *Pages) agreementOfPath(r *http.Request, lang string) (*twin.Agreement, []*twin.City, string, error) {
	ctx := r.Context()
	id, err := httpx.ParseID(ctx, r.PathValue("id"))
	if err != nil {
		return nil, nil, "", err
	}
	a, err := s.db.Agreements.Get(ctx, id)
	if err != nil {
		return nil, nil, "", err
	}
	cs, err := s.db.Cities.ByIDs(ctx, a.CityIDs)
	if err != nil {
		return nil, nil, "", err
	}
	if len(cs) != 2 {
		return nil, nil, "", httpx.NotFound("agreement cities", id)
	}
	title := a.Title.Pick(lang)
	if title == "" {
		title = cs[0].Names.Pick(lang) + " – " + cs[1].Names.Pick(lang)
	}
	return a, cs, title, nil
}

// agreementStory fills what the agreement did: its activities, the domains it promised beside
// those delivered, its joint productions and participants, the stages of its life.
func (s *Pages) agreementStory(ctx context.Context, d *agreementData, lang string) error {
	a := d.A
	acts, err := s.db.ActivitiesOf(ctx, a.ID)
	if err != nil {
		return err
	}
	d.Activities = sortActivities(acts)
	d.Domains = domainRows(a.Domains, d.Activities)
	if d.Output, err = report.Build(report.Input{Agreement: a, Partners: []twin.Partner{{Agreement: a, City: d.Cities[1]}}, Activities: d.Activities, Cities: d.Cities}, report.AllTime); err != nil {
		return err
	}
	d.Steps, err = s.lifecycle(ctx, a, lang)
	return err
}

// agreementMap draws the agreement's two cities joined, coloured by its status and vitality;
// nil unless both have coordinates.
func agreementMap(d *agreementData, lang string) *mapView {
	var pts []mapPoint
	for _, c := range d.Cities {
		if c.Lat != nil && c.Lon != nil {
			pts = append(pts, mapPoint{Lon: *c.Lon, Lat: *c.Lat, Name: c.Names.Pick(lang), Names: c.Names, URL: "/" + lang + "/cities/" + c.Ref(), Class: "home", Label: true})
		}
	}
	if len(pts) != 2 {
		return nil
	}
	cls := "status-" + d.A.Status
	if d.Vitality != nil {
		cls += " vit-" + d.Vitality.State
	}
	return newMap(d.Title, pts, [][2]int{{0, 1}}, []string{cls}, true, 330)
}

func domainRows(promised []string, acts []*twin.Activity) []domainRow {
	var rows []domainRow
	idx := map[string]int{}
	for _, dm := range promised {
		idx[dm] = len(rows)
		rows = append(rows, domainRow{Code: dm, Promised: true})
	}
	for _, a := range acts {
		for _, dm := range a.Domains {
			i, ok := idx[dm]
			if !ok {
				i = len(rows)
				idx[dm] = i
				rows = append(rows, domainRow{Code: dm})
			}
			rows[i].Activities++
			rows[i].Productions += len(a.Outputs)
			for _, n := range a.Participants {
				rows[i].People += max(n, 0)
			}
		}
	}
	return rows
}

// lifecycle lays out the agreement's stages with the people and institutions of each.
func (s *Pages) lifecycle(ctx context.Context, a *twin.Agreement, lang string) ([]lifeStep, error) {
	byRole, err := s.partiesByRole(ctx, a.Parties, lang)
	if err != nil {
		return nil, err
	}
	stage := map[string]int{twin.StatusProposed: 0, twin.StatusNegotiating: 1, twin.StatusSigned: 2,
		twin.StatusSuspended: 3, twin.StatusEnded: 3, twin.StatusRejected: 1}[a.Status]
	steps := []lifeStep{
		{Key: "life.proposed", Date: a.Proposed, Parties: byRole[twin.RoleProposer]},
		{Key: "life.negotiating", Parties: byRole[twin.RoleFacilitator]},
		{Key: "life.signed", Date: a.Signed, Parties: byRole[twin.RoleSignatory]},
		{Key: "life.after." + a.Status, Date: a.Ended},
	}
	if a.Status == twin.StatusRejected {
		steps[2].Key, steps[3].Key = "life.rejected", ""
	}
	for i := range steps {
		switch {
		case i < stage:
			steps[i].State = "done"
		case i == stage:
			steps[i].State = "current"
		default:
			steps[i].State = "todo"
		}
	}
	if a.Status == twin.StatusSigned {
		steps[3].Key, steps[3].State = "life.after.signed", "current"
		steps[2].State = "done"
	}
	return slices.DeleteFunc(steps, func(st lifeStep) bool { return st.Key == "" }), nil
}

// partiesByRole names the agreement's parties by role, each person and institution linked to
// its page; a party without a name is left out.
func (s *Pages) partiesByRole(ctx context.Context, parties []twin.Party, lang string) (map[string][]partyView, error) {
	personNames, instNames, err := s.partyNames(ctx, parties)
	if err != nil {
		return nil, err
	}
	byRole := map[string][]partyView{}
	for _, pt := range parties {
		v := partyView{Name: pt.Name.Pick(lang), City: pt.City, Note: pt.Note, Date: pt.Date}
		switch {
		case pt.Person != 0:
			if names, ok := personNames[pt.Person]; ok {
				v.Name, v.URL = names.Pick(lang), "/"+lang+"/people/"+strconv.FormatInt(pt.Person, 10)
			}
		case pt.Institution != 0:
			if names, ok := instNames[pt.Institution]; ok {
				v.Name, v.URL = names.Pick(lang), "/"+lang+"/institutions/"+strconv.FormatInt(pt.Institution, 10)
			}
		}
		if v.Name != "" {
			byRole[pt.Role] = append(byRole[pt.Role], v)
		}
	}
	return byRole, nil
}

// partyNames reads the parties' people and institutions at once, not party by party; one no
// longer live is absent, and keeps the name the party gives.
func (s *Pages) partyNames(ctx context.Context, parties []twin.Party) (people, insts map[int64]twin.Names, err error) {
	var personIDs, instIDs []int64
	for _, pt := range parties {
		switch {
		case pt.Person != 0:
			personIDs = append(personIDs, pt.Person)
		case pt.Institution != 0:
			instIDs = append(instIDs, pt.Institution)
		}
	}
	slices.Sort(personIDs)
	slices.Sort(instIDs)
	ps, err := s.db.People.ByIDs(ctx, slices.Compact(personIDs))
	if err != nil {
		return nil, nil, err
	}
	is, err := s.db.Institutions.ByIDs(ctx, slices.Compact(instIDs))
	if err != nil {
		return nil, nil, err
	}
	people = make(map[int64]twin.Names, len(ps))
	for _, per := range ps {
		people[per.ID] = per.Names
	}
	insts = make(map[int64]twin.Names, len(is))
	for _, in := range is {
		insts[in.ID] = in.Names
	}
	return people, insts, nil
}

// linkViews names the institutions of links, all read at once rather than link by link; a
// link's institutions keep its order, and one no longer live is left out.
func (s *Pages) linkViews(ctx context.Context, ls []*twin.Link) ([]linkView, error) {
	var ids []int64
	seen := map[int64]bool{}
	for _, l := range ls {
		for _, id := range l.Institutions {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	ins, err := s.db.Institutions.ByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*twin.Institution, len(ins))
	for _, in := range ins {
		byID[in.ID] = in
	}
	var out []linkView
	for _, l := range ls {
		v := linkView{L: l}
		for _, id := range l.Institutions {
			if in, ok := byID[id]; ok {
				v.Insts = append(v.Insts, in)
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// vitalityFor computes an agreement's vitality with its reasons in the reader's language; a
// status named in a reason is named in that language too.
func (s *Pages) vitalityFor(ctx context.Context, a *twin.Agreement, lang string) *twin.Vitality {
	if s.intel == nil {
		return nil
	}
	v := s.intel.Vitality(ctx, a)
	for i, re := range v.Reasons {
		if st, ok := re.Params["status"].(string); ok {
			ps := map[string]any{}
			for k, x := range re.Params {
				ps[k] = x
			}
			ps["status"] = i18n.T(lang, "status."+st, nil)
			v.Reasons[i].Params = ps
		}
	}
	httpx.TranslateVitality(v, lang)
	return v
}

// uploadDocumentPage takes the agreement page's upload form and goes back to the page, with the
// problem shown there when the file was refused.
func (s *Pages) UploadDocumentPage(w http.ResponseWriter, r *http.Request, lang string) {
	back := "/" + lang + "/agreements/" + r.PathValue("id")
	if _, ok := s.StaffActor(r); !ok {
		http.Redirect(w, r, "/"+lang+"/signin?next="+url.QueryEscape(back), http.StatusSeeOther)
		return
	}
	if err := s.checkCSRF(r); err != nil {
		http.Error(w, i18n.T(lang, "error.forbidden", nil), http.StatusForbidden)
		return
	}
	actor, _ := s.StaffActor(r)
	r = r.WithContext(twin.WithActor(r.Context(), actor))
	_, _, err := s.AcceptUpload(w, r)
	if err != nil {
		msg := i18n.T(lang, "error."+twin.ErrorCode(err), nil)
		for _, fe := range twin.ErrorFields(err) {
			msg = i18n.T(lang, "field."+fe.Key, fe.Params)
			break
		}
		http.Redirect(w, r, back+"?upload_error="+url.QueryEscape(msg)+"#h-docs", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, back+"#h-docs", http.StatusSeeOther)
}
