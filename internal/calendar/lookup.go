package calendar

import (
	"fmt"
	"strings"
	"unicode"
)

// monthSpellings lists every spelling LookupMonth knows, per calendar and
// month: doc/persian.md §2.5 (CLDR fa, fa-AF, en, uz, ru, tg), press variants and
// common transliterations. Spellings are written naturally; monthKey folds them.
var monthSpellings = []struct {
	cal   Calendar
	names [12][]string
}{
	{Jalali, [12][]string{
		{"فروردین", "farvardin", "farvardīn", "фарвардин", "حمل", "hamal"},
		{"اردیبهشت", "ordibehesht", "ordībehešt", "ardibehesht", "ordibahesht", "oʻrdibehisht", "ордибехешт", "урдибиҳишт", "урдибихишт", "ثور", "sawr", "saur"},
		{"خرداد", "khordad", "xordād", "khordād", "khurdad", "xurdod", "хордад", "хурдод", "جوزا", "جوزاء", "jawza", "jauza"},
		{"تیر", "tir", "tīr", "tur", "тир", "سرطان", "saratan"},
		{"مرداد", "امرداد", "mordad", "mordād", "amordad", "amordād", "murdad", "murdod", "мордад", "мурдод", "اسد", "asad"},
		{"شهریور", "shahrivar", "šahrivar", "шахривер", "шаҳривар", "шахривар", "سنبله", "sonbola", "sunbula", "sonbula", "sunbola"},
		{"مهر", "mehr", "mihr", "мехр", "меҳр", "میزان", "mizan"},
		{"آبان", "aban", "ābān", "obon", "абан", "обон", "عقرب", "aqrab", "akrab"},
		{"آذر", "azar", "āzar", "āẕar", "adhar", "ozar", "азер", "озар", "قوس", "qaws", "qaus"},
		{"دی", "dey", "dei", "day", "dī", "дей", "جدی", "jadi", "jaddi"},
		{"بهمن", "bahman", "бахман", "баҳман", "دلو", "dalw", "dalv"},
		{"اسفند", "esfand", "isfand", "espand", "эсфанд", "исфанд", "حوت", "hut", "hoot"},
	}},
	{Gregorian, [12][]string{
		{"ژانویه", "جنوری", "january", "jan", "yanvar", "январ", "январь", "января", "يناير"},
		{"فوریه", "فبروری", "february", "feb", "fevral", "феврал", "февраль", "февраля", "فبراير"},
		{"مارس", "مارچ", "march", "mar", "mart", "март", "марта"},
		{"آوریل", "اپریل", "آپریل", "april", "apr", "aprel", "апрел", "апрель", "апреля", "أبريل"},
		{"مه", "می", "may", "май", "мая", "مايو"},
		{"ژوئن", "جون", "june", "jun", "iyun", "июн", "июнь", "июня", "يونيو"},
		{"ژوئیه", "جولای", "ژولای", "july", "jul", "iyul", "июл", "июль", "июля", "يوليو"},
		{"اوت", "آگوست", "اگست", "august", "aug", "avgust", "август", "августа", "أغسطس"},
		{"سپتامبر", "سپتمبر", "september", "sep", "sept", "sentabr", "sentyabr", "сентябр", "сентябрь", "сентября", "سبتمبر"},
		{"اکتبر", "اکتوبر", "october", "oct", "oktabr", "oktyabr", "октябр", "октябрь", "октября", "أكتوبر"},
		{"نوامبر", "نومبر", "november", "nov", "noyabr", "ноябр", "ноябрь", "ноября", "نوفمبر"},
		{"دسامبر", "دسمبر", "december", "dec", "dekabr", "декабр", "декабрь", "декабря", "ديسمبر"},
	}},
	{Hijri, [12][]string{
		{"محرم", "محرم الحرام", "muharram", "moharram", "muharam"},
		{"صفر", "صفر المظفر", "safar"},
		{"ربیع الاول", "ربیع الاوّل", "ربيع الأول", "rabi al-awwal", "rabi' al-awwal", "rabiʻ al-awwal", "rabi ul-awwal", "rabi al-awal", "rabi i", "rabi ol-avval"},
		{"ربیع الثانی", "ربیع الآخر", "ربيع الثاني", "ربيع الآخر", "rabi al-thani", "rabi' al-thani", "rabi al-akhir", "rabi ul-akhir", "rabi al-sani", "rabi ii", "rabi os-sani"},
		{"جمادی الاول", "جمادی الاولی", "جمادى الأولى", "jumada al-awwal", "jumada al-ula", "jumada i", "jamadi al-awwal", "jamadi ol-avval"},
		{"جمادی الثانی", "جمادی الثانیه", "جمادی الآخر", "جمادی الآخره", "جمادی الاخری", "جمادى الآخرة", "jumada al-thani", "jumada al-akhirah", "jumada al-akhira", "jumada ii", "jamadi al-thani", "jamadi al-sani", "jamadi os-sani"},
		{"رجب", "rajab"},
		{"شعبان", "shaban", "shaaban", "sha'ban", "šaʿbān"},
		{"رمضان", "ramadan", "ramazan", "ramadhan"},
		{"شوال", "shawwal", "shawal", "shavval"},
		{"ذی القعده", "ذیقعده", "ذوالقعده", "ذو القعدة", "dhu al-qadah", "dhu al-qidah", "dhul-qadah", "dhu'l-qi'dah", "dhuʻl-qiʻdah", "zulqadah", "zilqadah", "zi al-qadah"},
		{"ذی الحجه", "ذیحجه", "ذوالحجه", "ذو الحجة", "dhu al-hijjah", "dhul-hijjah", "dhu'l-hijjah", "dhuʻl-hijjah", "zulhijjah", "zilhajj", "zilhijjah", "zi al-hijjah"},
	}},
}

