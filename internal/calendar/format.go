package calendar

import (
	"strconv"
	"strings"
	"time"

	"github.com/twinning/twinning/internal/persian"
)

// Format renders d for readers of lang, the way it was meant:
//
//   - "fa" (and "fa-AF", with Afghan month names): Jalali with Persian digits,
//     "۳۰ تیر ۱۴۰۰", "تیر ۱۴۰۰", "۱۳۹۷". A Gregorian or Hijri day is converted
//     to Jalali; a Gregorian or Hijri month or year has no Jalali equivalent
//     of the same precision and is shown in its own calendar: "اکتبر ۲۰۲۱",
//     "۲۰۲۱", "محرم ۱۴۴۶", "۱۴۴۶ قمری".
//   - "ru": as English, in Russian: "21 июля 2021 г.", "июль 2021 г.",
//     "2021 г.", "тир 1400 (июнь–июль 2021 г.)", "1397 г. с. х. (2018–2019 гг.)",
//     with the Jalali date beside (FormatAlt) as for English: partner cities
//     in Central Asia count in Gregorian years but correspond with Iran.
//   - any other language: English. Gregorian as written ("21 July 2021",
//     "July 2021", "2021"); a Jalali or Hijri day converted ("21 July 2021");
//     a Jalali or Hijri month or year as written with the Gregorian span it
//     covers: "Tir 1400 (June–July 2021)", "1397 SH (2018–2019)",
//     "1446 AH (2024–2025)".
//
// d need only carry Calendar and Value. If it does not complete, Format
// returns its Value (in Persian digits for "fa"); the zero date gives "".
func Format(d PartialDate, lang string) string {
	main, _ := render(d, lang)
	return main
}

// FormatAlt renders d in the other calendar, to show beside Format: for "fa"
// the Gregorian interval in Persian digits ("۲۱ ژوئیهٔ ۲۰۲۱",
// "۲۲ ژوئن – ۲۲ ژوئیهٔ ۲۰۲۱", "۲۰۱۸–۲۰۱۹"); for other languages the Jalali
// interval ("30 Tir 1400", "9 Mehr – 9 Aban 1400", "1399–1400 SH"). When
// Format converted a day out of its own calendar, FormatAlt shows it as
// written instead (a Gregorian date in "fa", a Jalali or Hijri one in "en"),
// and when Format shows it in its own calendar FormatAlt gives the Jalali
// interval for "fa". It returns "" when there is nothing to add: English
// Format of a Jalali or Hijri month or year already carries both calendars,
// and a span outside the other calendar's range cannot be shown.
func FormatAlt(d PartialDate, lang string) string {
	_, alt := render(d, lang)
	return alt
}

// render returns Format's and FormatAlt's strings.
func render(d PartialDate, lang string) (main, alt string) {
	fa := langKey(lang) == "fa" || langKey(lang) == "fa-AF"
	pd, err := d.Complete()
	if err != nil || pd.IsZero() {
		return localDigits(d.Value, fa), ""
	}
	if !fa && langKey(lang) != "ru" {
		lang = "en"
	}
	y, m, day := pd.Fields()
	p, own := pd.Precision, pd.Calendar
	start, end := isoJDN(pd.Start), isoJDN(pd.End)
	home := Gregorian
	if fa {
		home = Jalali
	}
	switch {
	case own == home && fa:
		main, alt = dateIn(own, y, m, day, p, lang), spanIn(Gregorian, start, end, p, lang)
	case own == home:
		main, alt = dateIn(own, y, m, day, p, lang), spanIn(Jalali, start, end, p, lang)
	case p == Day && representable(home, start):
		main, alt = spanIn(home, start, end, p, lang), dateIn(own, y, m, day, p, lang)
	case fa:
		main, alt = dateIn(own, y, m, day, p, lang), spanIn(Jalali, start, end, p, lang)
	default:
		main = dateIn(own, y, m, day, p, lang) + " (" + gregorianMonthSpan(start, end, p, lang) + ")"
	}
	return localDigits(main, fa), localDigits(alt, fa)
}

func localDigits(s string, fa bool) string {
	if fa {
		return persian.PersianDigits(s)
	}
	return s
}

func representable(cal Calendar, jdn int) bool {
	_, _, _, ok := fromJDN(cal, jdn)
	return ok
}

func isoJDN(iso string) int {
	t, _ := time.Parse(time.DateOnly, iso)
	return gregorianToJDN(t.Year(), int(t.Month()), t.Day())
}

