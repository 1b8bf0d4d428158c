package extract

import (
	"github.com/twinning/twinning/internal/persian"
	"github.com/twinning/twinning/internal/twin"
)

// Options tell Extract about the article.
type Options struct {
	SourceURL string // where the article was read
	Published string // YYYY-MM-DD; resolves dates written without a year
	Lang      string // "fa" or "en"; detected from the script when empty
}

// extractor holds the state of one Extract call.
type extractor struct {
	d      *doc
	g      Gazetteer
	bundle *BundleGazetteer // fast path when g is the bundle gazetteer
	o      Options
	r      *Result

	mentions     []mention
	gazHits      []uint32 // word → the longest gazetteer window starting there: words<<16 | keyClass
	types        []int32  // word → its type (wordTypes)
	typeFirst    []int32  // type → its first word
	countrySents map[string][]int
	cities       []gazCity
	cityIdx      map[string]int
	cityAlts     map[int][]string
	places       []regionInfo
	placeIdx     map[string]int

	nums     []persian.NumberMatch
	dates    []dateFact
	coopSent map[int]bool
	people   []personFact
	insts    []instFact

	tg     *tagger
	tagged []tagSpan // the tagger's spans (Persian text only)

	noCityStop   bool // read faCityStop's words as cities too (for deriving the list: citystop_test.go)
	noCountryCue bool // read faCountryCue's words as countries without a cue too (rules_test.go)
}

// Extract reads a news article in Persian or English and proposes records:
// cities resolved to gazetteer records, countries, other places,
// institutions, people, agreements and their state, dates, counts, ordinals,
// cooperation domains, events and joint productions, each with the span of
// the text it came from and a confidence. It never fails: text it cannot
// read gives an empty Result. g may be nil for a text-only reading (no
// cities or countries).
func Extract(text string, g Gazetteer, o Options) *Result {
	return extractWith(text, g, o, defaultTagger())
}

// newExtractor analyses text and prepares an extraction.
func newExtractor(text string, g Gazetteer, o Options) *extractor {
	if g == nil {
		g = emptyGazetteer{}
	}
	lang := o.Lang
	if lang != "fa" && lang != "en" {
		lang = detectLang(text)
	}
	d := analyse(text)
	d.lang = lang
	ex := &extractor{d: d, g: g, o: o, countrySents: map[string][]int{}, cityIdx: map[string]int{},
		cityAlts: map[int][]string{}, placeIdx: map[string]int{}}
	if b, ok := g.(*BundleGazetteer); ok {
		ex.bundle = b
	}
	ex.r = &Result{Lang: lang, SourceURL: o.SourceURL, Published: o.Published,
		Cities: []City{}, Countries: []Country{}, Places: []Place{}, Institutions: []Institution{},
		People: []Person{}, Agreements: []Agreement{}, Dates: []Date{}, Counts: []Count{}, Ordinals: []Ordinal{},
		Domains: []Domain{}, Events: []Event{}, Productions: []Production{}}
	return ex
}

// extractWith is Extract with a given tagger (nil: rules only).
func extractWith(text string, g Gazetteer, o Options, tg *tagger) *Result {
	ex := newExtractor(text, g, o)
	ex.tg = tg
	ex.findPlaces()
	ex.runTagger()
	ex.findDates()
	ex.findNumbers()
	ex.findDomains()
	ex.findInstitutions()
	ex.addTaggedOrgs()
	ex.findPeople()
	ex.findAgreements()
	ex.findFacilitators()
	ex.findEvents()
	ex.mergeEvents()
	ex.findProductions()
	ex.finish()
	ex.d.release() // the Result keeps no word of the analysis
	return ex.r
}

type emptyGazetteer struct{}

func (emptyGazetteer) LookupCity(string) []CityCandidate   { return nil }
func (emptyGazetteer) LookupCountry(string) (string, bool) { return "", false }

func (ex *extractor) cityIndex(c gazCity) int {
	r := refOf(c)
	if i, ok := ex.cityIdx[r]; ok {
		return i
	}
	ex.cityIdx[r] = len(ex.cities)
	ex.cities = append(ex.cities, c)
	return len(ex.cities) - 1
}

func (ex *extractor) placeIndex(r regionInfo) int {
	if i, ok := ex.placeIdx[r.name]; ok {
		return i
	}
	ex.placeIdx[r.name] = len(ex.places)
	ex.places = append(ex.places, r)
	return len(ex.places) - 1
}

