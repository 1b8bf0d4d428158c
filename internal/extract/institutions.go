package extract

import (
	"strings"

	"github.com/twinning/twinning/internal/persian"
)

type instFact struct {
	a, b    int // evidence words
	name    string
	typ     string
	city    string
	country string
	conf    float64
}

// firstCity is the first of an institution's cities, or "" if it has none.
func firstCity(cities []string) string {
	if len(cities) > 0 {
		return cities[0]
	}
	return ""
}

func (ex *extractor) addInst(f instFact) {
	f.name = singularHead(f.name)
	written := f.name
	f.name = persianName(f.name)
	key := persian.NameKey(f.name)
	for _, o := range ex.insts {
		if o.a == f.a && o.b == f.b && o.city == f.city {
			return
		}
		// «اتاقهای بازرگانی اصفهان» and later «اتاق بازرگانی اصفهان» are one institution.
		if o.city == f.city && persian.NameKey(o.name) == key {
			return
		}
	}
	ex.insts = append(ex.insts, f)
	ex.r.Institutions = append(ex.r.Institutions, Institution{Name: f.name, Aliases: asWritten(f.name, written), Type: f.typ, City: f.city, Country: f.country,
		Evidence: ex.d.ev(f.a, f.b), Confidence: f.conf})
}

// instAt returns the institution fact starting at word i.
func (ex *extractor) instAt(i int) *instFact {
	for k := range ex.insts {
		if ex.insts[k].a == i {
			return &ex.insts[k]
		}
	}
	return nil
}

func (ex *extractor) findInstitutions() {
	if ex.d.lang == "en" {
		ex.findInstitutionsEn()
		return
	}
	d := ex.d
	n := len(d.words)
	type pending struct {
		head, end int
		typ       string
	}
	var lastPlural *pending // a plural head without cities, for «X-ها و همچنین Y-های A و B»
	for i := 0; i < n; i++ {
		key := d.words[i].key
		typ, ok := faInstHeads[key]
		if !ok {
			continue
		}
		headEnd, ok := ex.faInstHead(i, key, typ)
		if !ok {
			continue
		}
		plural := strings.HasSuffix(key, "ها") || strings.HasSuffix(key, "های") || key == "مراکز"
		quoted := i > 0 && strings.ContainsAny(d.gap(i-1, i), "«\"“") || i == 0 && strings.HasPrefix(strings.TrimSpace(d.text[:d.words[0].start]), "«")
		j, cities, country := ex.faInstName(headEnd, typ, plural, quoted)
		nameEnd := j
		// «... در تاشکند»: the city the institution is in.
		if nameEnd+1 < n && d.words[nameEnd].key == "در" && !d.words[nameEnd].brk && !d.words[nameEnd+1].brk {
			if m := ex.cityStartAt(nameEnd + 1); m != nil {
				cities = []string{refOf(ex.cities[m.city])}
				j = m.b
			}
		}
		if typ == "embassy" || typ == "consulate" {
			if country == "" && headEnd < n {
				if c, ok := demonymKeys[d.words[headEnd].key]; ok {
					country = c
				}
			}
		}
		if nameEnd == headEnd && len(cities) == 0 && country == "" {
			if plural {
				lastPlural = &pending{i, headEnd, typ}
			}
			continue // a bare «دانشگاه‌ها»: nothing to propose
		}
		conf := 0.75
		if quoted || len(cities) > 0 {
			conf = 0.85
		}
		if typ == "government" || typ == "company" {
			conf -= 0.15
		}
		if plural && len(cities) >= 1 && nameEnd == j {
			// one institution per city
			share := []pending{{i, headEnd, typ}}
			if lastPlural != nil && lastPlural.end < i && i-lastPlural.end <= 3 && d.connected(lastPlural.head, i+1) {
				share = append(share, *lastPlural)
			}
			for _, p := range share {
				for _, c := range cities {
					ex.addInst(instFact{a: p.head, b: j, name: ex.surface(p.head, p.end) + " " + ex.cityName(c), typ: p.typ, city: c, country: country, conf: conf - 0.1})
				}
			}
			lastPlural = nil
			i = j - 1
			continue
		}
		ex.addInst(instFact{a: i, b: j, name: ex.surface(i, nameEnd), typ: typ, city: firstCity(cities), country: country, conf: conf})
		i = nameEnd - 1
	}
}

