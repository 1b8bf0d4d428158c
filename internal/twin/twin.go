// Package twin holds Twinning's domain: cities, agreements between them, the institutions and
// people who act under them, activities, networks, citizens' proposals and the sources every fact
// comes from. It defines the words the rest of the code speaks and the rules input must follow;
// it knows nothing of databases or HTTP.
package twin

import (
	"strconv"
	"strings"
	"time"

	"github.com/twinning/twinning/internal/calendar"
)

// PartialDate is a date as written in its calendar with the Gregorian interval it covers.
type PartialDate = calendar.PartialDate

// Names maps a BCP 47 language tag ("fa", "en", "uz-Cyrl") to a name in that language.
type Names map[string]string

// LangFATranslit tags a Persian rendering of a city's Latin-script name made by rule
// (persian.ToPersianScript) where no source gives a Persian name: BCP 47 for "Persian,
// transformed from Latin script" (RFC 6497). It is not a spelling any source vouches for, so it
// is never stored under "fa"; but a Persian reader reads the city in Persian script: Pick
// returns it for "fa" when no source's Persian name exists, before any other language, and
// pages show it marked as a transliteration (Transliterated). Search finds the city by it.
const LangFATranslit = "fa-t-und-latn"

// Pick returns the name in the first of langs that has one, falling back to English, Persian,
// then any name in tag order, so a record is never shown nameless. Asked for Persian ("fa"),
// it gives a source's Persian name, else the marked transliteration, before the next language;
// other readers get the transliteration only when the record has no other name.
func (n Names) Pick(langs ...string) string {
	for _, l := range langs {
		if v := n[l]; v != "" {
			return v
		}
		if l == "fa" {
			if v := n[LangFATranslit]; v != "" {
				return v
			}
		}
	}
	for _, l := range []string{"en", "fa"} {
		if v := n[l]; v != "" {
			return v
		}
	}
	best := ""
	for l, v := range n {
		if v != "" && l != LangFATranslit && (best == "" || l < best) {
			best = l
		}
	}
	if best == "" {
		return n[LangFATranslit]
	}
	return n[best]
}

// Transliterated reports whether name, as shown, is the record's rule-made Persian
// transliteration rather than a spelling a source gives, so a page can mark it as such.
func (n Names) Transliterated(name string) bool {
	return name != "" && n["fa"] == "" && n[LangFATranslit] == name
}

// Meta is what every stored record carries: its id, its version (the optimistic-locking
// counter, starting at 1) and when it was created and last changed.
type Meta struct {
	ID      int64     `json:"id"`
	Version int64     `json:"version"`
	Created time.Time `json:"created,omitzero"`
	Updated time.Time `json:"updated,omitzero"`
}

// GetMeta returns the record's Meta, so generic storage code can reach it.
func (m *Meta) GetMeta() *Meta { return m }

// Record is any stored entity.
type Record interface {
	GetMeta() *Meta
}

// Source is the provenance of a record or of a claim about it.
type Source struct {
	Dataset string `json:"dataset,omitempty"` // e.g. "wikidata-p190-2021", "wikipedia-twin-towns-2026"
	Version string `json:"version,omitempty"`
	URL     string `json:"url,omitempty"`
	Title   string `json:"title,omitempty"`
	Quote   string `json:"quote,omitempty"`
	Date    string `json:"date,omitempty"` // Gregorian YYYY-MM-DD the source was published or read
	Note    string `json:"note,omitempty"`
	// Start and End are the byte offsets of Quote in the article it came from, when known
	// (article[Start:End] == Quote).
	Start int `json:"start,omitempty"`
	End   int `json:"end,omitempty"`
}

// Country is a state with its names and the regional organisations it belongs to.
type Country struct {
	Code  string   `json:"code"` // ISO 3166-1 alpha-2
	Names Names    `json:"names"`
	Orgs  []string `json:"orgs,omitempty"` // "ECO", "EU", ...
}

