package exchange

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"sort"

	"github.com/twinning/twinning/internal/twin"
)

// Merging follows one rule: the registry wins. A value the registry lacks is taken from the
// file; lists gain the file's elements they do not have; names gain the languages they lack;
// a value both have and disagree on stays as the registry has it (for an agreement's status
// and dates the file's value is kept as a twin.Claim citing the file). Dates are atomic.
// Fields that identify a record or are derived from others are never merged.

// skipKeys are the fields merge leaves alone, per record type.
var skipKeys = map[string][]string{
	"":              {"id", "version", "created", "updated"},
	TypeAgreement:   {"cities", "city_ids", "vitality"},
	TypeInstitution: {"city", "city_id"},
	TypeLink:        {"institutions"},
}

// merge merges incoming into a copy of existing and reports whether the result differs and
// which top-level fields changed. Both must be pointers to records of type typ.
func merge[T any](typ string, existing, incoming *T) (out *T, changed []string, err error) {
	em, err := toMap(stripped(existing))
	if err != nil {
		return nil, nil, err
	}
	im, err := toMap(stripped(incoming))
	if err != nil {
		return nil, nil, err
	}
	skip := append(slices.Clone(skipKeys[""]), skipKeys[typ]...)
	for k, iv := range im {
		if slices.Contains(skip, k) {
			continue
		}
		ev, had := em[k]
		nv := mergeValue(ev, iv)
		if !had || !reflect.DeepEqual(ev, nv) {
			em[k] = nv
			changed = append(changed, k)
		}
	}
	sort.Strings(changed)
	out = new(T)
	b, err := json.Marshal(em)
	if err != nil {
		return nil, nil, err
	}
	if err := json.Unmarshal(b, out); err != nil {
		return nil, nil, err
	}
	m := any(out).(twin.Record).GetMeta()
	*m = *any(existing).(twin.Record).GetMeta()
	return out, changed, nil
}

func toMap(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]any
	return m, d.Decode(&m)
}

func mergeValue(ev, iv any) any {
	if empty(ev) {
		return iv
	}
	switch e := ev.(type) {
	case map[string]any:
		i, ok := iv.(map[string]any)
		if !ok || isDate(e) || isDate(i) {
			return ev
		}
		out := make(map[string]any, len(e))
		for k, v := range e {
			out[k] = v
		}
		for k, v := range i {
			out[k] = mergeValue(out[k], v)
		}
		return out
	case []any:
		i, ok := iv.([]any)
		if !ok {
			return ev
		}
		out := slices.Clone(e)
		for _, v := range i {
			if !slices.ContainsFunc(out, func(x any) bool { return sameElem(x, v) }) {
				out = append(out, v)
			}
		}
		return out
	}
	return ev
}

// sameElem compares list elements: equal values, or two sources (or outputs) with one URL.
func sameElem(x, v any) bool {
	if reflect.DeepEqual(x, v) {
		return true
	}
	xm, ok1 := x.(map[string]any)
	vm, ok2 := v.(map[string]any)
	if !ok1 || !ok2 {
		return false
	}
	xu, _ := xm["url"].(string)
	vu, _ := vm["url"].(string)
	return xu != "" && xu == vu
}

func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case json.Number:
		return x == "0"
	case bool:
		return !x
	case map[string]any:
		return len(x) == 0
	case []any:
		return len(x) == 0
	}
	return false
}

func isDate(m map[string]any) bool {
	_, c := m["calendar"]
	_, v := m["value"]
	return c || v
}

// stripped returns a copy of rec without the fields the store derives from others, so that
// a record read from the registry and one read from a file compare by what they say.
func stripped[T any](rec *T) *T {
	c := *rec
	switch r := any(&c).(type) {
	case *twin.Agreement:
		r.CityIDs, r.Vitality = nil, nil
	case *twin.Institution:
		r.CityID = 0
	case *twin.Network:
		r.Members = slices.Clone(r.Members)
		for i := range r.Members {
			r.Members[i].CityID = 0
		}
	}
	return &c
}

// sameRecord reports whether two records say the same, derived fields aside.
func sameRecord[T any](a, b *T) bool { return twin.SameJSON(stripped(a), stripped(b)) }

