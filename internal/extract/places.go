package extract

import (
	"sort"
	"unicode/utf8"

	"github.com/twinning/twinning/internal/persian"
)

// mention is one recognised location mention.
type mention struct {
	a, b    int // word range (the name itself)
	ea      int // first word of the evidence span (a cue word such as «استان» may be included)
	kind    int // mCity, mCountry, mPlace
	city    int // index into ex.cities
	country string
	place   int // index into ex.places
	conf    float64
	inOrg   bool // inside an organisation's name the tagger found
	isLoc   bool // the tagger reads exactly these words as a place
	doubt   bool // the tagger reads no name here
}

const (
	mCity = iota
	mCountry
	mPlace
)

type regionInfo struct {
	kind, country, name string
}

var regionIndex = func() map[string]regionInfo {
	m := map[string]regionInfo{}
	for _, r := range append(regions, worldPlaces...) {
		for _, n := range r.names {
			m[persian.NameKey(n)] = regionInfo{r.kind, r.country, r.names[0]}
		}
	}
	return m
}()

// maxWindow is the longest name, in words, looked up.
const maxWindow = 4

// findPlaces scans the document for countries, places and cities, preferring
// longer matches, and returns mentions in text order.
func (ex *extractor) findPlaces() {
	d := ex.d
	buf := make([]byte, 0, 64)
	if ex.bundle != nil {
		ex.gazHits = make([]uint32, len(d.words))
	}
	// Pass 1: countries and regions, so that city homonyms can be resolved by
	// the countries the text names.
	var cands []cityCand
	var hs [maxWindow + 1]uint64
	for i := 0; i < len(d.words); {
		best := 0
		var bestM mention
		var bestCity []cityEntry
		// the hashes of the windows' keys, for the gazetteer's filter
		h := uint64(14695981039346656037)
		for n := 1; n <= maxWindow && i+n <= len(d.words); n++ {
			k := d.words[i+n-1].key
			for j := 0; j < len(k); j++ {
				h ^= uint64(k[j])
				h *= 1099511628211
			}
			hs[n] = h
		}
		for n := maxWindow; n >= 1 && best == 0; n-- {
			if i+n > len(d.words) || !d.connected(i, i+n) {
				continue
			}
			if d.words[i+n-1].sent != d.words[i].sent {
				continue
			}
			if ex.bundle != nil && !ex.bundle.mayHold(hs[n]) {
				continue // most windows name nothing
			}
			buf = buf[:0]
			for k := i; k < i+n; k++ {
				buf = append(buf, d.words[k].key...)
			}
			if ex.bundle != nil {
				// Look up without allocating a key.
				c := ex.bundle.keyClass(string(buf))
				if c == 0 {
					continue
				}
				if ex.gazHits[i] == 0 {
					ex.gazHits[i] = uint32(n)<<16 | uint32(c)
				}
			}
			key := string(buf)
			if !ex.nameShaped(i, i+n) {
				continue
			}
			if code, ok := ex.country(key, i, i+n); ok {
				best, bestM = n, mention{a: i, b: i + n, ea: i, kind: mCountry, country: code, conf: 0.9}
				break
			}
			if r, ok := regionIndex[key]; ok {
				best, bestM = n, mention{a: i, b: i + n, ea: i, kind: mPlace, place: ex.placeIndex(r), conf: 0.8}
				break
			}
			if list := ex.cityEntries(key, i, i+n); len(list) > 0 {
				best, bestCity = n, list
				bestM = mention{a: i, b: i + n, ea: i, kind: mCity}
				break
			}
		}
		if best == 0 {
			i++
			continue
		}
		if bestM.kind == mCity {
			cands = append(cands, cityCand{m: bestM, list: bestCity})
		} else {
			ex.addCueSpan(&bestM)
			ex.mentions = append(ex.mentions, bestM)
			if bestM.kind == mCountry {
				ex.countrySents[bestM.country] = append(ex.countrySents[bestM.country], d.words[i].sent)
			}
		}
		i += best
	}
	// Pass 2: resolve cities.
	for _, c := range cands {
		m := c.m
		idx, conf, alts := ex.resolveCity(c)
		if idx < 0 {
			continue
		}
		m.city, m.conf = idx, conf
		ex.addCueSpan(&m)
		ex.cityAlts[idx] = appendNewStr(ex.cityAlts[idx], alts...)
		ex.mentions = append(ex.mentions, m)
	}
	sortMentions(ex.mentions)
}

