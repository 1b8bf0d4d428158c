// Package vitality tells whether a twinning agreement is alive, from facts
// the caller supplies. It is a pure function: no clock, no storage.
//
// # Rules
//
// The state comes from the legal status and the date of the last activity:
//
//  1. Status suspended or ended → dormant (reason "suspended" or "ended").
//  2. No signed agreement (status proposed, negotiating, rejected, or an
//     empty status without a signing date) → unknown ("not_signed").
//  3. Signed but no activity recorded up to Now → unknown while the signing
//     is less than a year old ("signed_recently"), dormant from one year on
//     ("no_activity_since_signing"); unknown when the signing date is
//     unknown ("signing_date_unknown").
//  4. Otherwise the last activity decides (reason "last_activity"): at most
//     12 months before Now → active; at most 36 months → cooling; older →
//     dormant. Boundaries belong to the livelier state: exactly 12 months
//     is active, exactly 36 months is cooling.
//
// An activity takes place from its Start to its End (or on its Start when
// End is nil); one still running at Now counts as happening Now. Activities
// that start after Now are plans: they are reported ("planned_activity")
// but do not count.
//
// The score, between 0 and 1, ranks agreements of the same state and says
// how much is going on. It adds, over the activities of the last 36 months
// (breadth: over all activities up to Now):
//
//	recency     0.40  1 up to 12 months, falling linearly to 0 at 36
//	directions  0.15  activities both ways ("both", or a_to_b and b_to_a)
//	breadth     0.15  promised domains delivered / promised (without
//	                  promises: distinct domains / 3, at most 1)
//	institutions 0.10 (active links + most institutions in one activity) / 4
//	participants 0.10 participants / 100
//	outputs     0.10  outputs / 5
//
// each fraction capped at 1. A suspended, ended or unsigned agreement
// scores 0. Every result carries at least one reason; reasons are machine
// codes with parameters, for the web layer to translate.
//
// Delivered lists the promised domains seen in any activity up to Now,
// Missing the promised ones not seen, Extra the domains seen but never
// promised. Domains compare case-insensitively after trimming spaces.
package vitality

import (
	"math"
	"slices"
	"strings"
	"time"
)

// States of a partnership.
const (
	Active  State = "active"
	Cooling State = "cooling"
	Dormant State = "dormant"
	Unknown State = "unknown"
)

// Directions of an activity between the agreement's cities A and B.
const (
	AToB = "a_to_b"
	BToA = "b_to_a"
	Both = "both"
)

// Thresholds of the rules, in months (and years for the signing grace).
const (
	ActiveMonths  = 12
	CoolingMonths = 36
	GraceYears    = 1
)

// State is the computed vitality of a partnership.
type State string

// Activity is one thing done under the agreement or one of its links.
type Activity struct {
	Start        time.Time
	End          *time.Time // nil: a one-day or open-ended record, counted at Start
	Direction    string     // AToB, BToA, Both or "" when unknown
	Domains      []string
	Participants int
	Outputs      int
	Institutions int
}

// Input holds the facts about one agreement.
type Input struct {
	Now              time.Time
	Status           string     // proposed, negotiating, signed, suspended, ended, rejected
	Signed, Proposed *time.Time // start of the signing/proposal interval, if known
	Ends             *time.Time // the end of the agreement's term, when one is set (Rank)
	PromisedDomains  []string
	Activities       []Activity
	ActiveLinks      int // institution links with status active
}

// Reason explains a result: a machine code and its parameters, e.g.
// {"last_activity", {"months": 7}}.
type Reason struct {
	Code   string
	Params map[string]any
}

// Result is the vitality of an agreement.
type Result struct {
	State     State
	Score     float64
	Reasons   []Reason
	Delivered []string  // promised and seen in activities
	Missing   []string  // promised, not yet seen
	Extra     []string  // seen but never promised
	Last      time.Time // when the last activity up to Now took place; zero if none did
}

// Compute applies the package's rules to in.
func Compute(in Input) Result {
	past, planned := split(in.Now, in.Activities)
	last := lastActivity(in.Now, past) // zero when there is none
	delivered, missing, extra := domains(in.PromisedDomains, past)
	r := compute(in, past, last, len(delivered))
	r.Delivered, r.Missing, r.Extra = delivered, missing, extra
	r.Last = last
	if planned > 0 {
		r.Reasons = append(r.Reasons, Reason{"planned_activity", map[string]any{"count": planned}})
	}
	return r
}

