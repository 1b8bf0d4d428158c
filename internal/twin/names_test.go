package twin

import "testing"

// TestPick: a Persian reader gets a source's Persian name, else the marked transliteration,
// before English; other readers get the transliteration only when nothing else names the city.
func TestPick(t *testing.T) {
	t.Parallel()
	source := Names{"fa": "بعلبک", "en": "Baalbek"}
	translit := Names{"en": "Baalbek", LangFATranslit: "بعلبک"}
	onlyLabel := Names{"und": "Hamada", LangFATranslit: "هامادا"}
	onlyTranslit := Names{LangFATranslit: "هامادا"}
	tests := []struct {
		names Names
		langs []string
		want  string
	}{
		{source, []string{"fa"}, "بعلبک"},
		{translit, []string{"fa"}, "بعلبک"},
		{translit, []string{"en"}, "Baalbek"},
		{translit, []string{"ru"}, "Baalbek"},
		{translit, nil, "Baalbek"},
		{onlyLabel, []string{"fa"}, "هامادا"},
		{onlyLabel, []string{"en"}, "Hamada"},
		{onlyLabel, nil, "Hamada"},
		{onlyTranslit, []string{"en"}, "هامادا"},
		{Names{"ru": "Ереван", "en": "Yerevan", LangFATranslit: "یروان"}, []string{"ru", "fa"}, "Ереван"},
		{Names{}, []string{"fa"}, ""},
	}
	for _, tt := range tests {
		if got := tt.names.Pick(tt.langs...); got != tt.want {
			t.Errorf("%v.Pick(%v) = %q, want %q", tt.names, tt.langs, got, tt.want)
		}
	}
	if !translit.Transliterated("بعلبک") || source.Transliterated("بعلبک") || translit.Transliterated("Baalbek") || translit.Transliterated("") {
		t.Error("Transliterated does not tell the rule-made name from a source's")
	}
}