// City is a municipality that can twin.
type City struct {
	Meta
	Wikidata   string   `json:"wikidata,omitempty"`
	Names      Names    `json:"names"`
	Aliases    []string `json:"aliases,omitempty"`
	Country    string   `json:"country"`
	Lat        *float64 `json:"lat,omitempty"`
	Lon        *float64 `json:"lon,omitempty"`
	Population int64    `json:"population,omitempty"`
	Sources    []Source `json:"sources,omitempty"`
	// WikidataAliases are other Wikidata items for the same city, merged into this record
	// (a town and its municipality item, an item a 2016 crawl knew before Wikidata merged it).
	WikidataAliases []string `json:"wikidata_aliases,omitempty"`
	// CountryClaims record which country each source puts the city in, when sources
	// disagree (a disputed territory, a sovereign and its territory): Country is the one the
	// registry shows, the claims keep every other.
	CountryClaims []CountryClaim `json:"country_claims,omitempty"`
}

// CountryClaim is one source's statement of a city's country.
type CountryClaim struct {
	Country string `json:"country"`
	Source  Source `json:"source"`
	Note    string `json:"note,omitempty"`
}

// Ref returns the stable way to address the city: its Wikidata id, or its internal id.
func (c *City) Ref() string {
	if c.Wikidata != "" {
		return c.Wikidata
	}
	return strconv.FormatInt(c.ID, 10)
}

// Agreement kinds.
const (
	KindSister      = "sister"
	KindFriendship  = "friendship"
	KindCooperation = "cooperation"
	KindContact     = "contact"
)

// Agreement legal statuses.
const (
	StatusProposed    = "proposed"
	StatusNegotiating = "negotiating"
	StatusSigned      = "signed"
	StatusSuspended   = "suspended"
	StatusEnded       = "ended"
	StatusRejected    = "rejected"
)

// AgreementKinds lists the kinds in display order.
var AgreementKinds = []string{KindSister, KindFriendship, KindCooperation, KindContact}

// AgreementStatuses lists the legal statuses in lifecycle order.
var AgreementStatuses = []string{StatusProposed, StatusNegotiating, StatusSigned, StatusSuspended, StatusEnded, StatusRejected}

// statusMoves says which status may follow which. Staying in place is always allowed.
var statusMoves = map[string][]string{
	StatusProposed:    {StatusNegotiating, StatusSigned, StatusRejected},
	StatusNegotiating: {StatusProposed, StatusSigned, StatusRejected},
	StatusSigned:      {StatusSuspended, StatusEnded},
	StatusSuspended:   {StatusSigned, StatusEnded},
	StatusEnded:       {StatusSigned},
	StatusRejected:    {StatusProposed},
}

// CanMove reports whether an agreement may go from status from to status to.
func CanMove(from, to string) bool {
	if from == to {
		return true
	}
	for _, s := range statusMoves[from] {
		if s == to {
			return true
		}
	}
	return false
}

// NextStatuses returns the statuses an agreement in status s may move to.
func NextStatuses(s string) []string { return statusMoves[s] }

// Party roles in an agreement's history.
const (
	RoleProposer    = "proposer"
	RoleFacilitator = "facilitator"
	RoleSignatory   = "signatory"
)

// Party is someone who took part in an agreement's making: a person, an institution, or just a
// name when neither is in the registry yet.
type Party struct {
	Role        string       `json:"role"`
	Person      int64        `json:"person,omitempty"`
	Institution int64        `json:"institution,omitempty"`
	Name        Names        `json:"name,omitempty"`
	City        string       `json:"city,omitempty"`
	Date        *PartialDate `json:"date,omitempty"`
	Note        string       `json:"note,omitempty"`
}

// Commitment is a promise an agreement makes in a domain.
type Commitment struct {
	Domain string       `json:"domain,omitempty"`
	Text   Names        `json:"text"`
	Due    *PartialDate `json:"due,omitempty"`
}

// Claim is what one source says about an agreement when sources disagree. Claims are kept
// beside the record's own values, never merged away.
type Claim struct {
	Source   Source       `json:"source"`
	Status   string       `json:"status,omitempty"`
	Signed   *PartialDate `json:"signed,omitempty"`
	OneSided bool         `json:"one_sided,omitempty"` // only one of the two cities lists the other
	Note     string       `json:"note,omitempty"`
}

// Vitality is computed from activities and links, never typed in.
type Vitality struct {
	State   string   `json:"state"`
	Reasons []Reason `json:"reasons"`
}

