package extract

import (
	"strings"
)

type personFact struct {
	name, title, role, city, country, org string
	a, b                                  int
	na, nb                                int // the name's words, when named
	conf                                  float64
	speaker                               bool // designated as the speaker of a sentence
	note                                  string
}

func (ex *extractor) addPerson(p personFact) {
	for k := range ex.people {
		o := &ex.people[k]
		if o.role != "" && o.role == p.role && o.city == p.city && o.org == p.org && o.country == p.country && (o.name == "" || p.name == "" || o.name == p.name) {
			if o.name == "" && p.name != "" {
				o.name, o.a, o.b, o.na, o.nb = p.name, p.a, p.b, p.na, p.nb
			}
			o.speaker = o.speaker || p.speaker
			if p.conf > o.conf {
				o.conf = p.conf
			}
			return
		}
		if o.role == "" && p.role == "" && o.name == p.name {
			o.speaker = o.speaker || p.speaker
			return
		}
	}
	ex.people = append(ex.people, p)
}

// nameBefore reads a person's name right before word i: a «quoted» name, or
// up to four words after the start of the clause and before a comma
// («بابر میرزا آبلاق اف، شهردار سمرقند»).
func (ex *extractor) nameBefore(i int) (string, int) {
	d := ex.d
	if i == 0 {
		return "", -1
	}
	g := d.gap(i-1, i)
	if strings.ContainsAny(g, "»\"”") {
		// find the opening quote
		for a := i - 1; a >= 0 && i-a <= 4; a-- {
			if a == 0 || strings.ContainsAny(d.gap(a-1, a), "«\"“") {
				if ex.personLike(a, i) {
					return ex.surface(a, i), a
				}
				break
			}
		}
		return "", -1
	}
	if strings.TrimSpace(g) == "،" || strings.TrimSpace(g) == "," {
		a := i - 1
		for a > 0 && !d.words[a].brk && i-a < 4 {
			a--
		}
		if d.words[a].brk || a == 0 || d.words[a].sentStart {
			if ex.personLike(a, i) {
				return ex.surface(a, i), a
			}
		}
	}
	return "", -1
}

// personLike reports whether words [a, b) can be a person's name.
func (ex *extractor) personLike(a, b int) bool {
	d := ex.d
	if b <= a || b-a > 4 {
		return false
	}
	for k := a; k < b; k++ {
		w := d.words[k]
		if w.digits || ex.mentionAt(k) != nil {
			return false
		}
		if w.latin {
			if !w.upper || enStop[w.key] || enTitles[w.key] != "" || enInstHeads[w.key] != "" {
				return false
			}
		} else if faStop[w.key] || faTitles[w.key] != "" || faInstHeads[w.key] != "" || faSpeech[w.key] || isVerbLike(w.key) || cooperationWords[w.key] || faAgreementWords[w.key] {
			return false
		}
	}
	return true
}

// titleObject reads what a title at words [i, j) governs: a city, a country
// or an institution.
func (ex *extractor) titleObject(j int) (city, country, org string, end int) {
	d := ex.d
	if j >= len(d.words) || d.words[j].brk {
		return "", "", "", j
	}
	k := j
	if d.words[k].key == "of" || d.words[k].key == "the" {
		k++
		if k < len(d.words) && d.words[k].key == "the" {
			k++
		}
	}
	if k >= len(d.words) {
		return "", "", "", j
	}
	if f := ex.instAt(k); f != nil {
		return f.city, f.country, f.name, f.b
	}
	// English institution whose span starts at a left modifier after "the"
	for idx := range ex.insts {
		f := &ex.insts[idx]
		if f.a >= k && f.a <= k+1 {
			return f.city, f.country, f.name, f.b
		}
	}
	if m := ex.mentionStartAt(k); m != nil {
		switch m.kind {
		case mCity:
			return refOf(ex.cities[m.city]), "", "", m.b
		case mCountry:
			return "", m.country, "", m.b
		}
	}
	return "", "", "", j
}

func (ex *extractor) findPeople() {
	ex.findTitledPeople()
	if ex.d.lang == "fa" {
		ex.findSpeakersFa()
	}
	ex.addTaggedPeople()
	ex.mergeSpeakers()
	ex.addPeople()
}

// findTitledPeople reads the people designated by a title and what it is
// of («شهردار سمرقند», "the mayor of Samarkand"), named when a name stands
// before the title or (English) after it.
func (ex *extractor) findTitledPeople() {
	d := ex.d
	n := len(d.words)
	titles := faTitles
	if d.lang == "en" {
		titles = enTitles
	}
	for i := 0; i < n; i++ {
		w := d.words[i]
		role, ok := titles[w.key]
		if !ok {
			continue
		}
		j := i + 1
		if w.key == "رئیس" && j < n && (d.words[j].key == "جمهور" || d.words[j].key == "جمهوری") {
			role, j = "president", j+1
		}
		if w.key == "شورای" {
			continue
		}
		city, country, org, end := ex.titleObject(j)
		// "Samarkand Mayor X", "Samarkand's mayor"
		if d.lang == "en" && city == "" && country == "" && org == "" && i > 0 && !w.brk {
			if m := ex.mentionAt(i - 1); m != nil && m.b == i && m.kind == mCity {
				city = refOf(ex.cities[m.city])
			}
		}
		if city == "" && country == "" && org == "" {
			continue
		}
		p := personFact{title: ex.surface(i, j), role: role, city: city, country: country, org: org, a: i, b: end, conf: 0.75}
		ex.namePerson(&p, i, end)
		if end < n && d.words[i].sentStart || end < n && faSpeech[d.words[min(end, n-1)].key] {
			p.speaker = true
		}
		ex.addPerson(p)
		i = max(i, end-1)
	}
}

