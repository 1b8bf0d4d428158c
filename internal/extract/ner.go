package extract

// Combining the learned tagger (tagger.go) with the rules: the rules'
// mentions always stay, so a city the gazetteer knows is never lost (at
// worst as a doubtful mention); the tagger adds the places, organisations
// and people the rules miss, marks a place inside an organisation's name
// («سپاهان اصفهان», «استقلال تهران») as a name mention, as the rules do after
// «دانشگاه» or «خبرگزاری», and lifts that reading where it reads the words
// as a place. Every choice here was measured on ParsTwiNER (a held-out fifth
// of its training split and its dev split; TestTuneTagger), never on PEYMA.

// runTagger tags a Persian document and adds the tagger's locations that no
// rule mention overlaps, or that a gazetteer names whole over shorter rule
// mentions.
func (ex *extractor) runTagger() {
	d := ex.d
	if ex.tg == nil || d.lang != "fa" || len(d.words) == 0 {
		return
	}
	tags, margins, release := ex.tg.tag(ex)
	defer release()
	ex.tagged = spans(tags, margins)
	if doubtO {
		ex.doubtUntagged(tags)
	}
	added := false
	for _, sp := range ex.tagged {
		switch sp.kind {
		case tBOrg, tBPer:
			ex.demoteInName(sp)
		case tBLoc:
			added = ex.addTaggedPlace(sp) || added
		}
	}
	if added {
		sortMentions(ex.mentions)
	}
}

// doubtUntagged marks doubtful the rule mentions (without a cue word) whose
// words the tagger tags all O.
func (ex *extractor) doubtUntagged(tags []int8) {
	for k := range ex.mentions {
		m := &ex.mentions[k]
		o := true
		for i := m.a; i < m.b; i++ {
			o = o && tags[i] == tO
		}
		if o && m.ea == m.a {
			m.doubt = true
		}
	}
}

// demoteInName makes the rule mentions inside tagged organisation or person
// name sp name mentions: «سپاهان اصفهان», «استقلال تهران», «ابوریحان
// بیرونی»: the place is part of a name; the city stays, as a name mention.
func (ex *extractor) demoteInName(sp tagSpan) {
	if sp.kind == tBPer && !demotePer || sp.kind == tBOrg && !demoteOrg {
		return
	}
	for k := range ex.mentions {
		m := &ex.mentions[k]
		if m.ea >= sp.a && m.b <= sp.b && (m.ea > sp.a || demoteWhole) {
			m.inOrg = true
		}
	}
}

// addTaggedPlace reads tagged place sp: it confirms the rule mention it
// matches and adds it as a mention when it is a name no rule mention
// overlaps, or a longer one a gazetteer knows. It reports whether it added
// a mention.
func (ex *extractor) addTaggedPlace(sp tagSpan) bool {
	if locOverPrefix {
		// «دانشگاه‌های آمریکا»: a place after an organisation word
		// that the tagger reads as a place is one.
		for k := range ex.mentions {
			if m := &ex.mentions[k]; m.a == sp.a && m.b == sp.b {
				m.isLoc = true
			}
		}
	}
	if !ex.nameShaped(sp.a, sp.b) || !ex.taggedNameOK(sp) {
		return false
	}
	if ex.overlapsMention(sp.a, sp.b) {
		// A longer name the tagger reads whole and a gazetteer knows
		// («تربت حیدریه» over the rules' «تربت») wins; the rules'
		// mentions inside stay as doubtful ones.
		if !preferKnown || !ex.coversMentions(sp.a, sp.b) || !ex.knownName(sp.a, sp.b) {
			return false
		}
		for k := range ex.mentions {
			if m := &ex.mentions[k]; m.ea < sp.b && sp.a < m.b {
				m.doubt = true
			}
		}
	}
	m, ok := ex.taggedLocation(sp)
	if ok {
		ex.mentions = append(ex.mentions, m)
	}
	return ok
}

// Which tagged names make the places inside them name mentions (chosen on
// ParsTwiNER dev).
var demoteOrg, demotePer, demoteWhole = true, true, true

// doubtO: a rule mention the tagger reads as no name at all (tag O on every
// word, no cue word) is doubtful; doubtFactor scales the confidence of a
// record whose mentions are all doubtful.
var doubtO = true

const doubtFactor = 0.6

// cueInSpan: a location's evidence includes the «استان»/«شهر» before it
// (PEYMA's convention) rather than the name alone (ParsTwiNER's, which the
// tagger learns and which held-out ParsTwiNER prefers by 1.5 points).
var cueInSpan = false

// coversMentions reports whether every mention that overlaps words [a, b)
// lies inside them.
func (ex *extractor) coversMentions(a, b int) bool {
	for _, m := range ex.mentions {
		if m.ea < b && a < m.b && (m.a < a || m.b > b) {
			return false
		}
	}
	return true
}

// knownName reports whether words [a, b) are a name of the gazetteer or of
// Iran's gazetteer as a whole.
func (ex *extractor) knownName(a, b int) bool {
	h := uint64(14695981039346656037)
	var key []byte
	for k := a; k < b; k++ {
		w := ex.d.words[k].key
		key = append(key, w...)
		for j := 0; j < len(w); j++ {
			h ^= uint64(w[j])
			h *= 1099511628211
		}
	}
	if ex.tg != nil && ex.tg.places[h] != 0 {
		return true
	}
	return ex.bundle != nil && ex.bundle.mayHold(h) && ex.bundle.keyClass(string(key)) != 0
}

