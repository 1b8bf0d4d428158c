package httpx

import (
	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/twin"
	"strconv"
)

// CityBrief is a city as other records mention it.
type CityBrief struct {
	ID       int64      `json:"id"`
	Wikidata string     `json:"wikidata,omitempty"`
	Ref      string     `json:"ref"`
	Name     string     `json:"name"`
	Names    twin.Names `json:"names"`
	Country  string     `json:"country"`
}

// NewCityBrief is a city's brief in lang: its ref is its Wikidata id, or its internal id for
// a city without one.
func NewCityBrief(id int64, wikidata, country string, names twin.Names, lang string) CityBrief {
	ref := wikidata
	if ref == "" {
		ref = strconv.FormatInt(id, 10)
	}
	return CityBrief{ID: id, Wikidata: wikidata, Ref: ref, Name: names.Pick(lang), Names: names, Country: country}
}

// Suggestion is a partner city the graph suggests, with its reasons.
type Suggestion struct {
	City    CityBrief `json:"city"`
	Score   float64   `json:"score"`
	Reasons []Reason  `json:"reasons"`
}

// Reason is one reason of a Suggestion, said in the reader's language.
type Reason struct {
	Code   string      `json:"code"`
	Weight float64     `json:"weight"`
	Via    []CityBrief `json:"via,omitempty"`
	Detail string      `json:"detail,omitempty"`
	Text   string      `json:"text"`
}

// SearchHit is one result of /api/v1/search.
type SearchHit struct {
	Kind    string     `json:"kind"`
	ID      int64      `json:"id"`
	Ref     string     `json:"ref"`
	Title   string     `json:"title"`
	Names   twin.Names `json:"names,omitempty"`
	Match   string     `json:"match"`
	Score   int        `json:"score"`
	Snippet string     `json:"snippet,omitempty"`
	// Highlight is the snippet cut into segments, the ones that matched the query marked, so a
	// client shows the original text with the hits emphasised without computing offsets.
	Highlight []Segment `json:"highlight,omitempty"`
	URL       string    `json:"url"`
}

// Segment is a piece of a snippet; Hit marks the pieces that matched the query.
type Segment struct {
	Text string `json:"text"`
	Hit  bool   `json:"hit,omitempty"`
}

// ProposalInput is what a proposer says; every other field of a proposal is the server's.
type ProposalInput struct {
	Title     twin.Names `json:"title"`
	Body      twin.Names `json:"body,omitempty"`
	Kind      string     `json:"kind,omitempty"`
	Agreement int64      `json:"agreement,omitempty"`
	Cities    []string   `json:"cities,omitempty"`
	Domains   []string   `json:"domains,omitempty"`
	Proposer  string     `json:"proposer,omitempty"`
	Contact   string     `json:"contact,omitempty"`
	// Website is the honeypot: people leave it empty.
	Website string `json:"website,omitempty"`
}

// SupportAnswer is the answer to a support of a proposal.
type SupportAnswer struct {
	Supporters int  `json:"supporters"`
	Supported  bool `json:"supported"`
	Added      bool `json:"added"`
}

// Brief is c as other records mention it, named in lang.
func Brief(c *twin.City, lang string) CityBrief {
	return CityBrief{ID: c.ID, Wikidata: c.Wikidata, Ref: c.Ref(), Name: c.Names.Pick(lang), Names: c.Names, Country: c.Country}
}

// TranslateVitality fills the reasons' text in lang.
func TranslateVitality(v *twin.Vitality, lang string) {
	if v == nil {
		return
	}
	for i := range v.Reasons {
		v.Reasons[i].Text = i18n.T(lang, "vitality."+v.Reasons[i].Code, v.Reasons[i].Params)
	}
}

// SearchResult is the answer of /api/v1/search.
type SearchResult struct {
	Items []SearchHit `json:"items"`
	Next  string      `json:"next"`
}
