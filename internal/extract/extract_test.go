package extract

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/twinning/twinning/internal/persian"
)

func gaz(t testing.TB) *BundleGazetteer {
	t.Helper()
	g, err := DefaultGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func read(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// allEvidence returns every evidence of r.
func allEvidence(r *Result) []Evidence {
	var out []Evidence
	for _, c := range r.Cities {
		out = append(out, c.Evidence)
		out = append(out, c.Mentions...)
		out = append(out, c.NameMentions...)
	}
	for _, c := range r.Countries {
		out = append(out, c.Evidence)
		out = append(out, c.Mentions...)
		out = append(out, c.NameMentions...)
	}
	for _, p := range r.Places {
		out = append(out, p.Evidence)
		out = append(out, p.Mentions...)
	}
	for _, x := range r.Institutions {
		out = append(out, x.Evidence)
	}
	for _, x := range r.People {
		out = append(out, x.Evidence)
	}
	for _, a := range r.Agreements {
		out = append(out, a.Evidence)
		for _, m := range a.Mentions {
			out = append(out, m.Evidence)
		}
		if a.Proposal != nil {
			out = append(out, a.Proposal.Evidence)
		}
	}
	for _, x := range r.Dates {
		out = append(out, x.Evidence)
	}
	for _, x := range r.Counts {
		out = append(out, x.Evidence)
	}
	for _, x := range r.Ordinals {
		out = append(out, x.Evidence)
	}
	for _, x := range r.Domains {
		out = append(out, x.Evidence)
		out = append(out, x.Mentions...)
	}
	for _, x := range r.Events {
		out = append(out, x.Evidence)
	}
	for _, x := range r.Productions {
		out = append(out, x.Evidence)
	}
	return out
}

// checkEvidence verifies every offset of r against text.
func checkEvidence(t testing.TB, text string, r *Result) {
	t.Helper()
	// Rune boundaries as Go decodes the text: an invalid byte is one rune.
	bound := map[int]bool{len(text): true}
	for i := range text {
		bound[i] = true
	}
	for _, e := range allEvidence(r) {
		if e.Start < 0 || e.End > len(text) || e.Start > e.End {
			t.Fatalf("evidence %+v out of range (len %d)", e, len(text))
		}
		if !bound[e.Start] || !bound[e.End] {
			t.Fatalf("evidence %+v not on rune boundaries", e)
		}
		if text[e.Start:e.End] != e.Text {
			t.Fatalf("evidence text %q != text[%d:%d] %q", e.Text, e.Start, e.End, text[e.Start:e.End])
		}
		if n := utf8.RuneCountInString(text[:e.Start]); n != e.StartRune {
			t.Fatalf("start_rune %d, want %d", e.StartRune, n)
		}
		if n := utf8.RuneCountInString(text[:e.End]); n != e.EndRune {
			t.Fatalf("end_rune %d, want %d", e.EndRune, n)
		}
		if n := len(utf16.Encode([]rune(text[:e.End]))); n != e.EndUTF16 && utf8.ValidString(text) {
			t.Fatalf("end_utf16 %d, want %d", e.EndUTF16, n)
		}
	}
}

func cityIDs(r *Result) map[string]bool {
	m := map[string]bool{}
	for _, c := range r.Cities {
		if len(c.Mentions) > 0 {
			m[c.Ref()] = true
		}
	}
	return m
}

func findAgreement(r *Result, a, b string) *Agreement {
	for i := range r.Agreements {
		c := r.Agreements[i].Cities
		if c[0] == a && c[1] == b || c[0] == b && c[1] == a {
			return &r.Agreements[i]
		}
	}
	return nil
}

func wantCities(t *testing.T, r *Result, want []string, not []string) {
	t.Helper()
	got := cityIDs(r)
	for _, q := range want {
		if !got[q] {
			t.Errorf("city %s missing; got %v", q, got)
		}
	}
	for _, q := range not {
		if got[q] {
			t.Errorf("city %s should not be proposed", q)
		}
	}
}

func wantAgreement(t *testing.T, r *Result, a, b, state string) *Agreement {
	t.Helper()
	ag := findAgreement(r, a, b)
	if ag == nil {
		t.Errorf("agreement %s–%s missing; got %+v", a, b, r.Agreements)
		return nil
	}
	if ag.State != state {
		t.Errorf("agreement %s–%s: state %q, want %q (evidence %q)", a, b, ag.State, state, ag.Evidence.Text)
	}
	return ag
}

func wantDate(t *testing.T, r *Result, cal, value, start, end, text string) {
	t.Helper()
	for _, d := range r.Dates {
		if string(d.Calendar) == cal && d.Value == value {
			if d.Start != start || d.End != end || d.Evidence.Text != text {
				t.Errorf("date %s %s: got %s..%s %q, want %s..%s %q", cal, value, d.Start, d.End, d.Evidence.Text, start, end, text)
			}
			return
		}
	}
	t.Errorf("date %s %s missing; got %+v", cal, value, r.Dates)
}

const (
	qIsfahan   = "Q42053"
	qSamarkand = "Q5753"
	qPorto     = "Q36433"
	qHyderabad = "Q1361"
	qTashkent  = "Q269"
)

func TestSeedArticle(t *testing.T) {
	t.Parallel()
	text := read(t, "isfahan-samarkand.fa.txt")
	r := Extract(text, gaz(t), Options{SourceURL: "https://example.org/a", Published: "2021-07-21"})
	checkEvidence(t, text, r)
	if r.Lang != "fa" {
		t.Errorf("lang %q", r.Lang)
	}
	wantCities(t, r, []string{qIsfahan, qSamarkand, qPorto, qHyderabad, qTashkent}, []string{"Q1640079"})
	if len(r.Cities) != 5 {
		t.Errorf("%d cities, want 5: %+v", len(r.Cities), cityIDs(r))
	}
	for _, c := range r.Cities {
		if c.Ref() == qHyderabad && c.Country != "IN" {
			t.Errorf("Hyderabad resolved to %s", c.Country)
		}
	}
	countries := map[string]bool{}
	for _, c := range r.Countries {
		countries[c.Code] = true
	}
	for _, c := range []string{"IR", "UZ", "PT", "IN"} {
		if !countries[c] {
			t.Errorf("country %s missing", c)
		}
	}
	ag := wantAgreement(t, r, qIsfahan, qSamarkand, StateSigned)
	if ag != nil {
		if ag.Kind != "sister" || ag.Status != "signed" {
			t.Errorf("Isfahan–Samarkand kind %q status %q", ag.Kind, ag.Status)
		}
		if ag.Proposal == nil || ag.Proposal.By != "عظیم منوراف" || ag.Proposal.Date == nil || ag.Proposal.Date.Value != "1397" {
			t.Errorf("proposal %+v", ag.Proposal)
		}
	}
	for _, q := range []string{qPorto, qHyderabad} {
		if ag := wantAgreement(t, r, qIsfahan, q, StatePlanned); ag != nil && !strings.Contains(ag.Evidence.Text, "امضا خواهد کرد") {
			t.Errorf("planned evidence %q", ag.Evidence.Text)
		}
	}
	if len(r.Agreements) != 3 {
		t.Errorf("%d agreements, want 3", len(r.Agreements))
	}
	wantDate(t, r, "jalali", "1397", "2018-03-21", "2019-03-20", "سال ۱۳۹۷")
	wantDate(t, r, "gregorian", "2021-10", "2021-10-01", "2021-10-31", "اکتبر سال ۲۰۲۱")
	found := false
	for _, c := range r.Counts {
		if c.Value == 13 && c.Noun == "sister cities" && c.Subject == qIsfahan && c.Evidence.Text == "۱۳ خواهرخوانده" {
			found = true
		}
	}
	if !found {
		t.Errorf("count 13 sister cities of Isfahan missing: %+v", r.Counts)
	}
	found = false
	for _, o := range r.Ordinals {
		if o.Value == 34 && o.Noun == "festival" {
			found = true
		}
	}
	if !found {
		t.Errorf("ordinal 34th festival missing: %+v", r.Ordinals)
	}
	type inst struct{ typ, city, country string }
	want := []inst{{"university", qIsfahan, ""}, {"university", qSamarkand, ""}, {"chamber_of_commerce", qIsfahan, ""},
		{"chamber_of_commerce", qSamarkand, ""}, {"research_centre", qSamarkand, ""}, {"research_centre", "", "UZ"},
		{"embassy", qTashkent, "IR"}, {"festival", "", ""}}
	for _, w := range want {
		ok := false
		for _, x := range r.Institutions {
			if x.Type == w.typ && x.City == w.city && x.Country == w.country {
				ok = true
			}
		}
		if !ok {
			t.Errorf("institution %+v missing", w)
		}
	}
	people := map[string]Person{}
	for _, p := range r.People {
		people[p.Name] = p
	}
	if p := people["بابر میرزا آبلاق اف"]; p.Role != "mayor" || p.City != qSamarkand {
		t.Errorf("mayor of Samarkand: %+v", p)
	}
	if p := people["عظیم منوراف"]; p.Role != "head" || p.Organization != "مرکز تمدن اسلامی ازبکستان" {
		t.Errorf("head of the centre: %+v", p)
	}
	if p := people["نوروزی"]; p.Role != "mayor" || p.City != qIsfahan {
		t.Errorf("mayor of Isfahan: %+v", p)
	}
	domains := map[string]bool{}
	for _, d := range r.Domains {
		domains[d.Code] = true
	}
	for _, c := range []string{"archaeology", "culture", "tourism", "trade", "higher_education", "film", "music", "books", "media", "historical_studies", "citizen_diplomacy"} {
		if !domains[c] {
			t.Errorf("domain %s missing", c)
		}
	}
	kinds := map[string]bool{}
	for _, p := range r.Productions {
		kinds[p.Kind] = p.Joint
	}
	for _, k := range []string{"book", "music", "video", "digital_content"} {
		if !kinds[k] {
			t.Errorf("joint production %s missing", k)
		}
	}
	ev := map[string]bool{}
	for _, e := range r.Events {
		ev[e.Kind] = true
		if e.Kind == "festival" && (e.Ordinal != 34 || e.Date == nil || e.Date.Value != "2021-10") {
			t.Errorf("festival event %+v", e)
		}
	}
	if !ev["festival"] || !ev["invitation"] {
		t.Errorf("events %+v", r.Events)
	}
	// JSON has every key, snake_case.
	b, _ := json.Marshal(r)
	for _, k := range []string{`"lang"`, `"cities"`, `"countries"`, `"institutions"`, `"people"`, `"agreements"`, `"dates"`, `"counts"`, `"ordinals"`, `"domains"`, `"events"`, `"productions"`, `"start_rune"`, `"end_utf16"`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("JSON lacks %s", k)
		}
	}
}

func TestVisitNoAgreement(t *testing.T) {
	t.Parallel()
	text := read(t, "shiraz-tabriz-visit.fa.txt")
	r := Extract(text, gaz(t), Options{})
	checkEvidence(t, text, r)
	wantCities(t, r, []string{"Q80053"}, nil)
	if len(r.Agreements) != 0 {
		t.Errorf("no agreement expected (امضا نشد): %+v", r.Agreements)
	}
	wantDate(t, r, "jalali", "1402-07-21", "2023-10-13", "2023-10-13", "۲۱ مهر ۱۴۰۲")
	if len(r.Dates) != 1 {
		t.Errorf("«مهر شهرداری» is not a date: %+v", r.Dates)
	}
	// «شهرداری شیراز» names an organisation: Shiraz is concerned, not a location mention.
	for _, c := range r.Cities {
		if c.Wikidata == "Q6397066" && len(c.NameMentions) == 0 {
			t.Errorf("Shiraz name mentions %+v", c)
		}
	}
}

func TestHijriAndMay(t *testing.T) {
	t.Parallel()
	text := read(t, "mashhad-hijri.fa.txt")
	r := Extract(text, gaz(t), Options{})
	checkEvidence(t, text, r)
	wantCities(t, r, []string{"Q121157", "Q168193"}, nil)
	wantDate(t, r, "hijri", "1446", "2024-07-08", "2025-06-26", "سال ۱۴۴۶ قمری")
	wantDate(t, r, "gregorian", "2024-05", "2024-05-01", "2024-05-31", "می سال ۲۰۲۴")
	if len(r.Dates) != 2 {
		t.Errorf("«ماه می را» alone is not a date: %+v", r.Dates)
	}
	for _, d := range r.Dates {
		if d.Calendar == "jalali" {
			t.Errorf("۱۴۴۶ قمری read as Jalali")
		}
	}
}

func TestFutureAndSigned(t *testing.T) {
	t.Parallel()
	text := read(t, "shiraz-kazan-future.fa.txt")
	r := Extract(text, gaz(t), Options{})
	checkEvidence(t, text, r)
	if ag := wantAgreement(t, r, "Q6397066", "Q900", StatePlanned); ag != nil && ag.Status != "proposed" {
		t.Errorf("planned status %q", ag.Status)
	}
	if ag := wantAgreement(t, r, "Q80053", "Q406", StateSigned); ag != nil && (ag.Signed == nil || ag.Signed.Value != "1398") {
		t.Errorf("signed date %+v", ag.Signed)
	}
	if findAgreement(r, "Q6397066", "Q80053") != nil || findAgreement(r, "Q900", "Q406") != nil {
		t.Errorf("spurious pair: %+v", r.Agreements)
	}
}

func TestProposal(t *testing.T) {
	t.Parallel()
	text := read(t, "yazd-bukhara-proposal.fa.txt")
	r := Extract(text, gaz(t), Options{})
	checkEvidence(t, text, r)
	ag := wantAgreement(t, r, "Q182394", "Q5764", StateProposed)
	if ag != nil && (ag.Proposal == nil || ag.Proposal.By != "علی رضایی" || ag.Proposal.Date == nil || ag.Proposal.Date.Value != "1400") {
		t.Errorf("proposal %+v", ag.Proposal)
	}
	n := 0
	for _, x := range r.Institutions {
		if x.Type == "university" && (x.City == "Q182394" || x.City == "Q5764") {
			n++
		}
	}
	if n < 2 {
		t.Errorf("universities of Yazd and Bukhara: %+v", r.Institutions)
	}
}

func TestEnglishSeed(t *testing.T) {
	t.Parallel()
	text := read(t, "isfahan-samarkand.en.txt")
	r := Extract(text, gaz(t), Options{})
	checkEvidence(t, text, r)
	if r.Lang != "en" {
		t.Errorf("lang %q", r.Lang)
	}
	wantCities(t, r, []string{qIsfahan, qSamarkand, qPorto, qHyderabad, qTashkent}, nil)
	wantAgreement(t, r, qIsfahan, qSamarkand, StateSigned)
	wantAgreement(t, r, qIsfahan, qPorto, StatePlanned)
	wantAgreement(t, r, qIsfahan, qHyderabad, StatePlanned)
	if findAgreement(r, qPorto, qHyderabad) != nil {
		t.Error("Porto–Hyderabad is not an agreement")
	}
	wantDate(t, r, "gregorian", "2021-10", "2021-10-01", "2021-10-31", "October 2021")
	var emb, uni int
	for _, x := range r.Institutions {
		if x.Type == "embassy" && x.Country == "IR" && x.City == qTashkent {
			emb++
		}
		if x.Type == "university" {
			uni++
		}
	}
	if emb != 1 || uni != 2 {
		t.Errorf("institutions %+v", r.Institutions)
	}
	ok := false
	for _, p := range r.People {
		if p.Name == "Babur Abloqulov" && p.Role == "mayor" && p.City == qSamarkand {
			ok = true
		}
	}
	if !ok {
		t.Errorf("people %+v", r.People)
	}
	ok = false
	for _, c := range r.Counts {
		ok = ok || c.Value == 13 && c.Noun == "sister cities" && c.Subject == qIsfahan
	}
	if !ok {
		t.Errorf("counts %+v", r.Counts)
	}
	ok = false
	for _, o := range r.Ordinals {
		ok = ok || o.Value == 34 && o.Noun == "festival"
	}
	if !ok {
		t.Errorf("ordinals %+v", r.Ordinals)
	}
}

func TestEnglishNearMiss(t *testing.T) {
	t.Parallel()
	text := read(t, "bristol-visit.en.txt")
	r := Extract(text, gaz(t), Options{})
	checkEvidence(t, text, r)
	wantCities(t, r, []string{"Q23154", "Q90"}, nil)
	if len(r.Cities) != 2 {
		t.Errorf("Reading, Nice, May are not cities here: %+v", cityIDs(r))
	}
	if len(r.Agreements) != 0 || len(r.Dates) != 0 {
		t.Errorf("agreements %+v dates %+v", r.Agreements, r.Dates)
	}
}

func TestEnglishProposal(t *testing.T) {
	t.Parallel()
	text := read(t, "tabriz-kazan-proposal.en.txt")
	r := Extract(text, gaz(t), Options{})
	checkEvidence(t, text, r)
	ag := wantAgreement(t, r, "Q80053", "Q900", StateProposed)
	if ag != nil && (ag.Proposal == nil || ag.Proposal.Date == nil || ag.Proposal.Date.Value != "2019") {
		t.Errorf("proposal %+v", ag.Proposal)
	}
	types := map[string]string{}
	for _, x := range r.Institutions {
		types[x.Type] = x.City
	}
	if types["chamber_of_commerce"] != "Q80053" || types["university"] != "Q900" {
		t.Errorf("institutions %+v", r.Institutions)
	}
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	g := gaz(t)
	for _, s := range []string{"", " ", "\xff\xfe\x00garbage\x80", "«»()،.", strings.Repeat("ـ", 100), "۱۳۹۷/۱۳/۴۰", "سال"} {
		r := Extract(s, g, Options{})
		checkEvidence(t, s, r)
	}
	r := Extract("اصفهان و سمرقند", nil, Options{})
	if len(r.Cities) != 0 || r.Cities == nil {
		t.Errorf("nil gazetteer: %+v", r.Cities)
	}
}

// mapGazetteer is a tiny Gazetteer that is not the bundle one: the general path.
type mapGazetteer map[string][]CityCandidate

func (m mapGazetteer) LookupCity(name string) []CityCandidate { return m[strings.TrimSpace(name)] }
func (m mapGazetteer) LookupCountry(name string) (string, bool) {
	if name == "ایران" {
		return "IR", true
	}
	return "", false
}

func TestOtherGazetteer(t *testing.T) {
	t.Parallel()
	g := mapGazetteer{"اصفهان": {{Wikidata: qIsfahan, Country: "IR", Population: 2e6, Score: 1}},
		"سمرقند": {{Wikidata: qSamarkand, Country: "UZ", Population: 5e5, Score: 1}}}
	text := "تفاهم‌نامه خواهرخواندگی اصفهان و سمرقند امضا شد. ایران"
	r := Extract(text, g, Options{})
	checkEvidence(t, text, r)
	wantAgreement(t, r, qIsfahan, qSamarkand, StateSigned)
	if len(r.Countries) != 1 {
		t.Errorf("countries %+v", r.Countries)
	}
}

func TestLookup(t *testing.T) {
	t.Parallel()
	g := gaz(t)
	for name, q := range map[string]string{"سمرقند": qSamarkand, "Samarqand": qSamarkand, "Самарканд": qSamarkand,
		"اصفهان": qIsfahan, "Esfahan": qIsfahan, "پورتو": qPorto, "حیدر آباد": qHyderabad} {
		c := g.LookupCity(name)
		if len(c) == 0 || c[0].Wikidata != q {
			t.Errorf("LookupCity(%q) = %+v, want %s first", name, c, q)
		}
	}
	if c := g.LookupCity("Samarqandd"); len(c) == 0 || c[0].Wikidata != qSamarkand || c[0].Score >= 0.5 {
		t.Errorf("skeleton fallback: %+v", c)
	}
	for name, code := range map[string]string{"ایران": "IR", "ازبکستان": "UZ", "Uzbekistan": "UZ", "آمریکا": "US", "هند": "IN"} {
		if c, ok := g.LookupCountry(name); !ok || c != code {
			t.Errorf("LookupCountry(%q) = %q", name, c)
		}
	}
}

// TestNumbersChunked checks that reading numbers only around number words
// finds what persian.FindNumbers finds in the whole text.
func TestNumbersChunked(t *testing.T) {
	texts := []string{
		"در سال ۱۳۹۷ و بیست و یکم مهر، ده نفر از ۲ هزار و ۵۰۰ نفر. نه، سی‌ام و دو شهر",
		"ساعت. ده و ۱۲/۵ درصد؛ یک و نیم میلیون دلار و نخستین دیدار",
		"It was 2021-10-05 and 3,500 people; ۱٬۲۰۰ میلیارد ریال و سیصد و شصت و پنج روز",
	}
	for _, name := range []string{"isfahan-samarkand.fa.txt", "isfahan-samarkand.en.txt", "mashhad-hijri.fa.txt",
		"shiraz-kazan-future.fa.txt", "shiraz-tabriz-visit.fa.txt"} {
		texts = append(texts, read(t, name))
	}
	for _, text := range texts {
		want := persian.FindNumbers(text)
		ex := newExtractor(text, nil, Options{})
		got := ex.numbers()
		if len(want) == 0 && len(got) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%.40q…: chunked %+v, whole text %+v", text, got, want)
		}
	}
}

// TestNumbersChunkedFars is TestNumbersChunked on the Fars News sample
// (with TWINNING_NLP_DATA).
func TestNumbersChunkedFars(t *testing.T) {
	if os.Getenv("TWINNING_NLP_DATA") == "" {
		t.Skip("TWINNING_NLP_DATA is not set")
	}
	dir := nlpDir(t)
	data, err := os.ReadFile(filepath.Join(dir, "news", "fars-news-1.json"))
	if err != nil {
		t.Skip(err)
	}
	var arts []struct {
		Title, Abstract string
		Paragraphs      []string
	}
	if err := json.Unmarshal(data, &arts); err != nil {
		t.Fatal(err)
	}
	for i, a := range arts {
		text := a.Title + "\n" + a.Abstract + "\n" + strings.Join(a.Paragraphs, "\n")
		want := persian.FindNumbers(text)
		got := newExtractor(text, nil, Options{}).numbers()
		if len(want) == 0 && len(got) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("article %d: chunked numbers differ from the whole text's: %d against %d", i, len(got), len(want))
		}
	}
}
