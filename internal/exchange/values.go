package exchange

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/persian"
	"github.com/twinning/twinning/internal/twin"
)

// Vocab is what cell values are checked against: the cooperation domains (by code or by any
// of their names) and the countries (by ISO code or by any of their names).
type Vocab struct {
	domains   map[string]string
	countries map[string]string
}

// NewVocab indexes the domain vocabulary and the countries for reading cells.
func NewVocab(domains []twin.Domain, countries []twin.Country) *Vocab {
	v := &Vocab{domains: map[string]string{}, countries: map[string]string{}}
	for _, d := range domains {
		v.domains[headerKey(d.Code)] = d.Code
		for _, n := range d.Names {
			v.domains[headerKey(n)] = d.Code
		}
	}
	for _, c := range countries {
		for _, n := range c.Names {
			if k := headerKey(n); k != "" {
				v.countries[k] = c.Code
			}
		}
	}
	return v
}

// DefaultVocab knows the built-in domains and ISO country codes only.
func DefaultVocab() *Vocab { return NewVocab(twin.DefaultDomains, nil) }

// country reads an ISO 3166-1 alpha-2 code or a country's name.
func (v *Vocab) country(s string) (string, error) {
	if c := strings.ToUpper(s); twin.ValidCountry(c) {
		return c, nil
	}
	if c, ok := v.countries[headerKey(s)]; ok {
		return c, nil
	}
	return "", fmt.Errorf("«%s» is not a country: give its ISO 3166 code (IR, UZ) or its name", s)
}

// domains reads a list of domains separated by ; ، , or |.
func (v *Vocab) domainList(s string) ([]string, error) {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '،' || r == ',' || r == '|' || r == '؛' }) {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		code, ok := v.domains[headerKey(p)]
		if !ok {
			return nil, fmt.Errorf("«%s» is not a known cooperation domain", p)
		}
		out = appendNew(out, code)
	}
	return out, nil
}

func appendNew(ss []string, s string) []string {
	for _, x := range ss {
		if x == s {
			return ss
		}
	}
	return append(ss, s)
}

// choices maps folded spellings, English and Persian, to the codes of kinds and statuses.
var kindWords = foldMap(map[string][]string{
	twin.KindSister:      {"sister", "sister city", "sister cities", "twin", "twinning", "twin town", "خواهرخواندگی", "خواهرخوانده", "شهر خواهر"},
	twin.KindFriendship:  {"friendship", "friendship city", "دوستی", "شهر دوست"},
	twin.KindCooperation: {"cooperation", "partnership", "partner", "همکاری", "تفاهم نامه همکاری", "تفاهم نامه"},
	twin.KindContact:     {"contact", "ارتباط", "تماس"},
})

var statusWords = foldMap(map[string][]string{
	twin.StatusProposed:    {"proposed", "planned", "پیشنهادی", "پیشنهاد شده", "در دست اقدام", "برنامه ریزی شده"},
	twin.StatusNegotiating: {"negotiating", "negotiation", "in negotiation", "در حال مذاکره", "مذاکره"},
	twin.StatusSigned:      {"signed", "active", "twinned", "امضا شده", "امضاشده", "منعقد شده", "فعال"},
	twin.StatusSuspended:   {"suspended", "frozen", "معلق", "تعلیق", "تعلیق شده"},
	twin.StatusEnded:       {"ended", "terminated", "cancelled", "canceled", "پایان یافته", "خاتمه یافته", "لغو شده", "فسخ شده"},
	twin.StatusRejected:    {"rejected", "declined", "رد شده"},
})

var calendarWords = foldMap(map[string][]string{
	string(calendar.Jalali):    {"jalali", "solar hijri", "shamsi", "persian", "sh", "شمسی", "هجری شمسی", "خورشیدی", "جلالی"},
	string(calendar.Gregorian): {"gregorian", "ad", "ce", "میلادی", "گرگوری"},
	string(calendar.Hijri):     {"hijri", "islamic", "lunar hijri", "ah", "قمری", "هجری قمری"},
})

func foldMap(m map[string][]string) map[string]string {
	out := map[string]string{}
	for code, words := range m {
		out[headerKey(code)] = code
		for _, w := range words {
			out[headerKey(w)] = code
		}
	}
	return out
}

func choice(words map[string]string, s, what string, codes []string) (string, error) {
	if c, ok := words[headerKey(s)]; ok {
		return c, nil
	}
	return "", fmt.Errorf("«%s» is not a %s (one of %s)", s, what, strings.Join(codes, ", "))
}

var leadingYear = regexp.MustCompile(`^\s*(\d{1,4})`)

var excelSerial = regexp.MustCompile(`^\d{5}(\.\d+)?$`)

// calendarNames are the calendars as error messages name them.
var calendarNames = map[calendar.Calendar]string{calendar.Jalali: "Jalali", calendar.Gregorian: "Gregorian", calendar.Hijri: "Hijri"}

