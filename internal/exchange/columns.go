package exchange

import (
	"regexp"
	"strings"

	"golang.org/x/text/language"

	"github.com/twinning/twinning/internal/persian"
)

// The columns of the tabular format, by canonical (English) name. Per side ("a" and "b") a city
// has a name, a country, a Wikidata id, an internal id, coordinates and a population; names
// in given languages come in columns city_a_<language tag>.
const (
	colKind         = "kind"
	colStatus       = "status"
	colSigned       = "signed"
	colSignedCal    = "signed_calendar"
	colProposed     = "proposed"
	colProposedCal  = "proposed_calendar"
	colEnded        = "ended"
	colEndedCal     = "ended_calendar"
	colDomains      = "domains"
	colSourceURL    = "source_url"
	colNote         = "note"
	sideName        = ""
	sideCountry     = "_country"
	sideWikidata    = "_wikidata"
	sideID          = "_id"
	sideLat         = "_lat"
	sideLon         = "_lon"
	sideCoord       = "_coord"
	sidePopulation  = "_population"
	cityA, cityB    = "city_a", "city_b"
	wikidataDataset = "wikidata-query"
)

// sideCols are the per-city column suffixes, in export order.
var sideCols = []string{sideName, sideCountry, sideWikidata, sideID, sideLat, sideLon, sidePopulation}

// agreementCols are the agreement columns, in export order.
var agreementCols = []string{colKind, colStatus, colSigned, colSignedCal, colProposed, colProposedCal,
	colEnded, colEndedCal, colDomains, colSourceURL, colNote}

// headerAliases maps other spellings of column names, in English and Persian, to canonical
// names. Keys are compared after headerKey, so case, spaces, underscores, ZWNJ and Arabic
// letter variants do not matter.
var headerAliases = map[string][]string{
	"city_a":            {"city a", "city 1", "city1", "first city", "شهر الف", "شهر ا", "شهر ۱", "شهر اول", "شهر مبدا", "نام شهر الف"},
	"city_a_country":    {"country a", "country 1", "کشور الف", "کشور ۱", "کشور شهر الف", "کشور اول"},
	"city_a_wikidata":   {"wikidata a", "qid a", "ویکی داده الف", "ویکی‌داده الف", "ویکیداده شهر الف"},
	"city_a_id":         {"id a", "شناسه الف", "شناسه شهر الف"},
	"city_a_lat":        {"lat a", "latitude a", "عرض جغرافیایی الف"},
	"city_a_lon":        {"lon a", "lng a", "longitude a", "طول جغرافیایی الف"},
	"city_a_coord":      {"coordinates a", "مختصات الف"},
	"city_a_population": {"population a", "جمعیت الف", "جمعیت شهر الف"},
	"city_b":            {"city b", "city 2", "city2", "second city", "partner", "partner city", "sister city", "شهر ب", "شهر ۲", "شهر دوم", "شهر خواهر", "شهر طرف", "نام شهر ب"},
	"city_b_country":    {"country b", "country 2", "partner country", "کشور ب", "کشور ۲", "کشور شهر ب", "کشور دوم"},
	"city_b_wikidata":   {"wikidata b", "qid b", "ویکی داده ب", "ویکی‌داده ب", "ویکیداده شهر ب"},
	"city_b_id":         {"id b", "شناسه ب", "شناسه شهر ب"},
	"city_b_lat":        {"lat b", "latitude b", "عرض جغرافیایی ب"},
	"city_b_lon":        {"lon b", "lng b", "longitude b", "طول جغرافیایی ب"},
	"city_b_coord":      {"coordinates b", "مختصات ب"},
	"city_b_population": {"population b", "جمعیت ب", "جمعیت شهر ب"},
	colKind:             {"type", "agreement kind", "نوع", "نوع پیمان", "نوع توافق", "نوع رابطه"},
	colStatus:           {"state", "legal status", "وضعیت", "وضعیت حقوقی"},
	colSigned:           {"signed date", "date signed", "signing date", "date", "تاریخ امضا", "تاریخ امضاء", "امضا", "تاریخ"},
	colSignedCal:        {"calendar", "signed calendar", "تقویم", "تقویم امضا", "تقویم تاریخ امضا"},
	colProposed:         {"proposed date", "date proposed", "تاریخ پیشنهاد", "پیشنهاد"},
	colProposedCal:      {"تقویم پیشنهاد"},
	colEnded:            {"end date", "ended date", "date ended", "تاریخ پایان", "پایان"},
	colEndedCal:         {"تقویم پایان"},
	colDomains:          {"domain", "fields", "areas", "حوزه ها", "حوزه‌ها", "حوزه های همکاری", "زمینه ها", "زمینه‌های همکاری"},
	colSourceURL:        {"source", "sources", "url", "source url", "منبع", "منابع", "نشانی منبع", "پیوند منبع"},
	colNote:             {"notes", "comment", "remarks", "یادداشت", "توضیحات", "ملاحظات"},
	// Wikidata query results: ?city ?cityLabel ?sister ?sisterLabel and their properties.
	"city_a_wikidata#wd":   {"city", "item", "city1"},
	"city_a#wd":            {"cityLabel", "itemLabel", "city1Label"},
	"city_a_population#wd": {"city_population", "cityPopulation", "itemPopulation", "population"},
	"city_a_coord#wd":      {"city_coordinate_location", "cityCoord", "city_coord", "itemCoord", "coord", "coordinate_location"},
	"city_a_country#wd":    {"city_country_code", "cityCountryCode", "city_country", "cityCountry", "countryCode"},
	"city_b_wikidata#wd":   {"sister", "twin", "partner_item", "city2"},
	"city_b#wd":            {"sisterLabel", "twinLabel", "city2Label"},
	"city_b_population#wd": {"sister_population", "sisterPopulation", "twinPopulation"},
	"city_b_coord#wd":      {"sister_coordinate_location", "sisterCoord", "sister_coord", "twinCoord"},
	"city_b_country#wd":    {"sister_country_code", "sisterCountryCode", "sister_country", "sisterCountry", "twinCountryCode"},
}