// faInstHead checks the head word of a Persian institution name at word i
// (key, of type typ) and returns where the head ends: «اتاق بازرگانی» is
// two words; «شورای» heads a council only of a city, «سایر دانشگاه‌ها»
// and «شرکت در» head none.
func (ex *extractor) faInstHead(i int, key, typ string) (int, bool) {
	d := ex.d
	n := len(d.words)
	headEnd := i + 1
	switch typ {
	case "chamber_of_commerce":
		if headEnd >= n || !faChamber[d.words[headEnd].key] || d.words[headEnd].brk {
			return 0, false
		}
		headEnd++
	case "government":
		if key == "شورای" || key == "شورا" {
			if !(headEnd < n && (d.words[headEnd].key == "شهر" || d.words[headEnd].key == "اسلامی")) {
				return 0, false
			}
		}
	}
	if i > 0 && (d.words[i-1].key == "سایر" || d.words[i-1].key == "دیگر") {
		return 0, false
	}
	if typ == "company" && headEnd < n && (d.words[headEnd].key == "در" || d.words[headEnd].key == "کننده" || d.words[headEnd].key == "کنندگان") {
		return 0, false // «شرکت در»: taking part
	}
	return headEnd, true
}

// faInstName extends a Persian institution name from the end of its head:
// the words it runs over up to a break, and the cities and country it
// names.
func (ex *extractor) faInstName(headEnd int, typ string, plural, quoted bool) (j int, cities []string, country string) {
	d := ex.d
	n := len(d.words)
	j = headEnd
	for j < n && j-headEnd < 8 {
		w := d.words[j]
		if w.brk && !(quoted && !strings.ContainsAny(d.gap(j-1, j), "»\"”.،:")) {
			break
		}
		if m := ex.mentionStartAt(j); m != nil {
			cities, country = ex.namePlace(m, cities, country)
			j = m.b
			// «دانشگاه‌های اصفهان و سمرقند»: coordinated cities.
			if plural && m.kind == mCity && j+1 < n && d.words[j].key == "و" && !d.words[j].brk && !d.words[j+1].brk {
				if m2 := ex.cityStartAt(j + 1); m2 != nil {
					cities = append(cities, refOf(ex.cities[m2.city]))
					j = m2.b
				}
			}
			break
		}
		if w.key == "و" {
			if quoted || j+1 < n && j > headEnd && !faStop[d.words[j+1].key] && faInstHeads[d.words[j+1].key] == "" && ex.mentionAt(j+1) == nil && !d.words[j+1].brk && (typ == "festival" || typ == "research_centre" || typ == "museum") {
				j++
				continue
			}
			break
		}
		if faStop[w.key] || w.digits || faTitles[w.key] != "" || faSpeech[w.key] || isVerbLike(w.key) || faInstHeads[w.key] != "" || faNameEnders[w.key] {
			break
		}
		j++
	}
	return j, cities, country
}

// namePlace adds the place of mention m, a city or a country named in an
// institution's name, to the name's cities or country.
func (ex *extractor) namePlace(m *mention, cities []string, country string) ([]string, string) {
	switch m.kind {
	case mCity:
		cities = append(cities, refOf(ex.cities[m.city]))
	case mCountry:
		country = m.country
	}
	return cities, country
}

// cityName returns the text of the first mention of city ref, for names.
func (ex *extractor) cityName(ref string) string {
	for _, m := range ex.mentions {
		if m.kind == mCity && refOf(ex.cities[m.city]) == ref {
			return ex.surface(m.a, m.b)
		}
	}
	return ref
}

// faNameEnders are nouns of light verbs and predicates that end an
// institution's name («جشنواره … دعوت شدند», «… میزبان سمرقند است»).
var faNameEnders = setOf(`دعوت برگزار میزبان آغاز افتتاح شرکت حضور`)

// isVerbLike reports whether a Persian word looks like a finite verb form.
func isVerbLike(k string) bool {
	if strings.HasPrefix(k, "نمی") || strings.HasPrefix(k, "می") && len(k) > 6 {
		for _, e := range []string{"د", "م", "ی", "ند", "یم", "ید"} {
			if strings.HasSuffix(k, e) && !strings.HasPrefix(k, "میراث") && !strings.HasPrefix(k, "میدان") && !strings.HasPrefix(k, "میان") && !strings.HasPrefix(k, "میلاد") {
				return true
			}
		}
	}
	return k == "است" || k == "بود" || k == "شد" || k == "کرد" || k == "قرار" || k == "دارد" || k == "دارند" || k == "باشد"
}

var enInstModifiers = setOf(`archaeology archaeological research film music cultural culture children's childrens international
islamic trade science art arts history historical national state city municipal regional youth sports`)

