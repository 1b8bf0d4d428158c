package persian

import "strings"

// Digits. Twinning reads numbers in three digit sets, ASCII 0–9, Persian ۰–۹ (U+06F0–U+06F9)
// and Arabic-Indic ٠–٩ (U+0660–U+0669), and writes Persian or Arabic-Indic digits where a
// language wants them. One rule holds both ways:
//
//   - Reading ([ASCIIDigits]): every Persian or Arabic-Indic digit becomes its ASCII digit, the
//     Arabic decimal separator «٫» (U+066B) becomes "." and the Arabic thousands separator «٬»
//     (U+066C) becomes ",". Nothing is deleted, so "۱٬۲۳۴٫۵" reads as "1,234.5".
//     [PlainNumber] then drops the grouping, «٬» and "," alike, for what strconv reads: a
//     number or an id a reader typed ("۱٬۲۳۴" and "1,234" are 1234).
//   - Writing ([PersianDigits], [ArabicIndicDigits]): only the ASCII digits change. "," and "."
//     stay as they are; grouping with «٬» is the formatter's choice (i18n.Number).
//
// [Fold] goes further for search: it also deletes a group separator before three digits.

// ASCIIDigits rewrites Persian and Arabic-Indic digits as ASCII, «٫» as "." and «٬» as ",".
func ASCIIDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '۰' && r <= '۹':
			return '0' + r - '۰'
		case r >= '٠' && r <= '٩':
			return '0' + r - '٠'
		case r == '٫':
			return '.'
		case r == '٬':
			return ','
		}
		return r
	}, s)
}

// PlainNumber is ASCIIDigits without the thousands separators: "۱٬۲۳۴٫۵" → "1234.5".
func PlainNumber(s string) string {
	return strings.ReplaceAll(ASCIIDigits(s), ",", "")
}

// PersianDigits rewrites the ASCII digits of s as Persian digits ۰–۹; nothing else changes.
func PersianDigits(s string) string { return fromASCII(s, '۰') }

// ArabicIndicDigits rewrites the ASCII digits of s as Arabic-Indic digits ٠–٩; nothing else
// changes.
func ArabicIndicDigits(s string) string { return fromASCII(s, '٠') }

func fromASCII(s string, zero rune) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return zero + r - '0'
		}
		return r
	}, s)
}
