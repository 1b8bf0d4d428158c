package dataset

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/twinning/twinning/internal/twin"
)

// countryLangs are the languages whose country names the bundle carries.
var countryLangs = []string{"fa", "en", "ar", "uz", "ru", "tr", "tg", "ps", "ku"}

// countryAliases maps the country strings the lists use that i18n-iso-countries does not know
// to ISO 3166-1 alpha-2. Hekman's "Georgia" and "Georgia (country)" are both the country: every
// city under either is in the Caucasus (checked against the coordinates); US states never
// appear as countries there. The four UK nations are GB; Northern Cyprus is CY, and Kosovo XK.
var countryAliases = map[string]string{
	"England": "GB", "Scotland": "GB", "Wales": "GB", "Northern Ireland": "GB", "Great Britain": "GB",
	"Georgia (country)": "GE", "Georgia": "GE",
	"Republic of Ireland": "IE", "Northern Cyprus": "CY", "Kosovo": "XK",
	"Bosnia and Hercegovina": "BA", "East Timor": "TL", "Grece": "GR", "Island": "IS",
	"Kazakhstah": "KZ", "Madagaskar": "MG", "Moldavia": "MD", "Surinam": "SR",
	"West Bank": "PS", "Palestine": "PS", "Palestinian National Authority": "PS",
	"Palestinian territories": "PS", "State of Palestine": "PS",
	"Republic of Macedonia": "MK", "Macedonia": "MK", "North Macedonia": "MK",
	"Micronesia": "FM", "Federated States of Micronesia": "FM",
	"Congo": "CG", "Republic of the Congo": "CG", "Democratic Republic of the Congo": "CD",
	"Ivory Coast": "CI", "Cape Verde": "CV", "Laos": "LA", "Vietnam": "VN", "Syria": "SY",
	"Brunei": "BN", "Bolivia": "BO", "Venezuela": "VE", "North Korea": "KP", "South Korea": "KR",
	"Moldova": "MD", "Russia": "RU", "Czech Republic": "CZ", "Czechia": "CZ", "Turkey": "TR",
	"Sao Tomé and Príncipe": "ST", "São Tomé and Príncipe": "ST", "Eswatini": "SZ", "Swaziland": "SZ",
	"Kingdom of the Netherlands": "NL", "Kingdom of Denmark": "DK", "Iran": "IR", "Taiwan": "TW",
	"Tanzania": "TZ", "Vatican City": "VA", "Holy See": "VA", "Falkland Islands": "FK",
	"Faroe Islands": "FO", "Azores": "PT", "Algarve": "PT", "Åland Islands": "AX",
	"Réunion": "RE", "Guadeloupe": "GP", "Martinique": "MQ", "French Guiana": "GF", "Mayotte": "YT",
	"Gambia": "GM", "The Gambia": "GM", "The Bahamas": "BS", "Bahamas": "BS",
	"Soviet Union": "", "Yugoslavia": "", "Czechoslovakia": "",
	"Sahrawi Arab Democratic Republic": "EH", "Western Sahara": "EH",
	"Republic of China": "TW", "People's Republic of China": "CN", "China": "CN",
	"United States": "US", "United States of America": "US", "United Kingdom": "GB",
	"Transnistria": "MD", "Abkhazia": "GE", "South Ossetia": "GE", "Artsakh": "AZ",
	"Somaliland": "SO", "Curaçao": "CW", "Sint Maarten": "SX", "Aruba": "AW",
	"Federated States Of Micronesia": "FM", "Timor-Leste": "TL", "Myanmar": "MM", "Burma": "MM",
}

// neCountry maps the Natural Earth ADM0_A3 codes of places with ISO_A2 -99.
var neCountry = map[string]string{"SOL": "SO", "CYN": "CY", "KOS": "XK"}

// countryTable holds the countries and resolves the country strings of the sources.
type countryTable struct {
	byCode map[string]*twin.Country
	byKey  map[string]string // nameKey(name) → code
}