// dateIn renders one date of calendar cal at precision p: "30 Tir 1400",
// "Tir 1400", "1397 SH" (digits stay ASCII).
func dateIn(cal Calendar, y, m, d int, p Precision, lang string) string {
	ys := strconv.Itoa(y)
	if cal == Gregorian && langKey(lang) == "ru" {
		ys += " г." // Russian writes the Gregorian year as "2021 г."
	}
	switch p {
	case Day:
		if cal == Gregorian && langKey(lang) == "ru" {
			return strconv.Itoa(d) + " " + russianGenitive[m-1] + " " + ys
		}
		return strconv.Itoa(d) + " " + monthIn(cal, m, lang) + " " + ys
	case Month:
		return monthIn(cal, m, lang) + " " + ys
	}
	if cal == Gregorian {
		return ys
	}
	return ys + yearSuffix(cal, lang)
}

// russianGenitive are the Gregorian months as a Russian date names them, in the
// genitive ("21 июля"), from CLDR's format-context names.
var russianGenitive = [12]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"}

// monthIn names a month inside a formatted date. Iranian Persian Gregorian
// names ending in ه take the ezafe mark there, as in CLDR: «۲۱ ژوئیهٔ ۲۰۲۱».
func monthIn(cal Calendar, m int, lang string) string {
	switch cal {
	case Jalali:
		return JalaliMonthName(m, lang)
	case Hijri:
		return HijriMonthName(m, lang)
	}
	name := GregorianMonthName(m, lang)
	if langKey(lang) == "fa" && strings.HasSuffix(name, "ه") {
		name += "\u0654"
	}
	return name
}

// yearSuffix marks a bare year whose calendar the reader cannot guess.
func yearSuffix(cal Calendar, lang string) string {
	persian := langKey(lang) == "fa" || langKey(lang) == "fa-AF"
	russian := langKey(lang) == "ru"
	switch {
	case cal == Hijri && persian:
		return " قمری"
	case cal == Hijri && russian:
		return " г. х." // год (лунной) хиджры
	case cal == Jalali && russian:
		return " г. с. х." // год солнечной хиджры
	case cal == Gregorian && russian:
		return " гг."
	case cal == Hijri:
		return " AH"
	case cal == Jalali && !persian:
		return " SH"
	}
	return ""
}

// spanIn renders the days start…end (Julian Day Numbers) in cal: one day, a
// day range for month precision, a year range for year precision. It returns
// "" if either end is outside cal's range.
func spanIn(cal Calendar, start, end int, p Precision, lang string) string {
	y1, m1, d1, ok1 := fromJDN(cal, start)
	y2, m2, d2, ok2 := fromJDN(cal, end)
	switch {
	case !ok1 || !ok2:
		return ""
	case p == Year && y1 == y2:
		return dateIn(cal, y1, 0, 0, Year, lang)
	case p == Year:
		return strconv.Itoa(y1) + "–" + strconv.Itoa(y2) + yearSuffix(cal, lang)
	case start == end:
		return dateIn(cal, y1, m1, d1, Day, lang)
	case y1 != y2:
		return dateIn(cal, y1, m1, d1, Day, lang) + " – " + dateIn(cal, y2, m2, d2, Day, lang)
	case m1 != m2:
		return strconv.Itoa(d1) + " " + monthIn(cal, m1, lang) + " – " + dateIn(cal, y2, m2, d2, Day, lang)
	}
	return strconv.Itoa(d1) + "–" + dateIn(cal, y2, m2, d2, Day, lang)
}

// gregorianMonthSpan renders in English (or Russian) the Gregorian months
// (month precision) or years (year precision) that start…end touch:
// "June–July 2021", "December 2020 – January 2021", "2018–2019".
func gregorianMonthSpan(start, end int, p Precision, lang string) string {
	y1, m1, _ := jdnToGregorian(start)
	y2, m2, _ := jdnToGregorian(end)
	switch {
	case p == Year && y1 == y2:
		return dateIn(Gregorian, y1, 0, 0, Year, lang)
	case p == Year:
		return strconv.Itoa(y1) + "–" + strconv.Itoa(y2) + yearSuffix(Gregorian, lang)
	case y1 != y2:
		return dateIn(Gregorian, y1, m1, 0, Month, lang) + " – " + dateIn(Gregorian, y2, m2, 0, Month, lang)
	case m1 != m2:
		return GregorianMonthName(m1, lang) + "–" + dateIn(Gregorian, y2, m2, 0, Month, lang)
	}
	return dateIn(Gregorian, y1, m1, 0, Month, lang)
}
