package ui

import (
	"context"
	"github.com/twinning/twinning/internal/httpx"
	"net/url"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/persian"
	"github.com/twinning/twinning/internal/twin"
)

// An activity's direction is stored relative to the order of its agreement's two cities
// (a_to_b, b_to_a, both); readers see it with the cities named: «اصفهان ← سمرقند»,
// "Isfahan → Samarkand". The arrow follows the reading direction of the page.

// isolate wraps a name in Unicode's first-strong isolate, so that a Latin name on a Persian
// page (or the reverse) does not reorder the arrow around it.
func isolate(s string) string { return "\u2068" + s + "\u2069" }

// directionText names the direction dir between cities a and b (the agreement's order) in
// lang; without both names it falls back to the catalog's words.
func directionText(dir string, a, b twin.Names, lang string) string {
	an, bn := a.Pick(lang), b.Pick(lang)
	if an == "" || bn == "" {
		return i18n.T(lang, "direction."+dir, nil)
	}
	arrow := directionArrow(lang)
	switch dir {
	case "a_to_b":
		return isolate(an) + arrow + isolate(bn)
	case "b_to_a":
		return isolate(bn) + arrow + isolate(an)
	case "both":
		return isolate(an) + " ↔ " + isolate(bn) + " (" + i18n.T(lang, "direction.both", nil) + ")"
	}
	return i18n.T(lang, "direction."+dir, nil)
}

// directionArrow points from the first city named to the second in lang's reading direction.
func directionArrow(lang string) string {
	if i18n.Dir(lang) == "rtl" {
		return " ← "
	}
	return " → "
}

// checkDirection asks again for a direction chosen while the form could not name the
// agreement's cities ("from the first city to the second"), or named another agreement's:
// the editor may have meant it the other way round (an Isfahan → Samarkand exhibition was
// recorded backwards so). The form comes back with the choices named by the cities of the
// agreement now given. "Both ways" needs no names.
func checkDirection(v url.Values, out map[string]any, p twin.Problems) {
	d := v.Get("direction")
	ag, ok := out["agreement"].(int64)
	if (d != "a_to_b" && d != "b_to_a") || !ok {
		return
	}
	if strings.TrimSpace(v.Get("direction#for")) == strconv.FormatInt(ag, 10) {
		return
	}
	delete(out, "direction")
	v.Set("direction", "")
	p.Add("direction", "direction_unnamed", nil)
}

// agreementNames returns the names of an agreement's two cities in its order, when the form
// value names an agreement of two cities (ok is false otherwise); err is a read that failed.
func (s *Pages) agreementNames(ctx context.Context, v string) (a, b twin.Names, ok bool, err error) {
	id, perr := strconv.ParseInt(persian.PlainNumber(v), 10, 64)
	if perr != nil || id <= 0 {
		return nil, nil, false, nil
	}
	ag, err := s.db.Agreements.Get(ctx, id)
	if err != nil || len(ag.Cities) != 2 {
		return nil, nil, false, httpx.UnlessMissing(err)
	}
	ca, err := s.db.City(ctx, ag.Cities[0])
	if err != nil {
		return nil, nil, false, httpx.UnlessMissing(err)
	}
	cb, err := s.db.City(ctx, ag.Cities[1])
	if err != nil {
		return nil, nil, false, httpx.UnlessMissing(err)
	}
	return ca.Names, cb.Names, true, nil
}
