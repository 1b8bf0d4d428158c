package extract

import (
	"strconv"
	"strings"
)

func (ex *extractor) overlapsDate(a, b int) bool {
	for _, f := range ex.dates {
		if f.a < b && a < f.b {
			return true
		}
	}
	return false
}

// subjectCity is the city a count is about: a city right after the noun
// («۱۳ خواهرخوانده اصفهان»), else the nearest city before it in the sentence.
func (ex *extractor) subjectCity(numStart, nounEnd int) string {
	d := ex.d
	if nounEnd < len(d.words) && d.words[nounEnd].sent == d.words[numStart].sent && !d.words[nounEnd].brk {
		if r, _ := ex.cityRefAt(nounEnd); r != "" {
			return r
		}
	}
	sent := d.words[numStart].sent
	best := ""
	for _, m := range ex.mentions {
		if m.a >= numStart {
			break
		}
		if m.kind == mCity && d.words[m.a].sent == sent {
			best = refOf(ex.cities[m.city])
		}
	}
	return best
}

var timeNouns = setOf(`سال ماه روز هفته ساعت دقیقه قرن دهه years months days weeks hours`)

func gloss(noun string) string {
	if g, ok := nounGloss[noun]; ok {
		return g
	}
	return noun
}

// findNumbers reads counts and ordinals.
func (ex *extractor) findNumbers() {
	if ex.d.lang == "en" {
		ex.findNumbersEn()
		return
	}
	d := ex.d
	for _, m := range ex.numbers() {
		a, b := ex.wordRange(m.Start, m.End)
		if a < 0 || m.Noun == "" || b >= len(d.words) || ex.overlapsDate(a, b+1) {
			continue
		}
		if _, _, ok := lookupMonth(m.Noun); ok {
			continue
		}
		v, isInt := m.Int()
		ev := d.ev(a, b+1)
		if m.Ordinal {
			if !isInt {
				continue
			}
			conf := 0.9
			if m.Noun == "بار" {
				conf = 0.5
			}
			ex.r.Ordinals = append(ex.r.Ordinals, Ordinal{Value: int(v), Noun: gloss(m.Noun), NounText: m.Noun, Evidence: ev, Confidence: conf})
			continue
		}
		if b-a == 1 && !d.words[a].digits && m.Value < 3 {
			continue // «دو شهر», «یک روز»: too common to propose
		}
		conf := 0.8
		if _, ok := nounGloss[m.Noun]; ok {
			conf = 0.9
		}
		subj := ""
		if !timeNouns[m.Noun] {
			subj = ex.subjectCity(a, b+1)
		}
		ex.r.Counts = append(ex.r.Counts, Count{Value: m.Value, Noun: gloss(m.Noun), NounText: m.Noun,
			Subject: subj, Evidence: ev, Confidence: conf})
	}
}

