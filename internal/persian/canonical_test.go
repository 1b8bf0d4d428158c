package persian

import "testing"

const (
	zw   = "\u200C"
	nbsp = "\u00A0"
)

func TestCanonical(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"EX04 kashida", "تصریـــــح", "تصریح"},
		{"EX05 kashida", "سمرقنـــــــد", "سمرقند"},
		{"harakat", "شَهرداری", "شهرداری"},
		{"harakat kasra", "اِعلام", "اعلام"},
		{"tanwin and shadda", "حتماً محمّد", "حتما محمد"},
		{"arabic yeh kaf", "كتابخانه ملي", "کتابخانه ملی"},
		{"alef maksura", "موسى", "موسی"},
		{"yeh variants", "\u06D0\u06CD\u06D2\u0620", "یییی"},
		{"kaf variants", "\u06AA\u06AB", "کک"},
		{"heh variants", "\u06C1\u06BE\u06D5", "ههه"},
		{"heh goal hamza", "\u06C2", "ه"},
		{"heh with yeh above", "خانۀ ما", "خانه\u0654 ما"},
		{"arabic-indic digits", "١٣٩٧", "۱۳۹۷"},
		{"persian digits kept", "۱۳۹۷", "۱۳۹۷"},
		{"ascii digits kept", "1397", "1397"},
		{"date not split", "١٤٠٣/١٢/٣٠", "۱۴۰۳/۱۲/۳۰"},
		{"number not split", "۱٬۲۳۴٫۵", "۱٬۲۳۴٫۵"},
		{"no zwnj insertion", "ماه می سال ۲۰۲۱", "ماه می سال ۲۰۲۱"},
		{"no zwnj insertion verb", "نمیدانم", "نمیدانم"},
		{"hamza letters kept", "مسئله مؤسسه آب أحمد إسلام", "مسئله مؤسسه آب أحمد إسلام"},
		{"presentation forms", "ﻣﺸﻬﺪ", "مشهد"},
		{"lam alef ligature", "ﻻ", "لا"},
		{"allah ligature", "ﷲ", "الله"},
		{"rial sign", "۱۰۰ ﷼", "۱۰۰ ریال"},
		{"presentation yeh", "ﻋﻠﻲ", "علی"},
		{"bidi controls", "\u200Fسلام\u200E \u202Bدنیا\u202C\u2067x\u2069\uFEFF", "سلام دنیاx"},
		{"alm soft hyphen zwj", "ک\u061Cت\u00ADا\u200Dب\u2060", "کتاب"},
		{"zwsp to zwnj", "می\u200Bتوانند", "می" + zw + "توانند"},
		{"not sign between letters", "می¬توانند", "می" + zw + "توانند"},
		{"not sign elsewhere", "a¬b ¬", "a¬b ¬"},
		{"not sign across kashida", "می¬ـتوانند", "می" + zw + "توانند"},
		{"nbsp", "سمرقند" + nbsp + "اصفهان", "سمرقند اصفهان"},
		{"unicode spaces", " a\u2003\u2009b\u202F\u205Fc\u3000\t\n d ", "a b c d"},
		{"zwnj run", "می" + zw + zw + zw + "توانند", "می" + zw + "توانند"},
		{"zwnj at edges", zw + "کتاب" + zw, "کتاب"},
		{"zwnj next to space", "کتاب" + zw + " " + zw + "ها", "کتاب ها"},
		{"zwnj next to punctuation", "کتاب" + zw + "، «" + zw + "ها»", "کتاب، «ها»"},
		{"nfc composes", "\u0627\u0653", "آ"},
		{"farsi yeh + hamza", "مسی\u0654له", "مسئله"},
		{"hamza after deleted kashida", "اـ\u0654", "أ"},
		{"quotes untouched", "\"سمرقند\"", "\"سمرقند\""},
		{"invalid utf8", "a\xffb", "a\uFFFDb"},
		{"empty", "", ""},
		{"only spaces", " \t" + nbsp, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Canonical(tt.in)
			if got != tt.want {
				t.Errorf("Canonical(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := Canonical(got); again != got {
				t.Errorf("Canonical not idempotent: %q → %q", got, again)
			}
		})
	}
}
