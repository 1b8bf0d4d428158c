package calendar

import "testing"

func TestFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cal               Calendar
		value, lang       string
		wantMain, wantAlt string
	}{
		{Jalali, "1400-04-30", "fa", "۳۰ تیر ۱۴۰۰", "۲۱ ژوئیهٔ ۲۰۲۱"},
		{Jalali, "1400-04-30", "en", "21 July 2021", "30 Tir 1400"},
		{Jalali, "1400-04-30", "fa-AF", "۳۰ سرطان ۱۴۰۰", "۲۱ جولای ۲۰۲۱"},
		{Jalali, "1400-04-30", "de", "21 July 2021", "30 Tir 1400"},
		{Jalali, "1400-04", "fa", "تیر ۱۴۰۰", "۲۲ ژوئن – ۲۲ ژوئیهٔ ۲۰۲۱"},
		{Jalali, "1400-04", "en", "Tir 1400 (June–July 2021)", ""},
		{Jalali, "1399-10", "en", "Dey 1399 (December 2020 – January 2021)", ""},
		{Jalali, "1399-10", "fa", "دی ۱۳۹۹", "۲۱ دسامبر ۲۰۲۰ – ۱۹ ژانویهٔ ۲۰۲۱"},
		{Jalali, "1397", "fa", "۱۳۹۷", "۲۰۱۸–۲۰۱۹"},
		{Jalali, "1397", "en", "1397 SH (2018–2019)", ""},
		{Gregorian, "2021-07-21", "fa", "۳۰ تیر ۱۴۰۰", "۲۱ ژوئیهٔ ۲۰۲۱"},
		{Gregorian, "2021-07-21", "en", "21 July 2021", "30 Tir 1400"},
		{Gregorian, "2021-10", "fa", "اکتبر ۲۰۲۱", "۹ مهر – ۹ آبان ۱۴۰۰"},
		{Gregorian, "2021-10", "en", "October 2021", "9 Mehr – 9 Aban 1400"},
		{Gregorian, "2021-10", "fa-AF", "اکتوبر ۲۰۲۱", "۹ میزان – ۹ عقرب ۱۴۰۰"},
		{Gregorian, "2021-05", "fa", "مهٔ ۲۰۲۱", "۱۱ اردیبهشت – ۱۰ خرداد ۱۴۰۰"},
		{Gregorian, "2021", "fa", "۲۰۲۱", "۱۳۹۹–۱۴۰۰"},
		{Gregorian, "2021", "en", "2021", "1399–1400 SH"},
		{Gregorian, "0600-01-01", "fa", "۱ ژانویهٔ ۶۰۰", ""},
		{Hijri, "1446-01-01", "fa", "۱۸ تیر ۱۴۰۳", "۱ محرم ۱۴۴۶"},
		{Hijri, "1446-01-01", "en", "8 July 2024", "1 Muharram 1446"},
		{Hijri, "1446-01", "fa", "محرم ۱۴۴۶", "۱۸ تیر – ۱۶ مرداد ۱۴۰۳"},
		{Hijri, "1446-01", "en", "Muharram 1446 (July–August 2024)", ""},
		{Hijri, "1446", "fa", "۱۴۴۶ قمری", "۱۴۰۳–۱۴۰۴"},
		{Hijri, "1446", "en", "1446 AH (2024–2025)", ""},
		{Hijri, "1429", "en", "1429 AH (2008)", ""},
		{Jalali, "1404-12-30", "fa", "۱۴۰۴-۱۲-۳۰", ""},
		{Jalali, "1404-12-30", "en", "1404-12-30", ""},
		{"", "", "fa", "", ""},
		// Russian: Gregorian first, month in the genitive after a day, "г." after a year;
		// the Jalali date beside, as for English.
		{Jalali, "1400-04-30", "ru", "21 июля 2021 г.", "30 тир 1400"},
		{Jalali, "1400-04", "ru", "тир 1400 (июнь–июль 2021 г.)", ""},
		{Jalali, "1399-10", "ru", "дей 1399 (декабрь 2020 г. – январь 2021 г.)", ""},
		{Jalali, "1397", "ru", "1397 г. с. х. (2018–2019 гг.)", ""},
		{Gregorian, "2021-10", "ru", "октябрь 2021 г.", "9 мехр – 9 абан 1400"},
		{Gregorian, "2021-03-01", "ru", "1 марта 2021 г.", "11 эсфанд 1399"},
		{Gregorian, "2021", "ru", "2021 г.", "1399–1400 г. с. х."},
		{Hijri, "1446", "ru", "1446 г. х. (2024–2025 гг.)", ""},
		{Hijri, "1446-01-01", "ru", "8 июля 2024 г.", "1 Muharram 1446"},
	}
	for _, tt := range tests {
		d := PartialDate{Calendar: tt.cal, Value: tt.value}
		if got := Format(d, tt.lang); got != tt.wantMain {
			t.Errorf("Format(%s %s, %s) = %q, want %q", tt.cal, tt.value, tt.lang, got, tt.wantMain)
		}
		if got := FormatAlt(d, tt.lang); got != tt.wantAlt {
			t.Errorf("FormatAlt(%s %s, %s) = %q, want %q", tt.cal, tt.value, tt.lang, got, tt.wantAlt)
		}
	}
}
