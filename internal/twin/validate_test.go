package twin

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/twinning/twinning/internal/calendar"
)

func TestCityValidateCountry(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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

func TestWebAddresses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"", true},
		{"https://example.org/a?b=c", true},
		{" HTTP://example.org ", true},
		{"javascript:alert(1)", false},
		{"JaVaScRiPt:alert(1)", false},
		{"\u202ejavascript:alert(1)", false},
		{"vbscript:msgbox(1)", false},
		{"data:text/html,<script>alert(1)</script>", false},
		{"file:///etc/passwd", false},
		{"mailto:someone@example.org", false},
		{"//example.org/x", false},
		{"example.org", false},
		{"https://", false},
		{"https://" + strings.Repeat("a", MaxURL), false},
	} {
		in := Institution{Names: Names{"en": "A museum"}, Type: "museum", City: "Q1", Website: tc.url}
		err := in.Validate()
		if got := ErrorFields(err)["website"].Key == ""; got != tc.ok {
			t.Errorf("website %q: %v", tc.url, err)
		}
		a := Activity{Agreement: 1, Kind: "visit", Title: Names{"en": "x"}, Outputs: []Output{{Kind: "book", URL: tc.url}},
			Sources: []Source{{URL: tc.url}}}
		fields := ErrorFields(a.Validate(nil))
		if (fields["outputs[0].url"].Key == "") != tc.ok || (fields["sources[0].url"].Key == "") != tc.ok {
			t.Errorf("output and source url %q: %v", tc.url, fields)
		}
	}
}

func TestContacts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		contact string
		ok      bool
	}{
		{"someone@example.org", true},
		{"+98 31 3222 1234", true},
		{"mailto:someone@example.org", true},
		{"tel:+983132221234", true},
		{"Email: someone@example.org", true},
		{"https://example.org/contact", true},
		{"javascript:alert(1)", false},
		{"data:text/html;base64,PHNjcmlwdD4=", false},
		{"vbscript:x", false},
		{strings.Repeat("a", MaxContact+1), false},
	} {
		pe := Person{Names: Names{"en": "A person"}, Contact: tc.contact}
		pr := Proposal{Title: Names{"en": "A proposal"}, Cities: []string{"Q1"}, Contact: tc.contact}
		if (ErrorFields(pe.Validate())["contact"].Key == "") != tc.ok || (ErrorFields(pr.Validate(nil))["contact"].Key == "") != tc.ok {
			t.Errorf("contact %q: person %v, proposal %v", tc.contact, pe.Validate(), pr.Validate(nil))
		}
	}
}

func TestTextBounds(t *testing.T) {
	t.Parallel()
	long := func(n int) string { return strings.Repeat("ب", n) }
	aliases := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprint("alias ", i)
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		rec   interface{ Validate() error }
		field string // the field refused, "" when valid
		key   string
	}{
		{"a 300-character name", &City{Names: Names{"fa": long(MaxName)}, Country: "IR"}, "", ""},
		{"a 301-character name", &City{Names: Names{"fa": long(MaxName + 1)}, Country: "IR"}, "names.fa", KeyTooLong},
		{"100 aliases", &City{Names: Names{"en": "X"}, Country: "IR", Aliases: aliases(MaxAliases)}, "", ""},
		{"101 aliases", &City{Names: Names{"en": "X"}, Country: "IR", Aliases: aliases(MaxAliases + 1)}, "aliases", KeyTooMany},
		{"5,000 aliases", &Institution{Names: Names{"en": "X"}, Type: "museum", City: "Q1", Aliases: aliases(5000)}, "aliases", KeyTooMany},
		{"a 900 KB alias", &Person{Names: Names{"en": "X"}, Aliases: []string{strings.Repeat("a", 900_000)}}, "aliases[0]", KeyTooLong},
		{"a 20,000-character description", &Network{Names: Names{"en": "X"}, Kind: "association", Description: Names{"en": strings.Repeat("a", MaxText)}}, "", ""},
		{"a 20,001-character description", &Network{Names: Names{"en": "X"}, Kind: "association", Description: Names{"en": strings.Repeat("a", MaxText+1)}}, "description.en", KeyTooLong},
		{"a name in 61 languages", &Person{Names: func() Names {
			n := Names{}
			for i := 0; i < 61; i++ {
				n[fmt.Sprintf("x-%03d", i)] = "X"
			}
			return n
		}()}, "names", KeyTooMany},
		{"a 101st source", &Person{Names: Names{"en": "X"}, Sources: make([]Source, MaxList+1)}, "sources", KeyTooMany},
		{"a 5,001-character quote", &Person{Names: Names{"en": "X"}, Sources: []Source{{Quote: strings.Repeat("a", MaxQuote+1)}}}, "sources[0].quote", KeyTooLong},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.rec.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if got := ErrorFields(err)[tc.field].Key; got != tc.key {
				t.Errorf("%s: %q, want %q (%v)", tc.field, got, tc.key, err)
			}
		})
	}
}

// TestShortYearRefused: a date whose year was written short («۹۷» for 1397) is refused with the
// year it most likely stands for, never stored as the year 97.
func TestShortYearRefused(t *testing.T) {
	now, _, _ := calendar.FromTime(time.Now().UTC(), calendar.Jalali, calendar.Year).Fields()
	for _, tc := range []struct {
		cal   calendar.Calendar
		value string
		full  int
	}{
		{calendar.Jalali, "97", 1397},
		{calendar.Jalali, "۹۷/۴/۳۰", 1397},
		{calendar.Jalali, fmt.Sprint(now % 100), now},
		{calendar.Gregorian, "18-05-01", 2018},
		{calendar.Gregorian, "75", 1975},
	} {
		a := &Agreement{Cities: []string{"Q42053", "Q5753"}, Kind: KindSister, Status: StatusSigned,
			Signed: &PartialDate{Calendar: tc.cal, Value: tc.value}}
		got := ErrorFields(a.Validate(nil))["signed"]
		if got.Key != KeyYearShort || fmt.Sprint(got.Params["full"]) != fmt.Sprint(tc.full) {
			t.Errorf("%s %q: %+v, want %s with %d", tc.cal, tc.value, got, KeyYearShort, tc.full)
		}
	}
	a := &Agreement{Cities: []string{"Q42053", "Q5753"}, Kind: KindSister, Status: StatusSigned,
		Signed: &PartialDate{Calendar: calendar.Jalali, Value: "1397"}}
	if err := a.Validate(nil); err != nil {
		t.Errorf("a full year is refused: %v", err)
	}
}
