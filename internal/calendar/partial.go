package calendar

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Calendar names the calendar a date is written in. Its values appear in JSON.
type Calendar string

// The supported calendars.
const (
	Jalali    Calendar = "jalali"    // Solar Hijri (Iran, Afghanistan), Borkowski's algorithm
	Gregorian Calendar = "gregorian" // proleptic Gregorian
	Hijri     Calendar = "hijri"     // tabular lunar Hijri, civil epoch
)

// Valid reports whether c is one of the supported calendars.
func (c Calendar) Valid() bool { return c == Jalali || c == Gregorian || c == Hijri }

// Home is the calendar a language's readers count in: Jalali for Persian, Gregorian for the
// others.
func Home(lang string) Calendar {
	if strings.HasPrefix(lang, "fa") {
		return Jalali
	}
	return Gregorian
}

// Precision says how much of a date was written: a year, a month or a day.
type Precision string

// The supported precisions.
const (
	Year  Precision = "year"
	Month Precision = "month"
	Day   Precision = "day"
)

// Valid reports whether p is one of the supported precisions.
func (p Precision) Valid() bool { return p == Year || p == Month || p == Day }

// PartialDate is a date as written in its calendar, with the Gregorian interval it covers.
// Build one with Parse, FromTime or Complete; Start and End are derived, never trusted.
type PartialDate struct {
	Calendar  Calendar  `json:"calendar"`
	Value     string    `json:"value"`               // normalized: "1397", "1400-04", "1400-04-30" (ASCII digits)
	Precision Precision `json:"precision,omitempty"` // derived from Value
	Start     string    `json:"start,omitempty"`     // Gregorian YYYY-MM-DD, first day covered
	End       string    `json:"end,omitempty"`       // Gregorian YYYY-MM-DD, last day covered (inclusive)
}

// Parse validates a value written in cal and completes precision and the
// interval. It accepts "1397", "1400-04", "1400-04-30" and "1400/4/30", with
// ASCII, Persian (۱۴۰۰) or Arabic-Indic (١٤٠٠) digits and surrounding spaces
// or direction marks. The year comes first; months and days take one or two
// digits. A month of cal may also be written by name, as people write dates:
// «۳۰ تیر ۱۴۰۰», «تیر ۱۴۰۰», "21 July 2021", «۱ ربیع‌الاول ۱۴۴۶» (any spelling
// LookupMonth knows). The error is a *Error with the input as its Value.
func Parse(cal Calendar, value string) (PartialDate, error) {
	if !cal.Valid() {
		return PartialDate{}, &Error{Code: CodeCalendarUnknown, Value: string(cal)}
	}
	y, m, d, p, ok := scan(value)
	if !ok {
		if y, m, d, p, ok = scanNamed(cal, value); !ok {
			return PartialDate{}, &Error{Code: CodeDateSyntax, Value: value}
		}
	}
	pd, err := build(cal, y, m, d, p)
	if err != nil {
		err.Value = value
		return PartialDate{}, err
	}
	return pd, nil
}

// Complete re-validates a PartialDate decoded from JSON. Calendar and Value
// are enough; Precision, if given, must match Value (else date_syntax); Start
// and End are always recomputed. The zero PartialDate completes to itself
// without error, so optional dates can be passed through; callers that require
// a date check IsZero first.
func (d PartialDate) Complete() (PartialDate, error) {
	if d.IsZero() {
		return d, nil
	}
	pd, err := Parse(d.Calendar, d.Value)
	if err != nil {
		return PartialDate{}, err
	}
	if d.Precision != "" && d.Precision != pd.Precision {
		return PartialDate{}, &Error{Code: CodeDateSyntax, Value: d.Value,
			Detail: fmt.Sprintf("precision %q does not match the value (%s)", d.Precision, pd.Precision)}
	}
	return pd, nil
}

// IsZero reports whether d is the zero PartialDate (no date given).
func (d PartialDate) IsZero() bool { return d == PartialDate{} }

// FromTime returns the date of t (in t's location) written in cal with
// precision p. It returns the zero PartialDate if cal or p is unknown or the
// day is outside the supported range of cal.
func FromTime(t time.Time, cal Calendar, p Precision) PartialDate {
	if !cal.Valid() || !p.Valid() {
		return PartialDate{}
	}
	gy, gm, gd := t.Date()
	if !isValidGregorian(gy, int(gm), gd) {
		return PartialDate{}
	}
	y, m, d, ok := fromJDN(cal, gregorianToJDN(gy, int(gm), gd))
	if !ok {
		return PartialDate{}
	}
	pd, err := build(cal, y, m, d, p)
	if err != nil {
		return PartialDate{}
	}
	return pd
}

