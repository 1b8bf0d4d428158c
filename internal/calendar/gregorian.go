package calendar

// Supported Gregorian years (proleptic Gregorian calendar).
const (
	MinGregorianYear = 1
	MaxGregorianYear = 9999
)

// gregorianToJDN returns the Julian Day Number of a proleptic Gregorian date.
// It is Borkowski's g2d; all divisions truncate, which is exact for the
// positive offsets used here.
func gregorianToJDN(gy, gm, gd int) int {
	d := (gy+(gm-8)/6+100100)*1461/4 +
		(153*((gm+9)%12)+2)/5 +
		gd - 34840408
	return d - (gy+100100+(gm-8)/6)/100*3/4 + 752
}

// jdnToGregorian is Borkowski's d2g, the inverse of gregorianToJDN.
func jdnToGregorian(jdn int) (gy, gm, gd int) {
	j := 4*jdn + 139361631
	j += (4*jdn+183187720)/146097*3/4*4 - 3908
	i := (j%1461)/4*5 + 308
	gd = (i%153)/5 + 1
	gm = (i/153)%12 + 1
	gy = j/1461 - 100100 + (8-gm)/6
	return gy, gm, gd
}

// isLeapGregorian reports whether gy is a leap year of the proleptic Gregorian calendar.
func isLeapGregorian(gy int) bool {
	return gy%4 == 0 && (gy%100 != 0 || gy%400 == 0)
}

// gregorianMonthLength returns the number of days in month gm of year gy, or 0
// if gm is not a month.
func gregorianMonthLength(gy, gm int) int {
	switch gm {
	case 1, 3, 5, 7, 8, 10, 12:
		return 31
	case 4, 6, 9, 11:
		return 30
	case 2:
		if isLeapGregorian(gy) {
			return 29
		}
		return 28
	}
	return 0
}

// isValidGregorian reports whether gy-gm-gd is a day of the supported Gregorian range.
func isValidGregorian(gy, gm, gd int) bool {
	return gy >= MinGregorianYear && gy <= MaxGregorianYear &&
		gd >= 1 && gd <= gregorianMonthLength(gy, gm)
}

// checkGregorian returns a *Error if gy-gm-gd is not a supported Gregorian day.
func checkGregorian(gy, gm, gd int) error {
	if gy < MinGregorianYear || gy > MaxGregorianYear {
		return errorf(CodeDateRange, isoDate(gy, gm, gd), "gregorian years %d–%d", MinGregorianYear, MaxGregorianYear)
	}
	if !isValidGregorian(gy, gm, gd) {
		return errorf(CodeDateInvalid, isoDate(gy, gm, gd), "not a day of the gregorian calendar")
	}
	return nil
}
