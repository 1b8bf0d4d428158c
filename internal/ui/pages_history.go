package ui

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/httpx"
	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/twin"
)

// A record's history in the staff workspace: every change, newest first, each field before
// and after as the record's pages say it.

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
	if sp.named(key) {
		return describeNames(raw, lang), nil
	}
	if key == "outputs" {
		return describeOutputs(raw, lang), nil
	}
	if g := sp.refsGroup(key); g != nil {
		return s.describeRefs(ctx, *g, key, raw, lang)
	}
	ff := sp.field(key)
	switch {
	case ff == nil:
		return "", nil
	case ff.Kind == "participants":
		return s.describeParticipants(ctx, raw, lang)
	case ff.Kind == "city":
		return s.describeCity(ctx, raw, lang)
	case slices.Contains([]string{"agreement", "institution", "link", "network", "person"}, ff.Kind):
		return s.pickedName(ctx, ff.Kind, strings.Trim(string(raw), `"`), lang)
	}
	return describePlain(ff, raw, lang), nil
}

// named says whether key is a name or a text in several languages: key.fa, key.en, key.ru.
func (sp formSpec) named(key string) bool {
	return slices.ContainsFunc(sp.Fields, func(f formField) bool { return f.Path == key+"."+langFields[0] })
}

// field is the form's field of path key, nil when it has none.
func (sp formSpec) field(key string) *formField {
	var ff *formField
	for i, f := range sp.Fields {
		if f.Path == key {
			ff = &sp.Fields[i]
		}
	}
	return ff
}

// refsGroup is the repeat group of single references at key (a proposal's cities, an
// activity's institutions), nil when key is not one.
func (sp formSpec) refsGroup(key string) *repeatGroup {
	for i, g := range sp.Repeats {
		if g.Path == key && len(g.Fields) == 1 && g.Fields[0].Path == "" {
			return &sp.Repeats[i]
		}
	}
	return nil
}

// describeNames says a name or a text in each of its languages: "Isfahan (in English)".
func describeNames(raw json.RawMessage, lang string) string {
	var m map[string]string
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	var parts []string
	for _, l := range langFields {
		if v := strings.TrimSpace(m[l]); v != "" {
			parts = append(parts, v+" ("+i18n.T(lang, "history.in_lang."+l, nil)+")")
		}
	}
	return strings.Join(parts, partSep(lang))
}

// describeOutputs says an activity's joint productions, as its page lists them: "Book: the
// catalogue".
func describeOutputs(raw json.RawMessage, lang string) string {
	var outs []twin.Output
	if json.Unmarshal(raw, &outs) != nil {
		return ""
	}
	var parts []string
	for _, o := range outs {
		part := i18n.T(lang, "output."+o.Kind, nil)
		if t := o.Title.Pick(lang); t != "" {
			part += ": " + t
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, partSep(lang))
}

// describeRefs says each reference of a repeat group of single references; "" when one cannot
// be said.
func (s *Pages) describeRefs(ctx context.Context, g repeatGroup, key string, raw json.RawMessage, lang string) (string, error) {
	var xs []json.RawMessage
	if json.Unmarshal(raw, &xs) != nil {
		return "", nil
	}
	var many []string
	for _, x := range xs {
		t, err := s.describeValue(ctx, formSpec{Fields: []formField{{Path: key, Kind: g.Fields[0].Kind}}}, key, x, lang)
		if err != nil || t == "" {
			return "", err
		}
		many = append(many, t)
	}
	return strings.Join(many, i18n.ListSep(lang)), nil
}

// describeParticipants says the people each city sent, by the cities' names: "Isfahan: 12,
// Samarkand: 30".
func (s *Pages) describeParticipants(ctx context.Context, raw json.RawMessage, lang string) (string, error) {
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
	return strings.Join(parts, i18n.ListSep(lang)), nil
}

// describeCity says a city by its name and country.
func (s *Pages) describeCity(ctx context.Context, raw json.RawMessage, lang string) (string, error) {
	var ref string
	if json.Unmarshal(raw, &ref) != nil {
		return "", nil
	}
	c, err := s.db.City(ctx, ref)
	if err = httpx.UnlessMissing(err); err != nil || c == nil {
		return "", err
	}
	return c.Names.Pick(lang) + metaSep(lang) + countryName(c.Country, lang), nil
}

// describePlain says a value that needs no reading of the store: a choice by its name, a
// domain, a list, a date in the reader's calendar, a whole number in the language's digits.
func describePlain(ff *formField, raw json.RawMessage, lang string) string {
	var str string
	isStr := json.Unmarshal(raw, &str) == nil
	var list []string
	isList := json.Unmarshal(raw, &list) == nil
	switch {
	case ff.Kind == "select" && isStr && i18n.Has(lang, ff.Prefix+str):
		return i18n.T(lang, ff.Prefix+str, nil)
	case ff.Kind == "domain" && isStr:
		return domainName(str, lang)
	case ff.Kind == "domains" && isList:
		for i, c := range list {
			list[i] = domainName(c, lang)
		}
		return strings.Join(list, i18n.ListSep(lang))
	case ff.Kind == "lines" && isList:
		return strings.Join(list, i18n.ListSep(lang))
	case ff.Kind == "date":
		return describeDate(raw, lang)
	case ff.Kind == "int" || ff.Kind == "number":
		var n float64
		if json.Unmarshal(raw, &n) == nil && n == float64(int64(n)) {
			return i18n.Number(lang, int64(n))
		}
	}
	return ""
}

// describeDate says a date in the reader's calendar, the other beside it.
func describeDate(raw json.RawMessage, lang string) string {
	var d calendar.PartialDate
	if json.Unmarshal(raw, &d) != nil || d.Value == "" {
		return ""
	}
	if full, err := d.Complete(); err == nil {
		d = full
	}
	text := calendar.Format(d, lang)
	if alt := calendar.FormatAlt(d, lang); alt != "" {
		text += " (" + alt + ")"
	}
	return text
}

// partSep separates a text's languages in one cell: a Persian semicolon in Persian.
func partSep(lang string) string {
	if i18n.Dir(lang) == "rtl" {
		return "؛ "
	}
	return "; "
}
