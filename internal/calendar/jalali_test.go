package calendar

import (
	"errors"
	"testing"
	"time"
)

// jalaliVector is one row of doc/persian.md §2.4.
type jalaliVector struct {
	jy, jm, jd int
	gy, gm, gd int
	weekday    time.Weekday
}

var nowruzVectors = []jalaliVector{
	{1390, 1, 1, 2011, 3, 21, time.Monday},
	{1391, 1, 1, 2012, 3, 20, time.Tuesday},
	{1392, 1, 1, 2013, 3, 21, time.Thursday},
	{1393, 1, 1, 2014, 3, 21, time.Friday},
	{1394, 1, 1, 2015, 3, 21, time.Saturday},
	{1395, 1, 1, 2016, 3, 20, time.Sunday},
	{1396, 1, 1, 2017, 3, 21, time.Tuesday},
	{1397, 1, 1, 2018, 3, 21, time.Wednesday},
	{1398, 1, 1, 2019, 3, 21, time.Thursday},
	{1399, 1, 1, 2020, 3, 20, time.Friday},
	{1400, 1, 1, 2021, 3, 21, time.Sunday},
	{1401, 1, 1, 2022, 3, 21, time.Monday},
	{1402, 1, 1, 2023, 3, 21, time.Tuesday},
	{1403, 1, 1, 2024, 3, 20, time.Wednesday},
	{1404, 1, 1, 2025, 3, 21, time.Friday},
	{1405, 1, 1, 2026, 3, 21, time.Saturday},
	{1406, 1, 1, 2027, 3, 21, time.Sunday},
	{1407, 1, 1, 2028, 3, 20, time.Monday},
	{1408, 1, 1, 2029, 3, 20, time.Tuesday},
	{1409, 1, 1, 2030, 3, 21, time.Thursday},
	{1410, 1, 1, 2031, 3, 21, time.Friday},
}

var edgeVectors = []jalaliVector{
	{1399, 12, 30, 2021, 3, 20, time.Saturday},
	{1400, 1, 1, 2021, 3, 21, time.Sunday},
	{1402, 12, 29, 2024, 3, 19, time.Tuesday},
	{1403, 12, 30, 2025, 3, 20, time.Thursday},
	{1404, 1, 1, 2025, 3, 21, time.Friday},
	{1404, 7, 9, 2025, 10, 1, time.Wednesday},
	{1404, 12, 29, 2026, 3, 20, time.Friday},
	{1405, 1, 1, 2026, 3, 21, time.Saturday},
	{1395, 12, 30, 2017, 3, 20, time.Monday},
	{1391, 12, 30, 2013, 3, 20, time.Wednesday},
	{1407, 12, 29, 2029, 3, 19, time.Monday},
	{1408, 12, 30, 2030, 3, 20, time.Wednesday},
	{1403, 6, 31, 2024, 9, 21, time.Saturday},
	{1403, 7, 1, 2024, 9, 22, time.Sunday},
	{1397, 1, 1, 2018, 3, 21, time.Wednesday},
	{1397, 12, 29, 2019, 3, 20, time.Wednesday},
	{1400, 7, 9, 2021, 10, 1, time.Friday},
	{1400, 8, 9, 2021, 10, 31, time.Sunday},
	{1400, 7, 21, 2021, 10, 13, time.Wednesday},
	{1403, 8, 13, 2024, 11, 3, time.Sunday},
	{1378, 10, 11, 2000, 1, 1, time.Saturday},
	{1348, 10, 11, 1970, 1, 1, time.Thursday},
	{1304, 1, 1, 1925, 3, 21, time.Saturday},
	{1357, 11, 22, 1979, 2, 11, time.Sunday},
	{1360, 5, 26, 1981, 8, 17, time.Monday},
	{1395, 1, 23, 2016, 4, 11, time.Monday},
	{1403, 10, 11, 2024, 12, 31, time.Tuesday},
	{1404, 10, 11, 2026, 1, 1, time.Thursday},
}

func TestJalaliVectors(t *testing.T) {
	t.Parallel()
	for _, v := range append(nowruzVectors, edgeVectors...) {
		gy, gm, gd, err := JalaliToGregorian(v.jy, v.jm, v.jd)
		if err != nil || gy != v.gy || gm != v.gm || gd != v.gd {
			t.Errorf("JalaliToGregorian(%d,%d,%d) = %d-%d-%d, %v; want %d-%d-%d",
				v.jy, v.jm, v.jd, gy, gm, gd, err, v.gy, v.gm, v.gd)
		}
		jy, jm, jd, err := GregorianToJalali(v.gy, v.gm, v.gd)
		if err != nil || jy != v.jy || jm != v.jm || jd != v.jd {
			t.Errorf("GregorianToJalali(%d,%d,%d) = %d/%d/%d, %v; want %d/%d/%d",
				v.gy, v.gm, v.gd, jy, jm, jd, err, v.jy, v.jm, v.jd)
		}
		if wd := time.Date(v.gy, time.Month(v.gm), v.gd, 0, 0, 0, 0, time.UTC).Weekday(); wd != v.weekday {
			t.Errorf("%d-%d-%d is a %v, the vector says %v", v.gy, v.gm, v.gd, wd, v.weekday)
		}
	}
}