// preferKnown: a tagged place a gazetteer names whole wins over the rule
// mentions inside it; locOverPrefix: a rule mention after an organisation
// word that the tagger reads as a place is a location mention.
var preferKnown, locOverPrefix = true, true

func (ex *extractor) overlapsMention(a, b int) bool {
	for _, m := range ex.mentions {
		if m.ea < b && a < m.b {
			return true
		}
	}
	return false
}

// taggedLocation turns a tagged location into a mention: a country, a listed
// region or a gazetteer city when its words name one (without the rules'
// guards: the context has spoken), else a place of kind "place".
func (ex *extractor) taggedLocation(sp tagSpan) (mention, bool) {
	d := ex.d
	key := ""
	for k := sp.a; k < sp.b; k++ {
		key += d.words[k].key
	}
	m := mention{a: sp.a, b: sp.b, ea: sp.a, conf: 0.6}
	if code, ok := ex.country(key, sp.a, sp.b); ok {
		m.kind, m.country = mCountry, code
		ex.countrySents[code] = append(ex.countrySents[code], d.words[sp.a].sent)
		return m, true
	}
	if r, ok := regionIndex[key]; ok {
		m.kind, m.place = mPlace, ex.placeIndex(r)
		return m, true
	}
	var list []cityEntry
	if ex.bundle != nil {
		for _, e := range ex.bundle.lookupKey(key) {
			if e.cls == clsFa || e.cls == clsArab {
				list = append(list, cityEntry{ex.bundle.cities[e.city], e.cls})
			}
		}
	} else {
		for _, c := range ex.g.LookupCity(d.text[d.words[sp.a].start:d.words[sp.b-1].end]) {
			if c.Score >= 0.9 {
				list = append(list, cityEntry{gazCity{wikidata: c.Wikidata, id: c.ID, names: packNames(c.Names), country: c.Country, pop: c.Population}, clsFa})
			}
		}
	}
	if len(list) > 0 {
		idx, conf, alts := ex.resolveCity(cityCand{m: m, list: list})
		if idx >= 0 {
			m.kind, m.city, m.conf = mCity, idx, conf-0.2
			ex.cityAlts[idx] = appendNewStr(ex.cityAlts[idx], alts...)
			ex.addCueSpan(&m)
			return m, true
		}
	}
	if sp.margin < ex.tg.minMargin(placeMargin) {
		return m, false
	}
	m.kind, m.conf = mPlace, 0.5
	m.place = ex.placeIndex(regionInfo{kind: "place", name: ex.surface(sp.a, sp.b)})
	return m, true
}

// addTaggedOrgs proposes the tagger's organisations that no rule found.
func (ex *extractor) addTaggedOrgs() {
	d := ex.d
	for _, sp := range ex.tagged {
		if sp.kind != tBOrg {
			continue
		}
		if !ex.taggedNameOK(sp) || sp.margin < ex.tg.minMargin(orgMargin) {
			continue
		}
		dup := false
		for _, f := range ex.insts {
			if f.a < sp.b && sp.a < f.b {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		typ := faInstHeads[d.words[sp.a].key]
		if typ == "" {
			typ = "other"
		}
		var city, country string
		for _, m := range ex.mentionsIn(sp.a, sp.b) {
			if m.kind == mCity && city == "" {
				city = refOf(ex.cities[m.city])
			} else if m.kind == mCountry && country == "" {
				country = m.country
			}
		}
		ex.addInst(instFact{a: sp.a, b: sp.b, name: ex.surface(sp.a, sp.b), typ: typ, city: city, country: country, conf: 0.5})
	}
}

// addTaggedPeople adds the tagger's people whose names no rule read.
func (ex *extractor) addTaggedPeople() {
	for _, sp := range ex.tagged {
		if sp.kind != tBPer {
			continue
		}
		if !ex.taggedNameOK(sp) || sp.margin < ex.tg.minMargin(perMargin) {
			continue
		}
		dup := false
		for _, p := range ex.people {
			if p.name != "" && p.na < sp.b && sp.a < p.nb {
				dup = true
				break
			}
		}
		if dup || ex.overlapsMention(sp.a, sp.b) {
			continue
		}
		ex.addPerson(personFact{name: ex.surface(sp.a, sp.b), a: sp.a, b: sp.b, na: sp.a, nb: sp.b, conf: 0.5})
	}
}

// The smallest margins (in averaged-perceptron score) for the tagger's
// names that the rules do not know (chosen on ParsTwiNER dev).
var placeMargin, orgMargin, perMargin = 4.0, 0.0, 0.0

func (tg *tagger) minMargin(v float64) int32 { return int32(v / float64(tg.scale)) }

// taggedNameOK refuses tagged names that are only a function word, a title,
// an institution head or a word the rules keep from being a city.
func (ex *extractor) taggedNameOK(sp tagSpan) bool {
	d := ex.d
	for k := sp.a; k < sp.b; k++ {
		if d.words[k].digits {
			return false
		}
	}
	if sp.b-sp.a == 1 {
		k := d.words[sp.a].key
		if lexClass(k) != 0 || isVerbLike(k) || sp.kind == tBLoc && faCityStop[k] && !ex.cueBefore(sp.a) {
			return false
		}
	}
	return true
}