// Reason explains a computed judgement with a message key and its parameters.
type Reason struct {
	Code   string         `json:"code"`
	Params map[string]any `json:"params,omitempty"`
	Text   string         `json:"text,omitempty"`
}

// Disputed reports whether the agreement's sources disagree with its record: a claim of another
// status, or a source that should list it and does not (a claim without a status).
func (a *Agreement) Disputed() bool {
	for _, c := range a.Claims {
		if c.Status == "" || c.Status != a.Status {
			return true
		}
	}
	return false
}

// Agreement is a twinning or cooperation agreement between two cities.
type Agreement struct {
	Meta
	// Cities holds the two cities' refs (Wikidata id or internal id) in the order given.
	Cities      []string     `json:"cities"`
	CityIDs     []int64      `json:"city_ids,omitempty"`
	Kind        string       `json:"kind"`
	Status      string       `json:"status"`
	Title       Names        `json:"title,omitempty"`
	Proposed    *PartialDate `json:"proposed,omitempty"`
	Signed      *PartialDate `json:"signed,omitempty"`
	Ended       *PartialDate `json:"ended,omitempty"`
	Parties     []Party      `json:"parties,omitempty"`
	Domains     []string     `json:"domains,omitempty"`
	Commitments []Commitment `json:"commitments,omitempty"`
	Notes       Names        `json:"notes,omitempty"`
	// NextStep and Owner plan a prospective partnership (proposed or negotiating): what is to
	// be done next, and who in the office carries it.
	NextStep  Names      `json:"next_step,omitempty"`
	Owner     string     `json:"owner,omitempty"`
	Sources   []Source   `json:"sources,omitempty"`
	Claims    []Claim    `json:"claims,omitempty"`
	Documents []Document `json:"documents,omitempty"`
	Vitality  *Vitality  `json:"vitality,omitempty"`
}

// Document is a file attached to an agreement (an MoU text, a scan, a translation). The bytes
// live apart from the record; this is its description.
type Document struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Kind   string `json:"kind,omitempty"` // mou, scan, translation, other
	Lang   string `json:"lang,omitempty"`
	Type   string `json:"type"` // MIME type checked from the content
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Institution types.
var InstitutionTypes = []string{"municipality", "university", "chamber_of_commerce", "research_centre",
	"museum", "festival", "embassy", "consulate", "ngo", "company", "school", "media", "library",
	"hospital", "government", "association", "other"}

// Institution is an organisation in a city that may act under an agreement.
type Institution struct {
	Meta
	Names   Names    `json:"names"`
	Aliases []string `json:"aliases,omitempty"`
	Type    string   `json:"type"`
	City    string   `json:"city"`
	CityID  int64    `json:"city_id,omitempty"`
	Website string   `json:"website,omitempty"`
	Sources []Source `json:"sources,omitempty"`
}

// Link statuses.
var LinkStatuses = []string{"proposed", "active", "inactive", "ended"}

// Link is a cooperation between two institutions in two cities, usually under an agreement.
type Link struct {
	Meta
	Institutions []int64      `json:"institutions"`
	Agreement    int64        `json:"agreement,omitempty"`
	Domains      []string     `json:"domains,omitempty"`
	Status       string       `json:"status"`
	Started      *PartialDate `json:"started,omitempty"`
	Ended        *PartialDate `json:"ended,omitempty"`
	Notes        Names        `json:"notes,omitempty"`
	Sources      []Source     `json:"sources,omitempty"`
}

// Activity kinds.
var ActivityKinds = []string{"visit", "event", "exchange", "joint_production", "invitation", "meeting",
	"training", "trade_mission", "festival", "exhibition", "conference", "other"}

// Activity directions, relative to the order of the agreement's cities.
var Directions = []string{"a_to_b", "b_to_a", "both"}

// Output is something an activity produced: a book, a piece of music, a video, digital content.
type Output struct {
	Kind  string `json:"kind"` // book, music, video, digital, film, exhibition, other
	Title Names  `json:"title,omitempty"`
	URL   string `json:"url,omitempty"`
}

// Confirmation records that an editor of one of the two cities confirmed an activity.
type Confirmation struct {
	City string    `json:"city"`
	User string    `json:"user"`
	At   time.Time `json:"at"`
}

