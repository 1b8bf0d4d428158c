package intel

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/twin"
)

// Namesake is a city offered to a reader among others, by the name the reader sees.
type Namesake struct {
	ID      int64
	Ref     string // its Wikidata id, else its id: the last thing that tells two apart
	Title   string // its name in the reader's language
	Country string // its country's code; empty for the one the facts hold
}

// Tell is what tells a city apart from the others offered under the same name, in the
// reader's language.
type Tell struct {
	// Country is its country's name.
	Country string
	// Apart tells it from the namesakes in its own country: the partners it is best known by
	// ("partner of Tai'an, Kilkenny"), else its population, else its coordinates; empty when
	// no namesake shares its country.
	Apart string
}

// Text is the whole of it, for a list that does not show the country already: «ایالات
// متحده؛ خواهرخواندهٔ تای‌آن، کیلکنی», "United States · partner of Tai'an, Kilkenny".
func (t Tell) Text(lang string) string {
	switch {
	case t.Apart == "":
		return t.Country
	case t.Country == "":
		return t.Apart
	}
	return i18n.T(lang, "namesake.with_country", map[string]any{"country": t.Country, "apart": t.Apart})
}

// TellApart says, in lang, what tells each city of cs that shares its title with another of
// cs from those: its country, and within a country its two partners of highest degree named
// in lang, else its population, else its coordinates (and, should those still agree, its ref). Cities with
// a name of their own get nothing. The partners' names are read in one query, everything else
// is in memory; a nil Intel tells nothing.
func (in *Intel) TellApart(ctx context.Context, cs []Namesake, lang string) (map[int64]Tell, error) {
	if in == nil {
		return nil, nil
	}
	groups := map[string][]Namesake{}
	for _, c := range cs {
		t := strings.TrimSpace(c.Title)
		groups[t] = append(groups[t], c)
	}
	in.mu.RLock()
	facts, countries := in.facts, in.countries
	in.mu.RUnlock()
	country := func(c Namesake) string {
		if c.Country != "" {
			return c.Country
		}
		return facts[c.ID].Country
	}
	// The namesakes in one country, which the country does not tell apart.
	var same [][]Namesake
	out := map[int64]Tell{}
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		byCountry := map[string][]Namesake{}
		for _, c := range g {
			code := country(c)
			name := countries[code].Pick(lang)
			if name == "" {
				name = code
			}
			out[c.ID] = Tell{Country: name}
			byCountry[code] = append(byCountry[code], c)
		}
		for _, sg := range byCountry {
			if len(sg) > 1 {
				same = append(same, sg)
			}
		}
	}
	if len(same) == 0 {
		return out, nil
	}
	// Each one's partners best known first (most partners of their own), their names read at
	// once: the first two named in the reader's language are said.
	gr := in.g.Snapshot()
	partners := map[int64][]int64{}
	var ids []int64
	for _, sg := range same {
		for _, c := range sg {
			ns := gr.Neighbors(c.ID)
			slices.SortStableFunc(ns, func(a, b int64) int { return cmp.Compare(gr.Degree(b), gr.Degree(a)) })
			ns = ns[:min(len(ns), maxPartnersRead)]
			partners[c.ID] = ns
			ids = append(ids, ns...)
		}
	}
	names, err := in.db.CityNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, sg := range same {
		// What can be said of each, in order; the first is said, and more while two agree.
		parts := make([][]string, len(sg))
		for i, c := range sg {
			var pn []string
			for _, id := range partners[c.ID] {
				if n := names[id].Names; len(pn) < 2 && namedIn(n, lang) {
					pn = append(pn, n.Pick(lang))
				}
			}
			if len(pn) > 0 {
				parts[i] = append(parts[i], i18n.N(lang, "namesake.partners", float64(len(pn)), map[string]any{"names": strings.Join(pn, i18n.ListSep(lang))}))
			}
			f, ok := facts[c.ID]
			if ok && f.Population > 0 {
				parts[i] = append(parts[i], i18n.T(lang, "namesake.population", map[string]any{"n": i18n.Number(lang, f.Population)}))
			}
			if ok && f.HasCoord {
				parts[i] = append(parts[i], coordText(f.Lat, f.Lon, lang))
			}
			parts[i] = append(parts[i], i18n.T(lang, "namesake.ref", map[string]any{"ref": c.Ref}))
		}
		said := make([]int, len(sg)) // how many parts of each are said
		text := func(i int) string { return strings.Join(parts[i][:said[i]], i18n.ListSep(lang)) }
		for i := range sg {
			said[i] = 1
		}
		for more := true; more; {
			more = false
			seen := map[string][]int{}
			for i := range sg {
				seen[text(i)] = append(seen[text(i)], i)
			}
			for _, is := range seen {
				if len(is) < 2 {
					continue
				}
				for _, i := range is {
					if said[i] < len(parts[i]) {
						said[i]++
						more = true
					}
				}
			}
		}
		for i, c := range sg {
			t := out[c.ID]
			t.Apart = text(i)
			out[c.ID] = t
		}
	}
	return out, nil
}

// maxPartnersRead bounds the partners of a namesake whose names are read, best known first,
// to find two named in the reader's language.
const maxPartnersRead = 8

// namedIn reports whether n holds a name in lang (for Persian, a rendering in Persian script
// counts): a partner said by its English name on a Russian page would be another language's
// text.
func namedIn(n twin.Names, lang string) bool {
	return n[lang] != "" || (lang == "fa" && n[twin.LangFATranslit] != "")
}

// coordText is a place's coordinates to a hundredth of a degree in lang: "39.80° N, 89.65° W",
// «۳۹٫۸۰° شمالی، ۸۹٫۶۵° غربی».
func coordText(lat, lon float64, lang string) string {
	deg := func(v float64, pos, neg string) string {
		key := pos
		if v < 0 {
			key = neg
		}
		s := strconv.FormatFloat(math.Abs(v), 'f', 2, 64)
		switch strings.SplitN(lang, "-", 2)[0] {
		case "fa", "ar", "ps", "ur":
			s = strings.Replace(s, ".", "٫", 1)
		case "ru", "uz", "tg":
			s = strings.Replace(s, ".", ",", 1)
		}
		return i18n.T(lang, key, map[string]any{"v": s})
	}
	return deg(lat, "namesake.lat_n", "namesake.lat_s") + i18n.ListSep(lang) + deg(lon, "namesake.lon_e", "namesake.lon_w")
}
