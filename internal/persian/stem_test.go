package persian

import "testing"

func TestLightStem(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		// EX14, EX15.
		{"میتوانند", "توانند"},
		{"می" + zw + "توانند", "توانند"},
		{"دانشگاههای", "دانشگاه"},
		{"دانشگاه" + zw + "های", "دانشگاه"},
		// §1.5 table: names stay whole.
		{"تهران", "تهران"},
		{"ایران", "ایران"},
		{"اصفهان", "اصفهان"},
		{"کرمان", "کرمان"},
		{"گرگان", "گرگان"},
		{"زنجان", "زنجان"},
		{"همدان", "همدان"},
		{"کاشان", "کاشان"},
		{"خواهرخواندگی", "خواهرخواندگی"},
		// Rule 1: explicit boundaries.
		{"خانه" + zw + "ام", "خانه"},
		{"همکاری" + zw + "ها", "همکاری"},
		{"کتاب" + zw + "های" + zw + "ی", "کتاب"},
		{"نمی" + zw + "دانم", "دانم"},
		{"می توانند", "توانند"},
		// Rule 2: joined prefix, verb test and protected nouns.
		{"نمیدانم", "دانم"},
		{"میرفت", "رفت"},
		{"میشود", "شود"},
		{"میآیند", "ایند"},
		{"میدان", "میدان"},
		{"میراث", "میراث"},
		{"میلیون", "میلیون"},
		{"میز", "میز"},
		{"میهمان", "میهمان"},
		{"میانه", "میانه"},
		{"میوه", "میوه"},
		{"میهن", "میهن"},
		{"میدانی", "میدانی"},
		{"میزان", "میزان"},
		// Rule 3: joined plurals with exceptions.
		{"شهرهای", "شهر"},
		{"کشورها", "کشور"},
		{"شهرهایشان", "شهر"},
		{"تنها", "تنها"},
		{"تنهایی", "تنهایی"},
		{"اژدها", "اژدها"},
		{"انتها", "انتها"},
		{"اشتها", "اشتها"},
		{"نهایی", "نهایی"},
		// Rule 4 and rule 5.
		{"بزرگترین", "بزرگ"},
		{"بزرگتر", "بزرگتر"},
		{"دفتر", "دفتر"},
		{"دختر", "دختر"},
		{"اسلام", "اسلام"},
		{"پیام", "پیام"},
		{"حیات", "حیات"},
		{"اطلاعات", "اطلاعات"},
		// Folding applies first.
		{"دانشگاه‌هاي", "دانشگاه"},
		{"Tehran", "tehran"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := LightStem(tt.in); got != tt.want {
			t.Errorf("LightStem(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestVerbBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
	}{
		{"توانند", true}, {"دانم", true}, {"رفت", true}, {"رفته", true}, {"کنیم", true},
		{"گردد", true}, {"ایند", true}, {"شوند", true},
		{"سال", false}, {"دان", false}, {"راث", false}, {"لیون", false}, {"", false},
	}
	for _, tt := range tests {
		if got := isVerbBody(tt.in); got != tt.want {
			t.Errorf("isVerbBody(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	verbsOnce.Do(loadVerbs)
	if len(pastStems) < 400 || len(presentStem) < 400 {
		t.Errorf("verb lexicon too small: %d past, %d present stems", len(pastStems), len(presentStem))
	}
}