// Activity is something done under an agreement or an institution link.
type Activity struct {
	Meta
	Agreement     int64          `json:"agreement,omitempty"`
	Link          int64          `json:"link,omitempty"`
	Network       int64          `json:"network,omitempty"`
	Kind          string         `json:"kind"`
	Title         Names          `json:"title"`
	Description   Names          `json:"description,omitempty"`
	Start         *PartialDate   `json:"start,omitempty"`
	End           *PartialDate   `json:"end,omitempty"`
	Direction     string         `json:"direction,omitempty"`
	Domains       []string       `json:"domains,omitempty"`
	Institutions  []int64        `json:"institutions,omitempty"`
	Participants  map[string]int `json:"participants,omitempty"` // city ref → people
	Outputs       []Output       `json:"outputs,omitempty"`
	Place         string         `json:"place,omitempty"` // city ref where it happened
	Sources       []Source       `json:"sources,omitempty"`
	Confirmations []Confirmation `json:"confirmations,omitempty"`
}

// Title is a position a person held, over time.
type Title struct {
	Title       Names        `json:"title"`
	Role        string       `json:"role,omitempty"` // mayor, ambassador, head, president, ...
	City        string       `json:"city,omitempty"`
	Institution int64        `json:"institution,omitempty"`
	From        *PartialDate `json:"from,omitempty"`
	To          *PartialDate `json:"to,omitempty"`
}

// Person is someone who acts in city diplomacy.
type Person struct {
	Meta
	Names   Names    `json:"names"`
	Aliases []string `json:"aliases,omitempty"`
	Titles  []Title  `json:"titles,omitempty"`
	Contact string   `json:"contact,omitempty"` // private: shown to staff only
	Sources []Source `json:"sources,omitempty"`
}

// Member is a city's membership of a network.
type Member struct {
	City   string       `json:"city"`
	CityID int64        `json:"city_id,omitempty"`
	Role   string       `json:"role,omitempty"`
	Joined *PartialDate `json:"joined,omitempty"`
}

// Network is a multilateral group of cities: a regional organisation's city forum, a city network.
type Network struct {
	Meta
	Names       Names    `json:"names"`
	Kind        string   `json:"kind"` // regional_org, city_network, association
	Description Names    `json:"description,omitempty"`
	Website     string   `json:"website,omitempty"`
	Countries   []string `json:"countries,omitempty"` // member states of a regional organisation
	Members     []Member `json:"members,omitempty"`
	Sources     []Source `json:"sources,omitempty"`
}

// Proposal statuses.
var ProposalStatuses = []string{"submitted", "published", "accepted", "rejected", "done"}

// NetworkKinds lists the kinds of network.
var NetworkKinds = []string{"regional_org", "city_network", "association"}

// Proposal is a citizen's or institution's initiative tied to a partnership.
type Proposal struct {
	Meta
	Title      Names    `json:"title"`
	Body       Names    `json:"body,omitempty"`
	Agreement  int64    `json:"agreement,omitempty"`
	Cities     []string `json:"cities,omitempty"`
	Domains    []string `json:"domains,omitempty"`
	Proposer   string   `json:"proposer,omitempty"`
	Contact    string   `json:"contact,omitempty"` // private
	Status     string   `json:"status"`
	Supporters int      `json:"supporters"`
	// Kind is what is proposed: exchange, joint_production, festival, travel, other.
	Kind string `json:"kind,omitempty"`
	// Reason is the moderator's word on the latest move, which the proposer reads; History is
	// every move. The server owns both (and Status and Supporters).
	Reason  string          `json:"reason,omitempty"`
	History []ProposalEvent `json:"history,omitempty"`
}

// Domain is one cooperation domain of the vocabulary.
type Domain struct {
	Code  string `json:"code"`
	Names Names  `json:"names"`
}

// IsQID reports whether s looks like a Wikidata item id (Q followed by digits).
func IsQID(s string) bool {
	if len(s) < 2 || (s[0] != 'Q' && s[0] != 'q') {
		return false
	}
	for _, r := range s[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// NormalizeQID upper-cases a Wikidata id.
func NormalizeQID(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }
