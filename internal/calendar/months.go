package calendar

import "strings"

// Month names by language key (see langKey), in the stand-alone form, from
// CLDR (ICU 78.2) as transcribed in doc/persian.md §2.5.
var (
	jalaliMonths = map[string][12]string{
		"fa":    {"فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"},
		"fa-AF": {"حمل", "ثور", "جوزا", "سرطان", "اسد", "سنبله", "میزان", "عقرب", "قوس", "جدی", "دلو", "حوت"},
		"en":    {"Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar", "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand"},
		"uz":    {"farvardin", "oʻrdibehisht", "xurdod", "tur", "murdod", "shahrivar", "mehr", "obon", "ozar", "dey", "bahman", "isfand"},
		"ru":    {"фарвардин", "ордибехешт", "хордад", "тир", "мордад", "шахривер", "мехр", "абан", "азер", "дей", "бахман", "эсфанд"},
		"tg":    {"фарвардин", "урдибиҳишт", "хурдод", "тир", "мурдод", "шаҳривар", "меҳр", "обон", "озар", "дей", "баҳман", "исфанд"},
	}
	gregorianMonths = map[string][12]string{
		"fa":      {"ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر"},
		"fa-AF":   {"جنوری", "فبروری", "مارچ", "اپریل", "می", "جون", "جولای", "اگست", "سپتمبر", "اکتوبر", "نومبر", "دسمبر"},
		"en":      {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		"uz":      {"Yanvar", "Fevral", "Mart", "Aprel", "May", "Iyun", "Iyul", "Avgust", "Sentabr", "Oktabr", "Noyabr", "Dekabr"},
		"uz-Cyrl": {"Январ", "Феврал", "Март", "Апрел", "Май", "Июн", "Июл", "Август", "Сентябр", "Октябр", "Ноябр", "Декабр"},
		"ru":      {"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"},
		"tg":      {"Январ", "Феврал", "Март", "Апрел", "Май", "Июн", "Июл", "Август", "Сентябр", "Октябр", "Ноябр", "Декабр"},
		"ar":      {"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"},
	}
	hijriMonths = map[string][12]string{
		"fa": {"محرم", "صفر", "ربیع\u200cالاول", "ربیع\u200cالثانی", "جمادی\u200cالاول", "جمادی\u200cالثانی",
			"رجب", "شعبان", "رمضان", "شوال", "ذی\u200cالقعده", "ذی\u200cالحجه"},
		"en": {"Muharram", "Safar", "Rabi al-Awwal", "Rabi al-Thani", "Jumada al-Awwal", "Jumada al-Thani",
			"Rajab", "Shaban", "Ramadan", "Shawwal", "Dhu al-Qadah", "Dhu al-Hijjah"},
		"ar": {"محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة",
			"رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة"},
	}
)

// langKey reduces a BCP 47 tag to a key of the month tables: "fa-AF" (also
// "prs"), "fa", "uz-Cyrl", "uz", "ru", "tg", "ar" or "en".
func langKey(lang string) string {
	l := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(lang), "_", "-"))
	base, rest, _ := strings.Cut(l, "-")
	switch {
	case base == "prs", base == "fa" && (rest == "af" || strings.HasPrefix(rest, "af-")):
		return "fa-AF"
	case base == "uz" && strings.HasPrefix(rest, "cyrl"):
		return "uz-Cyrl"
	case base == "fa", base == "uz", base == "ru", base == "tg", base == "ar":
		return base
	}
	return "en"
}

// monthName looks m up in table for lang, falling back along fallbacks and
// then to English; it returns "" for a month outside 1–12.
func monthName(table map[string][12]string, m int, lang string, fallbacks map[string]string) string {
	if m < 1 || m > 12 {
		return ""
	}
	k := langKey(lang)
	for {
		if names, ok := table[k]; ok {
			return names[m-1]
		}
		next, ok := fallbacks[k]
		if !ok {
			return table["en"][m-1]
		}
		k = next
	}
}

// JalaliMonthName returns the name of Jalali month m (1 = Farvardin) in lang:
// Iranian Persian for "fa", the Afghan solar names (حمل … حوت) for "fa-AF" and
// "prs", and CLDR names for "en", "uz", "ru" and "tg"; other languages get
// English. It returns "" if m is not 1–12.
func JalaliMonthName(m int, lang string) string {
	return monthName(jalaliMonths, m, lang, map[string]string{"ar": "fa", "uz-Cyrl": "tg"})
}

// GregorianMonthName returns the stand-alone name of Gregorian month m
// (1 = January) in lang: Iranian Persian (ژانویه) for "fa", Afghan (جنوری)
// for "fa-AF", and "en", "uz", "uz-Cyrl", "ru", "tg", "ar"; other languages
// get English. It returns "" if m is not 1–12.
func GregorianMonthName(m int, lang string) string {
	return monthName(gregorianMonths, m, lang, nil)
}

// HijriMonthName returns the name of lunar Hijri month m (1 = Muharram) in
// lang: Persian for "fa" and "fa-AF", Arabic for "ar", English transliteration
// otherwise. It returns "" if m is not 1–12.
func HijriMonthName(m int, lang string) string {
	return monthName(hijriMonths, m, lang, map[string]string{"fa-AF": "fa"})
}
