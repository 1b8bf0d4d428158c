package persian

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestParseNumberTable(t *testing.T) {
	t.Parallel()
	// doc/persian.md §3.3, EX12 and EX16, and more of the same kinds.
	tests := []struct {
		in      string
		value   float64
		ordinal bool
	}{
		{"سی و چهارمین", 34, true},
		{"سی و چهار", 34, false},
		{"۱۳ خواهرخوانده", 13, false},
		{"سیزده", 13, false},
		{"ششصد", 600, false},
		{"شش صد", 600, false},
		{"۶۰۰", 600, false},
		{"هزار و سیصد و نود و هفت", 1397, false},
		{"یک هزار و سیصد و نود و هفت", 1397, false},
		{"دو هزار و بیست و یک", 2021, false},
		{"نخستین", 1, true},
		{"اولین", 1, true},
		{"یکم", 1, true},
		{"اول", 1, true},
		{"بیست و یکم", 21, true},
		{"سوم", 3, true},
		{"سومین", 3, true},
		{"بیست و سومین", 23, true},
		{"سی" + zw + "ام", 30, true},
		{"سی" + zw + "امین", 30, true},
		{"سی ام", 30, true},
		{"سی اُم", 30, true},
		{"سیام", 30, true},
		{"سیم", 30, true},
		{"صدمین", 100, true},
		{"هزارمین", 1000, true},
		{"یکصد و پنجاهمین", 150, true},
		{"دوازدهمین", 12, true},
		{"چهل و پنجم", 45, true},
		{"هشتاد و هشتمین", 88, true},
		{"یک میلیون و دویست هزار", 1200000, false},
		{"یک میلیون و سی هزار", 1030000, false},
		{"دو میلیارد و پانصد میلیون", 2500000000, false},
		{"هزار میلیارد", 1e12, false},
		{"دو هزار میلیارد", 2e12, false},
		{"۶۰۰ میلیون", 600000000, false},
		{"۲ هزار و ۵۰۰", 2500, false},
		{"۲/۵ میلیون", 2500000, false},
		{"۲٫۵ میلیون", 2500000, false},
		{"2.5 میلیون", 2500000, false},
		{"۱٬۲۰۰ میلیارد", 1200000000000, false},
		{"یک و نیم میلیون", 1500000, false},
		{"نیم میلیون", 500000, false},
		{"هیجده", 18, false},
		{"پونزده", 15, false},
		{"هژده", 18, false},
		{"شونزده", 16, false},
		{"چار", 4, false},
		{"صد و بیست", 120, false},
		{"دویست و پنجاه", 250, false},
		{"سه هزار دویست و دوازده", 3212, false},
		{"دوازده هزار بیست دو", 12022, false},
		{"نهصد نود نه هزار نهصد نود نه", 999999, false},
		{"پانصد هزار و چهار صد و چهل و سه", 500443, false},
		{"چهارصد پنجاه هزار", 450000, false},
		{"یک صد", 100, false},
		{"نه صد و نود", 990, false},
		{"صفر", 0, false},
		{"٣٤مین", 34, true},
		{"۳۴ امین", 34, true},
		{"تریلیون", 1e12, false},
		{"بیست و یکم مهر", 21, true},
		{"سه شهر", 3, false},
		{"بیست سی", 20, false},
	}
	for _, tt := range tests {
		v, ord, ok := ParseNumber(tt.in)
		if !ok || v != tt.value || ord != tt.ordinal {
			t.Errorf("ParseNumber(%q) = %v, %v, %v; want %v, %v", tt.in, v, ord, ok, tt.value, tt.ordinal)
		}
	}
}

func TestParseNumberRejects(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "سال ۱۳۹۷", "و", "ام", "دوام", "نام", "تمام", "سلام", "x", "۱۴۰۳/۱۲/۳۰/"} {
		if v, _, ok := ParseNumber(s); ok && s != "۱۴۰۳/۱۲/۳۰/" {
			t.Errorf("ParseNumber(%q) = %v, want no number", s, v)
		}
	}
	// A date is not a decimal: only its first number is read.
	if v, _, ok := ParseNumber("۱۴۰۳/۱۲/۳۰"); !ok || v != 1403 {
		t.Errorf("ParseNumber(1403/12/30) = %v, %v; want 1403", v, ok)
	}
}