// parseDate reads a date as written: YYYY, YYYY-MM or YYYY-MM-DD (or with /), in any digits.
// Without a calendar, years 1206–1498 are Jalali and others Gregorian. A five-digit number is
// a spreadsheet's serial day (Gregorian).
func parseDate(s, cal string) (*twin.PartialDate, error) {
	v := strings.TrimSpace(persian.ASCIIDigits(s))
	c := calendar.Calendar(cal)
	if excelSerial.MatchString(v) && (c == "" || c == calendar.Gregorian) {
		f, _ := strconv.ParseFloat(v, 64)
		day := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(math.Floor(f)))
		v, c = day.Format(time.DateOnly), calendar.Gregorian
	}
	if c == "" {
		c = calendar.Gregorian
		if m := leadingYear.FindStringSubmatch(v); m != nil {
			if y, _ := strconv.Atoi(m[1]); y >= 1206 && y <= 1498 {
				c = calendar.Jalali
			}
		}
	}
	d, err := calendar.Parse(c, v)
	if err != nil {
		if ce, ok := err.(*calendar.Error); ok {
			switch ce.Code {
			case calendar.CodeDateInvalid:
				return nil, fmt.Errorf("«%s» does not exist in the %s calendar", s, calendarNames[c])
			case calendar.CodeDateRange:
				return nil, fmt.Errorf("«%s» is outside the years the %s calendar supports", s, calendarNames[c])
			}
		}
		return nil, fmt.Errorf("«%s» is not a date: write YYYY, YYYY-MM or YYYY-MM-DD (%s)", s, calendarNames[c])
	}
	return &d, nil
}

var qidRe = regexp.MustCompile(`(?i)(?:^|[/:])(Q[0-9]+)$`)

// parseQID reads Q42053, wd:Q42053 or a Wikidata entity URL.
func parseQID(s string) (string, error) {
	m := qidRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", fmt.Errorf("«%s» is not a Wikidata id (Q42053 or its URL)", s)
	}
	return twin.NormalizeQID(m[1]), nil
}

var groupedDots = regexp.MustCompile(`^\d{1,3}(\.\d{3})+$`)

// parseInt reads a whole number written with or without thousands separators (1,234,567,
// 1 234 567, 1.234.567), in any digits; a float with no fraction (from a spreadsheet) too.
func parseInt(s string) (int64, error) {
	v := strings.NewReplacer(",", "", " ", "", "\u00a0", "", "_", "", "\u066c", "").Replace(persian.ASCIIDigits(strings.TrimSpace(s)))
	if groupedDots.MatchString(v) {
		v = strings.ReplaceAll(v, ".", "")
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return int64(f), nil
	}
	return 0, fmt.Errorf("«%s» is not a whole number", s)
}

func parseFloat(s string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(persian.ASCIIDigits(s)), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("«%s» is not a number", s)
	}
	return f, nil
}

var wktPoint = regexp.MustCompile(`(?i)^\s*(?:<[^>]*>\s*)?point\s*\(\s*(\S+)\s+(\S+)\s*\)\s*$`)

// parseCoord reads Wikidata's "Point(lon lat)" or "lat, lon".
func parseCoord(s string) (lat, lon float64, err error) {
	s = persian.ASCIIDigits(s)
	var a, b string
	if m := wktPoint.FindStringSubmatch(s); m != nil {
		a, b = m[2], m[1]
	} else if x, y, ok := strings.Cut(s, ","); ok {
		a, b = x, y
	} else {
		return 0, 0, fmt.Errorf("«%s» is not a coordinate: write Point(lon lat) or lat, lon", s)
	}
	if lat, err = parseFloat(a); err == nil {
		lon, err = parseFloat(b)
	}
	if err != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return 0, 0, fmt.Errorf("«%s» is not a coordinate: write Point(lon lat) or lat, lon", s)
	}
	return lat, lon, nil
}

// parseURLs reads one or more http(s) URLs separated by spaces, ; or |.
func parseURLs(s string) ([]string, error) {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == ';' || r == '|' }) {
		u, err := url.Parse(p)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("«%s» is not an http(s) URL", p)
		}
		out = appendNew(out, p)
	}
	return out, nil
}

// scriptLang guesses the language of a name given without one: Arabic script is Persian,
// Latin script English, anything else undetermined.
func scriptLang(s string) string {
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Arabic, r):
			return "fa"
		case unicode.Is(unicode.Latin, r):
			return "en"
		case unicode.IsLetter(r):
			return "und"
		}
	}
	return "und"
}

// clean is how imported text is stored: Persian canonical form (Persian ی and ک, no kashida,
// ZWNJ and spaces tidied), which leaves other scripts as they are apart from spaces.
func clean(s string) string { return persian.Canonical(s) }
