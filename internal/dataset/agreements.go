package dataset

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/twin"
)

// isfahanQ is the city whose municipality's own table decides its agreements.
const isfahanQ = "Q42053"

// pair is an unordered city pair while the builder collects what the sources say of it.
type pair struct {
	a, b     *place // a.idx < b.idx
	datasets map[string]bool
	// dir holds, per directed dataset, whether a lists b ([0]) and b lists a ([1]).
	dir     map[string]*[2]bool
	isfahan *isfahanRow
}

// pairSet collects pairs by their two places.
type pairSet map[[2]*place]*pair

// add records that ds lists the pair (from, to), in that direction when directed.
func (s pairSet) add(from, to *place, ds string, directed bool) *pair {
	a, b, fwd := from, to, 0
	if b.idx < a.idx {
		a, b, fwd = b, a, 1
	}
	pr := s[[2]*place{a, b}]
	if pr == nil {
		pr = &pair{a: a, b: b, datasets: map[string]bool{}, dir: map[string]*[2]bool{}}
		s[[2]*place{a, b}] = pr
	}
	pr.datasets[ds] = true
	if directed {
		if pr.dir[ds] == nil {
			pr.dir[ds] = &[2]bool{}
		}
		pr.dir[ds][fwd] = true
	}
	return pr
}

// sorted returns the pairs ordered by their cities' ids.
func (s pairSet) sorted() []*pair {
	out := slices.Collect(maps.Values(s))
	slices.SortFunc(out, func(x, y *pair) int {
		lx, hx := min(x.a.id, x.b.id), max(x.a.id, x.b.id)
		ly, hy := min(y.a.id, y.b.id), max(y.a.id, y.b.id)
		if lx != ly {
			return int(lx - ly)
		}
		return int(hx - hy)
	})
	return out
}

// agreement turns a pair into its record. subjects21 holds the items the 2021 query looked up,
// so a missing reverse statement there means something only when both ends were looked up.
func (pr *pair) agreement(id int64, subjects21 map[string]bool, refs map[string]sourceRef) (twin.Agreement, error) {
	x, y := pr.a, pr.b
	if y.id < x.id {
		x, y = y, x
	}
	ag := twin.Agreement{
		Meta:    twin.Meta{ID: id, Version: 1},
		Cities:  []string{ref(x), ref(y)},
		CityIDs: []int64{x.id, y.id},
		Kind:    twin.KindSister,
		Status:  twin.StatusSigned,
		Sources: sourcesOf(pr.datasets),
	}
	for _, p := range []*place{x, y} {
		if p.ambiguous == "" {
			continue
		}
		// The list names a town it cannot be told which: its claim is kept as it stands.
		for _, ds := range []string{dsWikipedia, dsEU2017} {
			if pr.datasets[ds] {
				ag.Claims = append(ag.Claims, twin.Claim{Source: datasetSources[ds], Status: twin.StatusSigned, Note: p.names.Pick() + ": " + p.ambiguous})
			}
		}
	}
	for _, ds := range []string{dsWikidata2016, dsWikidata2021} {
		d := pr.dir[ds]
		if d == nil || d[0] == d[1] {
			continue
		}
		from, to := pr.a, pr.b
		if d[1] {
			from, to = to, from
		}
		if ds == dsWikidata2021 && !subjects21[to.qid] {
			continue // the query never looked at to's own statements
		}
		ag.Claims = append(ag.Claims, twin.Claim{Source: datasetSources[ds], Status: twin.StatusSigned, OneSided: true,
			Note: fmt.Sprintf("%s lists %s under P190; %s does not list %s", from.qid, to.qid, to.qid, from.qid)})
	}
	if pr.a.qid == isfahanQ || pr.b.qid == isfahanQ {
		if err := pr.isfahanClaims(&ag, refs); err != nil {
			return ag, err
		}
	}
	return ag, nil
}

// ref is how an agreement names a city: its Wikidata id, else its internal id.
func ref(p *place) string {
	if p.qid != "" {
		return p.qid
	}
	return fmt.Sprint(p.id)
}

