package persian

import "testing"

func TestDigits(t *testing.T) {
	t.Parallel()
	// Reading: every digit set to ASCII, «٫» to "." and «٬» to ",", nothing deleted.
	for in, want := range map[string]string{
		"۱۴۰۰/۰۴/۳۰": "1400/04/30",
		"١٤٠٠-٠٤-٣٠": "1400-04-30",
		"۱٬۲۳۴٬۵۶۷":  "1,234,567",
		"٣٥٫٧":       "35.7",
		"۱٬۲۳۴٫۵":    "1,234.5",
		"۳۵٫۷٬ ۵۱٫۴": "35.7, 51.4",
		"1,234.5":    "1,234.5",
		"Q۴۲۰۵۳ شهر": "Q42053 شهر",
		"":           "",
	} {
		if got := ASCIIDigits(in); got != want {
			t.Errorf("ASCIIDigits(%q) = %q, want %q", in, got, want)
		}
	}
	// A number as typed: the grouping goes, «٬» and "," alike; the decimal point stays.
	for in, want := range map[string]string{"۱٬۲۳۴٬۵۶۷": "1234567", "1,234": "1234", "۱٬۲۳۴٫۵": "1234.5", "٣٥٫٧": "35.7", "Q۴۲": "Q42"} {
		if got := PlainNumber(in); got != want {
			t.Errorf("PlainNumber(%q) = %q, want %q", in, got, want)
		}
	}
	// Writing: only the digits change; "," and "." stay, and «٬» or «٫» already there stay too.
	for in, want := range map[string]string{
		"1400-04-30":      "۱۴۰۰-۰۴-۳۰",
		"1400-04-30 ab ۵": "۱۴۰۰-۰۴-۳۰ ab ۵",
		"1,234.5":         "۱,۲۳۴.۵",
		"۱٬234٫5":         "۱٬۲۳۴٫۵",
		"15:04":           "۱۵:۰۴",
	} {
		if got := PersianDigits(in); got != want {
			t.Errorf("PersianDigits(%q) = %q, want %q", in, got, want)
		}
	}
	if got := ArabicIndicDigits("1,234.5"); got != "١,٢٣٤.٥" {
		t.Errorf("ArabicIndicDigits = %q", got)
	}
	// Both ways: ASCII digits written in Persian read back as they were; a Persian number
	// written with «٬» and «٫» reads back with "," and ".".
	for _, s := range []string{"1,234.5", "2025-06-01", "0123456789"} {
		if got := ASCIIDigits(PersianDigits(s)); got != s {
			t.Errorf("ASCIIDigits(PersianDigits(%q)) = %q", s, got)
		}
		if got := ASCIIDigits(ArabicIndicDigits(s)); got != s {
			t.Errorf("ASCIIDigits(ArabicIndicDigits(%q)) = %q", s, got)
		}
	}
	if got := PersianDigits(ASCIIDigits("۱٬۲۳۴٫۵")); got != "۱,۲۳۴.۵" {
		t.Errorf("PersianDigits(ASCIIDigits(«۱٬۲۳۴٫۵»)) = %q: writing must not bring the Arabic separators back", got)
	}
}