// num2fawords (5j9/num2fawords, cardinal_words and ordinal_words), ported
// to generate round-trip inputs.
var (
	n2wYekan  = []string{"", "یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه"}
	n2wDahgan = []string{"", "", "بیست", "سی", "چهل", "پنجاه", "شصت", "هفتاد", "هشتاد", "نود"}
	n2wTeens  = []string{"ده", "یازده", "دوازده", "سیزده", "چهارده", "پانزده", "شانزده", "هفده", "هجده", "نوزده"}
	n2wSadgan = []string{"", "یکصد", "دویست", "سیصد", "چهارصد", "پانصد", "ششصد", "هفتصد", "هشتصد", "نهصد"}
	n2wScale  = []string{"", " هزار", " میلیون", " میلیارد", " تریلیون"}
)

func threeDigitWords(n int64) string {
	s, d, y := n/100, n/10%10, n%10
	words := n2wSadgan[s]
	if s != 0 && n%100 != 0 {
		words += " و "
	}
	if d == 1 {
		return words + n2wTeens[y]
	}
	if y == 0 || d == 0 {
		words += n2wDahgan[d]
	} else {
		words += n2wDahgan[d] + " و "
	}
	return words + n2wYekan[y]
}

func cardinalWords(n int64) string {
	if n == 0 {
		return "صفر"
	}
	var groups []int64
	for ; n > 0; n /= 1000 {
		groups = append(groups, n%1000)
	}
	words := ""
	for g := 0; g < len(groups); g++ {
		w3 := threeDigitWords(groups[g])
		switch {
		case w3 != "" && g > 0 && words != "":
			words = w3 + n2wScale[g] + " و " + words
		case w3 != "" && g > 0:
			words = w3 + n2wScale[g]
		default:
			words = w3 + words
		}
	}
	return words
}

func ordinalWords(n int64) string {
	w := cardinalWords(n)
	if strings.HasSuffix(w, "سه") {
		return strings.TrimSuffix(w, "سه") + "سوم"
	}
	return w + "م"
}

// variants are other spellings the parser must read: bare «هزار» and
// «صد», spaced hundreds, ZWNJ «سی‌ام».
func variants(w string) []string {
	v := []string{w}
	if strings.HasPrefix(w, "یک هزار") {
		v = append(v, strings.TrimPrefix(w, "یک "))
	}
	if strings.Contains(w, "یکصد") {
		v = append(v, strings.ReplaceAll(w, "یکصد", "صد"))
	}
	if strings.Contains(w, "چهارصد") {
		v = append(v, strings.ReplaceAll(w, "چهارصد", "چهار صد"))
	}
	if strings.HasSuffix(w, "سیم") {
		v = append(v, strings.TrimSuffix(w, "سیم")+"سی"+zw+"ام", strings.TrimSuffix(w, "سیم")+"سی ام")
	}
	return v
}

func checkRoundTrip(t *testing.T, n int64) {
	t.Helper()
	forms := []struct {
		text    string
		ordinal bool
	}{
		{cardinalWords(n), false},
		{ordinalWords(n), true},
		{ordinalWords(n) + "ین", true},
	}
	for _, f := range forms {
		for _, text := range variants(f.text) {
			v, ord, ok := ParseNumber(text)
			if !ok || v != float64(n) || ord != f.ordinal {
				t.Fatalf("ParseNumber(%q) = %v, %v, %v; want %d, %v", text, v, ord, ok, n, f.ordinal)
			}
		}
	}
}

func TestParseNumberRoundTrip(t *testing.T) {
	t.Parallel()
	limit := int64(100000)
	if testing.Short() {
		limit = 3000
	}
	for n := int64(0); n <= limit; n++ {
		checkRoundTrip(t, n)
	}
}

func TestParseNumberRoundTripRandom(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		n := rng.Int64N(1e15)
		switch rng.IntN(3) {
		case 0:
			n %= 1e6
		case 1:
			n %= 1e10
		}
		checkRoundTrip(t, n)
	}
}

