package calendar

// Supported lunar Hijri years.
const (
	MinHijriYear = 1
	MaxHijriYear = 2000
)

// hijriEpoch is the Julian Day Number of 1 Muharram 1 AH in the civil
// (Friday) epoch: 16 July 622 Julian = 19 July 622 proleptic Gregorian.
const hijriEpoch = 1948440

// isLeapHijri reports whether hy has 355 days: years 2, 5, 7, 10, 13, 16, 18,
// 21, 24, 26 and 29 of each 30-year cycle.
func isLeapHijri(hy int) bool { return (14+11*hy)%30 < 11 }

// hijriMonthLength returns the days in month hm of hy: odd months 30, even
// months 29, Dhu al-Hijjah 30 in leap years; 0 for a month that does not exist.
func hijriMonthLength(hy, hm int) int {
	switch {
	case hy < MinHijriYear || hy > MaxHijriYear || hm < 1 || hm > 12:
		return 0
	case hm%2 == 1 || (hm == 12 && isLeapHijri(hy)):
		return 30
	default:
		return 29
	}
}

// hijriToJDN returns the Julian Day Number of a valid tabular Hijri date
// (Calendrical Calculations, fixed-from-islamic).
func hijriToJDN(hy, hm, hd int) int {
	return hijriEpoch - 1 + (hy-1)*354 + (3+11*hy)/30 + 29*(hm-1) + hm/2 + hd
}

// jdnToHijri is the inverse of hijriToJDN within the supported range.
func jdnToHijri(jdn int) (hy, hm, hd int, ok bool) {
	if jdn < hijriEpoch || jdn >= hijriToJDN(MaxHijriYear+1, 1, 1) {
		return 0, 0, 0, false
	}
	hy = (30*(jdn-hijriEpoch) + 10646) / 10631
	for hy > MinHijriYear && jdn < hijriToJDN(hy, 1, 1) {
		hy--
	}
	for jdn >= hijriToJDN(hy+1, 1, 1) {
		hy++
	}
	hm = 1
	for hm < 12 && jdn >= hijriToJDN(hy, hm+1, 1) {
		hm++
	}
	return hy, hm, jdn - hijriToJDN(hy, hm, 1) + 1, true
}

// checkHijri returns a *Error if hy-hm-hd is not a supported Hijri day.
func checkHijri(hy, hm, hd int) error {
	if hy < MinHijriYear || hy > MaxHijriYear {
		return errorf(CodeDateRange, isoDate(hy, hm, hd), "hijri years %d–%d", MinHijriYear, MaxHijriYear)
	}
	if hm < 1 || hm > 12 {
		return errorf(CodeDateInvalid, isoDate(hy, hm, hd), "no month %d", hm)
	}
	if n := hijriMonthLength(hy, hm); hd < 1 || hd > n {
		return errorf(CodeDateInvalid, isoDate(hy, hm, hd), "%s %d has %d days in the tabular calendar", HijriMonthName(hm, "en"), hy, n)
	}
	return nil
}

// HijriToGregorian converts a date of the tabular (arithmetic) Islamic
// calendar, civil epoch 16 July 622 Julian, to the proleptic Gregorian
// calendar. Dates announced from moon sighting or the Umm al-Qura calendar may
// differ from the tabular ones by one or two days: 1 Muharram 1446 is
// 2024-07-08 here, 2024-07-07 in Umm al-Qura. The error is a *Error.
func HijriToGregorian(hy, hm, hd int) (gy, gm, gd int, err error) {
	if err := checkHijri(hy, hm, hd); err != nil {
		return 0, 0, 0, err
	}
	gy, gm, gd = jdnToGregorian(hijriToJDN(hy, hm, hd))
	return gy, gm, gd, nil
}

// GregorianToHijri converts a proleptic Gregorian date to the tabular Islamic
// calendar (see HijriToGregorian). The error is a *Error: date_invalid for
// days that do not exist, date_range outside Hijri years 1–2000.
func GregorianToHijri(gy, gm, gd int) (hy, hm, hd int, err error) {
	if err := checkGregorian(gy, gm, gd); err != nil {
		return 0, 0, 0, err
	}
	hy, hm, hd, ok := jdnToHijri(gregorianToJDN(gy, gm, gd))
	if !ok {
		return 0, 0, 0, errorf(CodeDateRange, isoDate(gy, gm, gd), "hijri years %d–%d", MinHijriYear, MaxHijriYear)
	}
	return hy, hm, hd, nil
}
