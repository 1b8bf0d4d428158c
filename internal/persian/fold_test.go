package persian

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"EX06", "سال ۱۳۹۷", "سال 1397"},
		{"EX08", "اکتبر سال ۲۰۲۱", "اکتبر سال 2021"},
		{"EX10", "«سمرقند» و «اصفهان»", "سمرقند و اصفهان"},
		{"EX11", "۶۰۰ دانشجو", "600 دانشجو"},
		{"arabic-indic digits", "١٣٩٧", "1397"},
		{"other scripts' digits", "\u0967\u096F \uFF12\uFF10", "19 20"},
		{"superscript", "m²", "m2"},
		{"decimal momayyez", "۲٫۵", "2.5"},
		{"thousands", "۱٬۲۰۰ 1,234,567", "1200 1234567"},
		{"comma not before group", "1,23 12,3456", "1 23 12 3456"},
		{"period inside number", "2.5 میلیون.", "2.5 میلیون"},
		{"slash separates", "۲/۵ ۱۴۰۳/۱۲/۳۰", "2 5 1403 12 30"},
		{"alef variants", "آب أحمد إسلام ٱلله", "اب احمد اسلام الله"},
		{"hamza carriers", "مؤسسه مسئله اجزاء", "موسسه مسیله اجزا"},
		{"teh marbuta heh yeh", "مدینة خانۀ", "مدینه خانه"},
		{"hamza above deleted", "خانهٔ ما", "خانه ما"},
		{"marks", "\u0627\u0670 \u0645\u0658", "ا م"},
		{"harakat", "شَهرداری", "شهرداری"},
		{"arabic letters", "كتابخانه ملي", "کتابخانه ملی"},
		{"presentation forms", "ﻣﺸﻬﺪ ﷼", "مشهد ریال"},
		{"letter runs", "سلاممممم", "سلام"},
		{"letter run of two kept", "الله", "الله"},
		{"letter run of three", "ووو", "و"},
		{"latin case diacritics", "São Paulo ŞEHİR", "sao paulo sehir"},
		{"caron and breve", "Širāz Žižek Čakar Erdoğan", "shiraz zhizhek chakar erdoghan"},
		{"uzbek apostrophes", "Farg‘ona Fargʻona Farg'ona Fargʼona Farg`ona Farg´ona Farg’ona", "fargona fargona fargona fargona fargona fargona fargona"},
		{"apostrophe outside word", "'Samarqand' ‘x’", "samarqand x"},
		{"full width", "ＳＡＭＡＲＫＡＮＤ", "samarkand"},
		{"ligature", "ﬁle", "file"},
		{"cyrillic lower", "САМАРҚАНД", "самарқанд"},
		{"punctuation", "سلام، دنیا؛ خوبی؟ بله! (آری) [نه] «شاید» ۵٪", "سلام دنیا خوبی بله اری نه شاید 5"},
		{"arabic full stop", "پایان۔", "پایان"},
		{"symbols", "a+b=c $5 @x #y", "a b c 5 x y"},
		{"zwnj kept inside", "می" + zw + "توانند", "می" + zw + "توانند"},
		{"zwnj at new edge", "کتاب" + zw + "-" + zw + "ها", "کتاب ها"},
		{"zwnj before deleted hamza", "ء" + zw + "ها", "ها"},
		{"bidi and nbsp", "\u200Fسلام" + nbsp + "دنیا\u200E", "سلام دنیا"},
		{"kashida", "تصریـــــح", "تصریح"},
		{"control chars", "a\x00b\x1fc", "a b c"},
		{"invalid utf8", "a\xffb", "a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Fold(tt.in)
			if got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := Fold(got); again != got {
				t.Errorf("Fold not idempotent: %q → %q", got, again)
			}
		})
	}
}

func TestNameKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []string
		want string
	}{
		{"EX01", []string{"میتوانند", "می" + zw + "توانند", "می توانند"}, "میتوانند"},
		{"EX02", []string{"بینالمللی", "بین" + zw + "المللی", "بین المللی"}, "بینالمللی"},
		{"EX03", []string{"دانشگاههای", "دانشگاه" + zw + "های", "دانشگاه های"}, "دانشگاههای"},
		{"latin", []string{"São Paulo", "Sao Paulo", "SAO PAULO", "são-paulo"}, "saopaulo"},
		{"arabic letters", []string{"كتابخانه ملي", "کتابخانه ملی", "کتابخانه‌ملی"}, "کتابخانهملی"},
		{"hyderabad", []string{"حیدرآباد", "حيدر آباد", "حیدر‌آباد"}, "حیدراباد"},
		{"sister city", []string{"خواهرخوانده", "خواهر خوانده", "خواهر‌خوانده"}, "خواهرخوانده"},
		{"digits", []string{"۱۳۹۷", "1397", "١٣٩٧"}, "1397"},
		{"uzbek", []string{"Fargʻona", "Farg'ona", "Farg‘ona"}, "fargona"},
	}
	for _, tt := range tests {
		for _, in := range tt.in {
			if got := NameKey(in); got != tt.want {
				t.Errorf("%s: NameKey(%q) = %q, want %q", tt.name, in, got, tt.want)
			}
		}
	}
}

