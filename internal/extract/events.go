package extract

import "github.com/twinning/twinning/internal/calendar"

// The events a text reports around a partnership: festivals (with their
// ordinal and date), invitations, visits, ceremonies (findEvents) and
// delegations (findDelegations). The agreements themselves are in
// agreements.go.

// findEvents reads festivals (with their ordinal and date), invitations,
// visits and ceremonies.
func (ex *extractor) findEvents() {
	d := ex.d
	dateIn := func(a, b int) *calendar.PartialDate {
		for _, df := range ex.dates {
			if df.a >= a && df.b <= b {
				pd := df.pd
				return &pd
			}
		}
		return nil
	}
	sentOf := func(i int) [2]int { return d.sents[d.words[i].sent] }
	for ii, f := range ex.insts {
		if f.typ != "festival" {
			continue
		}
		s := sentOf(f.a)
		e := Event{Kind: "festival", Title: f.name, Aliases: ex.r.Institutions[ii].Aliases, Date: dateIn(f.b, s[1]), Confidence: 0.75}
		a := f.a
		for _, o := range ex.r.Ordinals {
			if o.Evidence.End == d.words[f.a].end || o.Evidence.End >= d.words[f.a].start && o.Evidence.Start < d.words[f.a].start {
				e.Ordinal = o.Value
				if x, _ := ex.wordRange(o.Evidence.Start, o.Evidence.End); x >= 0 {
					a = x
				}
			}
		}
		if f.city != "" {
			e.Cities = []string{f.city}
		}
		b := f.b
		if e.Date != nil {
			for _, df := range ex.dates {
				if df.a >= f.b && df.b <= s[1] {
					b = df.b
					break
				}
			}
		}
		e.Evidence = d.ev(a, b)
		ex.r.Events = append(ex.r.Events, e)
	}
	delegSents := ex.findDelegations(dateIn)
	for i := 0; i < len(d.words); i++ {
		k := d.words[i].key
		s := sentOf(i)
		switch {
		case k == "دعوت" && d.key(i+1) == "از" || (k == "invited" || k == "invitation" || k == "invites" || k == "invite") && d.lang == "en":
			e := Event{Kind: "invitation", Confidence: 0.7}
			a := i + 1
			if d.lang == "fa" {
				a = i + 2
			} else if p := d.key(i - 1); p == "were" || p == "was" || p == "are" || p == "is" || p == "been" {
				// passive: "Artists from Samarkand were invited to ..."
				a = s[0]
				for x := s[0]; x < i-1; x++ {
					if d.words[x].brk && x > s[0] {
						a = x
					}
				}
				e := Event{Kind: "invitation", Confidence: 0.7, Invitees: ex.surface(a, i-1)}
				for _, m := range ex.mentionsIn(a, i-1) {
					if m.kind == mCity {
						e.Cities = appendNewStr(e.Cities, refOf(ex.cities[m.city]))
					}
				}
				end := i + 1
				for _, f := range ex.insts {
					if f.typ == "festival" && f.a > i && f.a < s[1] {
						e.Title, end = f.name, f.b
						break
					}
				}
				e.Date = dateIn(i, s[1])
				e.Evidence = d.ev(a, end)
				ex.r.Events = append(ex.r.Events, e)
				continue
			} else if d.key(a) == "to" {
				a++
			}
			b := a
			for b < s[1] && b-a < 8 && d.words[b].key != "برای" && d.words[b].key != "to" && d.words[b].key != "for" && !d.words[b].brk {
				b++
			}
			if b > a {
				e.Invitees = ex.surface(a, b)
				for _, m := range ex.mentionsIn(a, b) {
					if m.kind == mCity {
						e.Cities = appendNewStr(e.Cities, refOf(ex.cities[m.city]))
					}
				}
			}
			end := b
			for _, f := range ex.insts {
				if f.typ == "festival" && f.a >= b && f.a < s[1] {
					e.Title = f.name
					end = f.b
					break
				}
			}
			e.Date = dateIn(i, s[1])
			e.Evidence = d.ev(i, max(end, i+1))
			ex.r.Events = append(ex.r.Events, e)
		case (k == "سفر" && d.key(i+1) == "به" || k == "visit" && d.key(i+1) == "to" || k == "visited") && !delegSents[d.words[i].sent]:
			j := i + 2
			if k == "visited" {
				j = i + 1
			}
			if m := ex.cityStartAt(j); m != nil {
				e := Event{Kind: "visit", Cities: []string{refOf(ex.cities[m.city])}, Date: dateIn(max(s[0], i-6), min(s[1], m.b+6)), Evidence: d.ev(i, m.b), Confidence: 0.65}
				ex.r.Events = append(ex.r.Events, e)
			}
		case (k == "آیین" || k == "مراسم" || k == "ceremony") && ex.hasAgreementWord(s):
			e := Event{Kind: "ceremony", Date: dateIn(s[0], s[1]), Evidence: d.ev(i, i+1), Confidence: 0.6}
			for _, m := range ex.mentionsIn(s[0], s[1]) {
				if m.kind == mCity {
					e.Cities = appendNewStr(e.Cities, refOf(ex.cities[m.city]))
				}
			}
			ex.r.Events = append(ex.r.Events, e)
		}
	}
}