// compute gives the state, score and reasons; delivered is how many promised domains the
// past activities covered.
func compute(in Input, past []Activity, last time.Time, delivered int) Result {
	var r Result
	switch status := strings.ToLower(strings.TrimSpace(in.Status)); {
	case status == "suspended" || status == "ended":
		r.State = Dormant
		r.Reasons = []Reason{{Code: status}}
		return r
	case status != "signed" && !(status == "" && in.Signed != nil):
		if status == "" {
			status = "unknown"
		}
		r.State = Unknown
		r.Reasons = []Reason{{"not_signed", map[string]any{"status": status}}}
		return r
	}
	if len(past) == 0 {
		r.State, r.Reasons = neverActive(in.Now, in.Signed, len(in.Activities) > 0 || in.ActiveLinks > 0)
		return r
	}
	r.State = stateFor(in.Now, last)
	r.Reasons = []Reason{{"last_activity", map[string]any{"months": monthsBetween(last, in.Now)}}}
	recent := window(in.Now, past)
	score, reasons := engagement(in, recent, delivered)
	r.Score = round(0.40*recency(in.Now, last) + score)
	r.Reasons = append(r.Reasons, reasons...)
	return r
}

// split keeps the activities that started by now and counts the planned ones.
func split(now time.Time, acts []Activity) (past []Activity, planned int) {
	for _, a := range acts {
		if a.Start.After(now) {
			planned++
		} else {
			past = append(past, a)
		}
	}
	return past, planned
}

// neverActive judges a signed agreement with no past activity. Absence of records is not
// evidence of silence: when nothing at all is tracked under the agreement (no activity, not even
// a planned one, and no institution link), as with agreements that came from a registry, the
// state is unknown; once someone tracks it, a year without activity makes it dormant.
func neverActive(now time.Time, signed *time.Time, tracked bool) (State, []Reason) {
	switch {
	case signed == nil:
		return Unknown, []Reason{{Code: "signing_date_unknown"}, {Code: "no_activity_recorded"}}
	case signed.After(now.AddDate(-GraceYears, 0, 0)):
		return Unknown, []Reason{{"signed_recently", map[string]any{"months": monthsBetween(*signed, now)}}}
	case !tracked:
		return Unknown, []Reason{{Code: "no_activity_recorded"}, {"no_activity_since_signing", map[string]any{"years": monthsBetween(*signed, now) / 12}}}
	default:
		return Dormant, []Reason{{"no_activity_since_signing", map[string]any{"years": monthsBetween(*signed, now) / 12}}}
	}
}

// lastActivity is the latest moment an activity took place, capped at now.
func lastActivity(now time.Time, past []Activity) time.Time {
	var last time.Time
	for _, a := range past {
		t := a.Start
		if a.End != nil && a.End.After(t) {
			t = *a.End
		}
		if t.After(now) {
			t = now
		}
		if t.After(last) {
			last = t
		}
	}
	return last
}

func stateFor(now, last time.Time) State {
	switch {
	case !last.Before(now.AddDate(0, -ActiveMonths, 0)):
		return Active
	case !last.Before(now.AddDate(0, -CoolingMonths, 0)):
		return Cooling
	default:
		return Dormant
	}
}

// recency is 1 up to ActiveMonths, falling linearly to 0 at CoolingMonths.
func recency(now, last time.Time) float64 {
	if !last.Before(now.AddDate(0, -ActiveMonths, 0)) {
		return 1
	}
	from := now.AddDate(0, -CoolingMonths, 0)
	span := now.AddDate(0, -ActiveMonths, 0).Sub(from)
	return math.Max(0, float64(last.Sub(from))/float64(span))
}

// window keeps the activities that ended, or started, in the last
// CoolingMonths: the evidence the score weighs.
func window(now time.Time, past []Activity) []Activity {
	from := now.AddDate(0, -CoolingMonths, 0)
	var out []Activity
	for _, a := range past {
		if !a.Start.Before(from) || (a.End != nil && !a.End.Before(from)) {
			out = append(out, a)
		}
	}
	return out
}

// monthsBetween counts whole calendar months from a to b (0 if b ≤ a).
func monthsBetween(a, b time.Time) int {
	if !b.After(a) {
		return 0
	}
	m := (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
	if a.AddDate(0, m, 0).After(b) {
		m--
	}
	return m
}

func round(x float64) float64 { return math.Round(x*1000) / 1000 }

func normDomain(d string) string { return strings.ToLower(strings.TrimSpace(d)) }

// domains compares promised domains with those seen in activities.
func domains(promised []string, past []Activity) (delivered, missing, extra []string) {
	seen := map[string]string{}
	for _, a := range past {
		for _, d := range a.Domains {
			if k := normDomain(d); k != "" {
				if _, ok := seen[k]; !ok {
					seen[k] = strings.TrimSpace(d)
				}
			}
		}
	}
	promisedSet := map[string]bool{}
	for _, p := range promised {
		k := normDomain(p)
		if k == "" || promisedSet[k] {
			continue
		}
		promisedSet[k] = true
		if _, ok := seen[k]; ok {
			delivered = append(delivered, strings.TrimSpace(p))
		} else {
			missing = append(missing, strings.TrimSpace(p))
		}
	}
	for k, d := range seen {
		if !promisedSet[k] {
			extra = append(extra, d)
		}
	}
	slices.Sort(extra)
	return delivered, missing, extra
}