// column is what a header means: a canonical column and, for Wikidata query results, that
// it came from a Wikidata variable name.
type column struct {
	name     string // canonical name, or "" for an ignored column
	lang     string // for name columns: the language tag
	wikidata bool
}

var headerIndex = buildHeaderIndex()

func buildHeaderIndex() map[string]column {
	idx := map[string]column{}
	for _, side := range []string{cityA, cityB} {
		for _, s := range append(sideCols, sideCoord) {
			idx[headerKey(side+s)] = column{name: side + s}
		}
	}
	for _, c := range agreementCols {
		idx[headerKey(c)] = column{name: c}
	}
	for canon, aliases := range headerAliases {
		name, wd := strings.CutSuffix(canon, "#wd")
		for _, a := range aliases {
			if _, ok := idx[headerKey(a)]; !ok {
				idx[headerKey(a)] = column{name: name, wikidata: wd}
			}
		}
	}
	return idx
}

// headerKey folds a header for comparison: case, spaces, punctuation, ZWNJ and Arabic letter
// variants do not count.
func headerKey(h string) string { return persian.NameKey(h) }

// langColumn matches city_a_fa, "City B (en)", city_b-uz-Cyrl and the like.
var langColumn = regexp.MustCompile(`^(?i)city[ _-]?([ab])[ _-]+\(?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\)?$`)

// mapHeader says what each header of a file (in row num) means. Unknown headers are
// ignored; a column named twice is an error.
func mapHeader(header []string, num int) ([]column, Errors) {
	cols := make([]column, len(header))
	seen := map[string]string{}
	var errs Errors
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
		c, ok := headerIndex[headerKey(h)]
		if !ok {
			if m := langColumn.FindStringSubmatch(h); m != nil {
				if tag, err := language.Parse(m[2]); err == nil {
					c = column{name: "city_" + strings.ToLower(m[1]) + "_name", lang: tag.String()}
					ok = true
				}
			}
		}
		if !ok {
			continue
		}
		key := c.name + "/" + c.lang
		if prev, dup := seen[key]; dup {
			errs = append(errs, rowErr(num, h, "the column is the same as column %q", prev))
			continue
		}
		seen[key] = h
		cols[i] = c
	}
	return cols, errs
}

// missingSides returns the sides (city_a, city_b) that no column of a header identifies: by
// name, a name in a language, a Wikidata id or an internal id.
func missingSides(cols []column) []string {
	var missing []string
	for _, side := range []string{cityA, cityB} {
		found := false
		for _, c := range cols {
			if c.name == side || c.name == side+sideWikidata || c.name == side+sideID || c.name == side+"_name" && c.lang != "" {
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, side)
		}
	}
	return missing
}

// knownColumns counts the cells of a row that name a known column.
func knownColumns(cells []string) int {
	cols, _ := mapHeader(cells, 0)
	n := 0
	for _, c := range cols {
		if c.name != "" {
			n++
		}
	}
	return n
}