type cityEntry struct {
	c   gazCity
	cls uint8
}

type cityCand struct {
	m    mention
	list []cityEntry
}

// nameShaped applies the script-specific guards to a candidate window.
func (ex *extractor) nameShaped(a, b int) bool {
	d := ex.d
	w := d.words[a]
	if w.digits {
		return false
	}
	if w.latin {
		// English: every word capitalised except inner particles.
		for k := a; k < b; k++ {
			x := d.words[k]
			if !x.latin {
				return false
			}
			if !x.upper && !(k > a && k < b-1 && (x.key == "de" || x.key == "upon" || x.key == "on" || x.key == "am" || x.key == "la" || x.key == "del")) {
				return false
			}
		}
		return true
	}
	for k := a; k < b; k++ {
		if d.words[k].latin || d.words[k].digits {
			return false
		}
	}
	return true
}

func (ex *extractor) country(key string, a, b int) (string, bool) {
	if ex.d.words[a].latin {
		if b-a == 1 && enStop[key] && key != "us" {
			return "", false
		}
		if key == "us" && ex.d.text[ex.d.words[a].start:ex.d.words[a].end] != "US" {
			return "", false
		}
	} else if b-a == 1 && (key == "چک" || key == "کره" || key == "مالی" || key == "پرو" || key == "چاد" || key == "اردن" || key == "نیجر" || key == "گینه" || key == "موریس" || key == "توگو") {
		// Common Persian words (check, financial, ...) need a cue word.
		if !ex.cueBefore(a) {
			return "", false
		}
	}
	if ex.bundle != nil {
		c, ok := ex.bundle.countries[key]
		return c, ok
	}
	return ex.g.LookupCountry(ex.d.text[ex.d.words[a].start:ex.d.words[b-1].end])
}

// cueBefore reports whether a location cue word («شهر», «کشور», "city of") stands right before word a.
func (ex *extractor) cueBefore(a int) bool {
	if a == 0 || ex.d.words[a].brk {
		return false
	}
	p := ex.d.words[a-1].key
	if faPlaceCue[p] {
		return true
	}
	if p == "of" && a >= 2 && (ex.d.words[a-2].key == "city" || ex.d.words[a-2].key == "town") {
		return true
	}
	return false
}

// cityEntries looks the window up and filters the entries by the
// false-positive guards.
func (ex *extractor) cityEntries(key string, a, b int) []cityEntry {
	d := ex.d
	cue := ex.cueBefore(a)
	latin := d.words[a].latin
	if latin {
		if b-a == 1 && enCityStop[key] {
			return nil
		}
	} else if b-a == 1 && faCityStop[key] && !cue && !ex.noCityStop {
		return nil
	}
	if !latin {
		for k := a; k < b; k++ {
			if faStop[d.words[k].key] {
				return nil
			}
		}
	}
	runes := utf8.RuneCountInString(key)
	var out []cityEntry
	if ex.bundle != nil {
		for _, e := range ex.bundle.lookupKey(key) {
			c := ex.bundle.cities[e.city]
			out = append(out, cityEntry{c, e.cls})
		}
	} else {
		for _, c := range ex.g.LookupCity(d.text[d.words[a].start:d.words[b-1].end]) {
			if c.Score < 0.5 && !cue {
				continue
			}
			cls := uint8(clsFa)
			switch {
			case c.Score < 0.8:
				cls = clsAlias
			case c.Score < 0.9:
				cls = clsOther
			case c.Score < 1:
				cls = clsArab
			case latin:
				cls = clsEn
			}
			out = append(out, cityEntry{gazCity{wikidata: c.Wikidata, id: c.ID, names: packNames(c.Names), country: c.Country, pop: c.Population}, cls})
		}
	}
	kept := out[:0]
	for _, e := range out {
		ok := true
		switch {
		case !latin && e.cls != clsFa && e.cls != clsArab:
			ok = cue // a Latin-language name written in Arabic script is not trusted
		case !latin && e.cls == clsArab:
			ok = cue || e.c.pop >= 200000
		case latin && e.cls != clsEn && e.cls != clsAlias && e.cls != clsOther:
			ok = false
		case latin && e.cls == clsOther:
			ok = e.c.pop >= 50000 || cue
		}
		if ok && runes <= 2 {
			ok = cue || e.c.pop >= 500000
		}
		if ok && !cue && !latin && e.c.pop < 20000 && e.c.country != "IR" && e.c.country != "AF" && e.c.country != "TJ" {
			ok = false
		}
		if ok && runes <= 3 && !cue && !latin && e.c.pop < 50000 {
			ok = false
		}
		if ok && latin && !cue && d.words[a].sentStart && b-a == 1 && e.c.pop < 100000 {
			ok = false
		}
		if ok {
			kept = append(kept, e)
		}
	}
	return kept
}

