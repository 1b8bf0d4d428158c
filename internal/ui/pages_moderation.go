package ui

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/httpx"
	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/twin"
)

// The moderators' queue of proposals and the moves they make.

// ModeratorsOnly keeps the moderation pages for reviewers and admins.
func (s *Pages) ModeratorsOnly(fn PageFunc) PageFunc {
	return func(r *http.Request, p *Page) error {
		if who, _ := s.Who(r); !httpx.IsModerator(who) {
			return twin.Errorf(twin.EFORBIDDEN, "only reviewers and admins moderate proposals")
		}
		return fn(r, p)
	}
}

type moderationData struct {
	Items    []proposalCard
	Status   string
	Statuses []choice
	City     string
	CityRef  string // the city the filter names, kept while its name is (#id)
	CityErr  string
	CityAlt  []cityChoice
	CSRF     string
	Done     int64
	Counts   map[string]int
}

// A cityChoice is one of the cities a filter's typed name leaves to choose from: the link
// to the same page filtered by it, every other filter kept.
type cityChoice struct {
	httpx.CityBrief
	Href string
}

// cityChoices links each of alt to the page of r filtered by that city instead of the name
// typed, so that a filter never settles a name several cities share by itself.
func cityChoices(r *http.Request, alt []httpx.CityBrief) []cityChoice {
	var out []cityChoice
	for _, c := range alt {
		q := r.URL.Query()
		q.Del("city#id")
		q.Del("city#name")
		q.Set("city", c.Ref)
		out = append(out, cityChoice{CityBrief: c, Href: r.URL.Path + "?" + q.Encode()})
	}
	return out
}

// ModerationPage is the queue: submitted proposals first, then the others newest first;
// filters by status and city.
func (s *Pages) ModerationPage(r *http.Request, p *Page) error {
	return s.showQueue(r, p, nil)
}

func (s *Pages) showQueue(r *http.Request, p *Page, failed *proposalCard) error {
	q := r.URL.Query()
	d := &moderationData{Status: q.Get("status"), City: typedCity(q, "city"), CSRF: csrfToken(p.response, r, s)}
	d.Done, _ = strconv.ParseInt(q.Get("done"), 10, 64)
	p.tmpl, p.Data, p.Section = "moderation", d, "staff"
	p.Title = i18n.T(p.Lang, "moderation.title", nil)
	var err error
	if d.Counts, err = s.db.ProposalCounts(r.Context()); err != nil {
		return err
	}
	for _, st := range twin.ProposalStatuses {
		d.Statuses = append(d.Statuses, choice{Value: st, Label: i18n.T(p.Lang, "pstatus."+st, nil), Selected: st == d.Status})
	}
	f := twin.Filter{Limit: 1000}
	if d.Status != "" {
		f = f.With(twin.FilterStatus, d.Status)
	}
	if d.City != "" {
		c, err := s.filterCity(r, d.City, p.Lang, &d.CityErr, &d.CityAlt)
		if err != nil || c == nil {
			return err
		}
		f, d.City, d.CityRef = f.With(twin.FilterCity, c.ID), c.Names.Pick(p.Lang), c.Ref()
	}
	return s.fillQueue(r, p, d, f, failed)
}

// fillQueue lists the proposals of the filter f, submitted first (the longest waiting first),
// then the others newest first; a refused move keeps its input beside its message.
func (s *Pages) fillQueue(r *http.Request, p *Page, d *moderationData, f twin.Filter, failed *proposalCard) error {
	pg, err := s.db.Proposals.List(r.Context(), f)
	if err != nil {
		return err
	}
	prs := pg.Items
	sort.SliceStable(prs, func(i, j int) bool {
		si, sj := prs[i].Status == "submitted", prs[j].Status == "submitted"
		if si != sj {
			return si
		}
		if si {
			return prs[i].ID < prs[j].ID // the longest waiting first
		}
		return prs[i].ID > prs[j].ID
	})
	if d.Items, err = s.proposalCards(r.Context(), prs, p.Lang); err != nil {
		return err
	}
	for i := range d.Items {
		if failed != nil && d.Items[i].P.ID == failed.P.ID {
			d.Items[i].Error, d.Items[i].Status, d.Items[i].Reason = failed.Error, failed.Status, failed.Reason
		}
	}
	return nil
}

// filterCity settles the city a filter's typed name means; when it names none or several, c
// is nil and msg and alt say so, with the cities to choose from.
func (s *Pages) filterCity(r *http.Request, typed, lang string, msg *string, alt *[]cityChoice) (*twin.City, error) {
	c, cands, m, err := s.pickCity(r.Context(), typed, lang)
	if err == nil && c == nil {
		*msg, *alt = m, cityChoices(r, cands)
	}
	return c, err
}

// ModerationPost moves a proposal; a refusal shows the form again with the input and the
// reason, where it was sent from (the queue or the proposal's page).
func (s *Pages) ModerationPost(r *http.Request, p *Page) error {
	id, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	status, reason := r.PostFormValue("status"), r.PostFormValue("reason")
	back := nextPage(r.PostFormValue("next"), p.Lang)
	if !strings.HasPrefix(back, "/"+p.Lang+"/") {
		back = "/" + p.Lang + "/staff/proposals"
	}
	_, err := s.ModerateProposal(r, id, version, status, reason)
	if err == nil {
		to := strings.TrimPrefix(back, "/"+p.Lang)
		sep := "?"
		if strings.Contains(to, "?") {
			sep = "&"
		}
		p.redirect(to + sep + "done=" + strconv.FormatInt(id, 10))
		return nil
	}
	code := twin.ErrorCode(err)
	if code != twin.EINVALID && code != twin.EPRECONDITION {
		return err
	}
	pr, gerr := s.db.Proposals.Get(r.Context(), id)
	if gerr != nil {
		return gerr
	}
	failed := &proposalCard{P: pr, Error: moderationRefusal(err, p.Lang), Status: status, Reason: reason}
	p.status = httpx.StatusOf[code]
	if u, _ := url.Parse(back); u != nil && strings.HasPrefix(u.Path, "/"+p.Lang+"/proposals/") {
		r.SetPathValue("id", strconv.FormatInt(id, 10))
		return s.showProposal(r, p, "", failed)
	}
	return s.showQueue(r, p, failed)
}

// moderationRefusal says why a move was refused, the statuses by their names.
func moderationRefusal(err error, lang string) string {
	msg := i18n.T(lang, "error."+twin.ErrorCode(err), nil)
	for _, fe := range twin.ErrorFields(err) {
		params := map[string]any{}
		for k, v := range fe.Params {
			params[k] = v
		}
		for _, k := range []string{"from", "to"} {
			if v, ok := params[k].(string); ok {
				params[k] = i18n.T(lang, "pstatus."+v, nil)
			}
		}
		msg = i18n.T(lang, "field."+fe.Key, params)
	}
	return msg
}

// moderationMoves lists the statuses a proposal may move to, for the moderation forms.
func moderationMoves(status string) []string { return slices.Clone(twin.ProposalMoves(status)) }