var enNumberWords = map[string]int{"three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
	"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
	"fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12}

var enOrdinalWords = map[string]int{"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
	"seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
	"fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
	"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
	"eightieth": 80, "ninetieth": 90, "hundredth": 100}

var enTens = map[string]int{"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}

// enOrdinal reads "34th", "third", "thirty-fourth" (folded: "thirty fourth").
func (ex *extractor) enOrdinal(i int) (int, int) {
	d := ex.d
	k := d.words[i].key
	if t, ok := enTens[k]; ok && i+1 < len(d.words) && d.gap(i, i+1) == "-" {
		if o, ok := enOrdinalWords[d.words[i+1].key]; ok && o < 10 {
			return t + o, 2
		}
	}
	if o, ok := enOrdinalWords[k]; ok {
		return o, 1
	}
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if strings.HasSuffix(k, suf) && isDigits(k[:len(k)-len(suf)]) {
			v, err := strconv.Atoi(k[:len(k)-len(suf)])
			if err == nil && v < 100000 {
				return v, 1
			}
		}
	}
	return 0, 0
}

// enNoun returns the noun phrase after word i: up to two lower-case words,
// skipping adjectives such as "international", or "" if none.
func (ex *extractor) enNoun(i int) (string, int) {
	d := ex.d
	for k := i; k < len(d.words) && k < i+5; k++ {
		if _, ok := nounGloss[d.words[k].key]; ok && d.connected(i, k+1) {
			return d.words[k].key, k + 1
		}
		if !isModifier(d.words[k].key) && !d.words[k].upper {
			break
		}
	}
	for k := i; k < len(d.words) && k < i+4; k++ {
		w := d.words[k]
		if w.brk || w.sent != d.words[i-1].sent || w.digits || enStop[w.key] {
			return "", 0
		}
		if _, ok := nounGloss[w.key]; ok || k == i+3 || !isModifier(w.key) {
			// "sister cities", "twin towns"
			if (w.key == "sister" || w.key == "twin" || w.key == "partner") && k+1 < len(d.words) && !d.words[k+1].brk {
				return w.key + " " + d.words[k+1].key, k + 2
			}
			return w.key, k + 1
		}
	}
	return "", 0
}

func isModifier(k string) bool {
	switch k {
	case "international", "annual", "new", "joint", "official", "children's", "childrens", "national", "major", "historic", "other", "more":
		return true
	}
	return false
}

func (ex *extractor) findNumbersEn() {
	d := ex.d
	for i := 0; i < len(d.words); i++ {
		if ex.overlapsDate(i, i+1) {
			continue
		}
		if v, n := ex.enOrdinal(i); n > 0 && i+n < len(d.words) {
			noun, e := ex.enNoun(i + n)
			if _, known := nounGloss[noun]; !known && !d.words[i].digits && !isDigits(strings.TrimRight(d.words[i].key, "stndrh")) {
				noun = "" // "first made": a word ordinal needs a known noun
			}
			if noun != "" {
				ex.r.Ordinals = append(ex.r.Ordinals, Ordinal{Value: v, Noun: noun, NounText: noun, Evidence: d.ev(i, e), Confidence: 0.85})
				i = e - 1
			}
			continue
		}
		w := d.words[i]
		v := 0
		if w.digits && w.num > 0 && len(w.key) <= 7 {
			v = w.num
		} else if x, ok := enNumberWords[w.key]; ok {
			v = x
		}
		if v == 0 || i+1 >= len(d.words) || d.words[i+1].brk {
			continue
		}
		noun, e := ex.enNoun(i + 1)
		if noun == "" {
			continue
		}
		if _, _, ok := lookupMonth(noun); ok {
			continue
		}
		subj := ""
		if !timeNouns[noun] {
			subj = ex.subjectCity(i, e)
		}
		ex.r.Counts = append(ex.r.Counts, Count{Value: float64(v), Noun: noun, NounText: noun,
			Subject: subj, Evidence: d.ev(i, e), Confidence: 0.8})
		i = e - 1
	}
}

// findDomains maps domain words to twin.DefaultDomains codes. Two-word phrases
// («باستان شناسی», "digital content") win over single words.
func (ex *extractor) findDomains() {
	d := ex.d
	table, starts := faDomainWords, &domainStarts[0]
	if d.lang == "en" {
		table, starts = enDomainWords, &domainStarts[1]
	}
	pos := map[string]int{}
	add := func(code string, a, b int) {
		ev := d.ev(a, b)
		p, ok := pos[code]
		if !ok {
			p = len(ex.r.Domains)
			pos[code] = p
			ex.r.Domains = append(ex.r.Domains, Domain{Code: code, Evidence: ev, Confidence: 0.6})
		}
		dm := &ex.r.Domains[p]
		dm.Mentions = append(dm.Mentions, ev)
		if ex.cooperationSentence(d.words[a].sent) {
			dm.Confidence = 0.85
		} else if len(dm.Mentions) > 1 && dm.Confidence < 0.75 {
			dm.Confidence = 0.75
		}
	}
	for i := 0; i < len(d.words); i++ {
		if k := d.words[i].key; len(k) >= 4 && !starts.has(k) {
			continue // no key starts with this word
		}
		if i+2 <= len(d.words) && d.connected(i, i+2) {
			if code, ok := table[d.words[i].key+d.words[i+1].key]; ok {
				add(code, i, i+2)
				i++
				continue
			}
		}
		if code, ok := table[d.words[i].key]; ok {
			add(code, i, i+1)
		}
	}
}

// domainStarts[0] and [1] are filters of the first four bytes of the keys
// of faDomainWords and enDomainWords: a word of four bytes or more that
// starts none of them starts no key, alone or with the next word, and
// findDomains skips its two map look-ups.
var domainStarts = [2]startFilter{newStartFilter(faDomainWords), newStartFilter(enDomainWords)}

// startFilter is a bit set of (a hash of) the first four bytes of keys.
type startFilter [64]uint64

func newStartFilter(m map[string]string) (f startFilter) {
	for k := range m {
		if len(k) >= 4 {
			b := startBit(k)
			f[b>>6] |= 1 << (b & 63)
		}
	}
	return f
}

// has reports whether a key may start with the first four bytes of k
// (len(k) >= 4); false means none does.
func (f *startFilter) has(k string) bool {
	b := startBit(k)
	return f[b>>6]&(1<<(b&63)) != 0
}

func startBit(k string) uint32 {
	v := uint32(k[0]) | uint32(k[1])<<8 | uint32(k[2])<<16 | uint32(k[3])<<24
	return v * 0x9E3779B1 >> (32 - 12)
}

var cooperationWords = setOf(`همکاری همکاریهای همکاریها تعاملات خواهرخواندگی تفاهمنامه زمینه زمینههای حوزه cooperation
collaboration partnership twinning exchange exchanges fields areas joint`)

func (ex *extractor) cooperationSentence(s int) bool {
	if ex.coopSent == nil {
		ex.coopSent = map[int]bool{}
		for _, w := range ex.d.words {
			if cooperationWords[w.key] {
				ex.coopSent[w.sent] = true
			}
		}
	}
	return ex.coopSent[s]
}

// findProductions reads joint productions: the production words of a sentence
// that speaks of producing («تولید», «تولیدات», «آثار مشترک», "joint
// production", "co-produce").
func (ex *extractor) findProductions() {
	d := ex.d
	table := faProductionWords
	if d.lang == "en" {
		table = enProductionWords
	}
	for _, s := range d.sents {
		trigger, joint := -1, false
		for k := s[0]; k < s[1]; k++ {
			key := d.words[k].key
			switch {
			case strings.HasPrefix(key, "تولید") || key == "آثار" || key == "اثار" || strings.HasPrefix(key, "produc") || strings.HasPrefix(key, "coproduc") || key == "co":
				if trigger < 0 {
					trigger = k
				}
			}
			if key == "مشترک" || key == "joint" || key == "jointly" || key == "co" || strings.HasPrefix(key, "coproduc") {
				joint = true
			}
		}
		if trigger < 0 {
			continue
		}
		seen := map[string]bool{}
		for k := trigger; k < s[1]; k++ {
			kind, ok := table[d.words[k].key]
			if !ok || seen[kind] {
				continue
			}
			seen[kind] = true
			conf := 0.6
			if joint {
				conf = 0.8
			}
			ex.r.Productions = append(ex.r.Productions, Production{Kind: kind, Joint: joint, Evidence: d.ev(k, k+1), Confidence: conf})
		}
	}
}
