package ui

import (
	"context"
	"encoding/json"
	"github.com/twinning/twinning/internal/httpx"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// The staff workspace: forms to create and edit every kind of record, each record's history,
// and the conflict page a stale form gets. Sign-in and sessions are the accounts' (auth.go).

// csrfToken returns the token this page's forms carry: the accounts' CSRF token (an HMAC of
// the session), which csrfGuard checks on every POST.
func csrfToken(w http.ResponseWriter, r *http.Request, s *Pages) string { return s.CSRFFor(w, r) }

// checkCSRF verifies a POST's token; csrfGuard has done so already, this keeps the pages safe
// should the middleware ever be reordered.
func (s *Pages) checkCSRF(r *http.Request) error {
	if !s.VerifyCSRF(r, r.PostFormValue(httpx.CSRFField)) {
		return twin.Errorf(twin.EFORBIDDEN, "missing or wrong CSRF token")
	}
	return nil
}

// staffKind is what the workspace needs of one kind of record.
type staffKind struct {
	Path    string // its collection: "cities"
	Kind    twin.Kind
	spec    formSpec
	get     func(ctx context.Context, id int64) (doc []byte, version int64, title twin.Names, err error)
	create  func(ctx context.Context, doc []byte) (int64, error)
	update  func(ctx context.Context, id, version int64, change func(cur []byte) ([]byte, error)) error
	history func(ctx context.Context, id int64) ([]twin.Change, error)
	// typed decodes a document into the record type, for the authorization of a change.
	typed func(doc []byte) (any, error)
}

// kindOf is what the workspace needs of the records of table tb, title naming one.
func kindOf[T any](tb *store.Table[T], title func(*T) twin.Names) staffKind {
	t := table[T]{tb: tb, title: title}
	return staffKind{Path: tb.Kind().Plural(), Kind: tb.Kind(), spec: formSpecs[tb.Kind()],
		get: t.get, create: t.create, update: t.update, history: tb.History, typed: t.typed}
}

// table is a store's table of records of type T, spoken to in JSON documents.
type table[T any] struct {
	tb    *store.Table[T]
	title func(*T) twin.Names
}

func (t table[T]) get(ctx context.Context, id int64) ([]byte, int64, twin.Names, error) {
	rec, err := t.tb.Get(ctx, id)
	if err != nil {
		return nil, 0, nil, err
	}
	doc, err := json.Marshal(rec)
	return doc, any(rec).(twin.Record).GetMeta().Version, t.title(rec), err
}

// create stores doc as a new record, whatever metadata it carries dropped.
func (t table[T]) create(ctx context.Context, doc []byte) (int64, error) {
	rec := new(T)
	if err := json.Unmarshal(doc, rec); err != nil {
		return 0, err
	}
	*any(rec).(twin.Record).GetMeta() = twin.Meta{}
	out, err := t.tb.Create(ctx, rec)
	if err != nil {
		return 0, err
	}
	return any(out).(twin.Record).GetMeta().ID, nil
}

// update replaces record id of version by what change makes of its document.
func (t table[T]) update(ctx context.Context, id, version int64, change func([]byte) ([]byte, error)) error {
	_, err := t.tb.Update(ctx, id, version, func(rec *T) error {
		cur, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		next, err := change(cur)
		if err != nil {
			return err
		}
		var fresh T
		if err := json.Unmarshal(next, &fresh); err != nil {
			return err
		}
		*rec = fresh
		return nil
	})
	return err
}

func (t table[T]) typed(doc []byte) (any, error) {
	rec := new(T)
	return rec, json.Unmarshal(doc, rec)
}

// staffKinds are the kinds the workspace edits, by their collection name.
func (s *Pages) staffKinds() map[string]staffKind {
	db := s.db
	out := map[string]staffKind{}
	for _, k := range []staffKind{
		kindOf(db.Cities, func(c *twin.City) twin.Names { return c.Names }),
		kindOf(db.Agreements, func(a *twin.Agreement) twin.Names { return a.Title }),
		kindOf(db.Institutions, func(i *twin.Institution) twin.Names { return i.Names }),
		kindOf(db.Links, func(l *twin.Link) twin.Names { return l.Notes }),
		kindOf(db.Activities, func(a *twin.Activity) twin.Names { return a.Title }),
		kindOf(db.People, func(p *twin.Person) twin.Names { return p.Names }),
		kindOf(db.Networks, func(n *twin.Network) twin.Names { return n.Names }),
		kindOf(db.Proposals, func(p *twin.Proposal) twin.Names { return p.Title }),
	} {
		out[k.Path] = k
	}
	return out
}

// StaffOrder is the order of kinds on the workspace's front page.
var StaffOrder = []twin.Kind{twin.KindAgreement, twin.KindCity, twin.KindInstitution, twin.KindLink, twin.KindActivity, twin.KindPerson, twin.KindNetwork, twin.KindProposal}

// StaffOnly sends readers who are not signed in to the sign-in form, and checks the CSRF token
// of every POST before anything else happens.
func (s *Pages) StaffOnly(fn PageFunc) PageFunc {
	return func(r *http.Request, p *Page) error {
		if !p.Staff {
			if who, _ := s.Who(r); who != nil {
				return twin.Errorf(twin.EFORBIDDEN, "%s is not staff", who.Name())
			}
			p.redirect("/signin?next=" + url.QueryEscape(r.URL.RequestURI()))
			return nil
		}
		if r.Method == http.MethodPost {
			if err := s.checkCSRF(r); err != nil {
				return err
			}
		}
		p.Section = "staff"
		return fn(r, p)
	}
}

type staffHomeData struct {
	Kinds  []string // collection names, in staffOrder
	Counts map[string]int64
	// New says which kinds the reader may create (no button they may not use); Moderator
	// links the proposals' count to the moderation queue, with the submissions waiting.
	New       map[string]bool
	Moderator bool
	Waiting   int
	// Admin links the news feeds' page; Inbox counts the news articles waiting for review.
	Admin bool
	Inbox int64
}

// StaffHome is the workspace's front page: every kind of record with its count, what the
// reader may create, and the moderation queue and news inbox for those who use them.
func (s *Pages) StaffHome(r *http.Request, p *Page) error {
	d := &staffHomeData{Counts: map[string]int64{}, New: map[string]bool{}}
	who, _ := s.Who(r)
	d.Moderator = httpx.IsModerator(who)
	if d.Moderator {
		pc, err := s.db.ProposalCounts(r.Context())
		if err != nil {
			return err
		}
		d.Waiting = pc["submitted"]
		if _, d.Inbox, err = s.db.CountArticles(r.Context()); err != nil {
			return err
		}
	}
	d.Admin = who != nil && who.Role() == auth.RoleAdmin
	for _, k := range StaffOrder {
		path := k.Plural()
		d.Kinds = append(d.Kinds, path)
		d.New[path] = who != nil && auth.MayAttempt(who, string(k), auth.ActCreate)
		n, err := s.db.Count(r.Context(), k)
		if err != nil {
			return err
		}
		d.Counts[path] = n
	}
	p.tmpl, p.Title, p.Data = "staff", i18n.T(p.Lang, "staff.title", nil), d
	return nil
}

func (s *Pages) kindFromPath(r *http.Request) (staffKind, int64, error) {
	k, ok := s.staffKinds()[r.PathValue("kind")]
	if !ok {
		return k, 0, httpx.NotFound("kind", r.PathValue("kind"))
	}
	if r.PathValue("id") == "" {
		return k, 0, nil
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return k, 0, httpx.NotFound(string(k.Kind), r.PathValue("id"))
	}
	return k, id, nil
}

// FormPage shows an empty form, or a record's form to edit.
func (s *Pages) FormPage(r *http.Request, p *Page) error {
	ctx := r.Context()
	k, id, err := s.kindFromPath(r)
	if err != nil {
		return err
	}
	v := url.Values{}
	var version int64
	var title twin.Names
	var doc []byte
	if id != 0 {
		if doc, version, title, err = k.get(ctx, id); err != nil {
			return err
		}
		v = k.spec.docValues(doc)
		if err := s.nameParticipants(ctx, v, p.Lang); err != nil {
			return err
		}
	} else {
		// A new record may start from values in the address (e.g. an activity's agreement).
		for key, vs := range r.URL.Query() {
			v[key] = vs
		}
	}
	f, err := s.scopedForm(ctx, r, k, p.Lang, v, nil, nil)
	if err == nil && doc != nil {
		f.Outside, err = s.outside(r, k, doc, p.Lang)
	}
	if err != nil {
		return err
	}
	f.ID, f.Version, f.Saved = id, version, r.URL.Query().Get("saved") == "1"
	return s.finishForm(p, k, f, title)
}

// outside says, when the principal may not change the record doc as it is, what they may
// edit instead; "" when they may.
func (s *Pages) outside(r *http.Request, k staffKind, doc []byte, lang string) (string, error) {
	rec, err := k.typed(doc)
	if err != nil {
		return "", err
	}
	err = s.Authorize(r, string(k.Kind), auth.ActUpdate, rec)
	switch twin.ErrorCode(err) {
	case "":
		return "", nil
	case twin.EFORBIDDEN:
		return s.scopeText(r, lang, "form.outside")
	}
	return "", err
}

// finishForm fills what every form's page shows around its fields; err is a read that failed.
func (s *Pages) finishForm(p *Page, k staffKind, f *formView, title twin.Names) error {
	f.CSRF = p.CSRF
	if f.ID == 0 {
		f.Action = "/" + p.Lang + "/staff/" + k.Path + "/new"
		f.Title = i18n.T(p.Lang, "staff.new."+string(k.Kind), nil)
	} else {
		f.Action = "/" + p.Lang + "/staff/" + k.Path + "/" + strconv.FormatInt(f.ID, 10) + "/edit"
		name := title.Pick(p.Lang)
		if name == "" { // an agreement by its cities, a link by its institutions
			var err error
			if name, err = s.pickedName(p.request.Context(), string(k.Kind), strconv.FormatInt(f.ID, 10), p.Lang); err != nil {
				return err
			}
		}
		if name == "" {
			name = i18n.T(p.Lang, k.Kind.Key(), nil) + " " + i18n.Digits(p.Lang, strconv.FormatInt(f.ID, 10))
		}
		f.Title = i18n.T(p.Lang, "staff.edit_title", map[string]any{"name": name})
		f.View = s.pageURL(context.Background(), p.Lang, k.Kind, f.ID, s.cityRefOf(k, f))
	}
	p.tmpl, p.Title, p.Data, p.Wide = "form", f.Title, f, true
	if len(f.Errors) > 0 {
		p.Title = i18n.T(p.Lang, "form.errors_title", nil) + " " + p.Title
	}
	return nil
}

func (s *Pages) cityRefOf(k staffKind, f *formView) string {
	if k.Kind != twin.KindCity {
		return ""
	}
	if fv := f.byPath["wikidata"]; fv != nil && fv.Value != "" {
		return fv.Value
	}
	return strconv.FormatInt(f.ID, 10)
}

// FormPost validates and saves a form. Bad input shows the form again with each problem beside
// its field and nothing saved; a stale version shows the other's change and keeps the input.
func (s *Pages) FormPost(r *http.Request, p *Page) error {
	k, id, err := s.kindFromPath(r)
	if err != nil {
		return err
	}
	actor, _ := s.StaffActor(r)
	// The store checks the references and the writer's scope again inside the transaction.
	ctx := twin.WithActor(s.WithGuard(r), actor)
	ctx = s.WithUsable(ctx, r) // names resolve among what the editor may use
	v := k.spec.compactRows(r.PostForm)
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	built, problems, cands, err := s.decodeForm(ctx, k.spec, v, p.Lang)
	if err != nil {
		return err
	}
	if len(problems) == 0 {
		id, err = s.saveForm(ctx, r, k, id, version, built)
		switch twin.ErrorCode(err) {
		case "":
			p.redirect("/staff/" + k.Path + "/" + strconv.FormatInt(id, 10) + "/edit?saved=1")
			return nil
		case twin.EINVALID:
			problems = twin.ErrorFields(err)
		case twin.EPRECONDITION:
			return s.conflictPage(ctx, r, p, k, id, version, v)
		case twin.EFORBIDDEN:
			return s.refusedForm(ctx, r, p, k, id, version, v, cands)
		default:
			return err
		}
	}
	return s.formProblems(ctx, r, p, k, id, version, v, problems, cands)
}

// saveForm creates the record of the form's document built (id 0), or changes record id of
// the version the form was read at; it returns the record's id.
func (s *Pages) saveForm(ctx context.Context, r *http.Request, k staffKind, id, version int64, built map[string]any) (int64, error) {
	if id == 0 {
		doc, _ := k.spec.mergeDoc(nil, built)
		if err := s.allowed(r, k, auth.ActCreate, doc); err != nil {
			return 0, err
		}
		return k.create(ctx, doc)
	}
	return id, k.update(ctx, id, version, func(cur []byte) ([]byte, error) {
		next, err := k.spec.mergeDoc(cur, built)
		if err != nil {
			return nil, err
		}
		return next, s.allowed(r, k, auth.ActUpdate, cur, next)
	})
}

// allowed checks that the principal may make the change on the record as it is and as it
// will be.
func (s *Pages) allowed(r *http.Request, k staffKind, action string, docs ...[]byte) error {
	for _, doc := range docs {
		rec, err := k.typed(doc)
		if err != nil {
			return err
		}
		if err := s.Authorize(r, string(k.Kind), action, rec); err != nil {
			return err
		}
	}
	return nil
}

// mergeDoc is the record's document cur (nil for a new record) with what the form governs
// replaced by built; what the form does not show stays.
func (sp formSpec) mergeDoc(cur []byte, built map[string]any) ([]byte, error) {
	base := map[string]any{}
	if cur != nil {
		dec := json.NewDecoder(strings.NewReader(string(cur)))
		dec.UseNumber()
		if err := dec.Decode(&base); err != nil {
			return nil, err
		}
	}
	sp.clearFields(base)
	deepMerge(base, built)
	return json.Marshal(base)
}

// scopedForm is the form of k with the values v, the problems and the pickers' candidates,
// offering a city editor their own cities.
func (s *Pages) scopedForm(ctx context.Context, r *http.Request, k staffKind, lang string, v url.Values, problems map[string]twin.FieldError, cands map[string][]httpx.CityBrief) (*formView, error) {
	f, err := s.buildForm(ctx, k, lang, v, problems, cands)
	if err == nil {
		err = s.offerScope(r, f, lang)
	}
	return f, err
}

// formProblems shows the form again with everything typed and each problem beside its field.
func (s *Pages) formProblems(ctx context.Context, r *http.Request, p *Page, k staffKind, id, version int64, v url.Values, problems map[string]twin.FieldError, cands map[string][]httpx.CityBrief) error {
	var title twin.Names
	if id != 0 {
		var err error
		if _, _, title, err = k.get(ctx, id); err != nil {
			return err
		}
	}
	f, err := s.scopedForm(ctx, r, k, p.Lang, v, problems, cands)
	if err != nil {
		return err
	}
	f.ID, f.Version = id, version
	p.status = http.StatusUnprocessableEntity
	return s.finishForm(p, k, f, title)
}

// refusedForm shows the form again after a change outside the editor's scope, with
// everything typed and what they may edit instead.
func (s *Pages) refusedForm(ctx context.Context, r *http.Request, p *Page, k staffKind, id, version int64, v url.Values, cands map[string][]httpx.CityBrief) error {
	f, err := s.scopedForm(ctx, r, k, p.Lang, v, nil, cands)
	if err == nil {
		f.Refusal, err = s.refusal(r, p.Lang)
	}
	var title twin.Names
	if err == nil && id != 0 {
		_, _, title, err = k.get(ctx, id)
		err = httpx.UnlessMissing(err)
	}
	if err != nil {
		return err
	}
	f.ID, f.Version = id, version
	p.status = http.StatusForbidden
	return s.finishForm(p, k, f, title)
}
