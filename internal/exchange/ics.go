package exchange

import (
	"bufio"
	"io"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/twin"
)

// WriteICS writes the activities of d that have a start date as an iCalendar (RFC 5545)
// calendar of all-day events: DTSTART is the first day the start date covers and DTEND the
// day after the last day the end date (or else the start date) covers, since iCalendar's end
// is exclusive. So «1400» (Jalali) spans 2021-03-21 to 2022-03-21.
//
// UIDs are stable and unique across installations: activity-<id>.<installation>@twinning,
// the installation being d.Installation (Gather reads it from the database). SUMMARY and
// DESCRIPTION are in lang when the record has it, else in the language the record does have,
// said by a LANGUAGE parameter. The place is the LOCATION (the city and its country) and,
// when the city has coordinates, GEO. X-WR-CALNAME names the calendar for the clients that
// show it.
//
// RFC 5545 wants at least one component in a calendar; with no dated activity the calendar
// holds a UTC VTIMEZONE, which every client reads and none shows, so an empty calendar stays
// valid and a subscription to it keeps working. Lines end in CRLF and fold at 75 octets
// without splitting a UTF-8 character.
func WriteICS(w io.Writer, d *Data, lang string) error {
	_, err := writeICS(w, d, lang)
	return err
}

func writeICS(w io.Writer, d *Data, lang string) (*ExportReport, error) {
	rep := &ExportReport{Format: FormatICS}
	bw := bufio.NewWriterSize(w, 1<<16)
	line := func(s string) { writeFolded(bw, s) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Twinning//Twinning//EN")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	name := "Twinning"
	if d.Focus != nil {
		_, n := pickLang(d.Focus.Names, lang)
		name += " — " + n
	}
	line("X-WR-CALNAME:" + icsText(name))
	places := d.placeIndex()
	countries := map[string]twin.Names{}
	for _, c := range append(slices.Clone(d.allCountries), d.Countries...) {
		countries[c.Code] = c.Names
	}
	suffix := "@twinning"
	if d.Installation != "" {
		suffix = "." + d.Installation + suffix
	}
	for _, a := range d.Activities {
		if a.Start == nil || a.Start.Start == "" {
			rep.omit(TypeActivity, "without a date")
			continue
		}
		rep.wrote(TypeActivity)
		end := a.Start
		if a.End != nil && a.End.End != "" {
			end = a.End
		}
		start := a.Start.StartTime()
		stop := end.EndTime()
		if !stop.After(start) {
			stop = start.AddDate(0, 0, 1)
		}
		stamp := a.Updated
		if stamp.IsZero() {
			stamp = a.Created
		}
		if stamp.IsZero() {
			stamp = time.Unix(0, 0)
		}
		line("BEGIN:VEVENT")
		line("UID:activity-" + itoa(a.ID) + suffix)
		line("DTSTAMP:" + stamp.UTC().Format("20060102T150405Z"))
		line("DTSTART;VALUE=DATE:" + start.Format("20060102"))
		line("DTEND;VALUE=DATE:" + stop.Format("20060102"))
		if tag, text := pickLang(a.Title, lang); text != "" {
			line("SUMMARY;LANGUAGE=" + tag + ":" + icsText(text))
		}
		if tag, text := pickLang(a.Description, lang); text != "" {
			line("DESCRIPTION;LANGUAGE=" + tag + ":" + icsText(text))
		}
		if c := places[a.Place]; c != nil {
			tag, text := pickLang(c.Names, lang)
			if cn := countries[c.Country]; len(cn) > 0 {
				sep := i18n.ListSep(tag)
				if ctag, ctext := pickLang(cn, tag); ctag == tag {
					text += sep + ctext
				}
			}
			line("LOCATION;LANGUAGE=" + tag + ":" + icsText(text))
			if c.Lat != nil && c.Lon != nil {
				line("GEO:" + fmtFloat(c.Lat) + ";" + fmtFloat(c.Lon))
			}
		} else if a.Place != "" && !twin.IsQID(a.Place) && !isDigits(a.Place) {
			// A place written as text rather than a city of the registry.
			line("LOCATION:" + icsText(a.Place))
		}
		if a.Kind != "" {
			line("CATEGORIES:" + icsText(a.Kind))
		}
		line("END:VEVENT")
	}
	if rep.Written[TypeActivity] == 0 {
		line("BEGIN:VTIMEZONE")
		line("TZID:UTC")
		line("BEGIN:STANDARD")
		line("DTSTART:19700101T000000")
		line("TZOFFSETFROM:+0000")
		line("TZOFFSETTO:+0000")
		line("TZNAME:UTC")
		line("END:STANDARD")
		line("END:VTIMEZONE")
	}
	line("END:VCALENDAR")
	return rep, bw.Flush()
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// pickLang returns the text in lang, or else the one Names.Pick falls back to, with its tag.
func pickLang(n twin.Names, lang string) (tag, text string) {
	if v := n[lang]; v != "" {
		return lang, v
	}
	text = n.Pick(lang)
	tags := make([]string, 0, len(n))
	for t := range n {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	for _, t := range tags {
		if n[t] == text {
			for _, pref := range []string{"en", "fa"} {
				if n[pref] == text {
					return pref, text
				}
			}
			return t, text
		}
	}
	return "", ""
}

// icsText escapes a TEXT value: backslash, semicolon, comma and newline.
func icsText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// writeFolded writes one content line ending in CRLF, folded so no line exceeds 75 octets:
// a fold is CRLF and a space, placed before a UTF-8 character, never inside one.
func writeFolded(w *bufio.Writer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.WriteString(s[:cut])
		w.WriteString("\r\n ")
		s = s[cut:]
		limit = 74
	}
	w.WriteString(s)
	w.WriteString("\r\n")
}
