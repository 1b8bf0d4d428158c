package calendar

// Supported Jalali years: Borkowski's table covers −61…3177 AP; years before 1
// AP are not dates anyone writes in this calendar.
const (
	MinJalaliYear = 1
	MaxJalaliYear = 3177
)

// Official (Iranian Calendar Center) leap table range; within it Borkowski is exact.
const (
	MinOfficialJalaliYear = 1206
	MaxOfficialJalaliYear = 1498
)

// breaks are the years in which Borkowski's leap pattern changes.
var breaks = [...]int{-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210,
	1635, 2060, 2097, 2192, 2262, 2324, 2394, 2456, 3178}

// jalCal returns, for a Jalali year in breaks[0] ≤ jy < breaks[last], whether
// it is leap, and the day of March of Gregorian year jy+621 on which it begins.
// All divisions truncate (doc/persian.md §2.3).
func jalCal(jy int) (leap bool, march int) {
	gy := jy + 621
	leapJ := -14
	jp := breaks[0]
	jump := 0
	for _, jm := range breaks[1:] {
		jump = jm - jp
		if jy < jm {
			break
		}
		leapJ += jump/33*8 + (jump%33)/4
		jp = jm
	}
	n := jy - jp
	leapJ += n/33*8 + ((n%33)+3)/4
	if jump%33 == 4 && jump-n == 4 {
		leapJ++
	}
	leapG := gy/4 - (gy/100+1)*3/4 - 150
	march = 20 + leapJ - leapG
	if jump-n < 6 {
		n = n - jump + (jump+4)/33*33
	}
	r := ((n+1)%33 - 1) % 4
	return r == 0, march
}

// nowruzJDN returns the Julian Day Number of 1 Farvardin jy.
func nowruzJDN(jy int) int {
	_, march := jalCal(jy)
	return gregorianToJDN(jy+621, 3, march)
}

func inJalaliRange(jy int) bool { return jy >= MinJalaliYear && jy <= MaxJalaliYear }

// IsLeapJalali reports whether jy has 366 days (Esfand 30 exists). It is false
// for years outside MinJalaliYear…MaxJalaliYear.
func IsLeapJalali(jy int) bool {
	if !inJalaliRange(jy) {
		return false
	}
	leap, _ := jalCal(jy)
	return leap
}

// JalaliMonthLength returns the number of days in month jm of year jy: 31 for
// Farvardin–Shahrivar, 30 for Mehr–Bahman, 29 or 30 for Esfand. It returns 0
// for a month or year that does not exist or is out of range.
func JalaliMonthLength(jy, jm int) int {
	switch {
	case !inJalaliRange(jy) || jm < 1 || jm > 12:
		return 0
	case jm <= 6:
		return 31
	case jm <= 11:
		return 30
	case IsLeapJalali(jy):
		return 30
	default:
		return 29
	}
}

// IsValidJalali reports whether jy/jm/jd is a day of the supported Jalali range.
func IsValidJalali(jy, jm, jd int) bool {
	return jd >= 1 && jd <= JalaliMonthLength(jy, jm)
}

// checkJalali returns a *Error if jy/jm/jd is not a supported Jalali day.
func checkJalali(jy, jm, jd int) error {
	if !inJalaliRange(jy) {
		return errorf(CodeDateRange, isoDate(jy, jm, jd), "jalali years %d–%d", MinJalaliYear, MaxJalaliYear)
	}
	if jm < 1 || jm > 12 {
		return errorf(CodeDateInvalid, isoDate(jy, jm, jd), "no month %d", jm)
	}
	if n := JalaliMonthLength(jy, jm); jd < 1 || jd > n {
		return errorf(CodeDateInvalid, isoDate(jy, jm, jd), "%s %d has %d days", JalaliMonthName(jm, "en"), jy, n)
	}
	return nil
}

// jalaliToJDN returns the Julian Day Number of a valid Jalali date (Borkowski's j2d).
func jalaliToJDN(jy, jm, jd int) int {
	return nowruzJDN(jy) + (jm-1)*31 - jm/7*(jm-7) + jd - 1
}

// jdnToJalali is Borkowski's d2j, restricted to the supported range.
func jdnToJalali(jdn int) (jy, jm, jd int, ok bool) {
	gy, _, _ := jdnToGregorian(jdn)
	jy = min(max(gy-621, MinJalaliYear-1), MaxJalaliYear)
	start := nowruzJDN(jy)
	if jdn < start {
		jy--
		start = nowruzJDN(jy)
	}
	k := jdn - start
	if !inJalaliRange(jy) || k < 0 || k >= 365+boolInt(IsLeapJalali(jy)) {
		return 0, 0, 0, false
	}
	if k < 186 {
		return jy, 1 + k/31, k%31 + 1, true
	}
	k -= 186
	return jy, 7 + k/30, k%30 + 1, true
}

// JalaliToGregorian converts a Jalali date to the proleptic Gregorian calendar.
// The error is a *Error: date_range for years outside 1–3177, date_invalid for
// days that do not exist (1404/12/30, 1393/07/31). Dates are never shifted.
func JalaliToGregorian(jy, jm, jd int) (gy, gm, gd int, err error) {
	if err := checkJalali(jy, jm, jd); err != nil {
		return 0, 0, 0, err
	}
	gy, gm, gd = jdnToGregorian(jalaliToJDN(jy, jm, jd))
	return gy, gm, gd, nil
}

// GregorianToJalali converts a proleptic Gregorian date to the Jalali calendar.
// The error is a *Error: date_invalid for days that do not exist, date_range
// for days outside the supported years of either calendar (before 622-03-22).
func GregorianToJalali(gy, gm, gd int) (jy, jm, jd int, err error) {
	if err := checkGregorian(gy, gm, gd); err != nil {
		return 0, 0, 0, err
	}
	jy, jm, jd, ok := jdnToJalali(gregorianToJDN(gy, gm, gd))
	if !ok {
		return 0, 0, 0, errorf(CodeDateRange, isoDate(gy, gm, gd), "before 1 Farvardin 1 (622-03-22) or after jalali year %d", MaxJalaliYear)
	}
	return jy, jm, jd, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
