package exchange

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/store/storetest"
	"github.com/twinning/twinning/internal/twin"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// openTest opens a fresh, migrated registry on SQLite, or on PostgreSQL when
// TWINNING_TEST_POSTGRES is set (a fresh schema per test).
func openTest(t testing.TB) *store.DB {
	t.Helper()
	return storetest.Open(t)
}

func fp(f float64) *float64 { return &f }

func date(cal, v string) *twin.PartialDate {
	d, err := twin.PartialDate{Calendar: twinCal(cal), Value: v}.Complete()
	if err != nil {
		panic(err)
	}
	return &d
}

func twinCal(s string) calendar.Calendar { return calendar.Calendar(s) }

// fixture is a small registry with every kind of record.
func fixture() *Data {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	meta := func(id int64) twin.Meta { return twin.Meta{ID: id, Version: 1, Created: at, Updated: at} }
	d := &Data{
		Installation: "0123456789abcdef",
		Countries: []twin.Country{
			{Code: "IR", Names: twin.Names{"fa": "ایران", "en": "Iran"}, Orgs: []string{"ECO"}},
			{Code: "PT", Names: twin.Names{"fa": "پرتغال", "en": "Portugal"}},
			{Code: "UZ", Names: twin.Names{"fa": "ازبکستان", "en": "Uzbekistan"}, Orgs: []string{"ECO"}},
		},
		Cities: []*twin.City{
			{Meta: meta(1), Wikidata: "Q42053", Names: twin.Names{"fa": "اصفهان", "en": "Isfahan"}, Aliases: []string{"Esfahan"}, Country: "IR", Lat: fp(32.6539), Lon: fp(51.666), Population: 1961260},
			{Meta: meta(2), Wikidata: "Q5753", Names: twin.Names{"fa": "سمرقند", "en": "Samarkand", "uz": "Samarqand"}, Country: "UZ", Lat: fp(39.6547), Lon: fp(66.9758), Population: 546303},
			{Meta: meta(3), Wikidata: "Q36433", Names: twin.Names{"fa": "پورتو", "en": "Porto"}, Country: "PT", Lat: fp(41.1621), Lon: fp(-8.6219)},
			{Meta: meta(4), Names: twin.Names{"fa": "خیوه", "en": "Khiva"}, Country: "UZ"},
		},
		Agreements: []*twin.Agreement{
			{Meta: meta(1), Cities: []string{"Q42053", "Q5753"}, CityIDs: []int64{1, 2}, Kind: "sister", Status: "signed",
				Signed: date("jalali", "1400-04-30"), Proposed: date("jalali", "1397"), Domains: []string{"archaeology", "tourism"},
				Parties: []twin.Party{{Role: "proposer", Person: 1}, {Role: "facilitator", Institution: 3}},
				Notes:   twin.Names{"fa": "یادداشت، با ویرگول", "en": "A note, with a comma; and \"quotes\""},
				Sources: []twin.Source{{URL: "https://example.org/isfahan-samarkand", Title: "News"}},
				Claims:  []twin.Claim{{Source: twin.Source{Dataset: "wikipedia"}, Signed: date("gregorian", "2021")}}},
			{Meta: meta(2), Cities: []string{"Q42053", "Q36433"}, CityIDs: []int64{1, 3}, Kind: "sister", Status: "proposed", Domains: []string{"culture"}},
			{Meta: meta(3), Cities: []string{"Q5753", "4"}, CityIDs: []int64{2, 4}, Kind: "friendship", Status: "signed", Signed: date("gregorian", "2010-05")},
		},
		Institutions: []*twin.Institution{
			{Meta: meta(1), Names: twin.Names{"fa": "دانشگاه اصفهان", "en": "University of Isfahan"}, Type: "university", City: "Q42053", CityID: 1},
			{Meta: meta(2), Names: twin.Names{"en": "Samarkand State University"}, Type: "university", City: "Q5753", CityID: 2},
			{Meta: meta(3), Names: twin.Names{"fa": "سفارت ایران در تاشکند"}, Type: "embassy", City: "Q5753", CityID: 2},
		},
		People: []*twin.Person{
			{Meta: meta(1), Names: twin.Names{"fa": "علی قاسم‌زاده", "en": "Ali Ghasemzadeh"},
				Titles: []twin.Title{{Title: twin.Names{"fa": "شهردار اصفهان"}, Role: "mayor", City: "Q42053", From: date("jalali", "1400-06")}}},
		},
		Links: []*twin.Link{
			{Meta: meta(1), Institutions: []int64{1, 2}, Agreement: 1, Domains: []string{"higher_education"}, Status: "active", Started: date("gregorian", "2021-10")},
		},
		Networks: []*twin.Network{
			{Meta: meta(1), Names: twin.Names{"fa": "سازمان همکاری اقتصادی", "en": "Economic Cooperation Organization"}, Kind: "regional_org",
				Countries: []string{"IR", "UZ"}, Members: []twin.Member{{City: "Q42053", CityID: 1}, {City: "Q5753", CityID: 2, Role: "observer"}}},
		},
		Activities: []*twin.Activity{
			{Meta: meta(1), Agreement: 1, Kind: "festival", Title: twin.Names{"fa": "جشنواره بین‌المللی فیلم کودک و نوجوان, اصفهان; سی و چهارمین دوره با حضور هنرمندان سمرقند"},
				Description: twin.Names{"fa": "دعوت از فیلم‌سازان\nسمرقند"}, Start: date("gregorian", "2021-10"), Place: "Q42053", Domains: []string{"film"},
				Participants: map[string]int{"Q5753": 12}, Institutions: []int64{1}},
			{Meta: meta(2), Link: 1, Kind: "exchange", Title: twin.Names{"en": "Student exchange"}, Start: date("jalali", "1401"), End: date("jalali", "1402-02-15")},
			{Meta: meta(3), Network: 1, Kind: "meeting", Title: twin.Names{"en": "No date"}},
		},
		Proposals: []*twin.Proposal{
			// Supporters are counted from the supports (one per account or browser), which stay
			// in the registry: a file carries a proposal's status history, not its supporters.
			{Meta: meta(1), Title: twin.Names{"fa": "هفته فرهنگی سمرقند در اصفهان"}, Agreement: 1, Domains: []string{"culture"}, Status: "published",
				History: []twin.ProposalEvent{{Status: "submitted", At: time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)}, {Status: "published", At: time.Date(2024, 5, 3, 10, 30, 0, 0, time.UTC), Reason: "approved"}}},
			{Meta: meta(2), Title: twin.Names{"en": "Twin with Hyderabad"}, Cities: []string{"Q42053"}, Status: "submitted",
				History: []twin.ProposalEvent{{Status: "submitted", At: time.Date(2024, 6, 1, 8, 0, 0, 0, time.UTC)}}},
		},
	}
	return d
}

