package httpx

import (
	"sort"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/twinning/twinning/internal/twin"
)

// SortPartners orders partners as the store does (signed first, then by lifecycle), and within
// a status by the partner's name in the reader's language and alphabet (پ چ ژ گ in their
// Persian places).
func SortPartners(ps []twin.Partner, lang string) {
	tag, err := language.Parse(lang)
	if err != nil {
		tag = language.English
	}
	col := collate.New(tag)
	rank := map[string]int{twin.StatusSigned: 0, twin.StatusProposed: 1, twin.StatusNegotiating: 2, twin.StatusSuspended: 3, twin.StatusEnded: 4, twin.StatusRejected: 5}
	sort.SliceStable(ps, func(i, j int) bool {
		ri, rj := rank[ps[i].Agreement.Status], rank[ps[j].Agreement.Status]
		if ri != rj {
			return ri < rj
		}
		return col.CompareString(ps[i].City.Names.Pick(lang), ps[j].City.Names.Pick(lang)) < 0
	})
}
