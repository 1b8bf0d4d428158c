package extract

import (
	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/twin"
)

// Evidence is the span of the original text a fact was read from. Offsets are
// given three ways, all half-open [start, end) into the text exactly as it was
// passed to Extract: Start/End count bytes of its UTF-8 (for Go and for files),
// StartRune/EndRune count code points (for Python and most tools) and
// StartUTF16/EndUTF16 count UTF-16 code units (for JavaScript strings in the
// browser). Text is text[Start:End]. Every offset lies on a rune boundary.
type Evidence struct {
	Start      int    `json:"start"`
	End        int    `json:"end"`
	StartRune  int    `json:"start_rune"`
	EndRune    int    `json:"end_rune"`
	StartUTF16 int    `json:"start_utf16"`
	EndUTF16   int    `json:"end_utf16"`
	Text       string `json:"text"`
}

// Result is what Extract reads from an article: proposed records, each with the
// evidence it came from and a confidence in [0, 1], for a person to accept or
// reject. Lists are never nil, so the JSON always has every key.
type Result struct {
	Lang         string        `json:"lang"` // "fa" or "en"
	SourceURL    string        `json:"source_url,omitempty"`
	Published    string        `json:"published,omitempty"`
	Cities       []City        `json:"cities"`
	Countries    []Country     `json:"countries"`
	Places       []Place       `json:"places"`
	Institutions []Institution `json:"institutions"`
	People       []Person      `json:"people"`
	Agreements   []Agreement   `json:"agreements"`
	Dates        []Date        `json:"dates"`
	Counts       []Count       `json:"counts"`
	Ordinals     []Ordinal     `json:"ordinals"`
	Domains      []Domain      `json:"domains"`
	Events       []Event       `json:"events"`
	Productions  []Production  `json:"productions"`
}

// City is a city resolved to a gazetteer record. Evidence is its first
// mention; Mentions lists every mention (the first included).
type City struct {
	Wikidata   string     `json:"wikidata,omitempty"`
	ID         int64      `json:"id,omitempty"`
	Names      twin.Names `json:"names"`
	Country    string     `json:"country"`
	Population int64      `json:"population,omitempty"`
	// Alternatives are other gazetteer cities of the same name (homonyms),
	// by Wikidata id or internal id, when the choice was not certain.
	Alternatives []string   `json:"alternatives,omitempty"`
	Mentions     []Evidence `json:"mentions"`
	// NameMentions are mentions inside an organisation's name («دانشگاه
	// تهران», «خبرگزاری فارس»): evidence that the city is concerned, not
	// location mentions.
	NameMentions []Evidence `json:"name_mentions,omitempty"`
	// Doubtful are mentions the rules read as this city where the learned
	// tagger reads no place (a person's name, a common word): the city is
	// still proposed, with less confidence when every mention is doubtful.
	Doubtful   []Evidence `json:"doubtful,omitempty"`
	Evidence   Evidence   `json:"evidence"`
	Confidence float64    `json:"confidence"`
}

// Ref is the city's Wikidata id, or its internal id when it has none.
func (c *City) Ref() string {
	if c.Wikidata != "" {
		return c.Wikidata
	}
	return itoa(c.ID)
}

// Country is a country named in the text, by ISO 3166-1 alpha-2 code.
type Country struct {
	Code     string     `json:"code"`
	Names    twin.Names `json:"names,omitempty"`
	Mentions []Evidence `json:"mentions"`
	// NameMentions are mentions inside organisation names.
	NameMentions []Evidence `json:"name_mentions,omitempty"`
	// Doubtful are mentions the tagger reads as no place (see City).
	Doubtful   []Evidence `json:"doubtful,omitempty"`
	Evidence   Evidence   `json:"evidence"`
	Confidence float64    `json:"confidence"`
}

// Place is a named location that is neither a city of the gazetteer nor a
// country: a province, a region, a continent, a sea.
type Place struct {
	Name     string     `json:"name"`
	Kind     string     `json:"kind"` // province, county, region, continent, water; "place" when only the tagger says it is one
	Country  string     `json:"country,omitempty"`
	Mentions []Evidence `json:"mentions"`
	// Doubtful are mentions the tagger reads as no place (see City).
	Doubtful   []Evidence `json:"doubtful,omitempty"`
	Evidence   Evidence   `json:"evidence"`
	Confidence float64    `json:"confidence"`
}

// Institution is an organisation named in the text. Type is one of
// twin.InstitutionTypes; City is the city's reference (Wikidata id) when the
// text places it, Country its ISO code when the text names one ("the Iranian
// embassy": IR; «سفارت ایران در تاشکند»: country IR, city Tashkent).
type Institution struct {
	Name string `json:"name"`
	// Aliases are the article's spellings of the name when they differ from
	// Name, which has the half-spaces the lexicon knows restored.
	Aliases    []string `json:"aliases,omitempty"`
	Type       string   `json:"type"`
	City       string   `json:"city,omitempty"`
	Country    string   `json:"country,omitempty"`
	Evidence   Evidence `json:"evidence"`
	Confidence float64  `json:"confidence"`
}

