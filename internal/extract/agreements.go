package extract

import (
	"strings"

	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/twin"
)

// Agreement states, from the least to the most advanced.
const (
	StateMentioned = "mentioned"
	StateProposed  = "proposed"
	StateAnnounced = "announced"
	StatePlanned   = "planned"
	StateSigned    = "signed"
	// A partnership put on hold («تعلیق», "suspended") or ended («لغو»,
	// "terminated", "cut ties"): later in a partnership's life than its
	// signing, so they win over it.
	StateSuspended = "suspended"
	StateEnded     = "ended"
)

var stateRank = map[string]int{StateMentioned: 0, StateProposed: 1, StateAnnounced: 2, StatePlanned: 3, StateSigned: 4,
	StateSuspended: 5, StateEnded: 6}

// enEndWords end a partnership; enSuspendWords put it on hold.
var (
	enEndWords     = setOf(`ended terminated terminate terminating cancelled canceled cancel revoked revoke annulled severed sever scrapped scrap dissolved ended`)
	enSuspendWords = setOf(`suspended suspend suspending froze frozen freeze paused`)
	enFutureCue    = setOf(`will to would shall`)
)

var enAgreementWords = setOf(`sister twin twinning twinned memorandum mou agreement agreements partnership friendship accord`)

// sentenceState classifies what a sentence says about an agreement.
func (ex *extractor) sentenceState(s [2]int) (string, float64, int) {
	d := ex.d
	state, conf, at := StateMentioned, 0.4, -1
	set := func(st string, c float64, k int) {
		if stateRank[st] > stateRank[state] || st == state && c > conf {
			state, conf, at = st, c, k
		}
	}
	if d.lang == "en" {
		for k := s[0]; k < s[1]; k++ {
			w := d.words[k].key
			prev, prev2, prev3 := d.key(k-1), d.key(k-2), d.key(k-3)
			if k-1 < s[0] {
				prev = ""
			}
			if k-2 < s[0] {
				prev2 = ""
			}
			if k-3 < s[0] {
				prev3 = ""
			}
			neg := prev == "not" || prev2 == "not" || prev == "never" || prev == "failed" || prev2 == "failed" ||
				prev == "didn't" || prev == "didnt" || prev == "no" || prev2 == "never"
			future := enFutureCue[prev] || enFutureCue[prev2] && (prev == "be" || prev == "formally" || prev == "officially" || prev == "also") ||
				prev == "be" && enFutureCue[prev3] || prev2 == "expected" || prev2 == "set" || prev2 == "plans" || prev2 == "plan" ||
				prev2 == "agreed" || prev2 == "intend" || prev2 == "intends" || prev2 == "hope" || prev2 == "hopes"
			switch {
			case w == "sign" || w == "signing" || w == "signed" || w == "conclude" || w == "concluded" || w == "ink" || w == "inked" || w == "signs":
				switch {
				case neg:
				case future:
					set(StatePlanned, 0.8, k)
				case w == "signed" || w == "concluded" || w == "inked" || w == "signs":
					set(StateSigned, 0.85, k)
				case w == "signing" && (d.key(k+1) == "ceremony" || prev == "the" && (prev2 == "at" || prev2 == "after" || prev2 == "following" || prev2 == "marked")):
					set(StateSigned, 0.7, k) // "at the signing ceremony on Monday"
				}
			case enEndWords[w] || w == "cut" && d.key(k+1) == "ties" || w == "broke" && d.key(k+1) == "off" || w == "withdrew" || w == "withdraw" && !future:
				if !neg && !future {
					set(StateEnded, 0.75, k)
				}
			case enSuspendWords[w]:
				if !neg && !future {
					set(StateSuspended, 0.75, k)
				}
			case strings.HasPrefix(w, "propos") || strings.HasPrefix(w, "suggest"):
				set(StateProposed, 0.75, k)
			case w == "plans" || w == "planned" || w == "plan" || w == "intends" || w == "intend" || w == "expected" && d.key(k+1) == "to":
				set(StatePlanned, 0.7, k)
			case w == "announced" || w == "ready" || w == "readiness" || w == "agreed" && d.key(k+1) == "to":
				set(StateAnnounced, 0.6, k)
			}
		}
		return state, conf, at
	}
	for k := s[0]; k < s[1]; k++ {
		w := d.words[k].key
		switch {
		case strings.HasPrefix(w, "امضا") || w == "منعقد" || w == "انعقاد":
			future, past, neg := false, false, false
			for x := k + 1; x < s[1] && x <= k+4; x++ {
				v := d.words[x].key
				if v == "خواهد" || v == "خواهند" || v == "قرار" {
					future = true
				}
				if strings.HasPrefix(v, "نشد") || strings.HasPrefix(v, "نکرد") || strings.HasPrefix(v, "نرسید") || strings.HasPrefix(v, "نخواهد") {
					neg = true
				}
				if v == "شد" || v == "شده" || v == "کردند" || v == "کرد" || v == "رسید" || v == "رسیده" || v == "کرده" || v == "کردهاند" || v == "نمودند" || v == "شدهاست" {
					past = true
				}
				if x > k+1 && (faSpeech[v] || d.words[x].brk) {
					break
				}
			}
			if k > s[0] && (d.key(k-1) == "قرار" || d.key(k-2) == "قرار") {
				future = true
			}
			switch {
			case neg:
			case future:
				set(StatePlanned, 0.8, k)
			case past:
				set(StateSigned, 0.85, k)
			case w == "امضای" && (d.key(k+1) == "این" || d.key(k-1) == "با" || d.key(k-1) == "فردای"):
				// «با امضای این تفاهمنامه»: the signing the article reports
				if !(d.key(k-1) == "برای") {
					set(StateSigned, 0.7, k)
				}
			}
			if d.key(k-1) == "برای" && strings.Contains(ex.sentenceKeys(s), "امادگی") {
				set(StateAnnounced, 0.7, k)
			}
		case w == "لغو" || w == "فسخ" || w == "قطع" && ex.hasAgreementWord(s) || w == "پایان" && (d.key(k+1) == "داد" || d.key(k+1) == "دادند" || d.key(k+1) == "یافت"):
			if !faNegatedAfter(d, k, s) {
				set(StateEnded, 0.75, k)
			}
		case w == "تعلیق" || w == "متوقف":
			if !faNegatedAfter(d, k, s) {
				set(StateSuspended, 0.75, k)
			}
		case w == "پیشنهاد" || w == "پیشنهادی":
			set(StateProposed, 0.75, k)
		case w == "اعلام" || w == "آمادگی" || w == "امادگی":
			set(StateAnnounced, 0.6, k)
		}
	}
	return state, conf, at
}