func TestFindNumbers(t *testing.T) {
	t.Parallel()
	type m struct {
		text    string
		value   float64
		ordinal bool
		noun    string
	}
	tests := []struct {
		in   string
		want []m
	}{
		{"با داشتن ۱۳ خواهرخوانده آغاز", []m{{"۱۳", 13, false, "خواهرخوانده"}}},
		{"در سی و چهارمیــــــن جشنواره بین‌المللی", []m{{"سی و چهارمیــــــن", 34, true, "جشنواره"}}},
		{"دو شهر اصفهان و سمرقند", []m{{"دو", 2, false, "شهر"}}},
		{"نه، او نیامد", nil},
		{"به ده رفتیم", nil},
		{"دو! دو!", nil},
		{"او سی" + zw + "دی خرید", nil},
		{"من پول را به تو دهم", nil},
		{"سیم برق قطع شد", nil},
		{"نخست وزیر گفت", nil},
		{"همکاری دو" + zw + "جانبه", nil},
		{"ساعت ده صبح", []m{{"ده", 10, false, "صبح"}}},
		{"نه شهر", []m{{"نه", 9, false, "شهر"}}},
		{"روز دهم", []m{{"دهم", 10, true, ""}}},
		{"بیست و یکم مهر ۱۴۰۰", []m{{"بیست و یکم", 21, true, "مهر"}, {"۱۴۰۰", 1400, false, ""}}},
		{"حدود ۲/۵ میلیون نفر", []m{{"۲/۵ میلیون", 2500000, false, "نفر"}}},
		{"تاریخ ۱۴۰۳/۱۲/۳۰", []m{{"۱۴۰۳", 1403, false, ""}, {"۱۲", 12, false, ""}, {"۳۰", 30, false, ""}}},
		{"اولین بار در سال ۱۳۹۷", []m{{"اولین", 1, true, "بار"}, {"۱۳۹۷", 1397, false, ""}}},
		{"سیزده نفر و چهارصد کتاب", []m{{"سیزده", 13, false, "نفر"}, {"چهارصد", 400, false, "کتاب"}}},
		{"۱۲۰۰ ۱۳ خواهر", []m{{"۱۲۰۰", 1200, false, ""}, {"۱۳", 13, false, "خواهر"}}},
	}
	for _, tt := range tests {
		got := FindNumbers(tt.in)
		if len(got) != len(tt.want) {
			t.Errorf("FindNumbers(%q) = %+v, want %d matches", tt.in, got, len(tt.want))
			continue
		}
		for i, w := range tt.want {
			g := got[i]
			if tt.in[g.Start:g.End] != w.text || g.Value != w.value || g.Ordinal != w.ordinal || g.Noun != w.noun {
				t.Errorf("FindNumbers(%q)[%d] = %q %v %v %q, want %q %v %v %q",
					tt.in, i, tt.in[g.Start:g.End], g.Value, g.Ordinal, g.Noun, w.text, w.value, w.ordinal, w.noun)
			}
		}
	}
}

func TestFindNumbersSeed(t *testing.T) {
	t.Parallel()
	text := seedText(t)
	var sawCount, sawOrdinal bool
	for _, m := range FindNumbers(text) {
		if m.Value == 13 && m.Noun == "خواهرخوانده" {
			sawCount = true
		}
		if m.Value == 34 && m.Ordinal && m.Noun == "جشنواره" {
			sawOrdinal = true
		}
	}
	if !sawCount || !sawOrdinal {
		t.Errorf("seed article: 13 sister cities found %v, 34th festival found %v", sawCount, sawOrdinal)
	}
}

func TestNumberMatchInt(t *testing.T) {
	t.Parallel()
	if n, ok := (NumberMatch{Value: 2500000}).Int(); !ok || n != 2500000 {
		t.Errorf("Int() = %d, %v", n, ok)
	}
	if _, ok := (NumberMatch{Value: 2.5}).Int(); ok {
		t.Error("Int() of 2.5 is ok")
	}
	if ms := FindNumbers("سه بیلیون دلار"); len(ms) != 1 || !ms[0].Ambiguous || ms[0].Value != 3e9 {
		t.Errorf("بیلیون: %+v", ms)
	}
}