// Person is a person named or designated by title («شهردار سمرقند», "the mayor
// of Samarkand"). Name is empty when only the title is given.
type Person struct {
	Name string `json:"name,omitempty"`
	// Aliases are the article's spellings of the name when they differ from Name.
	Aliases      []string `json:"aliases,omitempty"`
	Title        string   `json:"title,omitempty"`        // as written
	Role         string   `json:"role,omitempty"`         // mayor, head, ambassador, ... (English)
	City         string   `json:"city,omitempty"`         // city reference
	Country      string   `json:"country,omitempty"`      // ISO code
	Organization string   `json:"organization,omitempty"` // institution name
	Evidence     Evidence `json:"evidence"`
	// NameEvidence is the span of the name alone, when the text names the person.
	NameEvidence *Evidence `json:"name_evidence,omitempty"`
	Confidence   float64   `json:"confidence"`
	Note         string    `json:"note,omitempty"`
}

// Agreement is a proposed agreement between two cities. State is the most
// advanced state the text reports: ended («لغو», "terminated", "cut ties"),
// suspended («تعلیق», "suspended"), signed, planned ("will sign", «امضا
// خواهد کرد»), announced (readiness or intent declared), proposed (someone
// suggested it). Status maps it to twin's legal status (ended → ended,
// suspended → suspended, signed → signed, the others → proposed). Mentions are the statements it was read from.
type Agreement struct {
	Cities   []string              `json:"cities"` // two city references
	Kind     string                `json:"kind"`   // sister, friendship, cooperation
	State    string                `json:"state"`
	Status   string                `json:"status"`
	Proposal *Proposal             `json:"proposal,omitempty"`
	Signed   *calendar.PartialDate `json:"signed,omitempty"`
	// SignedFrom says where Signed came from when the text gives no date of its own:
	// "published" when the article reports the signing as it happens and its date is known.
	SignedFrom string `json:"signed_from,omitempty"`
	// Ended is the date the text gives for the end or suspension, when it gives one.
	Ended *calendar.PartialDate `json:"ended,omitempty"`
	// Facilitators are the institutions the text credits with making the agreement happen.
	Facilitators []Facilitator      `json:"facilitators,omitempty"`
	Mentions     []AgreementMention `json:"mentions"`
	Evidence     Evidence           `json:"evidence"`
	Confidence   float64            `json:"confidence"`
}

// Facilitator is an institution credited with bringing an agreement about («اهتمام سفارت …»);
// Institution indexes Result.Institutions.
type Facilitator struct {
	Name        string   `json:"name"`
	Institution int      `json:"institution"`
	Evidence    Evidence `json:"evidence"`
}

// AgreementMention is one statement about an agreement.
type AgreementMention struct {
	State    string   `json:"state"`
	Evidence Evidence `json:"evidence"`
}

// Proposal says who proposed an agreement and when.
type Proposal struct {
	By       string                `json:"by,omitempty"`
	Date     *calendar.PartialDate `json:"date,omitempty"`
	Evidence Evidence              `json:"evidence"`
}

// Date is a date written in the text, as a calendar.PartialDate (calendar,
// value as written in that calendar, precision, Gregorian interval).
type Date struct {
	calendar.PartialDate
	Evidence   Evidence `json:"evidence"`
	Confidence float64  `json:"confidence"`
}

// Count is a number of things: «۱۳ خواهرخوانده» → 13 sister cities of
// Isfahan. Subject is the city reference the count is about, when the
// sentence says.
type Count struct {
	Value      float64  `json:"value"`
	Noun       string   `json:"noun"`      // English gloss when known, else as written
	NounText   string   `json:"noun_text"` // the counted noun as written (folded)
	Subject    string   `json:"subject,omitempty"`
	Evidence   Evidence `json:"evidence"`
	Confidence float64  `json:"confidence"`
}

// Ordinal is an ordinal number with its noun: «سی و چهارمین جشنواره» → 34th festival.
type Ordinal struct {
	Value      int      `json:"value"`
	Noun       string   `json:"noun"`
	NounText   string   `json:"noun_text"`
	Evidence   Evidence `json:"evidence"`
	Confidence float64  `json:"confidence"`
}

// Domain is a cooperation domain of twin.DefaultDomains named in the text.
// Evidence is its first mention; Mentions all of them.
type Domain struct {
	Code       string     `json:"code"`
	Mentions   []Evidence `json:"mentions"`
	Evidence   Evidence   `json:"evidence"`
	Confidence float64    `json:"confidence"`
}

// Event is an activity the text reports or announces: a festival, an
// invitation, a visit, a ceremony.
type Event struct {
	Kind  string `json:"kind"` // festival, invitation, visit, ceremony, delegation
	Title string `json:"title,omitempty"`
	// Aliases are the article's spellings of the title when they differ from
	// Title (half-spaces restored: «بینالمللی» → «بین‌المللی»).
	Aliases  []string              `json:"aliases,omitempty"`
	Ordinal  int                   `json:"ordinal,omitempty"`
	Date     *calendar.PartialDate `json:"date,omitempty"`
	Cities   []string              `json:"cities,omitempty"`
	Invitees string                `json:"invitees,omitempty"`
	Evidence Evidence              `json:"evidence"`
	// Mentions are every statement of the event when the article reports it
	// more than once (the first is Evidence).
	Mentions   []Evidence `json:"mentions,omitempty"`
	Confidence float64    `json:"confidence"`
}

// Production is a joint production the text mentions: book, music, video,
// film, digital_content.
type Production struct {
	Kind       string   `json:"kind"`
	Joint      bool     `json:"joint"`
	Evidence   Evidence `json:"evidence"`
	Confidence float64  `json:"confidence"`
}
