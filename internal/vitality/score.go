package vitality

import "math"

// engagement scores everything but recency over the recent activities and
// explains each part that applies.
func engagement(in Input, recent []Activity, delivered int) (float64, []Reason) {
	var score float64
	var reasons []Reason
	ab, ba := false, false
	participants, outputs, institutions := 0, 0, 0
	kinds := map[string]bool{}
	for _, a := range recent {
		switch a.Direction {
		case AToB:
			ab = true
		case BToA:
			ba = true
		case Both:
			ab, ba = true, true
		}
		participants += max(a.Participants, 0)
		outputs += max(a.Outputs, 0)
		institutions = max(institutions, a.Institutions)
		for _, d := range a.Domains {
			if k := normDomain(d); k != "" {
				kinds[k] = true
			}
		}
	}
	switch {
	case ab && ba:
		score += 0.15
		reasons = append(reasons, Reason{Code: "both_directions"})
	case ab || ba:
		dir := AToB
		if ba {
			dir = BToA
		}
		reasons = append(reasons, Reason{"one_directional", map[string]any{"direction": dir}})
	}
	if promised := countPromised(in.PromisedDomains); promised > 0 {
		score += 0.15 * float64(delivered) / float64(promised)
		reasons = append(reasons, Reason{"domains_delivered", map[string]any{"delivered": delivered, "promised": promised}})
	} else if len(kinds) > 0 {
		score += 0.15 * frac(len(kinds), 3)
		reasons = append(reasons, Reason{"domains", map[string]any{"count": len(kinds)}})
	}
	if n := max(in.ActiveLinks, 0) + institutions; n > 0 {
		score += 0.10 * frac(n, 4)
		reasons = append(reasons, Reason{"institutions", map[string]any{"active_links": max(in.ActiveLinks, 0), "institutions": institutions}})
	}
	if participants > 0 {
		score += 0.10 * frac(participants, 100)
		reasons = append(reasons, Reason{"participants", map[string]any{"count": participants}})
	}
	if outputs > 0 {
		score += 0.10 * frac(outputs, 5)
		reasons = append(reasons, Reason{"outputs", map[string]any{"count": outputs}})
	}
	return score, reasons
}

func frac(n, full int) float64 { return math.Min(1, float64(n)/float64(full)) }

func countPromised(promised []string) int {
	set := map[string]bool{}
	for _, p := range promised {
		if k := normDomain(p); k != "" {
			set[k] = true
		}
	}
	return len(set)
}