// ambiguousMonthWords are month names that are also everyday words or given
// names (doc/persian.md §2.6 rule 4): مهر "seal, kindness", تیر "arrow", دی
// "yesterday", بهمن "avalanche", آذر a given name, اسفند "wild rue", مه "fog",
// می a verb prefix, میزان "amount", سرطان "cancer", صفر "zero", English "may"
// and "march"; an extractor should accept them only next to a number or year.
var ambiguousMonthWords = []string{
	"مهر", "تیر", "دی", "بهمن", "آذر", "اسفند", "مه", "می", "مارس", "مارچ", "اوت", "جون",
	"حمل", "ثور", "جوزا", "سرطان", "اسد", "سنبله", "میزان", "عقرب", "قوس", "جدی", "دلو", "حوت",
	"محرم", "صفر", "رجب", "شعبان", "رمضان",
	"may", "march", "mar", "jan", "jun", "aug", "dec", "mart", "tur", "tir", "mehr", "mihr", "azar", "adhar",
	"dey", "dei", "day", "bahman", "esfand", "asad", "hamal", "mizan", "hut", "jadi", "dalw", "dalv",
	"qaws", "qaus", "saur", "sawr", "aqrab", "saratan", "safar", "rajab", "ramadan", "ramazan", "тир",
}

type monthRef struct {
	cal   Calendar
	month int
}

var monthIndex, ambiguousIndex = buildMonthIndex()

func buildMonthIndex() (map[string]monthRef, map[string]bool) {
	idx := make(map[string]monthRef)
	for _, c := range monthSpellings {
		for i, names := range c.names {
			for _, n := range names {
				k, ref := monthKey(n), monthRef{c.cal, i + 1}
				if old, dup := idx[k]; dup && old != ref {
					panic(fmt.Sprintf("calendar: month word %q means both %v and %v", n, old, ref))
				}
				idx[k] = ref
			}
		}
	}
	amb := make(map[string]bool)
	for _, w := range ambiguousMonthWords {
		amb[monthKey(w)] = true
	}
	return idx, amb
}

// LookupMonth returns the calendar and month (1–12) named by word. word is
// expected folded (lower case, ASCII digits, Persian ی and ک, no ZWNJ), but
// LookupMonth folds again the letters that matter (alef and hamza forms,
// Arabic ي ك ة, Latin diacritics) and ignores spaces, ZWNJ, hyphens and
// apostrophes, so multi-word names such as «ربیع الاول», «ذی‌القعده» or
// "Dhu al-Hijjah" can be passed whole. It covers Iranian and Afghan Jalali
// months, Gregorian months in Iranian and Afghan Persian (with the press forms
// می، جولای، آگوست، اپریل), English (full and three-letter), Uzbek, Russian
// (nominative and genitive) and Tajik, Jalali transliterations, and Hijri
// months in Persian, Arabic and transliteration.
func LookupMonth(word string) (cal Calendar, month int, ok bool) {
	ref, ok := monthIndex[monthKey(word)]
	return ref.cal, ref.month, ok
}

// IsAmbiguousMonthWord reports whether word, a month name for LookupMonth, is
// also an everyday word or a given name (مهر، تیر، دی، بهمن، آذر، اسفند، مه،
// می، مارس، میزان، صفر, "may", "march", ...), so that it names a month only
// when a day number or a year stands next to it (doc/persian.md §2.6 rule 4).
func IsAmbiguousMonthWord(word string) bool { return ambiguousIndex[monthKey(word)] }

// monthKey folds word as doc/persian.md §1.3 does for the letters that occur in
// month names, then drops separators, so all spellings of a name meet.
func monthKey(word string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(word) {
		if s, ok := monthFold[r]; ok {
			b.WriteString(s)
			continue
		}
		switch {
		case r >= '\u064b' && r <= '\u065f', r == '\u0670', r == '\u0640':
			// harakat, superscript alef and tatweel carry no letters
		case unicode.IsSpace(r), isSpaceOrMark(r), unicode.IsPunct(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

var monthFold = map[rune]string{
	'آ': "ا", 'أ': "ا", 'إ': "ا", 'ٱ': "ا", 'ؤ': "و", 'ئ': "ی", 'ي': "ی", 'ى': "ی",
	'ك': "ک", 'ة': "ه", 'ۀ': "ه", 'ہ': "ه", 'ھ': "ه", 'ە': "ه", 'ء': "",
	'ʻ': "", 'ʼ': "", 'ʿ': "", '‘': "", '’': "", '`': "", '´': "",
	'ā': "a", 'ī': "i", 'ū': "u", 'ē': "e", 'ō': "o", 'š': "sh", 'ž': "zh", 'č': "ch",
	'ğ': "gh", 'ẕ': "z", 'ḍ': "d", 'ḥ': "h", 'ṣ': "s", 'ṭ': "t", 'ẓ': "z",
}