func (ex *extractor) findInstitutionsEn() {
	d := ex.d
	n := len(d.words)
	for i := 0; i < n; i++ {
		typ, ok := enInstHeads[d.words[i].key]
		if !ok {
			continue
		}
		key := d.words[i].key
		plural := strings.HasSuffix(key, "s") && key != "consulate"
		upper := d.words[i].upper
		// left modifiers
		a := i
		country := ""
		for a > 0 && !d.words[a].brk && i-a < 6 {
			p := d.words[a-1]
			if c, ok := demonymKeys[p.key]; ok {
				country = c
				a--
				continue
			}
			if p.key == "the" || p.key == "a" || p.key == "an" {
				break
			}
			if p.upper && !enStop[p.key] && !(p.sentStart && enTitles[p.key] != "") || enInstModifiers[p.key] && !enStop[p.key] {
				if _, o := ex.enOrdinal(a - 1); o > 0 && !p.upper {
					break
				}
				a--
				continue
			}
			break // an ordinal ("the 5th … Festival") is the event's, not the name's
		}
		// right complement: "of Commerce", "of Isfahan and Samarkand", "for Islamic Civilization"
		b := i + 1
		var cities []string
		if typ == "chamber_of_commerce" {
			if !(b+1 < n && d.words[b].key == "of" && (d.words[b+1].key == "commerce" || d.words[b+1].key == "trade")) {
				continue
			}
			b += 2
			if b < n && d.words[b].key == "and" && b+1 < n && d.words[b+1].key == "industry" {
				b += 2
			}
		}
		for b+1 < n && (d.words[b].key == "of" || d.words[b].key == "for") && !d.words[b].brk && !d.words[b+1].brk {
			k := b + 1
			if d.words[k].key == "the" && k+1 < n {
				k++
			}
			if m := ex.mentionStartAt(k); m != nil {
				cities, country = ex.namePlace(m, cities, country)
				b = m.b
				if b+1 < n && d.words[b].key == "and" && !d.words[b+1].brk {
					if m2 := ex.cityStartAt(b + 1); m2 != nil {
						cities = append(cities, refOf(ex.cities[m2.city]))
						b = m2.b
					}
				}
				continue
			}
			if d.words[k].upper && !enStop[d.words[k].key] {
				e := k
				for e < n && !d.words[e].brk && (d.words[e].upper || d.words[e].key == "and" && e+1 < n && d.words[e+1].upper) && ex.mentionAt(e) == nil {
					e++
				}
				if e > k {
					b = e
					continue
				}
			}
			break
		}
		nameEnd := b
		if b+1 < n && d.words[b].key == "in" && !d.words[b+1].brk {
			if m := ex.cityStartAt(b + 1); m != nil {
				cities = []string{refOf(ex.cities[m.city])}
				b = m.b
			}
		}
		// cities inside the name ("Isfahan University")
		if len(cities) == 0 {
			for _, m := range ex.mentionsIn(a, nameEnd) {
				if m.kind == mCity {
					cities = append(cities, refOf(ex.cities[m.city]))
				} else if m.kind == mCountry && country == "" {
					country = m.country
				}
			}
		}
		if a == i && nameEnd == i+1 && len(cities) == 0 && country == "" {
			continue
		}
		if !upper && (a == i || !d.words[a].upper) && len(cities) == 0 && country == "" {
			continue // "a film festival", "the city council": a common noun
		}
		conf := 0.8
		if !upper {
			conf = 0.7
		}
		if plural && len(cities) >= 2 {
			for _, c := range cities {
				ex.addInst(instFact{a: a, b: b, name: singularEn(key) + " of " + ex.cityName(c), typ: typ, city: c, country: country, conf: conf - 0.1})
			}
			i = b - 1
			continue
		}
		ex.addInst(instFact{a: a, b: b, name: ex.surface(a, nameEnd), typ: typ, city: firstCity(cities), country: country, conf: conf})
		i = b - 1
	}
}

func singularEn(k string) string {
	switch k {
	case "universities":
		return "University"
	case "chambers":
		return "Chamber of Commerce"
	case "museums":
		return "Museum"
	case "centres", "centers":
		return "Centre"
	}
	return k
}

// institutionHeads are the nouns an institution's name starts with.
var institutionHeads = map[string]bool{"دانشگاه": true, "اتاق": true, "مرکز": true, "موزه": true, "کتابخانه": true,
	"مدرسه": true, "پژوهشگاه": true, "سفارت": true, "کنسولگری": true, "شهرداری": true, "جشنواره": true, "بیمارستان": true}

// singularHead names one institution where the text spoke of several in a coordination
// («دانشگاههای اصفهان و سمرقند» gives «دانشگاه اصفهان»): a plural head noun becomes singular.
func singularHead(name string) string {
	head, rest, _ := strings.Cut(name, " ")
	for _, suf := range []string{"‌های", "‌ها", "های", "ها"} {
		if stem, ok := strings.CutSuffix(head, suf); ok && institutionHeads[persian.NameKey(stem)] {
			if rest == "" {
				return stem
			}
			return stem + " " + rest
		}
	}
	return name
}
