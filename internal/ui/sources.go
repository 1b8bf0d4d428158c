package ui

import (
	"html/template"
	"regexp"
	"strings"

	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/twin"
)

// Sources and claims in the reader's language: the bundled datasets' codes and notes have
// names in the catalogs (dataset.<code>, srcnote.<key>), a reference number stays Latin
// ("S3"), and a source's Gregorian date is shown in the reader's calendar with the Gregorian
// beside. Anything else — a title typed by a person — is shown as it was written.

// sourceNotes maps the notes the bundled dataset writes to their message keys.
var sourceNotes = map[string]string{
	"Wikidata P190, CC0": "srcnote.wikidata",
	"Data from Wikipedia, CC BY-SA 4.0; coordinates © OpenStreetMap contributors, ODbL":                         "srcnote.wikipedia",
	"Made with Natural Earth, public domain":                                                                    "srcnote.natural_earth",
	"listed as twinned":                                                                                         "srcnote.listed",
	"planned: the municipality announced the agreement in 2021":                                                 "srcnote.planned_2021",
	"the municipality's list of Isfahan's sister cities (13, and Samarkand in 2021) does not include this city": "srcnote.not_in_isfahan_list",
}

// sourceTitles maps the titles the bundled dataset gives the Isfahan municipality's pages to
// their message keys (the dataset writes them in English).
var sourceTitles = map[string]string{
	`table "Isfahan Sister Cities": City/Country/Date of agreement`:         "srctitle.isfahan_table",
	"Isfahan municipality page, Persian: «این شهر با سیزده شهر دنیا ...»":   "srctitle.isfahan_page",
	"2021-07; Isfahan-Samarkand signed; Porto and Hyderabad planned":        "srctitle.samarkand_signed",
	"2021-06-11; quotes Isfahan municipality: 13 sister cities, lists them": "srctitle.thirteen",
}

// sourceVersions maps versions that are words rather than a date to their message keys.
var sourceVersions = map[string]string{
	"5.0.0 10m populated places": "srcversion.natural_earth",
}

var (
	refNumber = regexp.MustCompile(`^S[0-9]+$`)
	// refList is a note of references: "S1 https://...; S2 https://...".
	refList = regexp.MustCompile(`^S[0-9]+ \S+(; S[0-9]+ \S+)*$`)
	// oneSided is the note of a one-sided Wikidata listing: "Q85 lists Q90 under P190; Q90
	// does not list Q85".
	oneSided = regexp.MustCompile(`^(Q[0-9]+) lists (Q[0-9]+) under P190; (Q[0-9]+) does not list (Q[0-9]+)$`)
	// datedVersion is a version that begins with its date: "2016-09 (L3viathan/sister-cities
	// d3028c2)", "2021".
	datedVersion = regexp.MustCompile(`^([0-9]{4}(?:-[0-9]{2}){0,2})(?: \((.+)\))?$`)
)

// versionView is a source's version as a page says it: its date in the reader's calendar,
// and what identifies it beyond (a repository and commit, kept in Latin), or its words.
type versionView struct {
	Date *calendar.PartialDate
	Rest string
}

// sourceFuncs are the template functions of sources, bound to lang.
func sourceFuncs(lang string) template.FuncMap {
	return template.FuncMap{
		"dataset": func(code string) string {
			if i18n.Has(lang, "dataset."+code) {
				return i18n.T(lang, "dataset."+code, nil)
			}
			return code
		},
		"srcnote": func(note string) string {
			if k, ok := sourceNotes[note]; ok {
				return i18n.T(lang, k, nil)
			}
			if refNumber.MatchString(note) {
				return i18n.T(lang, "source.ref", map[string]any{"id": note})
			}
			if refList.MatchString(note) {
				var refs []string
				for _, r := range strings.Split(note, "; ") {
					id, url, _ := strings.Cut(r, " ")
					refs = append(refs, i18n.T(lang, "source.ref", map[string]any{"id": id})+" "+url)
				}
				return strings.Join(refs, i18n.ListSep(lang))
			}
			return note
		},
		// claimnote is srcnote for a claim about an agreement between cities, whose ids a
		// one-sided listing's note names: said with the cities' names.
		"claimnote": func(note string, cities []*twin.City) string {
			if m := oneSided.FindStringSubmatch(note); m != nil && m[1] == m[4] && m[2] == m[3] {
				names := map[string]string{}
				for _, c := range cities {
					if c != nil {
						names[c.Wikidata] = c.Names.Pick(lang)
					}
				}
				if names[m[1]] != "" && names[m[2]] != "" {
					return i18n.T(lang, "srcnote.one_sided", map[string]any{"lister": names[m[1]], "listed": names[m[2]]})
				}
			}
			return sourceFuncs(lang)["srcnote"].(func(string) string)(note)
		},
		"srctitle": func(title string) string {
			if k, ok := sourceTitles[title]; ok {
				return i18n.T(lang, k, nil)
			}
			return title
		},
		"srcversion": func(v string) versionView {
			if k, ok := sourceVersions[v]; ok {
				return versionView{Rest: i18n.T(lang, k, nil)}
			}
			if m := datedVersion.FindStringSubmatch(v); m != nil {
				if d, err := calendar.Parse(calendar.Gregorian, m[1]); err == nil {
					return versionView{Date: &d, Rest: m[2]}
				}
			}
			return versionView{Rest: v}
		},
		// srcdate reads a source's Gregorian date (YYYY, YYYY-MM or YYYY-MM-DD).
		"srcdate": func(v string) *calendar.PartialDate {
			d, err := calendar.Parse(calendar.Gregorian, v)
			if err != nil {
				return nil
			}
			return &d
		},
	}
}
