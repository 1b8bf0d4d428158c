package ui

import (
	"context"
	"encoding/json"
	"github.com/twinning/twinning/internal/httpx"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/calendar"
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

func kindOf[T any](tb *store.Table[T], title func(*T) twin.Names) staffKind {
	path := tb.Kind().Plural()
	return staffKind{Path: path, Kind: tb.Kind(), spec: formSpecs[tb.Kind()],
		get: func(ctx context.Context, id int64) ([]byte, int64, twin.Names, error) {
			rec, err := tb.Get(ctx, id)
			if err != nil {
				return nil, 0, nil, err
			}
			doc, err := json.Marshal(rec)
			return doc, any(rec).(twin.Record).GetMeta().Version, title(rec), err
		},
		create: func(ctx context.Context, doc []byte) (int64, error) {
			rec := new(T)
			if err := json.Unmarshal(doc, rec); err != nil {
				return 0, err
			}
			*any(rec).(twin.Record).GetMeta() = twin.Meta{}
			out, err := tb.Create(ctx, rec)
			if err != nil {
				return 0, err
			}
			return any(out).(twin.Record).GetMeta().ID, nil
		},
		update: func(ctx context.Context, id, version int64, change func([]byte) ([]byte, error)) error {
			_, err := tb.Update(ctx, id, version, func(rec *T) error {
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
		},
		history: tb.History,
		typed: func(doc []byte) (any, error) {
			rec := new(T)
			return rec, json.Unmarshal(doc, rec)
		},
	}
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
	f, err := s.buildForm(ctx, k, p.Lang, v, nil, nil)
	if err == nil {
		err = s.offerScope(r, f, p.Lang)
	}
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
	ctx := r.Context()
	k, id, err := s.kindFromPath(r)
	if err != nil {
		return err
	}
	actor, _ := s.StaffActor(r)
	// The store checks the references and the writer's scope again inside the transaction.
	ctx = twin.WithActor(s.WithGuard(r), actor)
	ctx = s.WithUsable(ctx, r) // names resolve among what the editor may use
	v := k.spec.compactRows(r.PostForm)
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	built, problems, cands, err := s.decodeForm(ctx, k.spec, v, p.Lang)
	if err != nil {
		return err
	}
	var title twin.Names
	if len(problems) == 0 {
		// The principal must be allowed the change on the record as it is and as it will be.
		allowed := func(action string, docs ...[]byte) error {
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
		merge := func(cur []byte) ([]byte, error) {
			base := map[string]any{}
			if cur != nil {
				dec := json.NewDecoder(strings.NewReader(string(cur)))
				dec.UseNumber()
				if err := dec.Decode(&base); err != nil {
					return nil, err
				}
			}
			k.spec.clearFields(base)
			deepMerge(base, built)
			return json.Marshal(base)
		}
		if id == 0 {
			doc, _ := merge(nil)
			if err = allowed(auth.ActCreate, doc); err == nil {
				id, err = k.create(ctx, doc)
			}
			if err == nil {
				p.redirect("/staff/" + k.Path + "/" + strconv.FormatInt(id, 10) + "/edit?saved=1")
				return nil
			}
		} else {
			err = k.update(ctx, id, version, func(cur []byte) ([]byte, error) {
				next, err := merge(cur)
				if err != nil {
					return nil, err
				}
				return next, allowed(auth.ActUpdate, cur, next)
			})
			if err == nil {
				p.redirect("/staff/" + k.Path + "/" + strconv.FormatInt(id, 10) + "/edit?saved=1")
				return nil
			}
		}
		switch twin.ErrorCode(err) {
		case twin.EINVALID:
			problems = twin.ErrorFields(err)
		case twin.EPRECONDITION:
			return s.conflictPage(ctx, r, p, k, id, version, v)
		case twin.EFORBIDDEN:
			// The form again, with everything typed and what the editor may edit instead.
			f, err := s.buildForm(ctx, k, p.Lang, v, nil, cands)
			if err == nil {
				err = s.offerScope(r, f, p.Lang)
			}
			if err == nil {
				f.Refusal, err = s.refusal(r, p.Lang)
			}
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
		default:
			return err
		}
	}
	if id != 0 {
		if _, _, title, err = k.get(ctx, id); err != nil {
			return err
		}
	}
	f, err := s.buildForm(ctx, k, p.Lang, v, problems, cands)
	if err == nil {
		err = s.offerScope(r, f, p.Lang)
	}
	if err != nil {
		return err
	}
	f.ID, f.Version = id, version
	p.status = http.StatusUnprocessableEntity
	return s.finishForm(p, k, f, title)
}

type historyEntry struct {
	twin.Change
	Diffs []fieldDiff
}

type historyData struct {
	Kind, Title string
	ID          int64
	Entries     []historyEntry
}

// HistoryPage lists a record's changes, newest first, each field before and after.
func (s *Pages) HistoryPage(r *http.Request, p *Page) error {
	ctx := r.Context()
	k, id, err := s.kindFromPath(r)
	if err != nil {
		return err
	}
	_, _, title, err := k.get(ctx, id)
	if err != nil {
		return err
	}
	hist, err := k.history(ctx, id)
	if err != nil {
		return err
	}
	d := &historyData{Kind: k.Path, ID: id, Title: title.Pick(p.Lang)}
	for i := len(hist) - 1; i >= 0; i-- {
		diffs, err := s.describeDiffs(ctx, k, hist[i].Before, hist[i].After, p.Lang)
		if err != nil {
			return err
		}
		d.Entries = append(d.Entries, historyEntry{Change: hist[i], Diffs: diffs})
	}
	p.tmpl, p.Data = "history", d
	p.Title = i18n.T(p.Lang, "history.title", map[string]any{"name": d.Title})
	return nil
}

// describeDiffs lists what changed between two versions of a record of kind k as its form
// names the fields, each value said in lang as the record's pages say it: a choice by its
// name, a date in the reader's calendar, a city or a record by its name, names and texts in
// each language, numbers in the language's digits. What has no such wording stays as stored.
func (s *Pages) describeDiffs(ctx context.Context, k staffKind, before, after []byte, lang string) ([]fieldDiff, error) {
	ds := k.spec.labelDiffs(diffDocs(before, after), lang)
	for i := range ds {
		for _, side := range []struct {
			raw json.RawMessage
			doc []byte
			out *string
		}{{ds[i].before, before, &ds[i].Before}, {ds[i].after, after, &ds[i].After}} {
			if len(side.raw) == 0 || string(side.raw) == "null" {
				continue
			}
			text, err := s.describeValue(ctx, k.spec, ds[i].Field, side.raw, lang)
			if err != nil {
				return nil, err
			}
			// An activity's direction names its agreement's cities, as its page does.
			var code string
			if ds[i].Field == "direction" && json.Unmarshal(side.raw, &code) == nil {
				var doc struct {
					Agreement json.Number `json:"agreement"`
				}
				json.Unmarshal(side.doc, &doc)
				a, b, ok, err := s.agreementNames(ctx, doc.Agreement.String())
				if err != nil {
					return nil, err
				}
				if ok {
					text = directionText(code, a, b, lang)
				}
			}
			if text != "" {
				*side.out = truncate(text, 300)
			}
		}
	}
	return ds, nil
}

// describeValue says one top-level field's stored value in lang, or "" to leave it as stored.
func (s *Pages) describeValue(ctx context.Context, sp formSpec, key string, raw json.RawMessage, lang string) (string, error) {
	var ff *formField
	named := false // a name or a text in several languages: key.fa, key.en, key.ru
	for i, f := range sp.Fields {
		if f.Path == key {
			ff = &sp.Fields[i]
		}
		if f.Path == key+"."+langFields[0] {
			named = true
		}
	}
	if named {
		var m map[string]string
		if json.Unmarshal(raw, &m) != nil {
			return "", nil
		}
		var parts []string
		for _, l := range langFields {
			if v := strings.TrimSpace(m[l]); v != "" {
				parts = append(parts, v+" ("+i18n.T(lang, "history.in_lang."+l, nil)+")")
			}
		}
		return strings.Join(parts, partSep(lang)), nil
	}
	if key == "outputs" {
		// An activity's joint productions, as its page lists them: "Book: the catalogue".
		var outs []twin.Output
		if json.Unmarshal(raw, &outs) != nil {
			return "", nil
		}
		var parts []string
		for _, o := range outs {
			part := i18n.T(lang, "output."+o.Kind, nil)
			if t := o.Title.Pick(lang); t != "" {
				part += ": " + t
			}
			parts = append(parts, part)
		}
		return strings.Join(parts, partSep(lang)), nil
	}
	var many []string // a repeat group of single references (a proposal's cities, an activity's institutions)
	for _, g := range sp.Repeats {
		if g.Path == key && len(g.Fields) == 1 && g.Fields[0].Path == "" {
			var xs []json.RawMessage
			if json.Unmarshal(raw, &xs) != nil {
				return "", nil
			}
			for _, x := range xs {
				t, err := s.describeValue(ctx, formSpec{Fields: []formField{{Path: key, Kind: g.Fields[0].Kind}}}, key, x, lang)
				if err != nil || t == "" {
					return "", err
				}
				many = append(many, t)
			}
			return strings.Join(many, listSep(lang)), nil
		}
	}
	if ff == nil {
		return "", nil
	}
	var str string
	isStr := json.Unmarshal(raw, &str) == nil
	switch ff.Kind {
	case "select":
		if isStr && i18n.Has(lang, ff.Prefix+str) {
			return i18n.T(lang, ff.Prefix+str, nil), nil
		}
	case "domain":
		if isStr {
			return domainName(str, lang), nil
		}
	case "domains":
		var codes []string
		if json.Unmarshal(raw, &codes) == nil {
			for i, c := range codes {
				codes[i] = domainName(c, lang)
			}
			return strings.Join(codes, listSep(lang)), nil
		}
	case "lines":
		var ls []string
		if json.Unmarshal(raw, &ls) == nil {
			return strings.Join(ls, listSep(lang)), nil
		}
	case "date":
		var d calendar.PartialDate
		if json.Unmarshal(raw, &d) == nil && d.Value != "" {
			if full, err := d.Complete(); err == nil {
				d = full
			}
			text := calendar.Format(d, lang)
			if alt := calendar.FormatAlt(d, lang); alt != "" {
				text += " (" + alt + ")"
			}
			return text, nil
		}
	case "participants":
		// The people each city sent, by the cities' names: "Isfahan: 12, Samarkand: 30".
		var per map[string]int64
		if json.Unmarshal(raw, &per) != nil {
			return "", nil
		}
		var parts []string
		for ref, n := range per {
			c, err := s.db.City(ctx, ref)
			if err = httpx.UnlessMissing(err); err != nil {
				return "", err
			}
			name := ref
			if c != nil {
				name = c.Names.Pick(lang)
			}
			parts = append(parts, name+": "+i18n.Number(lang, n))
		}
		slices.Sort(parts)
		return strings.Join(parts, listSep(lang)), nil
	case "int", "number":
		var n float64
		if json.Unmarshal(raw, &n) == nil && n == float64(int64(n)) {
			return i18n.Number(lang, int64(n)), nil
		}
	case "city":
		if isStr {
			c, err := s.db.City(ctx, str)
			if err = httpx.UnlessMissing(err); err != nil || c == nil {
				return "", err
			}
			return c.Names.Pick(lang) + metaSep(lang) + countryName(c.Country, lang), nil
		}
	case "agreement", "institution", "link", "network", "person":
		return s.pickedName(ctx, ff.Kind, strings.Trim(string(raw), `"`), lang)
	}
	return "", nil
}

// partSep separates a text's languages in one cell: a Persian semicolon in Persian.
func partSep(lang string) string {
	if i18n.Dir(lang) == "rtl" {
		return "؛ "
	}
	return "; "
}
