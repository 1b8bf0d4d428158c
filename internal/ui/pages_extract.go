package ui

import (
	"github.com/twinning/twinning/internal/httpx"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/extract"
	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/persian"
	"github.com/twinning/twinning/internal/registry"
	"github.com/twinning/twinning/internal/twin"
)

// The staff page where an article is pasted and reviewed: /{lang}/staff/extract shows a form;
// its POST reads the article and shows it with every proposed fact's evidence marked, beside
// the facts grouped by kind, each with accept / edit / reject; POST .../apply writes the
// accepted facts in one transaction (reviewers and admins) or shows the form again with each
// problem beside its fact and nothing written.

// extractView is what templates/extract.html receives.
type extractView struct {
	Step       string // form, review, done
	Text, URL  string
	Published  string            // Gregorian YYYY-MM-DD, as the article's date
	PubInput   string            // as typed
	PubShown   string            // the date in the reader's calendars
	FormErrors map[string]string // text, published
	Segments   []segment
	Groups     []factGroup
	Applied    []appliedView
	Errors     []string // the summary of problems
	CanAccept  bool
	CSRF       string
	Lang       string
	Counts     []kindCount
}

type kindCount struct {
	Label string
	N     int
	ID    string
}

// segment is a piece of the article: plain, or marked as the evidence of facts.
type segment struct {
	Text  string
	Mark  bool
	Class string
	Href  string
	ID    string
	Title string
}

type factGroup struct {
	Kind, Title, ID string
	Acceptable      bool
	Facts           []*factView
}

type factView struct {
	Ref, ID, Kind string
	Heading       string
	Details       []detail
	Evidence      string
	EvAnchor      string
	Confidence    string
	Acceptable    bool
	Decision      string
	Blocked       string
	Warning       string
	Fields        []*factField
	Error         string
}

type detail struct {
	Label, Value, URL string
	LTR               bool
}

type factField struct {
	Name, ID, Label, Type, Value, Calendar, Error string
	Options                                       []xoption
}

type xoption struct {
	Value, Label string
	Selected     bool
}

type appliedView struct {
	Ref, Heading, Kind, Action, URL string
	Claim                           bool
}

// ExtractFormPage shows the form an article is pasted in, or opens an article of the news
// inbox (?article=ID) for review.
func (s *Pages) ExtractFormPage(r *http.Request, p *Page) error {
	if ref := r.URL.Query().Get("article"); ref != "" {
		return s.extractArticlePage(r, p, ref)
	}
	s.finishExtract(r, p, &extractView{Step: "form", FormErrors: map[string]string{}}, http.StatusOK)
	return nil
}

// extractArticlePage opens an article of the news inbox (?article=ID) for review: its text,
// URL and date filled in and read, as if pasted.
func (s *Pages) extractArticlePage(r *http.Request, p *Page, ref string) error {
	id, err := httpx.ParseID(r.Context(), ref)
	if err != nil {
		return err
	}
	a, err := s.db.Article(r.Context(), id)
	if err != nil {
		return err
	}
	v := &extractView{FormErrors: map[string]string{}, Text: a.Title + "\n\n" + a.Text, URL: a.URL, Published: a.Published, PubInput: a.Published}
	if t, err := time.Parse("2006-01-02", a.Published); err == nil {
		v.PubShown = calendar.Format(calendar.FromTime(t, calendar.Home(p.Lang), calendar.Day), p.Lang)
	} else {
		v.Published, v.PubInput = "", ""
	}
	return s.showReview(r, p, v)
}

// showReview reads the article of v and shows it for review.
func (s *Pages) showReview(r *http.Request, p *Page, v *extractView) error {
	res, err := registry.ReadArticle(v.Text, v.URL, v.Published, "")
	if err != nil {
		return err
	}
	if err := s.buildReview(r.Context(), v, res, p.Lang, nil, nil, nil); err != nil {
		return err
	}
	s.finishExtract(r, p, v, http.StatusOK)
	return nil
}

// finishExtract fills what the page shows around the step v is at.
func (s *Pages) finishExtract(r *http.Request, p *Page, v *extractView, status int) {
	v.CSRF, v.Lang = p.CSRF, p.Lang
	if pr, _ := s.Who(r); pr != nil {
		v.CanAccept = pr.Role() == auth.RoleAdmin || auth.MayAttempt(pr, auth.SubjectExtract, auth.ActAccept)
	}
	p.tmpl, p.Data, p.Wide, p.status, p.Section = "extract", v, v.Step != "form", status, "staff"
	p.Title = i18n.T(p.Lang, "extract.title", nil)
	if v.Step == "done" {
		p.Title = i18n.T(p.Lang, "extract.done_title", nil)
	} else if len(v.Errors) > 0 {
		p.Title = i18n.T(p.Lang, "form.errors_title", nil) + " " + p.Title
	}
}

// extractFormAgain shows the article's form again with each problem beside its field.
func (s *Pages) extractFormAgain(r *http.Request, p *Page, v *extractView) error {
	v.Step = "form"
	s.finishExtract(r, p, v, http.StatusUnprocessableEntity)
	return nil
}

