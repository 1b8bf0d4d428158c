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
	f := &formView{Kind: k.Path, byPath: map[string]*fieldView{}, Lang: lang}
	ds, err := s.db.Domains(ctx)
	if err != nil {
		return nil, err
	}
	var readErr error // the first read that failed
	read := func(err error) bool {
		if err = httpx.UnlessMissing(err); err != nil && readErr == nil {
			readErr = err
		}
		return err == nil
	}
	for _, d := range ds {
		f.DomainChoices = append(f.DomainChoices, option{Value: d.Code, Label: d.Names.Pick(lang)})
	}
	mk := func(ff formField, path string) *fieldView {
		fv := &fieldView{formField: ff, Name: path, ID: fieldID(path), Value: v.Get(path)}
		fv.Path = path
		switch ff.Kind {
		case "date":
			// In the reader's digits, as the placeholder shows them (the parser reads any).
			fv.Calendar, fv.Value = v.Get(path+".calendar"), i18n.Digits(lang, v.Get(path+".value"))
			if fv.Calendar == "" {
				fv.Calendar = string(calendar.Home(lang))
			}
		case "domains":
			fv.Values = map[string]bool{}
			for _, x := range v[path] {
				fv.Values[x] = true
			}
			for _, d := range f.DomainChoices {
				fv.Options = append(fv.Options, option{Value: d.Value, Label: d.Label, Selected: fv.Values[d.Value]})
			}
		case "select":
			fv.Options = append(fv.Options, option{Value: "", Label: "—"})
			// An activity's direction names its agreement's cities.
			a, b, named := twin.Names(nil), twin.Names(nil), false
			if ff.Prefix == "direction." {
				var err error
				a, b, named, err = s.agreementNames(ctx, v.Get("agreement"))
				read(err)
				if named {
					fv.NamedFor = strings.TrimSpace(v.Get("agreement"))
				}
				fv.Arrow, fv.BothWord = directionArrow(lang), i18n.T(lang, "direction.both", nil)
			}
			for _, c := range ff.Choices {
				label := i18n.T(lang, ff.Prefix+c, nil)
				if named {
					label = directionText(c, a, b, lang)
				}
				fv.Options = append(fv.Options, option{Value: c, Label: label, Selected: c == fv.Value})
			}
		case "domain":
			fv.Options = append(fv.Options, option{Value: "", Label: "—"})
			for _, d := range f.DomainChoices {
				fv.Options = append(fv.Options, option{Value: d.Value, Label: d.Label, Selected: d.Value == fv.Value})
			}
		case "city":
			// The field shows the city's name, never its Wikidata id: the id rides along (#id),
			// taken as long as the name is left as shown (#name); its country is said beside it.
			fv.Candidates = cands[path]
			if fv.Value != "" && len(fv.Candidates) == 0 {
				if c, err := s.db.City(ctx, fv.Value); read(err) && c != nil {
					fv.Resolved = c.Names.Pick(lang) + metaSep(lang) + countryName(c.Country, lang)
					fv.PickID, fv.Value = c.Ref(), c.Names.Pick(lang)
				}
			}
		case "agreement", "institution", "link", "network", "person":
			// The field shows the record's name, never its number: the number rides along
			// (#id), taken as long as the name is left as shown (#name).
			fv.Candidates = cands[path]
			if fv.Value != "" && len(fv.Candidates) == 0 {
				if name, err := s.pickedName(ctx, ff.Kind, fv.Value, lang); read(err) && name != "" {
					fv.PickID, fv.Value = fv.Value, name
				}
			}
		}
		f.byPath[path] = fv
		return fv
	}
	for _, ff := range k.spec.Fields {
		f.Fields = append(f.Fields, mk(ff, ff.Path))
	}
	for _, g := range k.spec.Repeats {
		gv := groupView{Label: g.Label}
		n := g.rows(v) + g.Blank
		for i := 0; i < n; i++ {
			row := rowView{KeepName: g.Path + "[" + strconv.Itoa(i) + "]#keep"}
			row.Keep = v.Get(row.KeepName)
			for _, ff := range g.Fields {
				row.Fields = append(row.Fields, mk(ff, rowPath(g, i, ff)))
			}
			gv.Rows = append(gv.Rows, row)
		}
		f.Groups = append(f.Groups, gv)
	}
	paths := k.spec.allPaths(v)
	for errPath, fe := range problems {
		msg := i18n.T(lang, "field."+fe.Key, fe.Params)
		target := errorField(paths, errPath)
		if fv := f.byPath[target]; fv != nil {
			if fv.Error == "" {
				fv.Error = msg
			}
			f.Errors = append(f.Errors, formError{ID: fv.ID, Label: i18n.T(lang, fv.Label, nil), Message: msg})
		} else {
			f.Errors = append(f.Errors, formError{Label: errPath, Message: msg})
		}
	}
	sortErrors(f.Errors, paths, f.byPath)
	return f, readErr
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
			out = append(out, httpx.CityBrief{ID: c.ID, Ref: c.Ref(), Name: c.Names.Pick(lang), Names: c.Names, Country: c.Country})
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
		return i18n.T(lang, prefix+"_cities", map[string]any{"cities": strings.Join(names, listSep(lang))}), nil
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
		return i18n.T(lang, prefix+"_institutions", map[string]any{"institutions": strings.Join(names, listSep(lang))}), nil
	}
	return i18n.T(lang, prefix, nil), nil
}
