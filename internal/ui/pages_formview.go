package ui

import (
	"context"
	"github.com/twinning/twinning/internal/httpx"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/twin"
)

// formView is a form ready to show: its fields with their values and errors.
type formView struct {
	Kind, Title   string
	ID, Version   int64
	Action        string
	Fields        []*fieldView
	Groups        []groupView
	Errors        []formError // every problem, for the summary at the top
	Conflict      *conflictView
	Saved         bool
	View          string // the record's public page
	byPath        map[string]*fieldView
	CSRF          string
	Lang          string
	Unmatched     bool
	DomainChoices []option
	// Refusal says why a change outside the editor's scope was refused (nothing was saved),
	// naming what they may edit.
	Refusal string
	// Outside warns, before anything is typed, that the record is outside the editor's scope.
	Outside string
}

type groupView struct {
	Label string
	Rows  []rowView
}

// rowView is one row of a repeat group; Keep carries what the form does not show of it.
type rowView struct {
	Fields         []*fieldView
	KeepName, Keep string
}

type formError struct{ ID, Label, Message string }

type fieldView struct {
	formField
	Name, ID   string
	Value      string
	Values     map[string]bool
	Calendar   string
	Error      string
	Options    []option
	Candidates []httpx.CityBrief // for an ambiguous picker
	Resolved   string            // the record a picker's value names
	PickID     string            // the number of the record whose name the field shows
	Yours      []httpx.CityBrief // a city editor's own cities, offered to pick
	// An activity's direction: the agreement whose cities its choices name ("" while they
	// cannot), and what the script needs to name them once an agreement is picked.
	NamedFor, Arrow, BothWord string
}

type option struct {
	Value, Label string
	Selected     bool
}

type conflictView struct {
	Changes []historyEntry
	Taken   []string // fields only the other changed: their value is now in the form
	Both    []string // fields both changed: the reader's value is kept, marked
}

func fieldID(path string) string {
	return "f-" + strings.NewReplacer(".", "-", "[", "-", "]", "").Replace(path)
}

// buildForm lays out a form of kind k in lang with values and problems (by JSON path).
// A read that fails is its error: a form never silently lacks its choices or names.
func (s *Pages) buildForm(ctx context.Context, k staffKind, lang string, v url.Values, problems map[string]twin.FieldError, cands map[string][]httpx.CityBrief) (*formView, error) {
	b := &formBuilder{s: s, ctx: ctx, lang: lang, v: v, cands: cands,
		f: &formView{Kind: k.Path, byPath: map[string]*fieldView{}, Lang: lang}}
	ds, err := s.db.Domains(ctx)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		b.f.DomainChoices = append(b.f.DomainChoices, option{Value: d.Code, Label: d.Names.Pick(lang)})
	}
	for _, ff := range k.spec.Fields {
		b.f.Fields = append(b.f.Fields, b.field(ff, ff.Path))
	}
	for _, g := range k.spec.Repeats {
		b.f.Groups = append(b.f.Groups, b.group(g))
	}
	b.placeProblems(k.spec.allPaths(v), problems)
	return b.f, b.readErr
}

// formBuilder lays out one form: the values it shows, the pickers' candidates, the first read
// that failed.
type formBuilder struct {
	s       *Pages
	ctx     context.Context
	lang    string
	v       url.Values
	cands   map[string][]httpx.CityBrief
	f       *formView
	readErr error
}

// read keeps the first read that failed (a missing record is no failure) and says whether err
// was none.
func (b *formBuilder) read(err error) bool {
	if err = httpx.UnlessMissing(err); err != nil && b.readErr == nil {
		b.readErr = err
	}
	return err == nil
}

// field lays out the field ff at path (a row's field has its row's path).
func (b *formBuilder) field(ff formField, path string) *fieldView {
	fv := &fieldView{formField: ff, Name: path, ID: fieldID(path), Value: b.v.Get(path)}
	fv.Path = path
	switch ff.Kind {
	case "date":
		// In the reader's digits, as the placeholder shows them (the parser reads any).
		fv.Calendar, fv.Value = b.v.Get(path+".calendar"), i18n.Digits(b.lang, b.v.Get(path+".value"))
		if fv.Calendar == "" {
			fv.Calendar = string(calendar.Home(b.lang))
		}
	case "domains":
		fv.Values = map[string]bool{}
		for _, x := range b.v[path] {
			fv.Values[x] = true
		}
		b.domainOptions(fv, func(code string) bool { return fv.Values[code] })
	case "select":
		b.selectOptions(fv, ff)
	case "domain":
		fv.Options = append(fv.Options, option{Value: "", Label: "—"})
		b.domainOptions(fv, func(code string) bool { return code == fv.Value })
	case "city":
		b.cityPicker(fv, path)
	case "agreement", "institution", "link", "network", "person":
		b.recordPicker(fv, ff.Kind, path)
	}
	b.f.byPath[path] = fv
	return fv
}

// group lays out a repeat group's rows and its blank ones.
func (b *formBuilder) group(g repeatGroup) groupView {
	gv := groupView{Label: g.Label}
	n := g.rows(b.v) + g.Blank
	for i := 0; i < n; i++ {
		row := rowView{KeepName: g.Path + "[" + strconv.Itoa(i) + "]#keep"}
		row.Keep = b.v.Get(row.KeepName)
		for _, ff := range g.Fields {
			row.Fields = append(row.Fields, b.field(ff, rowPath(g, i, ff)))
		}
		gv.Rows = append(gv.Rows, row)
	}
	return gv
}

// domainOptions offers every domain, those selected marked.
func (b *formBuilder) domainOptions(fv *fieldView, selected func(code string) bool) {
	for _, d := range b.f.DomainChoices {
		fv.Options = append(fv.Options, option{Value: d.Value, Label: d.Label, Selected: selected(d.Value)})
	}
}

