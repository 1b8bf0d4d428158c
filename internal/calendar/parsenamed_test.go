package calendar

import "testing"

// TestParseMonthNames: a date written with its month's name, as a Persian reader types it on a
// form, reads as the numeric form does; a month of another calendar, or a name without a year,
// is refused.
func TestParseMonthNames(t *testing.T) {
	t.Parallel()
	day := PartialDate{Jalali, "1400-04-30", Day, "2021-07-21", "2021-07-21"}
	tir := PartialDate{Jalali, "1400-04", Month, "2021-06-22", "2021-07-22"}
	tests := []struct {
		cal  Calendar
		in   string
		want PartialDate
	}{
		{Jalali, "۳۰ تیر ۱۴۰۰", day},
		{Jalali, "30 تیر 1400", day},
		{Jalali, "٣٠ تير ١٤٠٠", day}, // Arabic-Indic digits, Arabic yeh
		{Jalali, "۳۰ تیر، ۱۴۰۰", day},
		{Jalali, "\u200f۳۰\u00a0تیر ۱۴۰۰\u200f", day},
		{Jalali, "30 Tir 1400", day},
		{Jalali, "تیر ۱۴۰۰", tir},
		{Jalali, "سرطان ۱۴۰۰", tir}, // Afghan name of the fourth month
		{Jalali, "۸ اردیبهشت ۱۳۷۹", PartialDate{Jalali, "1379-02-08", Day, "2000-04-27", "2000-04-27"}},
		{Jalali, "۲۲ بهمن ۱۳۵۷", PartialDate{Jalali, "1357-11-22", Day, "1979-02-11", "1979-02-11"}},
		{Jalali, "۳۰ اسفند ۱۴۰۳", PartialDate{Jalali, "1403-12-30", Day, "2025-03-20", "2025-03-20"}},
		{Jalali, "امرداد ۱۴۰۰", PartialDate{Jalali, "1400-05", Month, "2021-07-23", "2021-08-22"}},
		{Gregorian, "21 July 2021", PartialDate{Gregorian, "2021-07-21", Day, "2021-07-21", "2021-07-21"}},
		{Gregorian, "۲۱ ژوئیه ۲۰۲۱", PartialDate{Gregorian, "2021-07-21", Day, "2021-07-21", "2021-07-21"}},
		{Gregorian, "اکتبر ۲۰۲۱", PartialDate{Gregorian, "2021-10", Month, "2021-10-01", "2021-10-31"}},
		{Gregorian, "21 июля 2021", PartialDate{Gregorian, "2021-07-21", Day, "2021-07-21", "2021-07-21"}},
		{Hijri, "۱ ربیع‌الاول ۱۴۴۶", func() PartialDate { d, _ := Parse(Hijri, "1446-03-01"); return d }()},
	}
	for _, tt := range tests {
		got, err := Parse(tt.cal, tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Parse(%s, %q) = %+v, %v; want %+v", tt.cal, tt.in, got, err, tt.want)
		}
	}
	for _, tt := range []struct {
		cal  Calendar
		in   string
		code string
	}{
		{Jalali, "۳۰ ژوئیه ۱۴۰۰", CodeDateSyntax}, // a Gregorian month on a Jalali date
		{Gregorian, "۳۰ تیر ۲۰۲۱", CodeDateSyntax},
		{Jalali, "تیر", CodeDateSyntax},
		{Jalali, "۳۰ تیر", CodeDateSyntax},
		{Jalali, "۱۴۰۰ تیر ۳۰", CodeDateSyntax},
		{Jalali, "مهر شهرداری", CodeDateSyntax},
		{Jalali, "۱۲۳ تیر ۱۴۰۰", CodeDateSyntax},
		{Jalali, "۳۰ اسفند ۱۴۰۴", CodeDateInvalid}, // 1404 is a common year
		{Jalali, "۳۱ مهر ۱۴۰۰", CodeDateInvalid},
	} {
		_, err := Parse(tt.cal, tt.in)
		if e, ok := err.(*Error); !ok || e.Code != tt.code || e.Value != tt.in {
			t.Errorf("Parse(%s, %q) error %v, want code %q", tt.cal, tt.in, err, tt.code)
		}
	}
}
