package calendar

import "testing"

func TestMonthNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fn   func(int, string) string
		name string
		m    int
		lang string
		want string
	}{
		{JalaliMonthName, "Jalali", 1, "fa", "فروردین"},
		{JalaliMonthName, "Jalali", 4, "fa-IR", "تیر"},
		{JalaliMonthName, "Jalali", 12, "fa", "اسفند"},
		{JalaliMonthName, "Jalali", 1, "fa-AF", "حمل"},
		{JalaliMonthName, "Jalali", 7, "prs", "میزان"},
		{JalaliMonthName, "Jalali", 12, "fa_af", "حوت"},
		{JalaliMonthName, "Jalali", 2, "en", "Ordibehesht"},
		{JalaliMonthName, "Jalali", 2, "uz", "oʻrdibehisht"},
		{JalaliMonthName, "Jalali", 6, "ru", "шахривер"},
		{JalaliMonthName, "Jalali", 2, "tg", "урдибиҳишт"},
		{JalaliMonthName, "Jalali", 10, "ar", "دی"},
		{JalaliMonthName, "Jalali", 10, "de", "Dey"},
		{JalaliMonthName, "Jalali", 0, "fa", ""},
		{JalaliMonthName, "Jalali", 13, "en", ""},
		{GregorianMonthName, "Gregorian", 7, "fa", "ژوئیه"},
		{GregorianMonthName, "Gregorian", 5, "fa", "مه"},
		{GregorianMonthName, "Gregorian", 7, "fa-AF", "جولای"},
		{GregorianMonthName, "Gregorian", 1, "fa-AF", "جنوری"},
		{GregorianMonthName, "Gregorian", 8, "en", "August"},
		{GregorianMonthName, "Gregorian", 9, "uz", "Sentabr"},
		{GregorianMonthName, "Gregorian", 1, "uz-Cyrl", "Январ"},
		{GregorianMonthName, "Gregorian", 1, "ru", "январь"},
		{GregorianMonthName, "Gregorian", 4, "ar", "أبريل"},
		{HijriMonthName, "Hijri", 1, "fa", "محرم"},
		{HijriMonthName, "Hijri", 3, "fa-AF", "ربیع\u200cالاول"},
		{HijriMonthName, "Hijri", 12, "en", "Dhu al-Hijjah"},
		{HijriMonthName, "Hijri", 9, "ar", "رمضان"},
		{HijriMonthName, "Hijri", 9, "tg", "Ramadan"},
	}
	for _, tt := range tests {
		if got := tt.fn(tt.m, tt.lang); got != tt.want {
			t.Errorf("%sMonthName(%d, %q) = %q, want %q", tt.name, tt.m, tt.lang, got, tt.want)
		}
	}
}

func TestMonthTablesComplete(t *testing.T) {
	t.Parallel()
	for lang, names := range jalaliMonths {
		for i, n := range names {
			if cal, m, ok := LookupMonth(n); !ok || cal != Jalali || m != i+1 {
				t.Errorf("LookupMonth(%q) (%s Jalali %d) = %s %d %v", n, lang, i+1, cal, m, ok)
			}
		}
	}
	for lang, names := range gregorianMonths {
		for i, n := range names {
			if cal, m, ok := LookupMonth(n); !ok || cal != Gregorian || m != i+1 {
				t.Errorf("LookupMonth(%q) (%s Gregorian %d) = %s %d %v", n, lang, i+1, cal, m, ok)
			}
		}
	}
	for lang, names := range hijriMonths {
		for i, n := range names {
			if cal, m, ok := LookupMonth(n); !ok || cal != Hijri || m != i+1 {
				t.Errorf("LookupMonth(%q) (%s Hijri %d) = %s %d %v", n, lang, i+1, cal, m, ok)
			}
		}
	}
}