// mergeAgreement merges incoming into existing as merge does, first settling the file's
// status and dates. A status the registry does not have is kept as a claim citing src. A date
// is compared by the days it covers: a date the registry lacks is taken (unless it would put
// the dates out of order: then it is a claim); one that covers the registry's (the same, or
// less precise) adds nothing; a more precise one inside the registry's interval refines it
// (1400-04-30 refines 2021-07), unless that would put the dates out of order; any other is a
// disagreement, kept as a claim.
func mergeAgreement(existing, incoming *twin.Agreement, src twin.Source) (*twin.Agreement, []string, error) {
	if agreementAddsNothing(existing, incoming) {
		return existing, nil, nil
	}
	inc := *incoming
	inc.Claims = slices.Clone(incoming.Claims)
	claim := func(c twin.Claim) {
		c.Source = src
		for _, x := range append(existing.Claims, inc.Claims...) {
			if sameClaim(x, c) {
				return
			}
		}
		inc.Claims = append(inc.Claims, c)
	}
	if inc.Status != "" && inc.Status != existing.Status {
		claim(twin.Claim{Status: inc.Status})
	}
	inc.Status = ""
	base := *existing
	var refined []string
	for _, d := range []struct {
		name     string
		ex, in   *twin.PartialDate
		inDst    **twin.PartialDate
		baseDst  **twin.PartialDate
		outOfOrd bool
	}{
		{"signed", existing.Signed, inc.Signed, &inc.Signed, &base.Signed, existing.Signed == nil && inc.Signed != nil && (before(inc.Signed, existing.Proposed) || before(existing.Ended, inc.Signed))},
		{"proposed", existing.Proposed, inc.Proposed, &inc.Proposed, &base.Proposed, existing.Proposed == nil && inc.Proposed != nil && before(orDate(existing.Signed, inc.Signed), inc.Proposed)},
		{"ended", existing.Ended, inc.Ended, &inc.Ended, &base.Ended, existing.Ended == nil && inc.Ended != nil && before(inc.Ended, orDate(existing.Signed, inc.Signed))},
	} {
		if d.in == nil {
			continue
		}
		disagree := d.outOfOrd
		if d.ex != nil {
			*d.inDst = nil
			switch {
			case covers(d.in, d.ex):
				// The registry says as much or more.
			case covers(d.ex, d.in) && inOrder(base.Proposed, base.Signed, base.Ended, d.name, d.in):
				*d.baseDst = d.in
				refined = append(refined, d.name)
			default:
				disagree = true
			}
		} else if d.outOfOrd {
			*d.inDst = nil
		}
		switch {
		case !disagree:
		case d.name == "signed" && !d.outOfOrd:
			claim(twin.Claim{Signed: d.in})
		default:
			claim(twin.Claim{Note: d.name + " " + d.in.Value + " (" + string(d.in.Calendar) + ")"})
		}
	}
	out, changed, err := merge(TypeAgreement, &base, &inc)
	if err != nil || len(refined) == 0 {
		return out, changed, err
	}
	changed = appendAll(changed, refined)
	sort.Strings(changed)
	return out, changed, nil
}

// covers reports whether date a covers every day of b.
func covers(a, b *twin.PartialDate) bool {
	return a.Start != "" && b.Start != "" && a.Start <= b.Start && b.End <= a.End
}

// inOrder reports whether the dates stay in order (proposed, signed, ended) when the one
// named name becomes d.
func inOrder(proposed, signed, ended *twin.PartialDate, name string, d *twin.PartialDate) bool {
	switch name {
	case "proposed":
		proposed = d
	case "signed":
		signed = d
	case "ended":
		ended = d
	}
	return !before(signed, proposed) && !before(ended, signed) && !before(ended, proposed)
}

// before reports whether completed date a ends before b starts (false when either is nil).
func before(a, b *twin.PartialDate) bool {
	return a != nil && b != nil && a.End != "" && b.Start != "" && a.End < b.Start
}

func orDate(a, b *twin.PartialDate) *twin.PartialDate {
	if a != nil {
		return a
	}
	return b
}

// sameClaim compares claims by what they say and which file says it, not by the row.
func sameClaim(a, b twin.Claim) bool {
	a.Source.Note, b.Source.Note = "", ""
	return reflect.DeepEqual(a, b)
}

// agreementAddsNothing is mergeAgreement's answer, quickly, for the common case of a file
// that says nothing new about an agreement: no other status, no date the registry lacks,
// contradicts or could refine, no new domain, source or note, nothing else.
func agreementAddsNothing(ex, in *twin.Agreement) bool {
	if in.Status != "" && in.Status != ex.Status || in.Kind != "" && ex.Kind == "" ||
		len(in.Claims)+len(in.Parties)+len(in.Commitments)+len(in.Documents)+len(in.Title) > 0 {
		return false
	}
	for _, d := range [][2]*twin.PartialDate{{ex.Signed, in.Signed}, {ex.Proposed, in.Proposed}, {ex.Ended, in.Ended}} {
		if d[1] != nil && (d[0] == nil || !covers(d[1], d[0])) {
			return false
		}
	}
	for _, dom := range in.Domains {
		if !slices.Contains(ex.Domains, dom) {
			return false
		}
	}
	for l := range in.Notes {
		if ex.Notes[l] == "" {
			return false
		}
	}
	return sourcesIn(in.Sources, ex.Sources)
}