// namePerson names titled person p (title at word i, its object ending at
// end) when a name stands before the title or, in English, after its
// object: "Mayor of Samarkand Babur Abloqulov", «شهردار سمرقند، بابر ...».
func (ex *extractor) namePerson(p *personFact, i, end int) {
	d := ex.d
	n := len(d.words)
	start := i
	if d.lang == "en" && i > 0 && d.words[i-1].key == "the" {
		start = i - 1
	}
	if d.lang == "en" && start > 0 {
		if m := ex.mentionAt(start - 1); m != nil && m.b == start && m.kind == mCity && p.city != "" {
			start = m.a
		}
	}
	if name, a := ex.nameBefore(start); name != "" {
		p.name, p.a, p.conf, p.na, p.nb = name, a, 0.85, a, start
	} else if end < n {
		// "Mayor of Samarkand Babur Abloqulov", «شهردار سمرقند، بابر ...»
		k := end
		if g := strings.TrimSpace(d.gap(end-1, end)); g == "," || g == "،" {
			k = end
		} else if d.words[k].brk {
			k = -1
		}
		if k >= 0 && d.lang == "en" {
			e := k
			for e < n && e-k < 4 && d.words[e].upper && !enStop[d.words[e].key] && ex.mentionAt(e) == nil && (e == k || !d.words[e].brk) {
				e++
			}
			if e > k && ex.personLike(k, e) {
				p.name, p.b, p.conf, p.na, p.nb = ex.surface(k, e), e, 0.85, k, e
			}
		}
	}
}

// addPeople adds the people found to the Result.
func (ex *extractor) addPeople() {
	d := ex.d
	for _, p := range ex.people {
		name := persianName(p.name)
		pr := Person{Name: name, Aliases: asWritten(name, p.name), Title: persianName(p.title), Role: p.role, City: p.city, Country: p.country,
			Organization: p.org, Evidence: d.ev(p.a, p.b), Confidence: p.conf, Note: p.note}
		if p.name != "" && p.nb > p.na {
			ev := d.ev(p.na, p.nb)
			pr.NameEvidence = &ev
		}
		ex.r.People = append(ex.r.People, pr)
	}
}

// findSpeakersFa finds names that open a sentence as its speaker («نوروزی
// تصریح کرد») and «quoted» names after «به ویژه», «آقای», «خانم», «دکتر».
func (ex *extractor) findSpeakersFa() {
	d := ex.d
	for _, s := range d.sents {
		a := s[0]
		for k := a; k < s[1] && k-a < 3; k++ {
			if faSpeech[d.words[k].key] || d.words[k].key == "ضمن" {
				if k > a && ex.personLike(a, k) && !(k-a == 1 && (d.words[a].key == "او" || d.words[a].key == "وی")) {
					ex.addPerson(personFact{name: ex.surface(a, k), a: a, b: k, na: a, nb: k, conf: 0.6, speaker: true})
				}
				break
			}
		}
	}
	for i := 0; i < len(d.words); i++ {
		k := d.words[i].key
		cue := k == "آقای" || k == "خانم" || k == "دکتر" || k == "مهندس" || k == "ویژه" && i > 0 && d.words[i-1].key == "به"
		if !cue || i+1 >= len(d.words) {
			continue
		}
		a := i + 1
		if strings.ContainsAny(d.gap(i, a), "«\"“") {
			e := a
			for e < len(d.words) && e-a < 4 && (e == a || !strings.ContainsAny(d.gap(e-1, e), "»\"”")) {
				e++
			}
			if ex.personLike(a, e) {
				ex.addPerson(personFact{name: ex.surface(a, e), a: a, b: e, na: a, nb: e, conf: 0.6})
			}
		} else if k != "ویژه" && ex.personLike(a, a+1) {
			e := a + 1
			if e < len(d.words) && !d.words[e].brk && ex.personLike(a, e+1) && !faSpeech[d.words[e].key] {
				e++
			}
			ex.addPerson(personFact{name: ex.surface(a, e), a: a, b: e, na: a, nb: e, conf: 0.6})
		}
	}
}

// mergeSpeakers joins a named speaker without a title to the one titled
// speaker without a name when each is the only one of its kind: the article
// alternates «نوروزی تصریح کرد» and «شهردار اصفهان گفت». The result is
// marked as a co-reference guess.
func (ex *extractor) mergeSpeakers() {
	named, titled := -1, -1
	for k, p := range ex.people {
		if !p.speaker {
			continue
		}
		switch {
		case p.name != "" && p.role == "":
			if named >= 0 {
				return
			}
			named = k
		case p.name == "" && p.role != "":
			if titled >= 0 {
				return
			}
			titled = k
		}
	}
	if named < 0 || titled < 0 {
		return
	}
	t := &ex.people[titled]
	t.name = ex.people[named].name
	t.conf = 0.5
	t.note = "name and title joined by co-reference: the same speaker is called «" + t.name + "» and «" + t.title + "»"
	ex.people = append(ex.people[:named], ex.people[named+1:]...)
}