func TestLookupMonth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		word  string
		cal   Calendar
		month int
	}{
		// Iranian Jalali, folded (آ → ا).
		{"فروردین", Jalali, 1}, {"اردیبهشت", Jalali, 2}, {"امرداد", Jalali, 5}, {"ابان", Jalali, 8},
		{"اذر", Jalali, 9}, {"دی", Jalali, 10}, {"اسفند", Jalali, 12},
		// Afghan solar.
		{"حمل", Jalali, 1}, {"ثور", Jalali, 2}, {"جوزا", Jalali, 3}, {"سرطان", Jalali, 4}, {"اسد", Jalali, 5},
		{"سنبله", Jalali, 6}, {"میزان", Jalali, 7}, {"عقرب", Jalali, 8}, {"قوس", Jalali, 9}, {"جدی", Jalali, 10},
		{"دلو", Jalali, 11}, {"حوت", Jalali, 12},
		// Transliterations with variants, folded and not.
		{"farvardin", Jalali, 1}, {"ordibehesht", Jalali, 2}, {"ardibehesht", Jalali, 2}, {"ordibahesht", Jalali, 2},
		{"khordad", Jalali, 3}, {"xordad", Jalali, 3}, {"khurdad", Jalali, 3}, {"tir", Jalali, 4},
		{"mordad", Jalali, 5}, {"amordad", Jalali, 5}, {"murdad", Jalali, 5}, {"shahrivar", Jalali, 6},
		{"mehr", Jalali, 7}, {"mihr", Jalali, 7}, {"aban", Jalali, 8}, {"azar", Jalali, 9}, {"adhar", Jalali, 9},
		{"dey", Jalali, 10}, {"dei", Jalali, 10}, {"day", Jalali, 10}, {"di", Jalali, 10}, {"bahman", Jalali, 11},
		{"esfand", Jalali, 12}, {"isfand", Jalali, 12}, {"espand", Jalali, 12},
		{"Farvardīn", Jalali, 1}, {"Ordībehešt", Jalali, 2}, {"Āẕar", Jalali, 9}, {"hamal", Jalali, 1}, {"saur", Jalali, 2},
		// Uzbek, Russian, Tajik Jalali.
		{"ordibehisht", Jalali, 2}, {"oʻrdibehisht", Jalali, 2}, {"o'rdibehisht", Jalali, 2}, {"xurdod", Jalali, 3},
		{"tur", Jalali, 4}, {"obon", Jalali, 8}, {"ozar", Jalali, 9},
		{"шахривер", Jalali, 6}, {"азер", Jalali, 9}, {"эсфанд", Jalali, 12}, {"шаҳривар", Jalali, 6}, {"исфанд", Jalali, 12},
		// Gregorian in Iranian and Afghan Persian, press variants, folded forms.
		{"ژانویه", Gregorian, 1}, {"فوریه", Gregorian, 2}, {"مارس", Gregorian, 3}, {"اوریل", Gregorian, 4},
		{"اپریل", Gregorian, 4}, {"مه", Gregorian, 5}, {"می", Gregorian, 5}, {"ژوین", Gregorian, 6}, {"ژوئن", Gregorian, 6},
		{"ژوییه", Gregorian, 7}, {"ژوئیهٔ", Gregorian, 7}, {"جولای", Gregorian, 7}, {"اوت", Gregorian, 8},
		{"اگوست", Gregorian, 8}, {"آگوست", Gregorian, 8}, {"سپتامبر", Gregorian, 9}, {"اکتبر", Gregorian, 10},
		{"نوامبر", Gregorian, 11}, {"دسامبر", Gregorian, 12},
		{"جنوری", Gregorian, 1}, {"فبروری", Gregorian, 2}, {"مارچ", Gregorian, 3}, {"جون", Gregorian, 6},
		{"اگست", Gregorian, 8}, {"سپتمبر", Gregorian, 9}, {"اکتوبر", Gregorian, 10}, {"نومبر", Gregorian, 11}, {"دسمبر", Gregorian, 12},
		// English full and abbreviated.
		{"january", Gregorian, 1}, {"jan", Gregorian, 1}, {"may", Gregorian, 5}, {"sept", Gregorian, 9},
		{"sep", Gregorian, 9}, {"October", Gregorian, 10}, {"dec", Gregorian, 12},
		// Uzbek Latin and Cyrillic.
		{"yanvar", Gregorian, 1}, {"mart", Gregorian, 3}, {"iyul", Gregorian, 7}, {"avgust", Gregorian, 8},
		{"sentabr", Gregorian, 9}, {"sentyabr", Gregorian, 9}, {"dekabr", Gregorian, 12},
		{"январ", Gregorian, 1}, {"сентябр", Gregorian, 9},
		// Russian nominative and genitive.
		{"январь", Gregorian, 1}, {"января", Gregorian, 1}, {"мая", Gregorian, 5}, {"май", Gregorian, 5},
		{"августа", Gregorian, 8}, {"декабря", Gregorian, 12}, {"Сентября", Gregorian, 9},
		// Hijri in Persian, Arabic and transliteration.
		{"محرم", Hijri, 1}, {"صفر", Hijri, 2}, {"ربیع\u200cالاول", Hijri, 3}, {"ربیعالاول", Hijri, 3}, {"ربیع الاول", Hijri, 3},
		{"ربيع الأول", Hijri, 3}, {"ربیع\u200cالثانی", Hijri, 4}, {"ربیعالاخر", Hijri, 4}, {"جمادیالاولی", Hijri, 5},
		{"جمادی\u200cالاول", Hijri, 5}, {"جمادیالثانی", Hijri, 6}, {"جمادی الاخره", Hijri, 6}, {"جمادى الآخرة", Hijri, 6},
		{"رجب", Hijri, 7}, {"شعبان", Hijri, 8}, {"رمضان", Hijri, 9}, {"شوال", Hijri, 10},
		{"ذیالقعده", Hijri, 11}, {"ذی\u200cالقعده", Hijri, 11}, {"ذو القعدة", Hijri, 11}, {"ذیالحجه", Hijri, 12},
		{"ذوالحجه", Hijri, 12}, {"ذو الحجة", Hijri, 12},
		{"muharram", Hijri, 1}, {"moharram", Hijri, 1}, {"rabi al-awwal", Hijri, 3}, {"rabi al awwal", Hijri, 3},
		{"jumada al-thani", Hijri, 6}, {"shaban", Hijri, 8}, {"shaʿbān", Hijri, 8}, {"ramadan", Hijri, 9}, {"ramazan", Hijri, 9},
		{"shawwal", Hijri, 10}, {"dhu al-qadah", Hijri, 11}, {"dhu al-hijjah", Hijri, 12}, {"dhul-hijjah", Hijri, 12},
	}
	for _, tt := range tests {
		cal, m, ok := LookupMonth(tt.word)
		if !ok || cal != tt.cal || m != tt.month {
			t.Errorf("LookupMonth(%q) = %s %d %v, want %s %d", tt.word, cal, m, ok, tt.cal, tt.month)
		}
	}
	for _, w := range []string{"", "تهران", "سال", "ماه", "1400", "monday", "mayor", "شنبه"} {
		if cal, m, ok := LookupMonth(w); ok {
			t.Errorf("LookupMonth(%q) = %s %d, want no month", w, cal, m)
		}
	}
}

func TestIsAmbiguousMonthWord(t *testing.T) {
	t.Parallel()
	tests := []struct {
		word string
		want bool
	}{
		{"مهر", true}, {"تیر", true}, {"دی", true}, {"بهمن", true}, {"آذر", true}, {"اذر", true},
		{"اسفند", true}, {"مه", true}, {"می", true}, {"مارس", true}, {"میزان", true}, {"صفر", true},
		{"may", true}, {"May", true}, {"march", true}, {"jan", true}, {"day", true}, {"mehr", true},
		{"فروردین", false}, {"اردیبهشت", false}, {"خرداد", false}, {"شهریور", false}, {"ژانویه", false},
		{"اکتبر", false}, {"january", false}, {"farvardin", false}, {"ذی\u200cالحجه", false},
		{"تهران", false}, {"", false},
	}
	for _, tt := range tests {
		if got := IsAmbiguousMonthWord(tt.word); got != tt.want {
			t.Errorf("IsAmbiguousMonthWord(%q) = %v, want %v", tt.word, got, tt.want)
		}
	}
	for _, w := range ambiguousMonthWords {
		if _, _, ok := LookupMonth(w); !ok {
			t.Errorf("ambiguous word %q is not a month name", w)
		}
	}
}