// load writes the fixture into db through the store, ids kept.
func load(t testing.TB, db *store.DB, d *Data) {
	t.Helper()
	ctx := context.Background()
	var buf bytes.Buffer
	if err := WriteJSONL(&buf, d); err != nil {
		t.Fatal(err)
	}
	rep, err := Import(ctx, db, &buf, Options{Format: FormatJSONL, Name: "fixture.jsonl"})
	if err != nil {
		t.Fatalf("loading the fixture: %v", err)
	}
	if rep.Total(OpCreate) == 0 {
		t.Fatal("loading the fixture created nothing")
	}
}

func exportJSONL(t testing.TB, db *store.DB) []byte {
	t.Helper()
	d, err := Gather(context.Background(), db, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteJSONL(&buf, d); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// golden compares got with testdata/name, rewriting it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test -update after checking):\n%s", name, firstDiff(string(want), string(got)))
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return "line " + itoa(int64(i+1)) + ":\nwant " + x + "\ngot  " + y
		}
	}
	return ""
}

func importString(t testing.TB, db *store.DB, name, content string, opt Options) (*Report, error) {
	t.Helper()
	opt.Name = name
	return Import(context.Background(), db, strings.NewReader(content), opt)
}

func dateTime(d xlsxDateCell) time.Time {
	return time.Date(d.y, time.Month(d.m), d.d, 0, 0, 0, 0, time.UTC)
}

func bufioWriter(w io.Writer) *bufio.Writer { return bufio.NewWriter(w) }
