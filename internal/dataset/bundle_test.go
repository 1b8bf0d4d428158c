package dataset

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/twinning/twinning/internal/twin"
)

// world view of a decoded bundle, for tests.
type decoded struct {
	countries map[string]*twin.Country
	cities    map[string]*twin.City // by Ref()
	byID      map[int64]*twin.City
	pairs     map[[2]string]*twin.Agreement // refs, sorted
	networks  []*twin.Network
	order     []string // record types in file order
}

func pairKey(a, b string) [2]string {
	if b < a {
		a, b = b, a
	}
	return [2]string{a, b}
}

func decode(t testing.TB, r io.Reader) *decoded {
	t.Helper()
	d, err := decodeView(r)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// decodeView reads a bundle into its view.
func decodeView(r io.Reader) (*decoded, error) {
	d := &decoded{countries: map[string]*twin.Country{}, cities: map[string]*twin.City{},
		byID: map[int64]*twin.City{}, pairs: map[[2]string]*twin.Agreement{}}
	return d, Decode(r, func(rec Record) error {
		d.order = append(d.order, rec.Type)
		switch rec.Type {
		case TypeCountry:
			d.countries[rec.Country.Code] = rec.Country
		case TypeCity:
			d.cities[rec.City.Ref()] = rec.City
			d.byID[rec.City.ID] = rec.City
		case TypeAgreement:
			d.pairs[pairKey(rec.Agreement.Cities[0], rec.Agreement.Cities[1])] = rec.Agreement
		case TypeNetwork:
			d.networks = append(d.networks, rec.Network)
		}
		return nil
	})
}

// embedded is the bundle decoded once for every test that reads it, in parallel or not.
var embedded = sync.OnceValues(func() (*decoded, error) { return decodeView(Bundle()) })

func bundleView(t testing.TB) *decoded {
	t.Helper()
	d, err := embedded()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestBundleParsesAndValidates is not parallel: Validate normalizes the records it checks, the
// shared view's, so it runs before the tests that read the view in parallel.
func TestBundleParsesAndValidates(t *testing.T) {
	d := bundleView(t)
	if len(d.cities) < 10000 || len(d.pairs) < 20000 || len(d.countries) < 240 {
		t.Fatalf("bundle too small: %d cities, %d pairs, %d countries", len(d.cities), len(d.pairs), len(d.countries))
	}
	// Countries, then cities, then agreements, then networks.
	rank := map[string]int{TypeCountry: 0, TypeCity: 1, TypeAgreement: 2, TypeNetwork: 3}
	if !slices.IsSortedFunc(d.order, func(a, b string) int { return rank[a] - rank[b] }) {
		t.Error("records are not grouped countries, cities, agreements, networks")
	}
	for ref, c := range d.cities {
		cc := *c
		if err := cc.Validate(); err != nil {
			t.Errorf("city %s: %v", ref, err)
		}
		if c.Version != 1 || !c.Created.IsZero() {
			t.Errorf("city %s: version %d, created %v", ref, c.Version, c.Created)
		}
		if c.Country == "" {
			if c.Wikidata == "" {
				t.Errorf("city %s: no country and no Wikidata id", ref)
			}
		} else if _, ok := d.countries[c.Country]; !ok {
			t.Errorf("city %s: country %q has no record", ref, c.Country)
		}
	}
	ids := map[int64]bool{}
	for k, a := range d.pairs {
		if ids[a.ID] {
			t.Errorf("agreement id %d twice", a.ID)
		}
		ids[a.ID] = true
		for i, ref := range a.Cities {
			c := d.cities[ref]
			if c == nil || c.ID != a.CityIDs[i] {
				t.Fatalf("agreement %v: city %s missing or id mismatch", k, ref)
			}
		}
		aa := *a
		if err := aa.Validate(nil); err != nil {
			t.Errorf("agreement %v: %v", k, err)
		}
	}
	if len(ids) != len(d.pairs) {
		t.Error("two agreements for one pair")
	}
}

func TestBundleUniqueWikidata(t *testing.T) {
	t.Parallel()
	seen := map[string]int64{}
	for _, c := range bundleView(t).byID {
		if c.Wikidata == "" {
			continue
		}
		if id, ok := seen[c.Wikidata]; ok {
			t.Errorf("%s on cities %d and %d", c.Wikidata, id, c.ID)
		}
		seen[c.Wikidata] = c.ID
	}
}

func TestBundleIsfahan(t *testing.T) {
	t.Parallel()
	d := bundleView(t)
	official := map[string]string{
		"Q5826": "1989-05-07", "Q1865": "1997-06-23", "Q2044": "1998-09-18", "Q46852": "1999-05-10",
		"Q1492": "2000-01-14", "Q1953": "2000-04-27", "Q35178": "2000-06-19", "Q2833": "2000-10-27",
		"Q1563": "2001-03-08", "Q11739": "2004-07-22", "Q656": "2004-11-10", "Q3718": "2009-11-25",
		"Q178835": "2010-10-05",
	}
	signedWithDay := map[string]string{}
	for k, a := range d.pairs {
		if k[0] != isfahanQ && k[1] != isfahanQ {
			continue
		}
		other := k[0]
		if other == isfahanQ {
			other = k[1]
		}
		if a.Status == twin.StatusSigned && a.Signed != nil && a.Signed.Precision == "day" {
			signedWithDay[other] = a.Signed.Value
		}
	}
	if !mapsEqual(signedWithDay, official) {
		t.Errorf("Isfahan's signed partners with a day date = %v, want the 13 official ones %v", signedWithDay, official)
	}
	tests := []struct {
		partner, status, value, precision string
		contested                         bool
	}{
		{"Q5826", twin.StatusSigned, "1989-05-07", "day", false},
		{"Q5753", twin.StatusSigned, "2021-07", "month", false},
		{"Q36433", twin.StatusProposed, "", "", false},
		{"Q1361", twin.StatusProposed, "", "", false},
		{"Q900", twin.StatusSigned, "", "", true},
		{"Q641", twin.StatusSigned, "", "", true},
		{"Q85", twin.StatusSigned, "", "", true},
		{"Q3037", twin.StatusSigned, "", "", true},
		{"Q171632", twin.StatusSigned, "", "", true},
		{"Q406", twin.StatusSigned, "", "", true},
	}
	for _, tt := range tests {
		a := d.pairs[pairKey(isfahanQ, tt.partner)]
		if a == nil {
			t.Errorf("Isfahan–%s missing", tt.partner)
			continue
		}
		if a.Status != tt.status {
			t.Errorf("Isfahan–%s status %q, want %q", tt.partner, a.Status, tt.status)
		}
		got, prec := "", ""
		if a.Signed != nil {
			got, prec = a.Signed.Value, string(a.Signed.Precision)
		}
		if got != tt.value || prec != tt.precision {
			t.Errorf("Isfahan–%s signed %q (%s), want %q (%s)", tt.partner, got, prec, tt.value, tt.precision)
		}
		if tt.status == twin.StatusProposed && !hasClaim(a, twin.StatusProposed, "irannewsdaily.com") {
			t.Errorf("Isfahan–%s: no proposed claim citing S3: %+v", tt.partner, a.Claims)
		}
		if tt.contested {
			if !strings.Contains(a.Notes["en"], "Contested") || a.Notes["fa"] == "" {
				t.Errorf("Isfahan–%s: notes %v, want a contested note", tt.partner, a.Notes)
			}
			if !hasClaim(a, twin.StatusSigned, "") || !hasClaim(a, "", "rct.isfahan.ir") {
				t.Errorf("Isfahan–%s: claims %+v, want a registry claim and the municipality's", tt.partner, a.Claims)
			}
		}
	}
}

func hasClaim(a *twin.Agreement, status, url string) bool {
	for _, c := range a.Claims {
		if c.Status == status && strings.Contains(c.Source.URL, url) && c.Source.Dataset != "" {
			return true
		}
	}
	return false
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestBundleHomonyms(t *testing.T) {
	t.Parallel()
	d := bundleView(t)
	tests := []struct {
		name, country string
		lat, lon      float64
	}{
		{"Hastings", "NZ", -39.6, 176.8},
		{"Perth", "GB", 56.4, -3.4},
	}
	for _, tt := range tests {
		found := false
		for _, c := range d.byID {
			if c.Names["en"] != tt.name || c.Country != tt.country {
				continue
			}
			if c.Lat == nil || math.Abs(*c.Lat-tt.lat) > 1 || math.Abs(*c.Lon-tt.lon) > 1 {
				t.Errorf("%s (%s) at %v,%v", tt.name, tt.country, deref(c.Lat), deref(c.Lon))
			}
			found = true
		}
		if !found {
			t.Errorf("no %s in %s", tt.name, tt.country)
		}
	}
}

func deref(f *float64) float64 {
	if f == nil {
		return math.NaN()
	}
	return *f
}

func TestBundleCountriesAndNetworks(t *testing.T) {
	t.Parallel()
	d := bundleView(t)
	ir := d.countries["IR"]
	if ir == nil || ir.Names["fa"] != "ایران" || !slices.Contains(ir.Orgs, "ECO") {
		t.Errorf("IR = %+v", ir)
	}
	for _, lang := range countryLangs {
		if d.countries["UZ"].Names[lang] == "" {
			t.Errorf("UZ has no %s name", lang)
		}
	}
	eu := 0
	for _, c := range d.countries {
		if slices.Contains(c.Orgs, "EU") {
			eu++
		}
	}
	if eu != 27 {
		t.Errorf("%d EU members, want 27", eu)
	}
	if len(d.networks) != 1 || d.networks[0].Names["en"] != "Economic Cooperation Organization" || len(d.networks[0].Countries) != 10 {
		t.Errorf("networks = %+v", d.networks)
	}
}

func TestBundleVersion(t *testing.T) {
	t.Parallel()
	if v := BundleVersion(); len(v) != 12 {
		t.Errorf("BundleVersion() = %q", v)
	}
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in string }{
		{"unknown type", `{"type":"planet","record":{}}`},
		{"bad json", `{"type":"city","record":`},
		{"bad record", `{"type":"city","record":{"id":"x"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Decode(strings.NewReader(tt.in), func(Record) error { return nil }); err == nil {
				t.Error("no error")
			}
		})
	}
}

// DecodeLine (the bulk load's decoder) gives every line of the bundle the record the general
// decoder gives it, and the general decoder's errors for lines it refuses.
func TestDecodeLineSameAsDecode(t *testing.T) {
	t.Parallel()
	raw, err := io.ReadAll(Bundle())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for line := range bytes.Lines(raw) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		n++
		got, err := DecodeLine(line)
		want, lerr := decodeLine(line)
		if err != nil || lerr != nil {
			t.Fatalf("line %d: %v, %v", n, err, lerr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("line %d: DecodeLine gives %+v, the decoder %+v", n, got, want)
		}
	}
	if n < 60000 {
		t.Errorf("only %d lines", n)
	}
	for _, in := range []string{`{"type":"city","record":{"id":"x"}}`, `{"type":"planet","record":{}}`, `{"type":"city","record":{"names":{"en":"A"},"population":-1.5}}`, `{"type":"city","record":{"names":{"en":"A"}}x}`} {
		_, err := DecodeLine([]byte(in))
		_, lerr := decodeLine([]byte(in))
		if (err == nil) != (lerr == nil) || err != nil && err.Error() != lerr.Error() {
			t.Errorf("%s: DecodeLine says %v, the decoder %v", in, err, lerr)
		}
	}
}

func BenchmarkBundleDecode(b *testing.B) {
	raw, err := io.ReadAll(Bundle())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		if err := Decode(bytes.NewReader(raw), func(Record) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// DecodeTypes gives the records of the types asked for, the same and in the same order (with
// their line numbers) as Decode, and nothing else; a line not in the builder's shape is still
// decoded and refused as Decode refuses it.
func TestDecodeTypes(t *testing.T) {
	t.Parallel()
	var want, got []Record
	if err := Decode(Bundle(), func(r Record) error {
		if r.City != nil || r.Country != nil {
			want = append(want, r)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := DecodeTypes(Bundle(), []string{"city", "country"}, func(r Record) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(want) < 26000 || !reflect.DeepEqual(got, want) {
		t.Errorf("DecodeTypes gave %d records, Decode %d of those types (or others differ)", len(got), len(want))
	}
	in := "{\"type\":\"agreement\",\"record\":{\"cities\":[\"Q1\",\"Q2\"]}}\n{\"record\":{\"names\":{\"en\":\"A\"}},\"type\":\"city\"}\n{\"type\":\"city\" , \"record\":{}} x\n"
	var names []string
	err := DecodeTypes(strings.NewReader(in), []string{"city"}, func(r Record) error { names = append(names, r.City.Names["en"]); return nil })
	var le *LineError
	if !errors.As(err, &le) || le.Line != 3 || fmt.Sprint(names) != "[A]" {
		t.Errorf("lines in other shapes: %v, %v", names, err)
	}
}