// loadCountries reads i18n-iso-countries' names in countryLangs.
func loadCountries(dir string) (*countryTable, error) {
	t := &countryTable{byCode: map[string]*twin.Country{}, byKey: map[string]string{}}
	for _, lang := range countryLangs {
		b, err := os.ReadFile(filepath.Join(dir, lang+".json"))
		if err != nil {
			return nil, err
		}
		var doc struct {
			Countries map[string]json.RawMessage `json:"countries"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			return nil, fmt.Errorf("%s.json: %w", lang, err)
		}
		for code, raw := range doc.Countries {
			var names []string
			var one string
			if json.Unmarshal(raw, &one) == nil {
				names = []string{one}
			} else if err := json.Unmarshal(raw, &names); err != nil || len(names) == 0 {
				return nil, fmt.Errorf("%s.json: %s: %v", lang, code, err)
			}
			c := t.byCode[code]
			if c == nil {
				c = &twin.Country{Code: code, Names: twin.Names{}}
				t.byCode[code] = c
			}
			c.Names[lang] = canonical(names[0])
			if lang == "en" {
				for _, n := range names {
					t.byKey[nameKey(n)] = code
				}
			}
		}
	}
	for name, code := range countryAliases {
		t.byKey[nameKey(name)] = code
	}
	for org, members := range orgs {
		for _, code := range members {
			if c := t.byCode[code]; c != nil {
				c.Orgs = append(c.Orgs, org)
			}
		}
	}
	for _, c := range t.byCode {
		slices.Sort(c.Orgs)
	}
	return t, nil
}

// code returns the ISO code of a country string as the lists write it: "Iran",
// "England, United Kingdom", "Réunion, France", "in Italy". It returns "" when it cannot tell.
func (t *countryTable) code(s string) string {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "in "))
	if s == "" {
		return ""
	}
	if c, ok := t.byKey[nameKey(s)]; ok {
		return c
	}
	// "Region, Country": the region wins when it is itself a territory with a code
	// (Réunion, Åland), otherwise the country does.
	if first, last, ok := strings.Cut(s, ","); ok {
		if c, ok := t.byKey[nameKey(first)]; ok && c != "" {
			return c
		}
		return t.code(last[strings.LastIndexByte(last, ',')+1:])
	}
	return ""
}

// sorted returns the countries ordered by code.
func (t *countryTable) sorted() []*twin.Country {
	out := make([]*twin.Country, 0, len(t.byCode))
	for _, c := range t.byCode {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *twin.Country) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// orgs lists the member states of the regional organisations the bundle records (full members
// as of 2025; observers, associates and suspended members are left out).
var orgs = map[string][]string{
	// Economic Cooperation Organization.
	"ECO": {"AF", "AZ", "IR", "KZ", "KG", "PK", "TJ", "TR", "TM", "UZ"},
	"EU": {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
		"LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"},
	"ASEAN": {"BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"},
	// Gulf Cooperation Council.
	"GCC": {"BH", "KW", "OM", "QA", "SA", "AE"},
	// Shanghai Cooperation Organisation (Iran joined 2023, Belarus 2024).
	"SCO": {"BY", "CN", "IN", "IR", "KZ", "KG", "PK", "RU", "TJ", "UZ"},
	// Mercosur's full members (Venezuela is suspended; Bolivia joined 2024).
	"Mercosur": {"AR", "BO", "BR", "PY", "UY"},
}

// networks are the multilateral groups the bundle ships as Network records.
func networks() []twin.Network {
	return []twin.Network{{
		Meta:      twin.Meta{ID: 1, Version: 1},
		Names:     twin.Names{"fa": "سازمان همکاری اقتصادی", "en": "Economic Cooperation Organization"},
		Kind:      "regional_org",
		Website:   "https://eco.int",
		Countries: slices.Sorted(slices.Values(orgs["ECO"])),
	}}
}
