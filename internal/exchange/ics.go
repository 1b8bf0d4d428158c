package exchange

import (
	"bufio"
	"io"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/twinning/twinning/internal/twin"
)

// WriteICS writes the activities of d that have a start date as an iCalendar (RFC 5545)
// calendar of all-day events: DTSTART is the first day the start date covers and DTEND the
// day after the last day the end date (or else the start date) covers, since iCalendar's end
// is exclusive. So «1400» (Jalali) spans 2021-03-21 to 2022-03-21. UIDs are stable
// (activity-<id>@twinning); SUMMARY and DESCRIPTION are in lang when the record has it, else
// in the language the record does have, said by a LANGUAGE parameter. Lines end in CRLF and
// fold at 75 octets without splitting a UTF-8 character.
func WriteICS(w io.Writer, d *Data, lang string) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	line := func(s string) { writeFolded(bw, s) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Twinning//Twinning//EN")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	refs := map[string]*twin.City{}
	for _, c := range d.Cities {
		refs[c.Ref()] = c
	}
	for _, a := range d.Activities {
		if a.Start == nil || a.Start.Start == "" {
			continue
		}
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
		line("UID:activity-" + itoa(a.ID) + "@twinning")
		line("DTSTAMP:" + stamp.UTC().Format("20060102T150405Z"))
		line("DTSTART;VALUE=DATE:" + start.Format("20060102"))
		line("DTEND;VALUE=DATE:" + stop.Format("20060102"))
		if tag, text := pickLang(a.Title, lang); text != "" {
			line("SUMMARY;LANGUAGE=" + tag + ":" + icsText(text))
		}
		if tag, text := pickLang(a.Description, lang); text != "" {
			line("DESCRIPTION;LANGUAGE=" + tag + ":" + icsText(text))
		}
		if c := refs[a.Place]; c != nil {
			tag, text := pickLang(c.Names, lang)
			line("LOCATION;LANGUAGE=" + tag + ":" + icsText(text))
			if c.Lat != nil && c.Lon != nil {
				line("GEO:" + fmtFloat(c.Lat) + ";" + fmtFloat(c.Lon))
			}
		}
		if a.Kind != "" {
			line("CATEGORIES:" + icsText(a.Kind))
		}
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return bw.Flush()
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
