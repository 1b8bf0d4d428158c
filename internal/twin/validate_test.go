package twin

import "testing"

func TestCityValidateCountry(t *testing.T) {
	tests := []struct {
		name              string
		country, wikidata string
		wantKey           string // the problem expected on "country", "" for none
		valid             bool
	}{
		{"no country, no wikidata", "", "", KeyRequired, false},
		{"no country, blank country", "  ", "", KeyRequired, false},
		{"no country, wikidata id", "", "Q64", "", true},
		{"no country, lower-case wikidata id", "", " q64 ", "", true},
		{"no country, broken wikidata id", "", "Berlin", KeyRequired, false},
		{"bad country", "XX", "", KeyInvalidCode, false},
		{"bad country, wikidata id", "Germany", "Q64", KeyInvalidCode, false},
		{"country, no wikidata", "de", "", "", true},
		{"country and wikidata", "DE", "Q64", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := City{Names: Names{"en": "Berlin"}, Country: tt.country, Wikidata: tt.wikidata}
			err := c.Validate()
			if (err == nil) != tt.valid {
				t.Fatalf("Validate() = %v, want valid %v", err, tt.valid)
			}
			if got := ErrorFields(err)["country"].Key; got != tt.wantKey {
				t.Errorf("country problem %q, want %q (err %v)", got, tt.wantKey, err)
			}
			if err != nil && ErrorCode(err) != EINVALID {
				t.Errorf("code %q, want %q", ErrorCode(err), EINVALID)
			}
		})
	}
}

func TestAgreementDisputed(t *testing.T) {
	for _, tc := range []struct {
		a    Agreement
		want bool
	}{
		{Agreement{Status: "signed"}, false},
		{Agreement{Status: "signed", Claims: []Claim{{Status: "signed"}}}, false},
		{Agreement{Status: "signed", Claims: []Claim{{Status: "signed"}, {Note: "not in the municipality's list"}}}, true},
		{Agreement{Status: "proposed", Claims: []Claim{{Status: "signed"}}}, true},
	} {
		if got := tc.a.Disputed(); got != tc.want {
			t.Errorf("%+v: Disputed = %v", tc.a, got)
		}
	}
}
