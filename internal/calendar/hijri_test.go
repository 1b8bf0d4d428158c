package calendar

import (
	"testing"
	"time"
)

func TestHijriKnownPairs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		hy, hm, hd int
		gy, gm, gd int
	}{
		// The civil epoch: 16 July 622 Julian is 19 July 622 proleptic Gregorian.
		{"epoch", 1, 1, 1, 622, 7, 19},
		// Calendrical Calculations sample date R.D. 710347 (1945-11-12), arithmetic Islamic.
		{"Calendrical Calculations", 1364, 12, 6, 1945, 11, 12},
		// Tabular civil: 2024-07-08 (JDN 1948440 + 1445·354 + ⌊(3+11·1446)/30⌋ = 2460500).
		// Umm al-Qura and most announcements gave Sunday 2024-07-07, one day earlier.
		{"1 Muharram 1446", 1446, 1, 1, 2024, 7, 8},
	}
	for _, tt := range tests {
		gy, gm, gd, err := HijriToGregorian(tt.hy, tt.hm, tt.hd)
		if err != nil || gy != tt.gy || gm != tt.gm || gd != tt.gd {
			t.Errorf("%s: HijriToGregorian(%d,%d,%d) = %d-%d-%d, %v; want %d-%d-%d",
				tt.name, tt.hy, tt.hm, tt.hd, gy, gm, gd, err, tt.gy, tt.gm, tt.gd)
		}
		hy, hm, hd, err := GregorianToHijri(tt.gy, tt.gm, tt.gd)
		if err != nil || hy != tt.hy || hm != tt.hm || hd != tt.hd {
			t.Errorf("%s: GregorianToHijri(%d,%d,%d) = %d-%d-%d, %v", tt.name, tt.gy, tt.gm, tt.gd, hy, hm, hd, err)
		}
	}
	if got := hijriToJDN(1446, 1, 1); got != 2460500 {
		t.Errorf("hijriToJDN(1446-01-01) = %d, want 2460500", got)
	}
}

func TestHijriLeapCycle(t *testing.T) {
	t.Parallel()
	want := map[int]bool{2: true, 5: true, 7: true, 10: true, 13: true, 16: true, 18: true, 21: true, 24: true, 26: true, 29: true}
	for y := 1; y <= 30; y++ {
		if isLeapHijri(y) != want[y] || isLeapHijri(y+1410) != want[y] {
			t.Errorf("isLeapHijri(%d) = %v, want %v", y, isLeapHijri(y), want[y])
		}
	}
	// A 30-year cycle has 10631 days.
	if n := hijriToJDN(31, 1, 1) - hijriToJDN(1, 1, 1); n != 10631 {
		t.Errorf("first cycle has %d days, want 10631", n)
	}
}

func TestHijriErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		hy, hm, hd int
		code       string
	}{
		{1445, 2, 30, CodeDateInvalid},  // Safar has 29 days
		{1446, 12, 30, CodeDateInvalid}, // 1446 is common
		{1445, 12, 30, ""},              // 1445 is leap
		{1445, 13, 1, CodeDateInvalid},
		{0, 1, 1, CodeDateRange},
		{MaxHijriYear + 1, 1, 1, CodeDateRange},
	}
	for _, tt := range tests {
		_, _, _, err := HijriToGregorian(tt.hy, tt.hm, tt.hd)
		if code := errorCode(err); code != tt.code {
			t.Errorf("HijriToGregorian(%d,%d,%d) error %v, want %q", tt.hy, tt.hm, tt.hd, err, tt.code)
		}
	}
	if _, _, _, err := GregorianToHijri(622, 7, 18); errorCode(err) != CodeDateRange {
		t.Errorf("GregorianToHijri(622-07-18) error %v, want date_range", err)
	}
}

// TestHijriEveryDay checks the round trip and day-by-day continuity, 1900–2150.
func TestHijriEveryDay(t *testing.T) {
	t.Parallel()
	day := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	last := time.Date(2150, 12, 31, 0, 0, 0, 0, time.UTC)
	var py, pm, pd int
	for first := true; !day.After(last); first = false {
		gy, gmT, gd := day.Date()
		hy, hm, hd, err := GregorianToHijri(gy, int(gmT), gd)
		if err != nil {
			t.Fatal(err)
		}
		if !first {
			wy, wm, wd := py, pm, pd+1
			if wd > hijriMonthLength(py, pm) {
				wm, wd = wm+1, 1
				if wm > 12 {
					wy, wm = wy+1, 1
				}
			}
			if hy != wy || hm != wm || hd != wd {
				t.Fatalf("%s → %d-%d-%d, want %d-%d-%d", day.Format(time.DateOnly), hy, hm, hd, wy, wm, wd)
			}
		}
		ry, rm, rd, err := HijriToGregorian(hy, hm, hd)
		if err != nil || ry != gy || rm != int(gmT) || rd != gd {
			t.Fatalf("%d-%d-%d → %d-%d-%d, %v; want %s", hy, hm, hd, ry, rm, rd, err, day.Format(time.DateOnly))
		}
		py, pm, pd = hy, hm, hd
		day = day.AddDate(0, 0, 1)
	}
}
