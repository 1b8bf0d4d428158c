package registry

import (
	"context"
	"slices"
	"sort"

	"github.com/twinning/twinning/internal/persian"
	"github.com/twinning/twinning/internal/twin"
)

// The weights of a counterpart's reasons. A counterpart is an institution in a city the
// institution's own city has a signed agreement with; the weights rank those candidates for
// an office looking for whom to write to first.
const (
	// weightSignedPartner is what every candidate has: its city is a signed partner. It keeps
	// each score above zero, so the ranking never hides a candidate.
	weightSignedPartner = 1.0
	// weightSameType rewards the same kind of institution (a university for a university, a
	// museum for a museum): peers have the most to do together, so it weighs most.
	weightSameType = 2.0
	// weightActivePartnership rewards a partnership whose vitality is active: the two cities
	// are working together now, so a new link has a channel to go through.
	weightActivePartnership = 1.0
	// weightSharedDomain rewards, for each domain, a partnership that promises a domain the
	// institution already works in through its links: half a point each, so that two shared
	// domains weigh as much as an active partnership.
	weightSharedDomain = 0.5
)

// maxCounterparts is how many counterparts are suggested.
const maxCounterparts = 20

// Counterpart is an institution suggested as a partner for another, in one of its city's
// signed partner cities, with its score and the reasons for it.
type Counterpart struct {
	Institution *twin.Institution
	City        *twin.City
	Score       float64
	Reasons     []twin.Reason // codes signed_partner, same_type, active_partnership, agreement_domains
}

// Vitality tells how alive agreements are (intel.Intel, from its cache of their activities).
type Vitality interface {
	// Vitalities answers for each agreement, in order.
	Vitalities(ctx context.Context, as []*twin.Agreement) []*twin.Vitality
}

// Counterparts ranks the institutions of the signed partner cities of institution id's city:
// those not already linked with it, by score (see the weights), then by name in lang; the
// reasons name the city in lang. It reads the institution, its city's partners, its links,
// the partner cities' institutions and the partnerships' vitality: a few queries, whatever
// the number of partners.
func (r *Registry) Counterparts(ctx context.Context, id int64, lang string, vit Vitality) ([]Counterpart, error) {
	in, err := r.db.Institutions.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	ps, err := r.db.Partners(ctx, in.CityID)
	if err != nil {
		return nil, err
	}
	mine, err := r.db.Links.List(ctx, twin.Filter{Limit: 1000}.With(twin.FilterInstitution, in.ID))
	if err != nil {
		return nil, err
	}
	linked, myDomains := linkedWith(mine.Items)
	signed, cities, agreements := signedPartners(ps)
	if len(signed) == 0 {
		return []Counterpart{}, nil
	}
	all, err := r.db.InstitutionsIn(ctx, cities)
	if err != nil {
		return nil, err
	}
	byCity := map[int64][]*twin.Institution{}
	for _, x := range all {
		if len(byCity[x.CityID]) < 1000 { // as many as one page of a city's institutions
			byCity[x.CityID] = append(byCity[x.CityID], x)
		}
	}
	vs := vit.Vitalities(ctx, agreements)
	out := []Counterpart{}
	for i, p := range signed {
		active := vs[i].State == "active"
		shared := sharedStrings(myDomains, p.Agreement.Domains)
		for _, cand := range byCity[p.City.ID] {
			if !linked[cand.ID] {
				out = append(out, counterpart(in, cand, p.City, lang, active, shared))
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return persian.NameKey(out[i].Institution.Names.Pick(lang)) < persian.NameKey(out[j].Institution.Names.Pick(lang))
	})
	if len(out) > maxCounterparts {
		out = out[:maxCounterparts]
	}
	return out, nil
}

// linkedWith is what an institution's links join it to: the institutions (itself among
// them) and the domains, in the links' order.
func linkedWith(links []*twin.Link) (map[int64]bool, []string) {
	linked := map[int64]bool{}
	var domains []string
	for _, l := range links {
		for _, x := range l.Institutions {
			linked[x] = true
		}
		domains = append(domains, l.Domains...)
	}
	return linked, domains
}

// signedPartners keeps the partners whose agreement is signed, with their cities' ids and
// their agreements, in the same order.
func signedPartners(ps []twin.Partner) (signed []twin.Partner, cities []int64, agreements []*twin.Agreement) {
	for _, p := range ps {
		if p.Agreement.Status == twin.StatusSigned {
			signed = append(signed, p)
			cities = append(cities, p.City.ID)
			agreements = append(agreements, p.Agreement)
		}
	}
	return signed, cities, agreements
}

// counterpart scores one candidate for in, in city, a signed partner whose partnership is
// active or not and promises the shared domains.
func counterpart(in, cand *twin.Institution, city *twin.City, lang string, active bool, shared []string) Counterpart {
	cp := Counterpart{Institution: cand, City: city, Score: weightSignedPartner,
		Reasons: []twin.Reason{{Code: "signed_partner", Params: map[string]any{"city": city.Names.Pick(lang)}}}}
	if cand.Type == in.Type {
		cp.Score += weightSameType
		cp.Reasons = append(cp.Reasons, twin.Reason{Code: "same_type", Params: map[string]any{"type": in.Type}})
	}
	if active {
		cp.Score += weightActivePartnership
		cp.Reasons = append(cp.Reasons, twin.Reason{Code: "active_partnership"})
	}
	if len(shared) > 0 {
		cp.Score += weightSharedDomain * float64(len(shared))
		cp.Reasons = append(cp.Reasons, twin.Reason{Code: "agreement_domains", Params: map[string]any{"domains": shared}})
	}
	return cp
}

// sharedStrings are the strings of a also in b, once each, in a's order.
func sharedStrings(a, b []string) []string {
	var out []string
	for _, x := range a {
		if slices.Contains(b, x) && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}
