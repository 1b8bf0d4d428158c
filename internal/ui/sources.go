package ui

import (
	"html/template"
	"regexp"

	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/i18n"
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

var refNumber = regexp.MustCompile(`^S[0-9]+$`)

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
			return note
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