// cityAt returns the city mention covering word i, or nil.
func (ex *extractor) mentionAt(i int) *mention {
	for k := range ex.mentions {
		m := &ex.mentions[k]
		if m.a <= i && i < m.b {
			return m
		}
		if m.a > i {
			break
		}
	}
	return nil
}

// mentionStartAt returns the mention that begins at word i, or nil.
func (ex *extractor) mentionStartAt(i int) *mention {
	if m := ex.mentionAt(i); m != nil && m.a == i {
		return m
	}
	return nil
}

// cityStartAt returns the city mention that begins at word i, or nil.
func (ex *extractor) cityStartAt(i int) *mention {
	if m := ex.mentionStartAt(i); m != nil && m.kind == mCity {
		return m
	}
	return nil
}

// cityRef returns the reference of the city mentioned at word i.
func (ex *extractor) cityRefAt(i int) (string, *mention) {
	m := ex.mentionAt(i)
	if m == nil || m.kind != mCity {
		return "", nil
	}
	return refOf(ex.cities[m.city]), m
}

// citiesIn returns the city mentions in words [a, b).
func (ex *extractor) mentionsIn(a, b int) []*mention {
	var out []*mention
	for k := range ex.mentions {
		m := &ex.mentions[k]
		if m.a >= a && m.b <= b {
			out = append(out, m)
		}
	}
	return out
}

func (ex *extractor) surface(a, b int) string {
	if a >= b {
		return ""
	}
	return persian.Canonical(ex.d.text[ex.d.words[a].start:ex.d.words[b-1].end])
}

// finish builds the location facts and fills every evidence's offsets.
func (ex *extractor) finish() {
	r := ex.r
	cityPos := map[int]int{}
	countryPos := map[string]int{}
	placePos := map[int]int{}
	for i := range ex.mentions {
		m := &ex.mentions[i]
		ev, inName := ex.mentionEvidence(m)
		switch m.kind {
		case mCity:
			ex.addCityMention(cityPos, m, ev, inName)
		case mCountry:
			ex.addCountryMention(countryPos, m, ev, inName)
		case mPlace:
			ex.addPlaceMention(placePos, m, ev)
		}
	}
	// A city mentioned more than once is more certain.
	for i := range r.Cities {
		if len(r.Cities[i].Mentions) > 1 && r.Cities[i].Confidence < 0.95 {
			r.Cities[i].Confidence = min(0.95, r.Cities[i].Confidence+0.05)
		}
	}
	fillOffsets(ex.d.text, evidences(r))
}

// mentionEvidence is the evidence of location mention m, and whether m is
// inside an organisation's name (or is the state's formal name, an actor).
func (ex *extractor) mentionEvidence(m *mention) (ev Evidence, inName bool) {
	ev = ex.d.ev(m.ea, m.b)
	if !cueInSpan {
		ev = ex.d.ev(m.a, m.b)
	}
	inName = m.inOrg || m.ea > 0 && !ex.d.words[m.ea].brk && orgPrefix[ex.d.words[m.ea-1].key] && !m.isLoc ||
		m.kind == mCountry && m.b-m.a == 3 && ex.d.words[m.a].key == "جمهوری" // the state's formal name: an actor
	return ev, inName
}

// addCityMention adds city mention m to the Result's city (cityPos: city
// index → its position in Result.Cities), creating the city on its first
// mention.
func (ex *extractor) addCityMention(cityPos map[int]int, m *mention, ev Evidence, inName bool) {
	r := ex.r
	p, ok := cityPos[m.city]
	if !ok {
		c := ex.cities[m.city]
		p = len(r.Cities)
		cityPos[m.city] = p
		conf := m.conf
		if m.doubt && !inName {
			conf *= doubtFactor
		}
		r.Cities = append(r.Cities, City{Wikidata: c.wikidata, ID: c.id, Names: shortNames(c.names.unpack()), Country: c.country,
			Population: c.pop, Alternatives: ex.cityAlts[m.city], Mentions: []Evidence{}, Evidence: ev, Confidence: conf})
	}
	if inName {
		r.Cities[p].NameMentions = append(r.Cities[p].NameMentions, ev)
	} else if m.doubt {
		r.Cities[p].Doubtful = append(r.Cities[p].Doubtful, ev)
		return
	} else {
		r.Cities[p].Mentions = append(r.Cities[p].Mentions, ev)
	}
	if m.conf > r.Cities[p].Confidence && !inName {
		r.Cities[p].Confidence = m.conf
	}
}

