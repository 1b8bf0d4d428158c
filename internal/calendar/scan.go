package calendar

import (
	"strings"
	"unicode"
)

// scan reads "Y", "Y-M" or "Y-M-D" (or with "/") in any decimal digits. The
// year has 1–4 digits, month and day 1–2; it does not check ranges.
func scan(s string) (y, m, d int, p Precision, ok bool) {
	s = strings.TrimFunc(s, isSpaceOrMark)
	sep := "-"
	if strings.Contains(s, "/") {
		sep = "/"
	}
	parts := strings.Split(s, sep)
	if len(parts) > 3 {
		return 0, 0, 0, "", false
	}
	var nums [3]int
	for i, part := range parts {
		n, ok := atoi(strings.TrimFunc(part, isSpaceOrMark), i == 0)
		if !ok {
			return 0, 0, 0, "", false
		}
		nums[i] = n
	}
	p = [...]Precision{Year, Month, Day}[len(parts)-1]
	return nums[0], nums[1], nums[2], p, true
}

// atoi parses 1–4 (year) or 1–2 digits of any of ASCII, Persian and
// Arabic-Indic digits.
func atoi(s string, year bool) (int, bool) {
	limit := 2
	if year {
		limit = 4
	}
	n, count := 0, 0
	for _, r := range s {
		v := digitValue(r)
		if v < 0 || count == limit {
			return 0, false
		}
		n = n*10 + v
		count++
	}
	return n, count > 0
}

func digitValue(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= '۰' && r <= '۹':
		return int(r - '۰')
	case r >= '٠' && r <= '٩':
		return int(r - '٠')
	}
	return -1
}

// isSpaceOrMark matches white space and the invisible direction and format
// marks that copy-paste leaves around dates (LRM, RLM, ALM, BOM, embeddings,
// isolates, ZWNJ, ZWJ).
func isSpaceOrMark(r rune) bool {
	switch {
	case unicode.IsSpace(r), r == '\u200c', r == '\u200d', r == '\u200e', r == '\u200f',
		r == '\u061c', r == '\ufeff', r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

// scanNamed reads "D MONTH Y" or "MONTH Y", where MONTH is a name of a month of
// cal (any spelling LookupMonth knows, one or more words) and D and Y are
// numbers in any of the digits scan reads; commas between the parts («۳۰ تیر،
// ۱۴۰۰») are allowed.
func scanNamed(cal Calendar, s string) (y, m, d int, p Precision, ok bool) {
	words := strings.FieldsFunc(s, func(r rune) bool {
		return isSpaceOrMark(r) || r == ',' || r == '،'
	})
	if len(words) < 2 {
		return 0, 0, 0, "", false
	}
	y, ok = atoi(words[len(words)-1], true)
	if !ok {
		return 0, 0, 0, "", false
	}
	name, p := words[:len(words)-1], Month
	if day, isDay := atoi(words[0], false); isDay {
		d, name, p = day, words[1:len(words)-1], Day
	}
	if len(name) == 0 {
		return 0, 0, 0, "", false
	}
	c, m, found := LookupMonth(strings.Join(name, " "))
	if !found || c != cal {
		return 0, 0, 0, "", false
	}
	return y, m, d, p, true
}
