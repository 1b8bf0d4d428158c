package twin

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCityAliasesAndClaims: the merged ids and country claims of a city are checked like its
// own id and country, and a record without them reads and writes as before.
func TestCityAliasesAndClaims(t *testing.T) {
	t.Parallel()
	c := City{Wikidata: "Q2211", Names: Names{"en": "Malmö"}, Country: "SE",
		WikidataAliases: []string{" q503361 "}, CountryClaims: []CountryClaim{{Country: " ua ", Source: Source{Dataset: "x"}}}}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.WikidataAliases[0] != "Q503361" || c.CountryClaims[0].Country != "UA" {
		t.Errorf("not normalized: %v %v", c.WikidataAliases, c.CountryClaims)
	}
	bad := City{Wikidata: "Q1", Names: Names{"en": "X"}, Country: "SE", WikidataAliases: []string{"P31"}, CountryClaims: []CountryClaim{{Country: "Crimea"}}}
	fields := ErrorFields(bad.Validate())
	if fields["wikidata_aliases[0]"].Key != KeyInvalidQID || fields["country_claims[0].country"].Key != KeyInvalidCode {
		t.Errorf("problems = %v", fields)
	}
	b, _ := json.Marshal(City{Names: Names{"en": "X"}, Country: "SE"})
	if strings.Contains(string(b), "wikidata_aliases") || strings.Contains(string(b), "country_claims") {
		t.Errorf("a plain city writes the new fields: %s", b)
	}
	var back City
	if err := json.Unmarshal([]byte(`{"names":{"en":"X"},"country":"SE"}`), &back); err != nil || back.WikidataAliases != nil || back.CountryClaims != nil {
		t.Errorf("an old record reads as %+v, %v", back, err)
	}
}