// addCountryMention adds country mention m to the Result's country
// (countryPos: code → position in Result.Countries).
func (ex *extractor) addCountryMention(countryPos map[string]int, m *mention, ev Evidence, inName bool) {
	r := ex.r
	p, ok := countryPos[m.country]
	if !ok {
		p = len(r.Countries)
		countryPos[m.country] = p
		var names twin.Names
		if ex.bundle != nil {
			names = ex.bundle.countryNames[m.country]
		}
		r.Countries = append(r.Countries, Country{Code: m.country, Names: names, Mentions: []Evidence{}, Evidence: ev, Confidence: m.conf})
	}
	if inName {
		r.Countries[p].NameMentions = append(r.Countries[p].NameMentions, ev)
	} else if m.doubt {
		r.Countries[p].Doubtful = append(r.Countries[p].Doubtful, ev)
	} else {
		r.Countries[p].Mentions = append(r.Countries[p].Mentions, ev)
	}
}

// addPlaceMention adds place mention m to the Result's place (placePos:
// place index → position in Result.Places).
func (ex *extractor) addPlaceMention(placePos map[int]int, m *mention, ev Evidence) {
	r := ex.r
	p, ok := placePos[m.place]
	if !ok {
		pl := ex.places[m.place]
		p = len(r.Places)
		placePos[m.place] = p
		conf := m.conf
		if m.doubt {
			conf *= doubtFactor
		}
		r.Places = append(r.Places, Place{Name: pl.name, Kind: pl.kind, Country: pl.country, Mentions: []Evidence{}, Evidence: ev, Confidence: conf})
	}
	if m.doubt {
		r.Places[p].Doubtful = append(r.Places[p].Doubtful, ev)
	} else {
		r.Places[p].Mentions = append(r.Places[p].Mentions, ev)
	}
}

// evidences lists every evidence of r, in the order of its fields, for
// fillOffsets.
func evidences(r *Result) []*Evidence {
	var evs []*Evidence
	add := func(e *Evidence) { evs = append(evs, e) }
	// addWith adds e and then every evidence of lists.
	addWith := func(e *Evidence, lists ...[]Evidence) {
		add(e)
		for _, es := range lists {
			for k := range es {
				add(&es[k])
			}
		}
	}
	for i := range r.Cities {
		c := &r.Cities[i]
		addWith(&c.Evidence, c.Mentions, c.NameMentions, c.Doubtful)
	}
	for i := range r.Countries {
		c := &r.Countries[i]
		addWith(&c.Evidence, c.Mentions, c.NameMentions, c.Doubtful)
	}
	for i := range r.Places {
		p := &r.Places[i]
		addWith(&p.Evidence, p.Mentions, p.Doubtful)
	}
	for i := range r.Institutions {
		add(&r.Institutions[i].Evidence)
	}
	for i := range r.People {
		add(&r.People[i].Evidence)
		if r.People[i].NameEvidence != nil {
			add(r.People[i].NameEvidence)
		}
	}
	for i := range r.Agreements {
		a := &r.Agreements[i]
		add(&a.Evidence)
		for k := range a.Mentions {
			add(&a.Mentions[k].Evidence)
		}
		if a.Proposal != nil {
			add(&a.Proposal.Evidence)
		}
		for k := range a.Facilitators {
			add(&a.Facilitators[k].Evidence)
		}
	}
	for i := range r.Dates {
		add(&r.Dates[i].Evidence)
	}
	for i := range r.Counts {
		add(&r.Counts[i].Evidence)
	}
	for i := range r.Ordinals {
		add(&r.Ordinals[i].Evidence)
	}
	for i := range r.Domains {
		addWith(&r.Domains[i].Evidence, r.Domains[i].Mentions)
	}
	for i := range r.Events {
		addWith(&r.Events[i].Evidence, r.Events[i].Mentions)
	}
	for i := range r.Productions {
		add(&r.Productions[i].Evidence)
	}
	return evs
}

// outputLangs are the languages of city names in a Result: the project's
// languages and the scripts of its region. The gazetteer keeps all.
var outputLangs = []string{"fa", "en", "ar", "ru", "uz", "tr", "tg", "ps", "ku", "ur", "und"}

func shortNames(n twin.Names) twin.Names {
	out := make(twin.Names, len(outputLangs))
	for _, l := range outputLangs {
		if v := n[l]; v != "" {
			out[l] = v
		}
	}
	return out
}