// selectOptions offers a select's choices; an activity's direction names its agreement's
// cities.
func (b *formBuilder) selectOptions(fv *fieldView, ff formField) {
	fv.Options = append(fv.Options, option{Value: "", Label: "—"})
	a, c, named := twin.Names(nil), twin.Names(nil), false
	if ff.Prefix == "direction." {
		var err error
		a, c, named, err = b.s.agreementNames(b.ctx, b.v.Get("agreement"))
		b.read(err)
		if named {
			fv.NamedFor = strings.TrimSpace(b.v.Get("agreement"))
		}
		fv.Arrow, fv.BothWord = directionArrow(b.lang), i18n.T(b.lang, "direction.both", nil)
	}
	for _, x := range ff.Choices {
		label := i18n.T(b.lang, ff.Prefix+x, nil)
		if named {
			label = directionText(x, a, c, b.lang)
		}
		fv.Options = append(fv.Options, option{Value: x, Label: label, Selected: x == fv.Value})
	}
}

// cityPicker shows the city's name, never its Wikidata id: the id rides along (#id), taken as
// long as the name is left as shown (#name); its country is said beside it.
func (b *formBuilder) cityPicker(fv *fieldView, path string) {
	fv.Candidates = b.cands[path]
	if fv.Value == "" || len(fv.Candidates) > 0 {
		return
	}
	if c, err := b.s.db.City(b.ctx, fv.Value); b.read(err) && c != nil {
		fv.Resolved = c.Names.Pick(b.lang) + metaSep(b.lang) + countryName(c.Country, b.lang)
		fv.PickID, fv.Value = c.Ref(), c.Names.Pick(b.lang)
	}
}

// recordPicker shows the record's name, never its number: the number rides along (#id), taken
// as long as the name is left as shown (#name).
func (b *formBuilder) recordPicker(fv *fieldView, kind, path string) {
	fv.Candidates = b.cands[path]
	if fv.Value == "" || len(fv.Candidates) > 0 {
		return
	}
	if name, err := b.s.pickedName(b.ctx, kind, fv.Value, b.lang); b.read(err) && name != "" {
		fv.PickID, fv.Value = fv.Value, name
	}
}

// placeProblems puts each problem beside its field and in the summary, in the form's order.
func (b *formBuilder) placeProblems(paths []string, problems map[string]twin.FieldError) {
	f := b.f
	for errPath, fe := range problems {
		msg := i18n.T(b.lang, "field."+fe.Key, fe.Params)
		if fv := f.byPath[errorField(paths, errPath)]; fv != nil {
			if fv.Error == "" {
				fv.Error = msg
			}
			f.Errors = append(f.Errors, formError{ID: fv.ID, Label: i18n.T(b.lang, fv.Label, nil), Message: msg})
		} else {
			f.Errors = append(f.Errors, formError{Label: errPath, Message: msg})
		}
	}
	sortErrors(f.Errors, paths, f.byPath)
}

func sortErrors(es []formError, paths []string, by map[string]*fieldView) {
	rank := map[string]int{}
	for i, p := range paths {
		if fv := by[p]; fv != nil {
			rank[fv.ID] = i
		}
	}
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && rank[es[j].ID] < rank[es[j-1].ID]; j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

// ownCities are the cities a city editor edits, named in lang (none for other roles).
func (s *Pages) ownCities(r *http.Request, lang string) ([]httpx.CityBrief, error) {
	p, _ := s.Who(r)
	if p == nil || p.Role() != auth.RoleCityEditor {
		return nil, nil
	}
	var out []httpx.CityBrief
	for _, id := range p.Own().Cities {
		c, err := s.db.Cities.Get(r.Context(), id)
		if err = httpx.UnlessMissing(err); err != nil {
			return nil, err
		}
		if c != nil {
			out = append(out, httpx.Brief(c, lang))
		}
	}
	return out, nil
}

// offerScope offers a city editor their own cities beside every city field, to pick rather
// than type a city they may not use.
func (s *Pages) offerScope(r *http.Request, f *formView, lang string) error {
	own, err := s.ownCities(r, lang)
	if err != nil || len(own) == 0 || len(own) > 12 {
		return err
	}
	for _, fv := range f.byPath {
		if fv.Kind == "city" {
			fv.Yours = own
		}
	}
	return nil
}

// refusal says, in lang, why a change was refused and what the editor may edit instead.
func (s *Pages) refusal(r *http.Request, lang string) (string, error) {
	return s.scopeText(r, lang, "form.refused")
}

// scopeText says what the editor may edit, in the message family of prefix: "form.refused"
// after a refused change, "form.outside" before one.
func (s *Pages) scopeText(r *http.Request, lang, prefix string) (string, error) {
	own, err := s.ownCities(r, lang)
	if err != nil {
		return "", err
	}
	if len(own) > 0 {
		names := make([]string, len(own))
		for i, c := range own {
			names[i] = c.Name
		}
		return i18n.T(lang, prefix+"_cities", map[string]any{"cities": strings.Join(names, i18n.ListSep(lang))}), nil
	}
	if p, _ := s.Who(r); p != nil && p.Role() == auth.RoleInstEditor {
		var names []string
		for _, id := range p.Own().Institutions {
			in, err := s.db.Institutions.Get(r.Context(), id)
			if err = httpx.UnlessMissing(err); err != nil {
				return "", err
			}
			if in != nil {
				names = append(names, in.Names.Pick(lang))
			}
		}
		return i18n.T(lang, prefix+"_institutions", map[string]any{"institutions": strings.Join(names, i18n.ListSep(lang))}), nil
	}
	return i18n.T(lang, prefix, nil), nil
}