// isfahanClaims applies the municipality's table to an Isfahan pair. The municipality is the
// authority on its own agreements: its 13 official partners and Samarkand are signed with the
// dates it gives; Porto and Hyderabad are proposed (planned in 2021) even where a registry
// lists them as twinned. A pair only the registries list keeps the status they claim, with one
// claim per registry, a claim from the municipality's page saying its list omits the city,
// and a note calling the pair contested.
func (pr *pair) isfahanClaims(ag *twin.Agreement, refs map[string]sourceRef) error {
	r := pr.isfahan
	registryClaims := func(note string) {
		for _, ds := range registries {
			if pr.datasets[ds] {
				ag.Claims = append(ag.Claims, twin.Claim{Source: datasetSources[ds], Status: twin.StatusSigned, Note: note})
			}
		}
	}
	var official bool
	if r != nil && len(r.sources) > 0 {
		// The table's own references replace the dataset's generic entry: one source, as
		// for every other dataset, citing each reference once.
		ag.Sources = slices.DeleteFunc(ag.Sources, func(s twin.Source) bool { return s.Dataset == dsIsfahan })
		if s, ok := municipalSource(r.sources, refs); ok {
			ag.Sources = append(ag.Sources, s)
		}
	}
	if r != nil {
		switch r.status {
		case "official-13", "signed-2021":
			official = true
			d, err := calendar.Parse(calendar.Gregorian, r.date)
			if err != nil {
				return fmt.Errorf("isfahan: %s: %w", r.partnerEN, err)
			}
			ag.Signed = &d
		case "announced-2021", "planned-2021 / Wikidata-2016":
			official = true
			ag.Status = twin.StatusProposed
			for _, s := range municipalSources(r.sources, refs) {
				ag.Claims = append(ag.Claims, twin.Claim{Source: s, Status: twin.StatusProposed,
					Note: "planned: the municipality announced the agreement in 2021"})
			}
			registryClaims("listed as twinned")
			ag.Notes = twin.Names{
				"en": "Planned (2021) according to the municipality of Isfahan; registries list it as twinned.",
				"fa": "به گفتهٔ شهرداری اصفهان در دست امضا (۱۴۰۰)؛ فهرست‌های جهانی آن را خواهرخوانده می‌دانند.",
			}
		}
	}
	if official {
		return nil
	}
	registryClaims("listed as twinned")
	s := municipalSources([]string{"S4"}, refs)
	if len(s) == 0 {
		s = []twin.Source{datasetSources[dsIsfahan]}
	}
	ag.Claims = append(ag.Claims, twin.Claim{Source: s[0],
		Note: "the municipality's list of Isfahan's sister cities (13, and Samarkand in 2021) does not include this city"})
	ag.Notes = twin.Names{
		"en": "Contested: listed only by Wikipedia or Wikidata; the municipality of Isfahan does not list it.",
		"fa": "مورد تردید: فقط در ویکی‌پدیا یا ویکی‌داده آمده است و در فهرست شهرداری اصفهان نیست.",
	}
	return nil
}

// municipalSource is the one source of the Isfahan table for a row citing keys (S1..S4):
// the first reference, the municipality's own page (S4) when the row cites it, with every
// cited reference named once in the note ("S1 https://…; S2 https://…").
func municipalSource(keys []string, refs map[string]sourceRef) (twin.Source, bool) {
	keys = slices.Compact(slices.Sorted(slices.Values(keys)))
	ss := municipalSources(keys, refs)
	if len(ss) == 0 {
		return twin.Source{}, false
	}
	first := ss[0]
	if i := slices.IndexFunc(ss, func(s twin.Source) bool { return s.Note == "S4" }); i >= 0 {
		first = ss[i]
	}
	out := twin.Source{Dataset: dsIsfahan, Version: datasetSources[dsIsfahan].Version, URL: first.URL, Title: first.Title, Date: first.Date}
	var notes []string
	for _, s := range ss {
		notes = append(notes, s.Note+" "+s.URL)
	}
	out.Note = strings.Join(notes, "; ")
	return out, true
}

// municipalSources turns S1..S4 into sources.
func municipalSources(keys []string, refs map[string]sourceRef) []twin.Source {
	var out []twin.Source
	for _, k := range keys {
		if r, ok := refs[k]; ok {
			out = append(out, twin.Source{Dataset: dsIsfahan, URL: r.url, Title: r.title, Date: r.date, Note: k})
		}
	}
	return out
}

// disagrees reports whether an agreement's claims differ on status or signing date.
func disagrees(ag *twin.Agreement) bool {
	seen := map[string]bool{}
	for _, c := range ag.Claims {
		if c.OneSided {
			continue
		}
		k := c.Status
		if c.Signed != nil {
			k += "@" + c.Signed.Value
		}
		seen[k] = true
	}
	return len(seen) > 1
}
