package persian

import "testing"

func TestToPersianScript(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Berlin", "برلین"},
		{"Paris", "پاریس"},
		{"Hamburg", "هامبورگ"},
		{"Karlsruhe", "کارلسروهه"},
		{"Essen", "اسن"},        // a word-initial e on alef, the doubled s once
		{"Oslo", "اوسلو"},       // a word-initial o on alef-vav
		{"Aachen", "آچن"},       // a word-initial long a is madda alef
		{"Izmir", "ایزمیر"},     // a word-initial i is alef-ye
		{"Lyon", "لیون"},        // y before a vowel is a consonant
		{"Tokyo", "توکیو"},      // …inside a word too
		{"Sydney", "سیدنی"},     // y after a consonant is a vowel; final ey is ye
		{"Nice", "نیسه"},        // c before e is sin
		{"Cork", "کورک"},        // c elsewhere is kaf
		{"Shanghai", "شانگهای"}, // digraphs before letters
		{"Khujand", "خوجاند"},
		{"São Paulo", "سائو پائولو"}, // diacritics dropped, words kept apart
		{"Łódź", "لودز"},
		{"Xi'an", "کسیان"},              // the apostrophe only separates syllables
		{"Baden-Baden", "بادن بادن"},    // a hyphen separates words
		{"Новосибирск", "نووسیبیرسک"},   // Cyrillic through Latin
		{"Taiʻarapu", "تایاراپو"},       // the ʻokina, a letter to Unicode, only separates syllables
		{"Nəsimi", "نسیمی"},             // Azerbaijani ə is the short vowel e
		{"Svietlahоrsk", "سویتلاهورسک"}, // a Cyrillic о among Latin letters
		{"東京", ""},                      // another script: no rendering
		{"", ""},
		{"12", ""},
	}
	for _, tt := range tests {
		if got := ToPersianScript(tt.in); got != tt.want {
			t.Errorf("ToPersianScript(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestToPersianScriptOnlyPersianLetters checks that a rendering never carries a Latin letter
// or a digit, whatever the input, so a page can show it as Persian text.
func TestToPersianScriptOnlyPersianLetters(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"Wąbrzeźno", "Île-de-France", "Ærøskøbing", "Þórshöfn", "Nuuk 2", "Gdańsk", "Quezon City", "St. Pölten"} {
		got := ToPersianScript(in)
		if got == "" {
			t.Errorf("ToPersianScript(%q) is empty", in)
		}
		for _, r := range got {
			if r != ' ' && !(r >= 0x0600 && r <= 0x06FF) {
				t.Errorf("ToPersianScript(%q) = %q holds %q", in, got, r)
			}
		}
	}
}
