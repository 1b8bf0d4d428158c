package vitality

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Concern is why a partnership needs the office's attention. The concerns are declared in the
// order a municipal international-affairs office should act on them, and Rank lists them so:
//
//  1. ConcernUnkeptPromises: signed, gone quiet (dormant), with domains the agreement promised and
//     no activity ever delivered — the partnership the city said it would keep and did not.
//  2. ConcernQuiet: signed and dormant, with nothing promised left undone.
//  3. ConcernSuspended: waiting for a decision, to resume it or to end it.
//  4. ConcernCooling: going quiet; the cheapest to revive before it turns dormant.
//  5. ConcernExpiring: its term ends within ExpiryMonths (or has ended while the record still says
//     signed): a renewal to prepare.
//  6. ConcernUntracked: signed more than a year ago (or on an unknown date) and never tracked — no
//     activity and no institution link recorded — so nothing is known of it either way.
//
// Within a concern, the longest silent comes first (for Cooling, the one closest to turning
// dormant), the soonest to expire, the longest untracked; ties keep the caller's order.
type Concern string

// The concerns, in the order Rank lists them.
const (
	ConcernUnkeptPromises Concern = "unkept_promises"
	ConcernQuiet          Concern = "quiet"
	ConcernSuspended      Concern = "suspended"
	ConcernCooling        Concern = "cooling"
	ConcernExpiring       Concern = "expiring"
	ConcernUntracked      Concern = "untracked"
)

var concernOrder = []Concern{ConcernUnkeptPromises, ConcernQuiet, ConcernSuspended, ConcernCooling, ConcernExpiring, ConcernUntracked}

// ExpiryMonths is how far ahead the end of an agreement's term is announced.
const ExpiryMonths = 12

// Attention is one partnership that needs attention: the index of its facts in Rank's input,
// its concern, its vitality, and the reasons to show, the most telling first. Reasons are
// machine codes with parameters (times as time.Time, durations in whole months), for the
// caller to put in words:
//
//	quiet_since          {since, months}  no activity since the last one, months ago
//	quiet_since_signing  {since, months}  tracked, but no activity since the signing
//	promises             {missing, delivered}  promised domains not delivered (and those that were)
//	suspended            {}
//	dormant_in           {months}         a cooling partnership turns dormant in this many months
//	expires              {on, months}     the term ends on, in this many whole months
//	expired              {on}             the term ended on, yet the record says signed
//	untracked            {since, months}  nothing recorded since the signing (without since: the
//	                                      signing date is unknown)
type Attention struct {
	Index   int
	Concern Concern
	Result  Result
	Reasons []Reason
}

// Rank picks out of the facts of several agreements (a city's) those that need attention and
// orders them as Concern describes. Agreements not signed, ended, rejected, active or signed
// less than a year ago are left out, unless their term ends soon.
func Rank(ins []Input) []Attention {
	var out []Attention
	keys := map[int]time.Time{} // Index → the time that orders it within its concern
	for i, in := range ins {
		a, key, ok := judge(in)
		if !ok {
			continue
		}
		a.Index = i
		keys[i] = key
		out = append(out, a)
	}
	slices.SortStableFunc(out, func(a, b Attention) int {
		if c := cmp.Compare(slices.Index(concernOrder, a.Concern), slices.Index(concernOrder, b.Concern)); c != 0 {
			return c
		}
		ka, kb := keys[a.Index], keys[b.Index]
		switch {
		case ka.Equal(kb):
			return 0
		case ka.IsZero(): // unknown dates last
			return 1
		case kb.IsZero():
			return -1
		}
		return ka.Compare(kb)
	})
	return out
}

// judge decides whether one agreement needs attention, why, and the time that orders it
// within its concern (the earlier, the more urgent; zero when unknown).
func judge(in Input) (Attention, time.Time, bool) {
	r := Compute(in)
	a := Attention{Result: r}
	status := strings.ToLower(strings.TrimSpace(in.Status))
	signed := status == "signed" || status == "" && in.Signed != nil
	if !signed && status != "suspended" {
		return a, time.Time{}, false
	}
	var key time.Time
	quiet := func() {
		if !r.Last.IsZero() {
			a.Reasons = append(a.Reasons, Reason{"quiet_since", map[string]any{"since": r.Last, "months": monthsBetween(r.Last, in.Now)}})
			key = r.Last
		} else if in.Signed != nil {
			a.Reasons = append(a.Reasons, Reason{"quiet_since_signing", map[string]any{"since": *in.Signed, "months": monthsBetween(*in.Signed, in.Now)}})
			key = *in.Signed
		}
	}
	switch {
	case status == "suspended":
		a.Concern = ConcernSuspended
		a.Reasons = append(a.Reasons, Reason{Code: "suspended"})
		quiet()
		key = time.Time{} // suspended ones keep the caller's order
	case r.State == Dormant:
		a.Concern = ConcernQuiet
		if len(r.Missing) > 0 {
			a.Concern = ConcernUnkeptPromises
		}
		quiet()
	case r.State == Cooling:
		a.Concern = ConcernCooling
		quiet()
		left := max(CoolingMonths-monthsBetween(r.Last, in.Now), 1)
		a.Reasons = append(a.Reasons, Reason{"dormant_in", map[string]any{"months": left}})
	case r.State == Unknown && r.has("no_activity_recorded"):
		a.Concern = ConcernUntracked
		if in.Signed != nil {
			a.Reasons = append(a.Reasons, Reason{"untracked", map[string]any{"since": *in.Signed, "months": monthsBetween(*in.Signed, in.Now)}})
			key = *in.Signed
		} else {
			a.Reasons = append(a.Reasons, Reason{Code: "untracked"})
		}
	}
	if len(r.Missing) > 0 && a.Concern != "" {
		a.Reasons = append(a.Reasons, Reason{"promises", map[string]any{"missing": r.Missing, "delivered": r.Delivered}})
	}
	if end, on, ok := expiry(in); ok {
		if a.Concern == "" || a.Concern == ConcernUntracked {
			a.Concern, key = ConcernExpiring, on
			a.Reasons = append([]Reason{end}, a.Reasons...)
		} else {
			a.Reasons = append(a.Reasons, end)
		}
	}
	return a, key, a.Concern != ""
}

// expiry says whether a signed agreement's term ends within ExpiryMonths, or has ended, and when.
func expiry(in Input) (Reason, time.Time, bool) {
	if in.Ends == nil || strings.EqualFold(strings.TrimSpace(in.Status), "suspended") {
		return Reason{}, time.Time{}, false
	}
	end := *in.Ends
	switch {
	case !end.After(in.Now):
		return Reason{"expired", map[string]any{"on": end}}, end, true
	case end.Before(in.Now.AddDate(0, ExpiryMonths, 0)):
		return Reason{"expires", map[string]any{"on": end, "months": monthsBetween(in.Now, end)}}, end, true
	}
	return Reason{}, time.Time{}, false
}

func (r Result) has(code string) bool {
	return slices.ContainsFunc(r.Reasons, func(x Reason) bool { return x.Code == code })
}
