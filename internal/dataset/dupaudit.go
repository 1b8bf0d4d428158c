package dataset

import (
	"cmp"
	"maps"
	"slices"
	"strings"
)

// The audit of duplicates left after the build (STATS.md, "Duplicates left"): each class the
// builder merges is looked for again among the cities it keeps, and every pair found is
// counted with the reason it stays two records. A pair with no reason is whyDupNone, which
// TestBuildQualityGoals forbids.
const (
	dupLeftListCopy = "one partner twinned with two records of one name in one country, one of them known only from the lists"

	whyDupTwinned   = "Wikidata twins the two with each other"
	whyDupRegion    = "a county, district, province or canton beside the town of its name"
	whyDupSeveral   = "several newer items of its name share its partners: which one is not known"
	whyDupListName  = "it shares a partner with the newer item only through a list, and several towns of its country bear the name"
	whyDupQualified = "two towns the lists tell apart by their qualifiers (\"Córdoba, Bolívar\" and \"Córdoba, Nariño\")"
	whyDupFarQual   = "a qualified name geocoded with its qualifier far from the other record: another town (\"St. Cloud, Florida\")"
	whyDupTwoEU     = "two coordinates of the EU list (two Wikidata items the list twins with one partner)"
	whyDupNone      = "none recorded"
)

// dupLeft is one pair of records of a duplicate class left apart, and why.
type dupLeft struct {
	Class, Reason string
	A, B          string
}

// auditDuplicates looks, among the places the bundle keeps, for the duplicates of each class
// mergeDuplicates, deferToListedTown and sameTownTwice deal with, and records why each stays.
// listAdj holds the pairs of the lists as placed.
func (w *world) auditDuplicates(keep func(*place) bool, listAdj map[*place]map[*place]bool, ct *countryTable, st *Stats) {
	add := func(class, reason string, a, b *place) {
		st.DupLeft = append(st.DupLeft, dupLeft{Class: class, Reason: reason, A: a.label() + " (" + cmp.Or(a.qid, a.country) + ")", B: b.label() + " (" + cmp.Or(b.qid, b.country) + ")"})
	}
	var live []*place
	for _, p := range w.places {
		if !p.dead && keep(p) {
			live = append(live, p)
		}
	}
	// 1. One name within mergeKM, in one country or a sovereign's and its territory's.
	byKey := map[string][]*place{}
	for _, p := range live {
		if !p.at.ok || p.country == "" {
			continue
		}
		for k := range p.mergeKeys() {
			byKey[k] = append(byKey[k], p)
		}
	}
	seen := map[[2]*place]bool{}
	for _, k := range slices.Sorted(maps.Keys(byKey)) {
		ps := byKey[k]
		for i, a := range ps {
			for _, b := range ps[i+1:] {
				if seen[pairKeyOf(a, b)] || km(a.at, b.at) >= mergeKM || (a.country != b.country && !related(a.country, b.country)) {
					continue
				}
				seen[pairKeyOf(a, b)] = true
				class := dupSameCountry
				if a.country != b.country {
					class = dupTerritory
				}
				switch {
				case w.wikiAdj[a][b]:
					add(class, whyDupTwinned, a, b)
				case isRegion(a) != isRegion(b):
					add(class, whyDupRegion, a, b)
				default:
					add(class, whyDupNone, a, b)
				}
			}
		}
	}
	// 2. Items only the 2016 crawl knows, beside a newer item of their name sharing a partner.
	for _, p := range live {
		if p.qid == "" || p.datasets[dsWikidata2021] || p.datasets[dsWikidata2022] || p.datasets[dsNaturalEarth] || p.datasets[dsIsfahan] {
			continue
		}
		labels := p.aliasList()
		for _, lang := range slices.Sorted(maps.Keys(p.names)) {
			labels = append(labels, p.names[lang])
		}
		if slices.ContainsFunc(labels, func(l string) bool { _, ok := ct.byKey[nameKey(l)]; return ok }) {
			continue
		}
		core := coreNames(labels)
		if found := w.newerItems(p, core, w.wikiAdj, false); len(found) > 0 {
			reason := whyDupNone
			if len(found) > 1 {
				reason = whyDupSeveral
			}
			add(dupOld2016, reason, p, found[0])
			continue
		}
		if found := w.newerItems(p, core, listAdj, false); len(found) > 0 {
			reason := whyDupNone
			if len(w.newerItems(p, core, listAdj, true)) != 1 {
				reason = whyDupListName
			}
			add(dupOld2016, reason, p, found[0])
		}
	}
	// 3. A partner twinned with two records of one name in one country, one list-only.
	partners := map[*place][]*place{}
	for a, bs := range listAdj {
		for b := range bs {
			partners[a] = append(partners[a], b)
		}
	}
	for a, bs := range w.wikiAdj {
		for b := range bs {
			if !slices.Contains(partners[a], b) {
				partners[a] = append(partners[a], b)
			}
		}
	}
	seen = map[[2]*place]bool{}
	for _, b := range live {
		ps := slices.Clone(partners[b])
		slices.SortFunc(ps, func(x, y *place) int { return x.idx - y.idx })
		for i, x := range ps {
			for _, y := range ps[i+1:] {
				if x.dead || y.dead || x == y || x.country == "" || x.country != y.country || !(listOnly(x) || listOnly(y)) || seen[pairKeyOf(x, y)] {
					continue
				}
				qual, ok := oneBase(x, y)
				if !ok {
					continue
				}
				seen[pairKeyOf(x, y)] = true
				far := x.at.ok && y.at.ok && km(x.at, y.at) > sameCityKM
				switch {
				case w.wikiAdj[x][y]:
					add(dupLeftListCopy, whyDupTwinned, x, y)
				case isRegion(x) != isRegion(y):
					add(dupLeftListCopy, whyDupRegion, x, y)
				case qual == "two":
					add(dupLeftListCopy, whyDupQualified, x, y)
				case far && qual == "one":
					add(dupLeftListCopy, whyDupFarQual, x, y)
				case far && x.datasets[dsEU2017] && y.datasets[dsEU2017]:
					add(dupLeftListCopy, whyDupTwoEU, x, y)
				default:
					add(dupLeftListCopy, whyDupNone, x, y)
				}
			}
		}
	}
	slices.SortFunc(st.DupLeft, func(a, b dupLeft) int {
		return cmp.Or(strings.Compare(a.Class, b.Class), strings.Compare(a.Reason, b.Reason), strings.Compare(a.A, b.A), strings.Compare(a.B, b.B))
	})
}

// oneBase reports whether x and y carry one town's name once qualifiers are set aside (the
// names the lists write in English, as sameTownTwice reads them), and how the qualifiers
// stand: "" when neither is qualified or they agree, "one" when one is, "two" when they
// differ ("Córdoba, Bolívar" and "Córdoba, Nariño").
func oneBase(x, y *place) (string, bool) {
	best, found := "two", false
	for _, a := range x.listNames() {
		for _, b := range y.listNames() {
			ba, qa := nameParts(a)
			bb, qb := nameParts(b)
			if k := nameKey(ba); k == "" || k != nameKey(bb) {
				continue
			}
			found = true
			ka, kb := nameKey(qa), nameKey(qb)
			switch {
			case ka == kb || (ka != "" && kb != "" && (strings.HasPrefix(ka, kb) || strings.HasPrefix(kb, ka))):
				return "", true
			case ka == "" || kb == "":
				best = "one"
			}
		}
	}
	return best, found
}