func TestLatinKey(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Самарқанд", "samarqand"},
		{"Samarqand", "samarqand"},
		{"Тошкент", "toshkent"},
		{"Ташкент", "tashkent"},
		{"Фарғона", "fargona"},
		{"São Paulo", "saopaulo"},
		{"سمرقند", "سمرقند"},
	}
	for _, tt := range tests {
		if got := LatinKey(tt.in); got != tt.want {
			t.Errorf("LatinKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// spanOf returns the original text of the folded substring sub, using
// FoldMap's offsets.
func spanOf(t *testing.T, s, sub string) string {
	t.Helper()
	f, off := FoldMap(s)
	i := strings.Index(f, sub)
	if i < 0 {
		t.Fatalf("%q not in Fold(%q) = %q", sub, s, f)
	}
	return s[off[i]:off[i+len(sub)]]
}

func TestFoldMap(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, sub, want string
	}{
		{"«سمرقند» و «اصفهان»", "سمرقند", "سمرقند"},
		{"«سمرقند» و «اصفهان»", "اصفهان", "اصفهان"},
		{"در سال ۱۳۹۷ در", "1397", "۱۳۹۷"},
		{"نوروزی تصریـــــح کرد", "تصریح", "تصریـــــح"},
		{"ﻣﺸﻬﺪ و تهران", "مشهد", "ﻣﺸﻬﺪ"},
		{"شَهرداری اصفهان", "شهرداری", "شَهرداری"},
		{"  São Paulo.", "sao paulo", "São Paulo"},
		{"سلاممممم دنیا", "سلام", "سلاممممم"},
		{"x ۱٬۲۰۰ y", "1200", "۱٬۲۰۰"},
		{"x \u0627\u0653b", "اb", "\u0627\u0653b"},
	}
	for _, tt := range tests {
		if got := spanOf(t, tt.in, tt.sub); got != tt.want {
			t.Errorf("FoldMap(%q): span of %q = %q, want %q", tt.in, tt.sub, got, tt.want)
		}
	}
}

func TestFoldMapInvariants(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "   ", "a", seedText(t), "x\u0301\u0302 \xff\xfe ﷺ ǅ", "ـ" + zw + "ً"} {
		checkFoldMap(t, s)
	}
}

func checkFoldMap(t *testing.T, s string) {
	t.Helper()
	f, off := FoldMap(s)
	if f != Fold(s) {
		t.Fatalf("FoldMap(%q) = %q, Fold = %q", s, f, Fold(s))
	}
	if len(off) != len(f)+1 {
		t.Fatalf("FoldMap(%q): %d offsets for %d bytes", s, len(off), len(f))
	}
	bounds := runeBounds(s)
	for i, o := range off {
		if o < 0 || o > len(s) || !bounds[o] {
			t.Fatalf("FoldMap(%q): offset[%d] = %d not on a rune boundary", s, i, o)
		}
		if i > 0 && o < off[i-1] {
			t.Fatalf("FoldMap(%q): offsets decrease at %d: %v", s, i, off)
		}
	}
}

// runeBounds marks the byte offsets of s where a rune starts, and len(s).
func runeBounds(s string) map[int]bool {
	b := map[int]bool{len(s): true}
	for i := range s {
		b[i] = true
	}
	return b
}

func TestNdDigitSets(t *testing.T) {
	t.Parallel()
	// digitValue relies on every decimal digit range being whole sets of ten.
	for _, r := range unicode.Nd.R16 {
		if r.Stride != 1 || (int(r.Hi)-int(r.Lo)+1)%10 != 0 {
			t.Errorf("Nd range %U–%U is not whole sets of ten", r.Lo, r.Hi)
		}
	}
	for _, r := range unicode.Nd.R32 {
		if r.Stride != 1 || (int(r.Hi)-int(r.Lo)+1)%10 != 0 {
			t.Errorf("Nd range %U–%U is not whole sets of ten", r.Lo, r.Hi)
		}
	}
	if got := Fold("\u0ED5\U0001D7D7"); got != "59" || !utf8.ValidString(got) {
		t.Errorf("Fold(Lao 5, math 9) = %q", got)
	}
}
