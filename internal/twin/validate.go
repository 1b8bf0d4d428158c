package twin

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/persian"
)

// Field error keys. The message catalogs translate each one.
const (
	KeyRequired      = "required"
	KeyInvalidChoice = "invalid_choice"
	KeyInvalidLang   = "invalid_language"
	KeyInvalidQID    = "invalid_wikidata"
	KeyInvalidCode   = "invalid_country"
	KeyRange         = "out_of_range"
	KeyPair          = "lat_lon_pair"
	KeyTwoCities     = "two_cities"
	KeySameCity      = "same_city"
	KeyUnknownCity   = "unknown_city"
	KeyUnknownRecord = "unknown_record"
	KeyUnknownDomain = "unknown_domain"
	KeyDateOrder     = "date_order"
	KeyYearShort     = "date_year_short"
	KeyLastAdmin     = "last_admin"
	KeyStatusMove    = "status_move"
	KeyTooLong       = "too_long"
	KeyTwoInsts      = "two_institutions"
	KeyNegative      = "negative"
	KeyTooMany       = "too_many"
	KeyURLScheme     = "url_scheme"
	KeyContact       = "contact_scheme"
)

// Bounds of what a record may hold, in characters (runes) and entries. Every text field and
// every list has one, so that no write can store megabytes where a name belongs.
const (
	MaxName    = 300   // a name or an alias in any language
	MaxTitle   = 1000  // the title of an agreement, an activity, a proposal, a position, an output
	MaxText    = 20000 // a description, a note, a proposal's body, a commitment
	MaxShort   = 300   // an owner, a proposer, a role, a source's title, dataset or version
	MaxQuote   = 5000  // a source's quoted passage or note
	MaxURL     = 2000  // a web address
	MaxContact = 500   // a person's or a proposal's contact
	MaxRef     = 100   // a city reference, a domain code, a language tag
	MaxAliases = 100   // aliases per record
	MaxList    = 100   // sources, domains, parties, institutions, outputs, titles, participants...
	MaxLangs   = 60    // languages of one name
	MaxCommits = 500   // commitments of an agreement
	MaxMembers = 10000 // members of a network
	MaxCountry = 300   // member states of a regional organisation
)

// cleanName is the stored form of a name in language tag: Persian names in persian.Canonical
// form, and in every language without the invisible bidirectional and format controls
// (U+202A–U+202E, U+2066–U+2069, marks) that could reorder or hide the text around the name
// wherever it is shown.
func cleanName(tag, v string) string {
	if tag == "fa" || strings.HasPrefix(tag, "fa-") {
		// Line by line, so that the paragraphs of a description survive.
		lines := strings.Split(strings.ReplaceAll(v, "\r\n", "\n"), "\n")
		for i, l := range lines {
			lines[i] = persian.Canonical(l)
		}
		return strings.Join(lines, "\n")
	}
	return stripControls(v)
}

// stripControls deletes invisible bidirectional and format controls from s.
func stripControls(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return -1
		}
		return r
	}, s)
}

