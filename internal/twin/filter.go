package twin

import (
	"maps"
	"strings"
)

// The filters a list can be narrowed by. Each name is also the query parameter of the API's
// list routes.
const (
	FilterCity        = "city"        // records of, or involving, a city: its internal id
	FilterAgreement   = "agreement"   // records under an agreement: its internal id
	FilterInstitution = "institution" // links of an institution: its internal id
	FilterNetwork     = "network"     // activities of a network: its internal id
	FilterCountry     = "country"     // cities of a country: its ISO 3166-1 alpha-2 code
	FilterWikidata    = "wikidata"    // the city with this Wikidata id
	FilterStatus      = "status"
	FilterKind        = "kind"
	FilterType        = "type"
	FilterDomain      = "domain"   // proposals in a cooperation domain: its code
	FilterStatuses    = "statuses" // any of several statuses ([]string): set by the server, never by a query
)

// FilterDef declares one filter a kind's lists accept.
type FilterDef struct {
	Name string
	// Ref is the kind of record whose internal id the value is (an int64); "" for a word (a
	// string), or words ([]string) when Internal.
	Ref string
	// Choices are the words the value may be; nil for any.
	Choices []string
	// Norm writes a word in the form the records keep (upper-case country codes).
	Norm func(string) string
	Doc  string
	// Internal filters are set by the server (the statuses a reader may see), never by a query.
	Internal bool
}

// Filters declares, per kind, every filter its lists accept, in the order the API documents
// them. The store refuses a list narrowed by anything else, and the API's list routes take
// exactly these as query parameters: a filter is never silently ignored.
var Filters = map[Kind][]FilterDef{
	KindCity: {
		{Name: FilterCountry, Norm: strings.ToUpper, Doc: "ISO 3166-1 alpha-2 code"},
		{Name: FilterWikidata, Norm: NormalizeQID, Doc: "a Wikidata id, Q42053"},
	},
	KindAgreement:   {byRef(FilterCity), byChoice(FilterStatus, AgreementStatuses), byChoice(FilterKind, AgreementKinds)},
	KindInstitution: {byRef(FilterCity), byChoice(FilterType, InstitutionTypes)},
	KindLink:        {byRef(FilterAgreement), byRef(FilterInstitution), byChoice(FilterStatus, LinkStatuses)},
	KindActivity:    {byRef(FilterAgreement), byRef(FilterNetwork), byRef(FilterCity), byChoice(FilterKind, ActivityKinds)},
	KindPerson:      nil,
	KindNetwork:     {byRef(FilterCity), byChoice(FilterKind, NetworkKinds)},
	KindProposal: {byRef(FilterAgreement), byChoice(FilterStatus, ProposalStatuses), byRef(FilterCity),
		{Name: FilterDomain, Doc: "a cooperation domain's code"}, {Name: FilterStatuses, Internal: true}},
}

// byRef is a filter by the internal id of a record of the kind it names.
func byRef(name string) FilterDef { return FilterDef{Name: name, Ref: name} }

// byChoice is a filter by one of a field's words.
func byChoice(name string, choices []string) FilterDef {
	return FilterDef{Name: name, Choices: choices}
}

// FilterOf returns the declaration of a kind's filter, and whether the kind has it.
func FilterOf(kind Kind, name string) (FilterDef, bool) {
	for _, d := range Filters[kind] {
		if d.Name == name {
			return d, true
		}
	}
	return FilterDef{}, false
}

// FilterNames lists the names of a kind's filters that a query may set, for messages.
func FilterNames(kind Kind) []string {
	var out []string
	for _, d := range Filters[kind] {
		if !d.Internal {
			out = append(out, d.Name)
		}
	}
	return out
}

// Filter narrows a list of one kind of record to those meeting each of its conditions, one
// page at a time. A condition whose value is zero ("", 0, no words) narrows nothing.
type Filter struct {
	// Where holds the conditions by filter name: an internal id (int64) for a filter by
	// reference, a word (string) otherwise, words ([]string) for FilterStatuses.
	Where map[string]any
	After string // the cursor: the Next of the page before
	Limit int    // items per page; 50 when 0
}

// With returns f with the condition name = v beside its others (f itself is not changed).
func (f Filter) With(name string, v any) Filter {
	w := make(map[string]any, len(f.Where)+1)
	maps.Copy(w, f.Where)
	w[name] = v
	f.Where = w
	return f
}