// readArticleForm reads the article fields of the page's forms. published may be written in
// the Gregorian or the Solar Hijri calendar (a year before 1700), in any digits.
func readArticleForm(r *http.Request, lang string) (*extractView, bool) {
	v := &extractView{FormErrors: map[string]string{}, Text: r.PostFormValue("text"), URL: strings.TrimSpace(r.PostFormValue("url")),
		PubInput: strings.TrimSpace(r.PostFormValue("published"))}
	ok := true
	if strings.TrimSpace(v.Text) == "" {
		v.FormErrors["text"], ok = i18n.T(lang, "field.required", nil), false
	}
	if v.URL != "" && !strings.HasPrefix(v.URL, "https://") && !strings.HasPrefix(v.URL, "http://") {
		v.FormErrors["url"], ok = i18n.T(lang, "extract.bad_url", nil), false
	}
	if raw := persian.PlainNumber(v.PubInput); raw != "" {
		cal := calendar.Gregorian
		if y, err := strconv.Atoi(strings.SplitN(strings.ReplaceAll(raw, "/", "-"), "-", 2)[0]); err == nil && y < 1700 {
			cal = calendar.Jalali
		}
		d, err := calendar.Parse(cal, raw)
		switch {
		case err != nil:
			key, val := "date_syntax", raw
			if ce, isCE := err.(*calendar.Error); isCE {
				key, val = ce.Code, ce.Value
			}
			v.FormErrors["published"], ok = i18n.T(lang, "field."+key, map[string]any{"value": val}), false
		case d.Precision != calendar.Day:
			v.FormErrors["published"], ok = i18n.T(lang, "extract.need_day", nil), false
		default:
			v.Published = d.Start
			if t, err := time.Parse("2006-01-02", d.Start); err == nil {
				v.PubShown = calendar.Format(calendar.FromTime(t, calendar.Home(lang), calendar.Day), lang)
			}
		}
	}
	return v, ok
}

// ExtractReadPage reads the pasted article and shows it for review.
func (s *Pages) ExtractReadPage(r *http.Request, p *Page) error {
	v, ok := readArticleForm(r, p.Lang)
	if !ok {
		return s.extractFormAgain(r, p, v)
	}
	return s.showReview(r, p, v)
}

// ExtractApplyPage writes the accepted facts. Only reviewers and admins may: anonymous
// requests get 401, others 403, before anything is read.
func (s *Pages) ExtractApplyPage(r *http.Request, p *Page) error {
	pr, err := s.mayAccept(r)
	if err != nil {
		return err
	}
	p.Section = "staff"
	v, ok := readArticleForm(r, p.Lang)
	if !ok {
		return s.extractFormAgain(r, p, v)
	}
	res, err := registry.ReadArticle(v.Text, v.URL, v.Published, "")
	if err != nil {
		return err
	}
	decisions, edits, items := readDecisions(r, res)
	var applied []registry.Applied
	problems := twin.Problems{"": {Key: "extract_nothing_accepted"}}
	if len(items) > 0 {
		ctx := twin.WithActor(r.Context(), pr.Name())
		if applied, problems, err = s.reg.Accept(ctx, res, items); err != nil {
			return err
		}
	}
	if len(problems) > 0 {
		if err := s.buildReview(r.Context(), v, res, p.Lang, decisions, edits, problems); err != nil {
			return err
		}
		s.finishExtract(r, p, v, http.StatusUnprocessableEntity)
		return nil
	}
	return s.showApplied(r, p, v, res, applied)
}

// mayAccept is the principal who may accept facts, after the CSRF token is checked.
func (s *Pages) mayAccept(r *http.Request) (*auth.Principal, error) {
	pr, err := s.Who(r)
	if err != nil {
		return nil, err
	}
	if pr == nil {
		return nil, twin.Errorf(twin.EUNAUTHORIZED, "sign in to accept facts")
	}
	if err := s.checkCSRF(r); err != nil {
		return nil, err
	}
	return pr, s.Authorize(r, auth.SubjectExtract, auth.ActAccept, nil)
}

// readDecisions reads the reviewer's decision on every fact ("d.agreement:0") and the values
// they edited ("v.agreement:0.status"); items are the facts to accept, as proposed or edited.
func readDecisions(r *http.Request, res *extract.Result) (map[string]string, map[string]map[string]string, []registry.Decision) {
	decisions := map[string]string{}
	edits := map[string]map[string]string{}
	var items []registry.Decision
	for _, kind := range registry.FactKinds {
		for i := 0; i < registry.FactCount(res, kind); i++ {
			ref := kind + ":" + strconv.Itoa(i)
			d := r.PostFormValue("d." + ref)
			decisions[ref] = d
			vals := map[string]string{}
			for key := range registry.ProposedValues(res, kind, i) {
				if x, present := r.PostForm["v."+ref+"."+key]; present {
					vals[key] = x[0]
				}
			}
			edits[ref] = vals
			switch d {
			case "accept":
				items = append(items, registry.Decision{Ref: ref})
			case "edit":
				items = append(items, registry.Decision{Ref: ref, Values: vals})
			}
		}
	}
	return decisions, edits, items
}

// showApplied lists what was written, each fact by its heading in the review and linked to
// its record.
func (s *Pages) showApplied(r *http.Request, p *Page, v *extractView, res *extract.Result, applied []registry.Applied) error {
	v.Step = "done"
	if err := s.buildReview(r.Context(), v, res, p.Lang, nil, nil, nil); err != nil {
		return err
	}
	heads := map[string]string{}
	for _, g := range v.Groups {
		for _, f := range g.Facts {
			heads[f.Ref] = f.Heading
		}
	}
	v.Segments, v.Groups = nil, nil
	for _, a := range applied {
		v.Applied = append(v.Applied, appliedView{Ref: a.Ref, Heading: heads[a.Ref], Kind: a.Kind, Action: a.Action, Claim: a.Claim,
			URL: "/" + p.Lang + "/" + twin.Kind(a.Kind).Plural() + "/" + strconv.FormatInt(a.ID, 10)})
	}
	s.finishExtract(r, p, v, http.StatusOK)
	return nil
}