// resolveCity picks one city among homonyms: a country named right after the
// name in parentheses or after a comma («حیدرآباد (هند)», "Hyderabad, India")
// wins, then a country named in the same or a neighbouring sentence, then
// anywhere in the text, then the class of the name and the population.
func (ex *extractor) resolveCity(c cityCand) (int, float64, []string) {
	d := ex.d
	list := c.list
	if len(list) == 0 {
		return -1, 0, nil
	}
	var right string
	if b := c.m.b; b < len(d.words) {
		g := d.gap(b-1, b)
		if containsAny(g, "(،,") {
			for _, m := range ex.mentions {
				if m.kind == mCountry && m.a == b {
					right = m.country
				}
			}
		}
	}
	sent := d.words[c.m.a].sent
	score := func(e cityEntry) float64 {
		s := 0.0
		if right != "" && e.c.country == right {
			s += 100
		}
		if sents, ok := ex.countrySents[e.c.country]; ok {
			s += 5
			for _, x := range sents {
				if x >= sent-1 && x <= sent+1 {
					s += 20
					break
				}
			}
		}
		s -= float64(e.cls) * 2
		return s
	}
	best, bestS := 0, score(list[0])
	for i := 1; i < len(list); i++ {
		s := score(list[i])
		if s > bestS || s == bestS && list[i].c.pop > list[best].c.pop {
			best, bestS = i, s
		}
	}
	chosen := list[best].c
	conf := 0.9
	if list[best].cls >= clsOther {
		conf = 0.6
	}
	var alts []string
	seen := map[string]bool{refOf(chosen): true}
	for _, e := range list {
		r := refOf(e.c)
		if !seen[r] {
			seen[r] = true
			alts = append(alts, r)
		}
	}
	if len(alts) > 0 && right == "" {
		conf -= 0.15
	}
	return ex.cityIndex(chosen), conf, alts
}

func refOf(c gazCity) string {
	if c.wikidata != "" {
		return c.wikidata
	}
	return itoa(c.id)
}

// addCueSpan extends a mention over a preceding «استان»/«شهرستان» cue: the
// province or county name is one location with it.
func (ex *extractor) addCueSpan(m *mention) {
	if m.a == 0 || ex.d.words[m.a].brk {
		return
	}
	switch ex.d.words[m.a-1].key {
	case "استان", "شهرستان", "شهر":
		m.ea = m.a - 1
		if m.kind == mCity && ex.d.words[m.a-1].key == "استان" {
			// «استان اصفهان» is the province, not the city.
			r := regionInfo{kind: "province", country: ex.cities[m.city].country, name: "استان " + ex.d.text[ex.d.words[m.a].start:ex.d.words[m.b-1].end]}
			m.kind, m.place = mPlace, ex.placeIndex(r)
		}
	}
}

func containsAny(s, chars string) bool {
	for _, r := range s {
		for _, c := range chars {
			if r == c {
				return true
			}
		}
	}
	return false
}

func appendNewStr(list []string, xs ...string) []string {
outer:
	for _, x := range xs {
		for _, y := range list {
			if x == y {
				continue outer
			}
		}
		list = append(list, x)
	}
	return list
}

func sortMentions(ms []mention) {
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].a < ms[j].a })
}