// faNegatedAfter reports whether the verb after word k is negated («لغو نشد»).
func faNegatedAfter(d *doc, k int, s [2]int) bool {
	for x := k + 1; x < s[1] && x <= k+3; x++ {
		v := d.words[x].key
		if strings.HasPrefix(v, "نشد") || strings.HasPrefix(v, "نکرد") || strings.HasPrefix(v, "نخواهد") {
			return true
		}
	}
	return false
}

func (ex *extractor) sentenceKeys(s [2]int) string {
	var b strings.Builder
	for k := s[0]; k < s[1]; k++ {
		b.WriteString(ex.d.words[k].key)
		b.WriteByte(' ')
	}
	return b.String()
}

type pairMention struct {
	x, y  string
	a, b  int // evidence
	state string
	conf  float64
}

// cityPairs finds the city pairs a sentence speaks of: «X با Y و Z» / "X
// with Y and Z" (X with each), «X و Y» / "X and Y" / "between X and Y", and,
// failing those, the two cities of a sentence that names exactly two.
func (ex *extractor) cityPairs(s [2]int) [][4]int {
	d := ex.d
	var cities []*mention
	for _, m := range ex.mentionsIn(s[0], s[1]) {
		if m.kind == mCity {
			cities = append(cities, m)
		}
	}
	if len(cities) < 2 {
		return nil
	}
	and, with := "و", "با"
	if d.lang == "en" {
		and, with = "and", "with"
	}
	next := func(m *mention) *mention { // city after m joined by «و»/"and", skipping «(country)»
		k := m.b
		if k < s[1] {
			if c := ex.mentionAt(k); c != nil && c.a == k && c.kind == mCountry && strings.Contains(d.gap(k-1, k), "(") {
				k = c.b
			}
		}
		if k+1 < s[1] && d.words[k].key == and {
			if c := ex.mentionAt(k + 1); c != nil && c.a == k+1 && c.kind == mCity {
				return c
			}
		}
		return nil
	}
	var out [][4]int
	seen := map[[2]int]bool{}
	add := func(x, y *mention, a, b int) {
		k := [2]int{min(x.city, y.city), max(x.city, y.city)}
		if x.city == y.city || seen[k] {
			return
		}
		seen[k] = true
		out = append(out, [4]int{x.city, y.city, a, b})
	}
	for k := s[0]; k+1 < s[1]; k++ {
		if d.words[k].key != with {
			continue
		}
		// the subject: the last city before «با»/"with" in the sentence
		var m *mention
		for _, c := range cities {
			if c.b <= k {
				m = c
			}
		}
		if m == nil {
			continue
		}
		{
			if y := ex.mentionAt(k + 1); y != nil && y.a == k+1 && y.kind == mCity {
				add(m, y, m.a, y.b)
				for z := next(y); z != nil; z = next(z) {
					add(m, z, m.a, z.b)
				}
			}
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, m := range cities {
		if y := next(m); y != nil {
			add(m, y, m.a, y.b)
		}
	}
	if len(out) > 0 {
		return out
	}
	distinct := map[int]bool{}
	for _, m := range cities {
		distinct[m.city] = true
	}
	if len(distinct) == 2 {
		var x, y = cities[0].city, -1
		for _, m := range cities {
			if m.city != x {
				y = m.city
				break
			}
		}
		out = append(out, [4]int{x, y, -1, -1})
	}
	return out
}

func (ex *extractor) findAgreements() {
	d := ex.d
	words := faAgreementWords
	if d.lang == "en" {
		words = enAgreementWords
	}
	type agg struct {
		a     Agreement
		rank  int
		order int
	}
	byPair := map[[2]int]*agg{}
	var order [][2]int
	for _, s := range d.sents {
		trigger, kind := -1, twin.KindCooperation
		for k := s[0]; k < s[1]; k++ {
			key := d.words[k].key
			if words[key] {
				if trigger < 0 {
					trigger = k
				}
				if strings.HasPrefix(key, "خواهر") || key == "sister" || strings.HasPrefix(key, "twin") {
					kind = twin.KindSister
				}
			}
			if key == "خواهر" || key == "sister" {
				kind = twin.KindSister
			}
		}
		if trigger < 0 {
			continue
		}
		pairs := ex.cityPairs(s)
		if len(pairs) == 0 {
			continue
		}
		state, conf, at := ex.sentenceState(s)
		for _, p := range pairs {
			key := [2]int{min(p[0], p[1]), max(p[0], p[1])}
			g, ok := byPair[key]
			if !ok {
				g = &agg{a: Agreement{Cities: []string{refOf(ex.cities[p[0]]), refOf(ex.cities[p[1]])}, Kind: kind}, rank: -1}
				byPair[key] = g
				order = append(order, key)
			}
			if kind == twin.KindSister {
				g.a.Kind = kind
			}
			// evidence: from the first city of the pair (or the trigger) to the state word
			b := s[1]
			lo, hi := trigger, trigger+1
			if p[2] >= 0 {
				lo, hi = min(lo, p[2]), max(hi, p[3])
			} else {
				for _, m := range ex.mentionsIn(s[0], s[1]) {
					if m.kind == mCity && (m.city == p[0] || m.city == p[1]) {
						lo, hi = min(lo, m.a), max(hi, m.b)
					}
				}
			}
			if at >= 0 {
				lo, hi = min(lo, at), max(hi, at+1)
			}
			// extend to the verb after the state word
			if at >= 0 && state != StateMentioned {
				for x := at + 1; x < b && x <= at+3; x++ {
					if d.words[x].brk {
						break
					}
					v := d.words[x].key
					if v == "خواهد" || v == "خواهند" || v == "کرد" || v == "کردند" || v == "شد" || v == "رسید" || v == "مطرح" {
						hi = max(hi, x+1)
						if (v == "خواهد" || v == "خواهند" || v == "مطرح") && x+1 < b && !d.words[x+1].brk {
							hi = max(hi, x+2)
						}
					}
				}
			}
			ev := d.ev(lo, hi)
			g.a.Mentions = append(g.a.Mentions, AgreementMention{State: state, Evidence: ev})
			better := stateRank[state] > g.rank
			if stateRank[state] == g.rank && (conf > g.a.Confidence || conf == g.a.Confidence && ev.End-ev.Start < g.a.Evidence.End-g.a.Evidence.Start) {
				better = true
			}
			if better {
				g.rank = stateRank[state]
				g.a.State, g.a.Evidence, g.a.Confidence = state, ev, conf
				if p[2] < 0 {
					g.a.Confidence -= 0.15
				}
			}
			if state == StateProposed && g.a.Proposal == nil {
				pr := &Proposal{Evidence: ev}
				for _, pf := range ex.people {
					if pf.a >= s[0] && pf.a < at && pf.name != "" {
						pr.By = pf.name
					}
				}
				if pr.By == "" { // «... از سوی «علی رضایی» مطرح شد», "made by X"
					for _, pf := range ex.people {
						if pf.a > at && pf.a < s[1] && pf.name != "" {
							pr.By = pf.name
							break
						}
					}
				}
				for _, df := range ex.dates {
					if df.a >= s[0] && df.b <= s[1] {
						pd := df.pd
						pr.Date = &pd
						break
					}
				}
				g.a.Proposal = pr
			}
			if (state == StateEnded || state == StateSuspended) && g.a.Ended == nil {
				for _, df := range ex.dates {
					if df.a >= s[0] && df.b <= s[1] {
						pd := df.pd
						g.a.Ended = &pd
						break
					}
				}
			}
			if state == StateSigned && g.a.Signed == nil {
				for _, df := range ex.dates {
					if df.a >= s[0] && df.b <= s[1] {
						pd := df.pd
						g.a.Signed = &pd
						break
					}
				}
			}
		}
	}
	for _, k := range order {
		g := byPair[k]
		if g.a.State == StateMentioned {
			g.a.State, g.a.Confidence = StateAnnounced, 0.4
		}
		if len(g.a.Mentions) > 1 {
			g.a.Confidence = min(0.95, g.a.Confidence+0.05)
		}
		g.a.Status = twin.StatusProposed
		switch g.a.State {
		case StateEnded:
			g.a.Status = twin.StatusEnded
		case StateSuspended:
			g.a.Status = twin.StatusSuspended
		}
		if g.a.State == StateSigned {
			g.a.Status = twin.StatusSigned
			// A ceremony reported as it happens, with no date of its own: the article's date.
			if g.a.Signed == nil && ex.o.Published != "" {
				if pd, err := calendar.Parse(calendar.Gregorian, ex.o.Published); err == nil {
					g.a.Signed, g.a.SignedFrom = &pd, "published"
				}
			}
		}
		ex.r.Agreements = append(ex.r.Agreements, g.a)
	}
}

func (ex *extractor) hasAgreementWord(s [2]int) bool {
	for k := s[0]; k < s[1]; k++ {
		if faAgreementWords[ex.d.words[k].key] || enAgreementWords[ex.d.words[k].key] || ex.d.words[k].key == "خواهرخواندگی" {
			return true
		}
	}
	return false
}

// facilitatorWords credit someone with bringing an agreement about.
var facilitatorWords = map[string]bool{
	"اهتمام": true, "تلاش": true, "تلاشهای": true, "مساعدت": true, "پیگیری": true, "پیگیریهای": true, "تسهیل": true,
	"میانجیگری": true, "حمایت": true, "حمایتهای": true, "کوشش": true, "زحمات": true,
	"facilitated": true, "facilitate": true, "efforts": true, "mediated": true, "brokered": true, "helped": true,
}

// findFacilitators credits institutions with an agreement when a sentence names the
// institution, a facilitating word («اهتمام سفارت … برای برقراری پیوند میان اصفهان و
// سمرقند», "brokered by the embassy") and both cities of the agreement.
func (ex *extractor) findFacilitators() {
	d := ex.d
	for ai := range ex.r.Agreements {
		a := &ex.r.Agreements[ai]
		if len(a.Cities) != 2 {
			continue
		}
		for _, s := range d.sents {
			credited := false
			for k := s[0]; k < s[1]; k++ {
				if facilitatorWords[d.words[k].key] {
					credited = true
					break
				}
			}
			if !credited || !ex.namesBoth(s, a.Cities[0], a.Cities[1]) {
				continue
			}
			for ii, f := range ex.insts {
				if f.a < s[0] || f.b > s[1] || (f.typ != "embassy" && f.typ != "consulate" && f.typ != "ngo" && f.typ != "government") {
					continue
				}
				dup := false
				for _, x := range a.Facilitators {
					dup = dup || x.Institution == ii
				}
				if !dup {
					a.Facilitators = append(a.Facilitators, Facilitator{Name: f.name, Institution: ii, Evidence: d.ev(f.a, f.b)})
				}
			}
		}
	}
}

// namesBoth reports whether sentence s mentions both cities.
func (ex *extractor) namesBoth(s [2]int, a, b string) bool {
	seen := map[string]bool{}
	for _, m := range ex.mentionsIn(s[0], s[1]) {
		if m.kind == mCity {
			seen[refOf(ex.cities[m.city])] = true
		}
	}
	return seen[a] && seen[b]
}