func TestJDN(t *testing.T) {
	t.Parallel()
	// jalaali-js documentation vector.
	if got := gregorianToJDN(2016, 4, 11); got != 2457490 {
		t.Errorf("gregorianToJDN(2016-04-11) = %d, want 2457490", got)
	}
	if got := jalaliToJDN(1395, 1, 23); got != 2457490 {
		t.Errorf("jalaliToJDN(1395/01/23) = %d, want 2457490", got)
	}
}

func TestIsValidJalali(t *testing.T) {
	t.Parallel()
	tests := []struct {
		jy, jm, jd int
		want       bool
	}{
		{1393, 12, 30, false},
		{1395, 12, 30, true},
		{1393, 7, 31, false},
		{1393, 1, 31, true},
		{1404, 12, 30, false},
		{1403, 12, 30, true},
		{1402, 12, 30, false},
		{1407, 12, 30, false},
		{1403, 6, 32, false},
		{1403, 0, 1, false},
		{1403, 13, 1, false},
		{1403, 1, 0, false},
		{0, 1, 1, false},
		{1, 1, 1, true},
		{3177, 1, 1, true},
		{3178, 1, 1, false},
	}
	for _, tt := range tests {
		if got := IsValidJalali(tt.jy, tt.jm, tt.jd); got != tt.want {
			t.Errorf("IsValidJalali(%d,%d,%d) = %v, want %v", tt.jy, tt.jm, tt.jd, got, tt.want)
		}
	}
}

func TestJalaliErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		jy, jm, jd int
		code       string
	}{
		{1404, 12, 30, CodeDateInvalid},
		{1393, 7, 31, CodeDateInvalid},
		{1402, 12, 30, CodeDateInvalid},
		{1400, 13, 1, CodeDateInvalid},
		{1400, 1, 0, CodeDateInvalid},
		{0, 1, 1, CodeDateRange},
		{3178, 1, 1, CodeDateRange},
	}
	for _, tt := range tests {
		_, _, _, err := JalaliToGregorian(tt.jy, tt.jm, tt.jd)
		if code := errorCode(err); code != tt.code {
			t.Errorf("JalaliToGregorian(%d,%d,%d) error %v, want code %s", tt.jy, tt.jm, tt.jd, err, tt.code)
		}
	}
	gtests := []struct {
		gy, gm, gd int
		code       string
	}{
		{2023, 2, 29, CodeDateInvalid},
		{2021, 4, 31, CodeDateInvalid},
		{2021, 0, 1, CodeDateInvalid},
		{622, 3, 21, CodeDateRange}, // the day before 1 Farvardin 1
		{0, 1, 1, CodeDateRange},
		{10000, 1, 1, CodeDateRange},
	}
	for _, tt := range gtests {
		_, _, _, err := GregorianToJalali(tt.gy, tt.gm, tt.gd)
		if code := errorCode(err); code != tt.code {
			t.Errorf("GregorianToJalali(%d,%d,%d) error %v, want code %s", tt.gy, tt.gm, tt.gd, err, tt.code)
		}
	}
}

func TestJalaliRangeEnds(t *testing.T) {
	t.Parallel()
	if y, m, d, err := GregorianToJalali(622, 3, 22); err != nil || y != 1 || m != 1 || d != 1 {
		t.Errorf("GregorianToJalali(622-03-22) = %d/%d/%d, %v; want 1/1/1", y, m, d, err)
	}
	last := JalaliMonthLength(MaxJalaliYear, 12)
	gy, gm, gd, err := JalaliToGregorian(MaxJalaliYear, 12, last)
	if err != nil {
		t.Fatal(err)
	}
	if y, m, d, err := GregorianToJalali(gy, gm, gd); err != nil || y != MaxJalaliYear || m != 12 || d != last {
		t.Errorf("last day %d-%d-%d → %d/%d/%d, %v", gy, gm, gd, y, m, d, err)
	}
	next := time.Date(gy, time.Month(gm), gd+1, 0, 0, 0, 0, time.UTC)
	if _, _, _, err := GregorianToJalali(next.Year(), int(next.Month()), next.Day()); errorCode(err) != CodeDateRange {
		t.Errorf("day after the last Jalali day: error %v, want date_range", err)
	}
}