// Fields returns the year, month and day of Value in d's own calendar; month
// and day are 0 when the precision does not include them, and all are 0 if
// Value cannot be read. It does not validate.
func (d PartialDate) Fields() (year, month, day int) {
	y, m, dd, _, ok := scan(d.Value)
	if !ok {
		return 0, 0, 0
	}
	return y, m, dd
}

// StartTime returns 00:00 UTC of the first day covered by a completed d, or
// the zero time if Start is not set.
func (d PartialDate) StartTime() time.Time { return dayTime(d.Start, 0) }

// EndTime returns 00:00 UTC of the day after the last day covered by a
// completed d, the exclusive end of its interval, or the zero time if End is
// not set.
func (d PartialDate) EndTime() time.Time { return dayTime(d.End, 1) }

// Before reports whether completed d ends before completed o begins.
func (d PartialDate) Before(o PartialDate) bool { return d.End < o.Start }

// Overlaps reports whether the intervals of completed d and o share a day.
func (d PartialDate) Overlaps(o PartialDate) bool { return d.Start <= o.End && o.Start <= d.End }

// Compare orders completed dates by first day, then by last day, returning
// -1, 0 or +1. "1397" sorts after "1396-12" and before "1397-02".
func (d PartialDate) Compare(o PartialDate) int {
	switch {
	case d.Start != o.Start:
		return cmpString(d.Start, o.Start)
	default:
		return cmpString(d.End, o.End)
	}
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func dayTime(iso string, addDays int) time.Time {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return time.Time{}
	}
	return t.AddDate(0, 0, addDays)
}

// build validates y, m, d in cal at precision p (m and d are ignored when p
// excludes them) and computes the Gregorian interval.
func build(cal Calendar, y, m, d int, p Precision) (PartialDate, *Error) {
	firstM, lastM, firstD, lastD := m, m, d, d
	switch p {
	case Year:
		firstM, lastM, firstD = 1, 12, 1
	case Month:
		firstD = 1
	}
	if err := check(cal, y, firstM, firstD); err != nil {
		return PartialDate{}, err
	}
	if p != Day {
		lastD = monthLength(cal, y, lastM)
	}
	if err := check(cal, y, lastM, lastD); err != nil {
		return PartialDate{}, err
	}
	var value string
	switch p {
	case Year:
		value = string(appendPadded(nil, y, 4))
	case Month:
		value = string(appendPadded(append(appendPadded(make([]byte, 0, 7), y, 4), '-'), m, 2))
	default:
		value = isoDate(y, m, d)
	}
	return PartialDate{
		Calendar:  cal,
		Value:     value,
		Precision: p,
		Start:     isoDate(jdnToGregorian(toJDN(cal, y, firstM, firstD))),
		End:       isoDate(jdnToGregorian(toJDN(cal, y, lastM, lastD))),
	}, nil
}

func check(cal Calendar, y, m, d int) *Error {
	var err error
	switch cal {
	case Jalali:
		err = checkJalali(y, m, d)
	case Gregorian:
		err = checkGregorian(y, m, d)
	default:
		err = checkHijri(y, m, d)
	}
	if err != nil {
		return err.(*Error)
	}
	return nil
}

func monthLength(cal Calendar, y, m int) int {
	switch cal {
	case Jalali:
		return JalaliMonthLength(y, m)
	case Gregorian:
		return gregorianMonthLength(y, m)
	default:
		return hijriMonthLength(y, m)
	}
}

// toJDN returns the Julian Day Number of a valid date in cal.
func toJDN(cal Calendar, y, m, d int) int {
	switch cal {
	case Jalali:
		return jalaliToJDN(y, m, d)
	case Gregorian:
		return gregorianToJDN(y, m, d)
	default:
		return hijriToJDN(y, m, d)
	}
}

// fromJDN returns the date in cal of a Julian Day Number, if in range.
func fromJDN(cal Calendar, jdn int) (y, m, d int, ok bool) {
	switch cal {
	case Jalali:
		return jdnToJalali(jdn)
	case Gregorian:
		y, m, d = jdnToGregorian(jdn)
		return y, m, d, isValidGregorian(y, m, d)
	default:
		return jdnToHijri(jdn)
	}
}

// isoDate formats YYYY-MM-DD with at least four year digits.
func isoDate(y, m, d int) string {
	b := appendPadded(make([]byte, 0, 10), y, 4)
	b = appendPadded(append(b, '-'), m, 2)
	return string(appendPadded(append(b, '-'), d, 2))
}

// appendPadded appends n in decimal, zero-padded to width digits.
func appendPadded(b []byte, n, width int) []byte {
	if n < 0 {
		b, n = append(b, '-'), -n
	}
	s := strconv.Itoa(n)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}