// delegationWords head a delegation: «هیئت», "delegation".
var delegationWords = setOf(`هیئت هیئتی هیات هیاتی delegation delegations`)

// findDelegations reads delegations: a delegation word with the city it
// comes from («هیئتی از اصفهان», «هیئت اصفهانی», "a delegation from Bristol",
// "a Bristol delegation", "a delegation of Bristol City Council") and the
// city it goes to («… به سمرقند», «… وارد سمرقند شد», "… visited Tbilisi",
// "… to Tbilisi", "… arrived in Tbilisi"). It returns the sentences that had
// one, whose visit is the delegation's.
func (ex *extractor) findDelegations(dateIn func(a, b int) *calendar.PartialDate) map[int]bool {
	d := ex.d
	out := map[int]bool{}
	for i := 0; i < len(d.words); i++ {
		if !delegationWords[d.words[i].key] {
			continue
		}
		// «هیئت مدیره» is a board, «هیئت علمی» a faculty
		if nx := d.key(i + 1); nx == "مدیره" || nx == "علمی" || nx == "امنا" || nx == "دولت" || nx == "وزیران" {
			continue
		}
		s := d.sents[d.words[i].sent]
		var from, to string
		lo, hi := i, i+1
		cityAt := func(k int) *mention {
			if k < s[0] || k >= s[1] {
				return nil
			}
			if m := ex.cityStartAt(k); m != nil {
				return m
			}
			return nil
		}
		// origin
		if d.lang == "en" {
			if m := ex.mentionAt(i - 1); i > s[0] && m != nil && m.b == i && m.kind == mCity {
				from, lo = refOf(ex.cities[m.city]), m.a
			}
			for k := i + 1; from == "" && k < s[1] && k <= i+4; k++ {
				if kk := d.key(k); kk == "from" || kk == "of" {
					for x := k + 1; x < s[1] && x <= k+4; x++ {
						if m := cityAt(x); m != nil {
							from, hi = refOf(ex.cities[m.city]), m.b
							break
						}
					}
					break
				}
			}
		} else {
			for k := i + 1; k < s[1] && k <= i+3; k++ {
				if m := cityAt(k); m != nil && (d.key(k-1) == "از" || k == i+1) {
					from, hi = refOf(ex.cities[m.city]), m.b
					break
				}
			}
		}
		// destination
		for k := hi; k < s[1] && k <= hi+12; k++ {
			kk := d.key(k)
			if kk == "to" || kk == "visited" || kk == "visit" || kk == "visits" || kk == "in" && (d.key(k-1) == "arrived" || d.key(k-1) == "arrives" || d.key(k-1) == "arrive") || kk == "به" || kk == "وارد" || kk == "در" && k+2 < s[1] && (d.key(k+2) == "حضور" || d.key(k+2) == "سفر") {
				if m := cityAt(k + 1); m != nil && refOf(ex.cities[m.city]) != from {
					to, hi = refOf(ex.cities[m.city]), m.b
					break
				}
			}
		}
		if from == "" && to == "" {
			continue
		}
		e := Event{Kind: "delegation", Confidence: 0.7}
		if from != "" {
			e.Cities = append(e.Cities, from)
		}
		if to != "" {
			e.Cities = appendNewStr(e.Cities, to)
		}
		e.Date = dateIn(s[0], s[1])
		e.Evidence = d.ev(lo, hi)
		if from == "" || to == "" {
			e.Confidence = 0.55
		}
		ex.r.Events = append(ex.r.Events, e)
		out[d.words[i].sent] = true
	}
	return out
}