func TestLeapYears1390To1420(t *testing.T) {
	t.Parallel()
	want := map[int]bool{1391: true, 1395: true, 1399: true, 1403: true, 1408: true, 1412: true, 1416: true, 1420: true}
	for jy := 1390; jy <= 1420; jy++ {
		if got := IsLeapJalali(jy); got != want[jy] {
			t.Errorf("IsLeapJalali(%d) = %v, want %v", jy, got, want[jy])
		}
	}
}

// TestOfficialLeapCount checks the size and ends of the official 1206–1498
// table (doc/persian.md §2.2: 71 leap years, 1210 … 1498).
func TestOfficialLeapCount(t *testing.T) {
	t.Parallel()
	n := 0
	for jy := MinOfficialJalaliYear; jy <= MaxOfficialJalaliYear; jy++ {
		if IsLeapJalali(jy) {
			n++
		}
	}
	if n != 71 || !IsLeapJalali(1210) || !IsLeapJalali(1498) {
		t.Errorf("%d leap years in 1206–1498 (1210 leap: %v, 1498 leap: %v), want 71, true, true",
			n, IsLeapJalali(1210), IsLeapJalali(1498))
	}
}

func TestThirtyThreeYearRule(t *testing.T) {
	t.Parallel()
	rule := func(jy int) bool { return (25*jy+11)%33 < 8 }
	for jy := 1178; jy <= 1633; jy++ {
		if IsLeapJalali(jy) != rule(jy) {
			t.Errorf("year %d: Borkowski leap %v, 33-year rule %v", jy, IsLeapJalali(jy), rule(jy))
		}
		if n := JalaliMonthLength(jy, 12); n != 29+boolInt(rule(jy)) {
			t.Errorf("Esfand %d has %d days", jy, n)
		}
	}
	// doc/persian.md §2.2: the first differences lie just outside that range.
	if IsLeapJalali(1177) == rule(1177) {
		t.Error("1177: expected Borkowski and the 33-year rule to differ")
	}
	if IsLeapJalali(1634) == rule(1634) && IsLeapJalali(1635) == rule(1635) {
		t.Error("1634/1635: expected Borkowski and the 33-year rule to differ")
	}
}

// TestEveryDay walks 1900-01-01…2150-12-31 with the time package and checks
// the round trip and that consecutive days are consecutive Jalali days.
func TestEveryDay(t *testing.T) {
	t.Parallel()
	day := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	last := time.Date(2150, 12, 31, 0, 0, 0, 0, time.UTC)
	var py, pm, pd int
	for n := 0; !day.After(last); n++ {
		gy, gmT, gd := day.Date()
		gm := int(gmT)
		jy, jm, jd, err := GregorianToJalali(gy, gm, gd)
		if err != nil {
			t.Fatalf("%v: %v", day, err)
		}
		if n > 0 {
			wy, wm, wd := py, pm, pd+1
			if wd > JalaliMonthLength(py, pm) {
				wm, wd = wm+1, 1
				if wm > 12 {
					wy, wm = wy+1, 1
				}
			}
			if jy != wy || jm != wm || jd != wd {
				t.Fatalf("%s → %d/%d/%d, want %d/%d/%d (day after %d/%d/%d)",
					day.Format(time.DateOnly), jy, jm, jd, wy, wm, wd, py, pm, pd)
			}
		}
		ry, rm, rd, err := JalaliToGregorian(jy, jm, jd)
		if err != nil || ry != gy || rm != gm || rd != gd {
			t.Fatalf("%d/%d/%d → %d-%d-%d, %v; want %s", jy, jm, jd, ry, rm, rd, err, day.Format(time.DateOnly))
		}
		if j := gregorianToJDN(gy, gm, gd); j != 2415021+n {
			t.Fatalf("JDN of %s = %d, want %d", day.Format(time.DateOnly), j, 2415021+n)
		}
		py, pm, pd = jy, jm, jd
		day = day.AddDate(0, 0, 1)
	}
}

func errorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err != nil {
		return "untyped: " + err.Error()
	}
	return ""
}

func BenchmarkJalaliToGregorian(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		if _, _, _, err := JalaliToGregorian(1300+i%200, 1+i%12, 1+i%29); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGregorianToJalali(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		if _, _, _, err := GregorianToJalali(1900+i%200, 1+i%12, 1+i%28); err != nil {
			b.Fatal(err)
		}
	}
}