func isControl(r rune) bool {
	switch {
	case r == 0x061C, r == 0x200E, r == 0x200F, r == 0xFEFF, r == 0x2060:
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

func checkNames(p Problems, field string, n Names, required bool, max int) {
	if len(n) == 0 {
		if required {
			p.Add(field, KeyRequired, nil)
		}
		return
	}
	if len(n) > MaxLangs {
		p.Add(field, KeyTooMany, map[string]any{"max": MaxLangs})
		return
	}
	for tag, v := range n {
		v = cleanName(tag, v)
		n[tag] = v
		if !validLang(tag) {
			p.Add(field+"."+tag, KeyInvalidLang, map[string]any{"value": tag})
			continue
		}
		if strings.TrimSpace(v) == "" {
			p.Add(field+"."+tag, KeyRequired, nil)
		}
		tooLong(p, field+"."+tag, v, max)
	}
}

// validLangs remembers the language tags found valid: the same few dozen tags name every
// record's names, and parsing one costs more than the rest of checking a name (a bulk load
// checks some 140,000). Bounded, so unusual tags cannot grow it without end.
var validLangs struct {
	sync.RWMutex
	m map[string]bool
}

const maxValidLangs = 1024

// validLang reports whether tag is a BCP 47 language tag.
func validLang(tag string) bool {
	if tag == "" {
		return false
	}
	validLangs.RLock()
	ok := validLangs.m[tag]
	validLangs.RUnlock()
	if ok {
		return true
	}
	if _, err := language.Parse(tag); err != nil {
		return false
	}
	validLangs.Lock()
	if validLangs.m == nil {
		validLangs.m = map[string]bool{}
	}
	if len(validLangs.m) < maxValidLangs {
		validLangs.m[tag] = true
	}
	validLangs.Unlock()
	return true
}

// tooLong records a problem when s has more than max characters.
func tooLong(p Problems, field, s string, max int) bool {
	if len(s) > max && utf8.RuneCountInString(s) > max {
		p.Add(field, KeyTooLong, map[string]any{"max": max})
		return true
	}
	return false
}

// tooMany records a problem when a list has more than max entries.
func tooMany(p Problems, field string, n, max int) bool {
	if n > max {
		p.Add(field, KeyTooMany, map[string]any{"max": max})
		return true
	}
	return false
}

// checkStrings bounds a list of short strings (aliases, domain codes, refs).
func checkStrings(p Problems, field string, ss []string, maxN, maxLen int) {
	if tooMany(p, field, len(ss), maxN) {
		return
	}
	for i, s := range ss {
		tooLong(p, fmt.Sprintf("%s[%d]", field, i), s, maxLen)
	}
}

// webSchemes are the only schemes a stored web address may have: an address is a link on the
// record's pages, and javascript:, vbscript:, data: and the like would run or show whatever
// they hold.
var webSchemes = []string{"http", "https"}

// checkURL records a problem unless u is empty or an absolute http(s) address.
func checkURL(p Problems, field string, u *string) {
	*u = strings.TrimSpace(stripControls(*u))
	if *u == "" {
		return
	}
	if tooLong(p, field, *u, MaxURL) {
		return
	}
	pu, err := url.Parse(*u)
	if err != nil || !slices.Contains(webSchemes, strings.ToLower(pu.Scheme)) || pu.Host == "" {
		p.Add(field, KeyURLScheme, nil)
	}
}

// uriScheme matches text that starts as a URI does (javascript:..., data:...): a scheme and a
// colon with no space after it.
var uriScheme = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]*):\S`)

// checkContact records a problem when a contact (free text: an e-mail address, a phone
// number) is written as a URI of another scheme than mailto, tel, http or https.
func checkContact(p Problems, field string, c *string) {
	*c = strings.TrimSpace(stripControls(*c))
	if tooLong(p, field, *c, MaxContact) {
		return
	}
	if m := uriScheme.FindStringSubmatch(*c); m != nil {
		switch strings.ToLower(m[1]) {
		case "mailto", "tel", "http", "https":
		default:
			p.Add(field, KeyContact, nil)
		}
	}
}

// checkSources bounds a record's sources and holds their addresses to http(s).
func checkSources(p Problems, field string, ss []Source) {
	if tooMany(p, field, len(ss), MaxList) {
		return
	}
	for i := range ss {
		checkSource(p, fmt.Sprintf("%s[%d]", field, i), &ss[i])
	}
}

func checkSource(p Problems, f string, s *Source) {
	checkURL(p, f+".url", &s.URL)
	// The field's name is made only for a text too long (most sources have none).
	for _, t := range [...]struct {
		name, v string
		max     int
	}{
		{".title", s.Title, MaxShort}, {".dataset", s.Dataset, MaxShort}, {".version", s.Version, MaxShort},
		{".quote", s.Quote, MaxQuote}, {".note", s.Note, MaxQuote}, {".date", s.Date, MaxRef},
	} {
		if len(t.v) > t.max {
			tooLong(p, f+t.name, t.v, t.max)
		}
	}
}

func checkChoice(p Problems, field, v string, choices []string, required bool) {
	if v == "" {
		if required {
			p.Add(field, KeyRequired, nil)
		}
		return
	}
	if !slices.Contains(choices, v) {
		p.Add(field, KeyInvalidChoice, map[string]any{"value": v, "choices": strings.Join(choices, ", ")})
	}
}

// checkDate completes d in place, recording a field problem when it is not a real date.
func checkDate(p Problems, field string, d **PartialDate) {
	if *d == nil {
		return
	}
	if (*d).Calendar == "" && (*d).Value == "" {
		*d = nil
		return
	}
	c, err := (*d).Complete()
	if err != nil {
		var ce *calendar.Error
		if errors.As(err, &ce) {
			p.Add(field, ce.Code, map[string]any{"value": ce.Value})
		} else {
			p.Add(field, "date_invalid", map[string]any{"value": (*d).Value})
		}
		return
	}
	if c.StartTime().Year() < 1000 {
		// A registry's dates are modern: «۹۷» is 1397 written short, not the year 97.
		p.Add(field, KeyYearShort, map[string]any{"value": (*d).Value, "full": fullYear(c)}) // as typed
		return
	}
	*d = &c
}

// fullYear is the year a date's short year most likely stands for, the latest of its
// calendar's centuries that is not in the future ("97" in the Jalali calendar: 1397; "03":
// 1403), in the date's calendar.
func fullYear(d PartialDate) int {
	y, _, _ := d.Fields()
	now, _, _ := calendar.FromTime(time.Now().UTC(), d.Calendar, calendar.Year).Fields()
	y %= 100
	full := now - now%100 + y
	if full > now {
		full -= 100
	}
	return full
}

// checkOrder records a problem when date b starts before date a ends' start.
func checkOrder(p Problems, field string, a, b *PartialDate) {
	if a == nil || b == nil || a.Start == "" || b.End == "" {
		return
	}
	if b.End < a.Start {
		p.Add(field, KeyDateOrder, nil)
	}
}

func checkDomains(p Problems, field string, ds []string, known func(string) bool) {
	for i, d := range ds {
		if known != nil && !known(d) {
			p.Add(fmt.Sprintf("%s[%d]", field, i), KeyUnknownDomain, map[string]any{"value": d})
		}
	}
}

func trimAll(ss []string) []string {
	out := ss[:0]
	for _, s := range ss {
		if s = strings.TrimSpace(stripControls(s)); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Validate normalizes c and reports every broken rule.
func (c *City) Validate() error {
	p := Problems{}
	checkNames(p, "names", c.Names, true, MaxName)
	c.Aliases = trimAll(c.Aliases)
	checkStrings(p, "aliases", c.Aliases, MaxAliases, MaxName)
	checkSources(p, "sources", c.Sources)
	tooLong(p, "wikidata", c.Wikidata, MaxRef)
	if c.Wikidata != "" {
		c.Wikidata = NormalizeQID(c.Wikidata)
		if !IsQID(c.Wikidata) {
			p.Add("wikidata", KeyInvalidQID, map[string]any{"value": c.Wikidata})
		}
	}
	// The country is required, except of a city identified by Wikidata: registries know
	// such an entity by its id before anyone has recorded its country, so it may stay
	// unknown (empty) until someone fills it.
	c.Country = strings.ToUpper(strings.TrimSpace(c.Country))
	if c.Country == "" {
		if !IsQID(c.Wikidata) {
			p.Add("country", KeyRequired, nil)
		}
	} else if !ValidCountry(c.Country) {
		p.Add("country", KeyInvalidCode, map[string]any{"value": c.Country})
	}
	if (c.Lat == nil) != (c.Lon == nil) {
		p.Add("lat", KeyPair, nil)
	}
	if c.Lat != nil && (*c.Lat < -90 || *c.Lat > 90) {
		p.Add("lat", KeyRange, map[string]any{"min": -90, "max": 90})
	}
	if c.Lon != nil && (*c.Lon < -180 || *c.Lon > 180) {
		p.Add("lon", KeyRange, map[string]any{"min": -180, "max": 180})
	}
	if c.Population < 0 {
		p.Add("population", KeyNegative, nil)
	}
	for i, q := range c.WikidataAliases {
		if c.WikidataAliases[i] = NormalizeQID(q); !IsQID(c.WikidataAliases[i]) {
			p.Add(fmt.Sprintf("wikidata_aliases[%d]", i), KeyInvalidQID, map[string]any{"value": q})
		}
	}
	for i := range c.CountryClaims {
		cc := &c.CountryClaims[i]
		if cc.Country = strings.ToUpper(strings.TrimSpace(cc.Country)); !ValidCountry(cc.Country) {
			p.Add(fmt.Sprintf("country_claims[%d].country", i), KeyInvalidCode, map[string]any{"value": cc.Country})
		}
	}
	return p.Err()
}

// ValidCountry reports whether code is an ISO 3166-1 alpha-2 country code (or XK, Kosovo's
// user-assigned code, which registries use).
func ValidCountry(code string) bool {
	if len(code) != 2 || code != strings.ToUpper(code) {
		return false
	}
	if code == "XK" {
		return true
	}
	r, err := language.ParseRegion(code)
	return err == nil && r.IsCountry()
}

// Validate normalizes a and reports every broken rule it can see on its own. Whether the cities
// exist and the domains are known is for the caller to pass in (known may be nil).
func (a *Agreement) Validate(known func(string) bool) error {
	p := Problems{}
	if len(a.Cities) != 2 {
		p.Add("cities", KeyTwoCities, nil)
	} else {
		for i := range a.Cities {
			a.Cities[i] = strings.TrimSpace(a.Cities[i])
			if a.Cities[i] == "" {
				p.Add(fmt.Sprintf("cities[%d]", i), KeyRequired, nil)
			}
		}
		if a.Cities[0] != "" && strings.EqualFold(a.Cities[0], a.Cities[1]) {
			p.Add("cities", KeySameCity, nil)
		}
	}
	if a.Kind == "" {
		a.Kind = KindSister
	}
	checkChoice(p, "kind", a.Kind, AgreementKinds, true)
	checkChoice(p, "status", a.Status, AgreementStatuses, true)
	checkNames(p, "title", a.Title, false, MaxTitle)
	checkNames(p, "notes", a.Notes, false, MaxText)
	checkNames(p, "next_step", a.NextStep, false, MaxText)
	a.Owner = strings.TrimSpace(stripControls(a.Owner))
	tooLong(p, "owner", a.Owner, MaxShort)
	checkSources(p, "sources", a.Sources)
	if !tooMany(p, "claims", len(a.Claims), MaxList) {
		for i := range a.Claims {
			f := fmt.Sprintf("claims[%d]", i)
			checkSource(p, f+".source", &a.Claims[i].Source)
			tooLong(p, f+".note", a.Claims[i].Note, MaxQuote)
		}
	}
	tooMany(p, "parties", len(a.Parties), MaxList)
	tooMany(p, "commitments", len(a.Commitments), MaxCommits)
	if len(a.Cities) == 2 {
		checkStrings(p, "cities", a.Cities, 2, MaxRef)
	}
	checkDate(p, "proposed", &a.Proposed)
	checkDate(p, "signed", &a.Signed)
	checkDate(p, "ended", &a.Ended)
	checkOrder(p, "signed", a.Proposed, a.Signed)
	checkOrder(p, "ended", a.Signed, a.Ended)
	a.Domains = trimAll(a.Domains)
	checkStrings(p, "domains", a.Domains, MaxList, MaxRef)
	checkDomains(p, "domains", a.Domains, known)
	for i := range a.Parties {
		f := fmt.Sprintf("parties[%d]", i)
		checkChoice(p, f+".role", a.Parties[i].Role, []string{RoleProposer, RoleFacilitator, RoleSignatory}, true)
		checkNames(p, f+".name", a.Parties[i].Name, a.Parties[i].Person == 0 && a.Parties[i].Institution == 0, MaxName)
		tooLong(p, f+".city", a.Parties[i].City, MaxRef)
		tooLong(p, f+".note", a.Parties[i].Note, MaxQuote)
		checkDate(p, f+".date", &a.Parties[i].Date)
	}
	for i := range a.Commitments {
		f := fmt.Sprintf("commitments[%d]", i)
		checkNames(p, f+".text", a.Commitments[i].Text, true, MaxText)
		checkDate(p, f+".due", &a.Commitments[i].Due)
		if d := a.Commitments[i].Domain; d != "" && known != nil && !known(d) {
			p.Add(f+".domain", KeyUnknownDomain, map[string]any{"value": d})
		}
	}
	for i := range a.Claims {
		checkDate(p, fmt.Sprintf("claims[%d].signed", i), &a.Claims[i].Signed)
	}
	return p.Err()
}

// Validate normalizes in and reports every broken rule.
func (in *Institution) Validate() error {
	p := Problems{}
	checkNames(p, "names", in.Names, true, MaxName)
	in.Aliases = trimAll(in.Aliases)
	checkStrings(p, "aliases", in.Aliases, MaxAliases, MaxName)
	checkURL(p, "website", &in.Website)
	checkSources(p, "sources", in.Sources)
	tooLong(p, "city", in.City, MaxRef)
	checkChoice(p, "type", in.Type, InstitutionTypes, true)
	if strings.TrimSpace(in.City) == "" {
		p.Add("city", KeyRequired, nil)
	}
	return p.Err()
}

// Validate normalizes l and reports every broken rule.
func (l *Link) Validate(known func(string) bool) error {
	p := Problems{}
	if len(l.Institutions) != 2 || l.Institutions[0] == 0 || l.Institutions[1] == 0 {
		p.Add("institutions", KeyTwoInsts, nil)
	} else if l.Institutions[0] == l.Institutions[1] {
		p.Add("institutions", KeyTwoInsts, nil)
	}
	if l.Status == "" {
		l.Status = "active"
	}
	checkChoice(p, "status", l.Status, LinkStatuses, true)
	l.Domains = trimAll(l.Domains)
	checkStrings(p, "domains", l.Domains, MaxList, MaxRef)
	checkDomains(p, "domains", l.Domains, known)
	checkSources(p, "sources", l.Sources)
	checkDate(p, "started", &l.Started)
	checkDate(p, "ended", &l.Ended)
	checkOrder(p, "ended", l.Started, l.Ended)
	checkNames(p, "notes", l.Notes, false, MaxText)
	return p.Err()
}

// MaxParticipants bounds the people one city sends to one activity: a larger number is a typo.
const MaxParticipants = 1000000

// Validate normalizes a and reports every broken rule.
func (a *Activity) Validate(known func(string) bool) error {
	p := Problems{}
	checkChoice(p, "kind", a.Kind, ActivityKinds, true)
	checkNames(p, "title", a.Title, true, MaxTitle)
	checkNames(p, "description", a.Description, false, MaxText)
	checkSources(p, "sources", a.Sources)
	tooMany(p, "institutions", len(a.Institutions), MaxList)
	tooMany(p, "participants", len(a.Participants), MaxList)
	a.Place = strings.TrimSpace(stripControls(a.Place))
	tooLong(p, "place", a.Place, MaxName)
	if !tooMany(p, "outputs", len(a.Outputs), MaxList) {
		for i := range a.Outputs {
			f := fmt.Sprintf("outputs[%d]", i)
			checkURL(p, f+".url", &a.Outputs[i].URL)
			checkNames(p, f+".title", a.Outputs[i].Title, false, MaxTitle)
		}
	}
	checkDate(p, "start", &a.Start)
	checkDate(p, "end", &a.End)
	checkOrder(p, "end", a.Start, a.End)
	checkChoice(p, "direction", a.Direction, Directions, false)
	a.Domains = trimAll(a.Domains)
	checkStrings(p, "domains", a.Domains, MaxList, MaxRef)
	checkDomains(p, "domains", a.Domains, known)
	for ref, n := range a.Participants {
		tooLong(p, "participants", ref, MaxRef)
		switch {
		case n < 0:
			p.Add("participants."+ref, KeyNegative, nil)
		case n > MaxParticipants:
			p.Add("participants."+ref, "out_of_range", map[string]any{"min": 0, "max": MaxParticipants})
		}
	}
	for i, o := range a.Outputs {
		checkChoice(p, fmt.Sprintf("outputs[%d].kind", i), o.Kind, []string{"book", "music", "video", "digital", "film", "exhibition", "other"}, true)
	}
	if a.Agreement == 0 && a.Link == 0 && a.Network == 0 {
		p.Add("agreement", KeyRequired, nil)
	}
	return p.Err()
}

// Validate normalizes pe and reports every broken rule.
func (pe *Person) Validate() error {
	p := Problems{}
	checkNames(p, "names", pe.Names, true, MaxName)
	pe.Aliases = trimAll(pe.Aliases)
	checkStrings(p, "aliases", pe.Aliases, MaxAliases, MaxName)
	checkContact(p, "contact", &pe.Contact)
	checkSources(p, "sources", pe.Sources)
	tooMany(p, "titles", len(pe.Titles), MaxList)
	for i := range pe.Titles {
		f := fmt.Sprintf("titles[%d]", i)
		checkNames(p, f+".title", pe.Titles[i].Title, true, MaxTitle)
		tooLong(p, f+".role", pe.Titles[i].Role, MaxShort)
		tooLong(p, f+".city", pe.Titles[i].City, MaxRef)
		checkDate(p, f+".from", &pe.Titles[i].From)
		checkDate(p, f+".to", &pe.Titles[i].To)
		checkOrder(p, f+".to", pe.Titles[i].From, pe.Titles[i].To)
	}
	return p.Err()
}

// Validate normalizes n and reports every broken rule.
func (n *Network) Validate() error {
	p := Problems{}
	checkNames(p, "names", n.Names, true, MaxName)
	checkURL(p, "website", &n.Website)
	checkSources(p, "sources", n.Sources)
	tooMany(p, "countries", len(n.Countries), MaxCountry)
	tooMany(p, "members", len(n.Members), MaxMembers)
	checkChoice(p, "kind", n.Kind, NetworkKinds, true)
	checkNames(p, "description", n.Description, false, MaxText)
	for i, c := range n.Countries {
		n.Countries[i] = strings.ToUpper(strings.TrimSpace(c))
		if !ValidCountry(n.Countries[i]) {
			p.Add(fmt.Sprintf("countries[%d]", i), KeyInvalidCode, map[string]any{"value": c})
		}
	}
	for i := range n.Members {
		f := fmt.Sprintf("members[%d]", i)
		if strings.TrimSpace(n.Members[i].City) == "" {
			p.Add(f+".city", KeyRequired, nil)
		}
		tooLong(p, f+".city", n.Members[i].City, MaxRef)
		tooLong(p, f+".role", n.Members[i].Role, MaxShort)
		checkDate(p, f+".joined", &n.Members[i].Joined)
	}
	return p.Err()
}

// Validate normalizes pr and reports every broken rule.
func (pr *Proposal) Validate(known func(string) bool) error {
	p := Problems{}
	checkNames(p, "title", pr.Title, true, MaxTitle)
	checkNames(p, "body", pr.Body, false, MaxText)
	pr.Proposer = strings.TrimSpace(stripControls(pr.Proposer))
	tooLong(p, "proposer", pr.Proposer, MaxShort)
	checkContact(p, "contact", &pr.Contact)
	checkStrings(p, "cities", pr.Cities, MaxList, MaxRef)
	if pr.Status == "" {
		pr.Status = "submitted"
	}
	checkChoice(p, "status", pr.Status, ProposalStatuses, true)
	pr.Domains = trimAll(pr.Domains)
	checkStrings(p, "domains", pr.Domains, MaxList, MaxRef)
	checkDomains(p, "domains", pr.Domains, known)
	if pr.Supporters < 0 {
		p.Add("supporters", KeyNegative, nil)
	}
	if pr.Agreement == 0 && len(pr.Cities) == 0 {
		p.Add("cities", KeyRequired, nil)
	}
	checkProposal(p, pr)
	return p.Err()
}

// CheckNames records the problems of a required names field whose names are at most max
// characters long (the vocabulary's domains use it), normalizing the names as stored.
func CheckNames(p Problems, field string, n Names, max int) { checkNames(p, field, n, true, max) }
