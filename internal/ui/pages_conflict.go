package ui

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/twinning/twinning/internal/i18n"
)

// conflictPage shows what someone else changed since the form was read, with the reader's
// input kept in the form and the current version in it, so saving again is a decision.
func (s *Pages) conflictPage(ctx context.Context, r *http.Request, p *Page, k staffKind, id, version int64, v url.Values) error {
	curDoc, cur, title, err := k.get(ctx, id)
	if err != nil {
		return err
	}
	cv, base, err := s.changesSince(ctx, k, id, version, p.Lang)
	if err != nil {
		return err
	}
	if base != nil {
		mergeInto(v, k.spec, base, curDoc, cv)
	}
	f, err := s.buildForm(ctx, k, p.Lang, v, nil, nil)
	if err != nil {
		return err
	}
	for _, key := range cv.Both {
		markConflict(f, key, p.Lang)
	}
	f.ID, f.Version, f.Conflict = id, cur, cv
	if err := s.finishForm(p, k, f, title); err != nil {
		return err
	}
	p.Title = i18n.T(p.Lang, "conflict.title", nil)
	p.status = http.StatusConflict
	return nil
}

// changesSince lists the changes to record id after version, and returns the record as it was
// at version (nil when nothing changed since).
func (s *Pages) changesSince(ctx context.Context, k staffKind, id, version int64, lang string) (*conflictView, []byte, error) {
	hist, err := k.history(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	cv := &conflictView{}
	var base []byte
	for _, h := range hist {
		if h.Version <= version {
			continue
		}
		if base == nil {
			base = h.Before
		}
		diffs, err := s.describeDiffs(ctx, k, h.Before, h.After, lang)
		if err != nil {
			return nil, nil, err
		}
		cv.Changes = append(cv.Changes, historyEntry{Change: h, Diffs: diffs})
	}
	return cv, base, nil
}

// mergeInto merges by field, three ways: what only the others changed since base is taken
// into the reader's values v, what only the reader changed is kept, and what both changed is
// named in cv so the reader decides.
func mergeInto(v url.Values, sp formSpec, base, cur []byte, cv *conflictView) {
	baseVals, curVals := sp.docValues(base), sp.docValues(cur)
	for _, key := range sp.governed() {
		theirs := !sameValues(baseVals, curVals, key)
		mine := !sameValues(baseVals, v, key)
		switch {
		case theirs && !mine:
			takeField(v, curVals, key)
			cv.Taken = append(cv.Taken, key)
		case theirs && mine:
			cv.Both = append(cv.Both, key)
		}
	}
}

// takeField replaces the values of the field key in v by those in from.
func takeField(v, from url.Values, key string) {
	for name := range v {
		if underKey(name, key) {
			delete(v, name)
		}
	}
	for name, vs := range from {
		if underKey(name, key) {
			v[name] = vs
		}
	}
}

// markConflict says beside the fields of key that both the reader and another changed them.
func markConflict(f *formView, key, lang string) {
	for path, fv := range f.byPath {
		if underKey(path, key) && fv.Error == "" {
			fv.Error = i18n.T(lang, "conflict.field", nil)
		}
	}
}

// underKey reports whether a form value's name belongs to the top-level field key.
func underKey(name, key string) bool {
	return name == key || strings.HasPrefix(name, key+".") || strings.HasPrefix(name, key+"[")
}

// sameValues reports whether two sets of form values agree on everything under key, blanks
// counting as absent.
func sameValues(a, b url.Values, key string) bool {
	collect := func(v url.Values) map[string]string {
		out := map[string]string{}
		for name, vs := range v {
			if !underKey(name, key) || strings.HasSuffix(name, "#pick") {
				continue
			}
			var kept []string
			for _, x := range vs {
				if x = strings.TrimSpace(strings.ReplaceAll(x, "\r\n", "\n")); x != "" {
					kept = append(kept, x)
				}
			}
			if len(kept) > 0 && !(strings.HasSuffix(name, ".calendar") && v.Get(strings.TrimSuffix(name, ".calendar")+".value") == "") {
				out[name] = strings.Join(kept, "\x00")
			}
		}
		return out
	}
	x, y := collect(a), collect(b)
	if len(x) != len(y) {
		return false
	}
	for name, val := range x {
		if y[name] != val {
			return false
		}
	}
	return true
}
