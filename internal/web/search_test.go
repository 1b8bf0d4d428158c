package web

import (
	"strings"
	"testing"
)

func TestHighlight(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text, q string
		hits    []string
	}{
		{"دو شهردار می‌توانند نهادها را پیوند دهند", "میتوانند", []string{"می‌توانند"}},
		{"همکاری در زمینه‌های باستان شناسی و گردشگری", "گردشگری", []string{"گردشگری"}},
		{"كتابخانه ملي ازبكستان میزبان بود", "کتابخانه ملی", []string{"كتابخانه ملي"}},
		{"شهردار تصریـــــح کرد که", "تصریح", []string{"تصریـــــح"}},
		{"پیشنهاد در سال ۱۳۹۷ مطرح شد", "1397", []string{"۱۳۹۷"}},
		{"در میدان نقش جهان", "دان", nil},
	} {
		snip, segs := highlight(tc.text, tc.q)
		var got []string
		var joined strings.Builder
		for _, s := range segs {
			joined.WriteString(s.Text)
			if s.Hit {
				got = append(got, s.Text)
			}
		}
		if strings.Join(got, "|") != strings.Join(tc.hits, "|") {
			t.Errorf("highlight(%q, %q) hits = %q, want %q", tc.text, tc.q, got, tc.hits)
		}
		if joined.String() != snip {
			t.Errorf("segments %q do not spell the snippet %q", joined.String(), snip)
		}
	}
	long := strings.Repeat("متن بی‌ربط ", 60) + "جشنواره فیلم کودک" + strings.Repeat(" ادامه", 60)
	snip, segs := highlight(long, "جشنواره")
	if !strings.HasPrefix(snip, "…") || !strings.HasSuffix(snip, "…") || len([]rune(snip)) > 170 {
		t.Errorf("long snippet = %q", snip)
	}
	found := false
	for _, s := range segs {
		found = found || (s.Hit && s.Text == "جشنواره")
	}
	if !found {
		t.Errorf("the hit is not in the window: %+v", segs)
	}
}
