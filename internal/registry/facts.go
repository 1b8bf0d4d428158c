package registry

import (
	"slices"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/extract"
	"github.com/twinning/twinning/internal/persian"
	"github.com/twinning/twinning/internal/twin"
)

// Reading the news: an extract answer proposes facts, each named by a ref "kind:index"
// ("agreement:0", "institution:2"); a reviewer accepts some, as read or with values changed.

// FactKinds are the kinds of facts that can be accepted, in the order they are planned.
var FactKinds = []string{"agreement", "institution", "person", "event", "domain"}

// SplitRef parses a fact's ref "kind:index".
func SplitRef(ref string) (string, int, bool) {
	k, i, ok := strings.Cut(ref, ":")
	n, err := strconv.Atoi(i)
	if !ok || err != nil || n < 0 {
		return "", 0, false
	}
	return k, n, true
}

// FactCount is how many facts of kind res holds.
func FactCount(res *extract.Result, kind string) int {
	switch kind {
	case "agreement":
		return len(res.Agreements)
	case "institution":
		return len(res.Institutions)
	case "person":
		return len(res.People)
	case "event":
		return len(res.Events)
	case "domain":
		return len(res.Domains)
	}
	return 0
}

// eventKinds maps the extractor's event kinds to activity kinds.
var eventKinds = map[string]string{"delegation": "visit", "festival": "festival", "invitation": "invitation", "visit": "visit", "ceremony": "event", "meeting": "meeting", "exhibition": "exhibition", "conference": "conference"}

// PairKey is two city refs in a stable order, as the event form names an agreement.
func PairKey(a, b string) string {
	if b < a {
		a, b = b, a
	}
	return a + "|" + b
}

// ProposedValues are a fact's values as read: what "accept" applies and what the edit fields
// start from.
func ProposedValues(res *extract.Result, kind string, i int) map[string]string {
	v := map[string]string{}
	datePair := func(prefix string, d *calendar.PartialDate) {
		v[prefix], v[prefix+"_calendar"] = "", string(calendar.Home(res.Lang))
		if d != nil {
			v[prefix], v[prefix+"_calendar"] = d.Value, string(d.Calendar)
		}
	}
	switch kind {
	case "agreement":
		a := res.Agreements[i]
		v["status"], v["kind"] = a.Status, a.Kind
		datePair("signed", a.Signed)
	case "institution":
		in := res.Institutions[i]
		v["name"], v["type"], v["city"] = in.Name, in.Type, in.City
	case "person":
		pe := res.People[i]
		v["name"], v["title"], v["city"] = pe.Name, pe.Title, pe.City
	case "event":
		ev := res.Events[i]
		k := eventKinds[ev.Kind]
		if k == "" {
			k = "other"
		}
		v["kind"], v["title"] = k, ev.Title
		if v["title"] == "" {
			v["title"] = persian.Canonical(ev.Evidence.Text)
		}
		datePair("date", ev.Date)
		v["agreement"] = defaultPair(res, ev.Cities)
	}
	return v
}

// defaultPair is the agreement an event is filed under: the first agreement of the article
// that involves one of the event's cities, else the article's first agreement.
func defaultPair(res *extract.Result, cities []string) string {
	for _, a := range res.Agreements {
		if len(a.Cities) == 2 && (slices.Contains(cities, a.Cities[0]) || slices.Contains(cities, a.Cities[1])) {
			return PairKey(a.Cities[0], a.Cities[1])
		}
	}
	if len(cities) == 2 {
		return PairKey(cities[0], cities[1])
	}
	for _, a := range res.Agreements {
		if len(a.Cities) == 2 {
			return PairKey(a.Cities[0], a.Cities[1])
		}
	}
	return ""
}

// articleSource is what every record touched by a fact cites: the article, the evidence
// quoted, and its byte offsets in the article (Quote == text[Start:End]).
func articleSource(res *extract.Result, ev extract.Evidence) twin.Source {
	return twin.Source{Dataset: "news", URL: res.SourceURL, Date: res.Published, Quote: ev.Text, Start: ev.Start, End: ev.End}
}

func addSource(ss *[]twin.Source, src twin.Source) bool {
	for _, s := range *ss {
		if s.Dataset == src.Dataset && s.URL == src.URL && s.Start == src.Start && s.End == src.End && s.Quote == src.Quote {
			return false
		}
	}
	*ss = append(*ss, src)
	return true
}

// CityName is how the article's city ref is called in the reader's language.
func CityName(res *extract.Result, ref, lang string) string {
	for _, c := range res.Cities {
		if c.Ref() == ref {
			if n := c.Names.Pick(lang); n != "" {
				return n
			}
		}
	}
	return ref
}
