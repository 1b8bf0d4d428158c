package exchange

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// TestImportCSV imports files in the accepted spellings and checks what the registry holds,
// then imports each again and expects no change.
func TestImportCSV(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, file, content string
		created             map[string]int
		check               func(t *testing.T, d *Data)
	}{
		{
			name: "Persian headers, semicolons, BOM, Persian digits",
			file: "isfahan.csv",
			content: "\uFEFFشهر الف;کشور الف;ویکی‌داده الف;شهر ب;کشور ب;نوع;وضعیت;تاریخ امضا;حوزه‌ها;منبع;یادداشت\n" +
				"اصفهان;ایران;Q42053;سمرقند;ازبکستان;خواهرخواندگی;امضا شده;۱۴۰۰/۰۴/۳۰;گردشگری، باستان‌شناسی;https://example.org/a;تفاهم‌نامه\n" +
				"اصفهان;IR;;پورتو;PT;;پیشنهادی;;culture;;\n",
			created: map[string]int{TypeCity: 3, TypeAgreement: 2},
			check: func(t *testing.T, d *Data) {
				a := d.Agreements[0]
				if a.Signed == nil || a.Signed.Calendar != "jalali" || a.Signed.Value != "1400-04-30" || a.Signed.Start != "2021-07-21" {
					t.Errorf("signed = %+v", a.Signed)
				}
				if strings.Join(a.Domains, ",") != "tourism,archaeology" || a.Status != "signed" || a.Kind != "sister" {
					t.Errorf("agreement = %+v", a)
				}
				if a.Notes["fa"] != "تفاهم‌نامه" || len(a.Sources) != 2 || a.Sources[0].URL != "https://example.org/a" || a.Sources[1].Title != "isfahan.csv" {
					t.Errorf("notes, sources = %v, %+v", a.Notes, a.Sources)
				}
				if d.Agreements[1].Status != "proposed" || d.Cities[0].Wikidata != "Q42053" || d.Cities[0].Names["fa"] != "اصفهان" {
					t.Errorf("second agreement %+v, city %+v", d.Agreements[1], d.Cities[0])
				}
			},
		},
		{
			name: "tabs, English headers in other spellings, language columns, hijri",
			file: "tabs.tsv",
			content: "City A\tCountry A\tcity_a_fa\tCity B\tCountry B\tSigned date\tCalendar\tEnded\n" +
				"Isfahan\tIR\tاصفهان\tKazan\tRU\t1430\thijri\t2015\n",
			created: map[string]int{TypeCity: 2, TypeAgreement: 1},
			check: func(t *testing.T, d *Data) {
				a := d.Agreements[0]
				if a.Signed.Calendar != "hijri" || a.Ended.Calendar != "gregorian" || a.Status != "ended" {
					t.Errorf("agreement = %+v", a)
				}
				if c := d.Cities[0]; c.Names["fa"] != "اصفهان" || c.Names["en"] != "Isfahan" {
					t.Errorf("names = %v", c.Names)
				}
			},
		},
		{
			name: "a pair listed twice, both ways, is one agreement",
			file: "pairs.csv",
			content: "city_a,city_a_country,city_b,city_b_country,signed\n" +
				"Isfahan,IR,Kuala Lumpur,MY,1997\n" +
				"Kuala Lumpur,MY,Isfahan,IR,1997\n",
			created: map[string]int{TypeCity: 2, TypeAgreement: 1},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openTest(t)
			load(t, db, &Data{Countries: fixture().Countries})
			rep, err := importString(t, db, tc.file, tc.content, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for typ, n := range tc.created {
				if rep.Counts[OpCreate][typ] != n {
					t.Errorf("created %d %s, want %d\n%s", rep.Counts[OpCreate][typ], typ, n, rep.Summary())
				}
			}
			d, err := Gather(context.Background(), db, "", 0)
			if err != nil {
				t.Fatal(err)
			}
			if tc.check != nil {
				tc.check(t, d)
			}
			before := exportJSONL(t, db)
			rep, err = importString(t, db, tc.file, tc.content, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Total(OpCreate)+rep.Total(OpChange) != 0 {
				t.Errorf("second import: %s%v", rep.Summary(), rep.Actions)
			}
			if after := exportJSONL(t, db); !bytes.Equal(before, after) {
				t.Errorf("second import changed the registry:\n%s", firstDiff(string(before), string(after)))
			}
		})
	}
}

// TestImportErrors: every problem is reported with its row and column, and nothing is written.
func TestImportErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, content string
		want          []string
	}{
		{"dates", "city_a,city_a_country,city_b,city_b_country,signed,proposed\n" +
			"Isfahan,IR,Samarkand,UZ,1404/12/30,\n" +
			"Isfahan,IR,Porto,PT,2022-02-30,\n" +
			"Isfahan,IR,Kazan,RU,21.07.2021,\n" +
			"Isfahan,IR,Baku,AZ,1390,1395\n",
			[]string{`row 2, column "signed": «1404/12/30» does not exist in the Jalali calendar`,
				`row 3, column "signed": «2022-02-30» does not exist in the Gregorian calendar`,
				`row 4, column "signed": «21.07.2021» is not a date`,
				`row 5, column "signed": the agreement is signed before it was proposed`}},
		{"country", "شهر الف,کشور الف,شهر ب,کشور ب\nاصفهان,,سمرقند,UZ\nTabriz,Persia,Baku,AZ\n",
			[]string{`row 2, column "کشور الف": the city «اصفهان» is not in the registry: give its country (or Wikidata id) to add it`,
				`row 3, column "کشور الف": «Persia» is not a country`}},
		{"choices", "city_a,city_a_country,city_b,city_b_country,kind,status,domains,source_url,city_a_wikidata\n" +
			"Isfahan,IR,Samarkand,UZ,marriage,happy,cooking,ftp://x,P17\n",
			[]string{`row 2, column "kind": «marriage» is not a kind of agreement`, `row 2, column "status": «happy» is not a status`,
				`row 2, column "domains": «cooking» is not a known cooperation domain`, `row 2, column "source_url": «ftp://x» is not an http(s) URL`,
				`row 2, column "city_a_wikidata": «P17» is not a Wikidata id`}},
		{"same city", "city_a,city_a_country,city_b,city_b_country\nIsfahan,IR,isfahan,IR\n", []string{`row 2, column "city_b": both sides name the same city`}},
		{"no header", "foo,bar\n1,2\n", []string{`row 1: the header names no column for city_a and city_b`}},
		{"coordinates", "city_a,city_a_country,city_a_lat,city_a_lon,city_b,city_b_country,city_b_coord\nIsfahan,IR,95,51,Baku,AZ,Point(x y)\n",
			[]string{`row 2, column "city_a_lat": «95» is not a latitude`, `row 2, column "city_b_coord": «Point(x y)» is not a coordinate`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, dry := range []bool{true, false} {
				db := openTest(t)
				rep, err := importString(t, db, "bad.csv", tc.content, Options{DryRun: dry})
				if err == nil {
					t.Fatal("no error")
				}
				got := err.Error()
				for _, w := range tc.want {
					if !strings.Contains(got, w) {
						t.Errorf("dry run %v: errors\n%s\nlack\n%s", dry, got, w)
					}
				}
				if len(rep.Errors) != len(tc.want) {
					t.Errorf("%d errors, want %d:\n%s", len(rep.Errors), len(tc.want), got)
				}
				if n, _ := db.Count(context.Background(), twin.KindCity); n != 0 {
					t.Errorf("an import with errors wrote %d cities", n)
				}
			}
		})
	}
}

// TestImportMerge: a file that disagrees with the registry adds what the registry lacks and
// keeps its disagreements as claims; the registry's values stay.
func TestImportMerge(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	load(t, db, fixture())
	file := "city_a,city_a_wikidata,city_b,city_b_wikidata,status,signed,domains,source_url,city_a_country,city_b_country,proposed\n" +
		"Isfahan,Q42053,Samarkand,Q5753,negotiating,2019-05-01,tourism;trade,https://example.org/other,IR,UZ,\n" +
		"Esfahan,,Porto,Q36433,,,,,IR,,2019\n" +
		"Khiva,,Samarkand,,,,,,UZ,UZ,\n"
	rep, err := importString(t, db, "news.csv", file, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Total(OpCreate) != 0 || rep.Counts[OpChange][TypeAgreement] != 2 {
		t.Fatalf("%s%v", rep.Summary(), rep.Actions)
	}
	a, err := db.Agreements.Get(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != "signed" || a.Signed.Value != "1400-04-30" {
		t.Errorf("the registry's values changed: %s %+v", a.Status, a.Signed)
	}
	if strings.Join(a.Domains, ",") != "archaeology,tourism,trade" || len(a.Sources) != 2 {
		t.Errorf("domains %v sources %+v", a.Domains, a.Sources)
	}
	var status, signed bool
	for _, c := range a.Claims {
		status = status || (c.Status == "negotiating" && c.Source.Title == "news.csv")
		signed = signed || (c.Signed != nil && c.Signed.Value == "2019-05-01")
	}
	if !status || !signed {
		t.Errorf("claims = %+v", a.Claims)
	}
	porto, _ := db.Agreements.Get(ctx, 2)
	if porto.Proposed == nil || porto.Proposed.Value != "2019" {
		t.Errorf("a date the registry lacked was not set: %+v", porto.Proposed)
	}
	rep, err = importString(t, db, "news.csv", file, Options{})
	if err != nil || rep.Total(OpChange)+rep.Total(OpCreate) != 0 {
		t.Fatalf("second import: %v %s", err, rep.Summary())
	}
}

// TestImportWikidata reads the 2021 Wikidata query results (CSV) and the same shape as
// SPARQL JSON: Q-ids, labels, Point(lon lat) coordinates and populations.
func TestImportWikidata(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	csvHead := "city,cityLabel,city_population,city_coordinate_location,sister,sisterLabel,sister_population,sister_coordinate_location\n" +
		"http://www.wikidata.org/entity/Q216,Vilnius,574147,Point(25.283333333 54.683333333),http://www.wikidata.org/entity/Q172,Toronto,2731571,Point(-79.386666666 43.670277777)\n" +
		"http://www.wikidata.org/entity/Q172,Toronto,2731571,Point(-79.386666666 43.670277777),http://www.wikidata.org/entity/Q216,Vilnius,574147,Point(25.283333333 54.683333333)\n"
	sparql := `{"head":{"vars":["city","cityLabel","sister","sisterLabel","sisterCoord"]},"results":{"bindings":[
 {"city":{"type":"uri","value":"http://www.wikidata.org/entity/Q216"},"cityLabel":{"type":"literal","value":"Vilnius","xml:lang":"en"},
  "sister":{"type":"uri","value":"http://www.wikidata.org/entity/Q270"},"sisterLabel":{"type":"literal","value":"ورشو","xml:lang":"fa"},
  "sisterCoord":{"type":"literal","value":"Point(21.033333333 52.216666666)"}}]}}`
	// Unknown cities are added with their Wikidata id even without a country.
	db := openTest(t)
	rep, err := importString(t, db, "query.csv", csvHead, Options{Format: FormatWikidata, DryRun: true})
	if err != nil || rep.Counts[OpCreate][TypeCity] != 2 || rep.Counts[OpCreate][TypeAgreement] != 1 {
		t.Fatalf("dry run: %v %s", err, rep.Summary())
	}
	load(t, db, &Data{Cities: []*twin.City{
		{Wikidata: "Q216", Names: twin.Names{"en": "Vilnius"}, Country: "LT"},
		{Wikidata: "Q172", Names: twin.Names{"en": "Toronto"}, Country: "CA"},
		{Wikidata: "Q270", Names: twin.Names{"en": "Warsaw"}, Country: "PL"},
	}})
	rep, err = importString(t, db, "query.csv", csvHead, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Counts[OpCreate][TypeAgreement] != 1 || rep.Counts[OpChange][TypeCity] != 2 {
		t.Fatalf("%s", rep.Summary())
	}
	v, _ := db.City(ctx, "Q216")
	if v.Population != 574147 || v.Lat == nil || *v.Lat != 54.683333333 || *v.Lon != 25.283333333 {
		t.Errorf("Vilnius = %+v", v)
	}
	rep, err = importString(t, db, "query.json", sparql, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w, _ := db.City(ctx, "Q270")
	if w.Names["fa"] != "ورشو" || w.Lat == nil || rep.Counts[OpCreate][TypeAgreement] != 1 {
		t.Errorf("Warsaw = %+v; %s", w, rep.Summary())
	}
	as, _ := db.Agreements.All(ctx)
	if len(as) != 2 || as[0].Sources[0].Dataset != wikidataDataset {
		t.Errorf("agreements = %+v", as)
	}
}

// TestImportXLSX reads the first sheet of a workbook, date cells included.
func TestImportXLSX(t *testing.T) {
	t.Parallel()
	b := xlsxFile(t, [][]any{
		{"شهر الف", "کشور الف", "شهر ب", "کشور ب", "تاریخ امضا", "حوزه‌ها"},
		{"Isfahan", "IR", "Samarkand", "UZ", "1400/04/30", "tourism"},
		{},
		{"Isfahan", "IR", "Porto", "PT", xlsxDate(2021, 10, 5), ""},
		{"Isfahan", "IR", "Kazan", "RU", "1404/12/30", ""},
	})
	db := openTest(t)
	_, err := Import(context.Background(), db, bytes.NewReader(b), Options{Name: "sheet.xlsx", DryRun: true})
	if err == nil || err.Error() != `row 5, column "تاریخ امضا": «1404/12/30» does not exist in the Jalali calendar` {
		t.Fatalf("err = %v", err)
	}
	b = xlsxFile(t, [][]any{
		{"شهر الف", "کشور الف", "شهر ب", "کشور ب", "تاریخ امضا", "حوزه‌ها"},
		{"Isfahan", "IR", "Samarkand", "UZ", "1400/04/30", "tourism"},
		{},
		{"Isfahan", "IR", "Porto", "PT", xlsxDate(2021, 10, 5), ""},
	})
	rep, err := Import(context.Background(), db, bytes.NewReader(b), Options{Name: "sheet.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := Gather(context.Background(), db, "", 0)
	if rep.Format != FormatXLSX || len(d.Agreements) != 2 || d.Agreements[1].Signed.Value != "2021-10-05" || d.Agreements[0].Signed.Calendar != "jalali" {
		t.Fatalf("%s %+v", rep.Summary(), d.Agreements)
	}
}

type xlsxDateCell struct{ y, m, d int }

func xlsxDate(y, m, d int) any { return xlsxDateCell{y, m, d} }

func xlsxFile(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	for i, row := range rows {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if dc, ok := v.(xlsxDateCell); ok {
				f.SetCellValue("Sheet1", cell, dateTime(dc))
				f.SetCellStyle("Sheet1", cell, cell, style)
				continue
			}
			f.SetCellValue("Sheet1", cell, v)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestImportRealWikidataQuery dry-runs the head of the real 2021 query file when it is present.
func TestImportRealWikidataQuery(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../../shared/data/sister_cities/wikidata_p190_query_2021-11.csv")
	if err != nil {
		t.Skip("../shared/data is not here")
	}
	tbl, err := ReadCSV(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	rows, errs := ParseTable(tbl, DefaultVocab())
	if len(errs) > 0 || len(rows) < 15000 || rows[0].Cities[0].Wikidata != "Q216" || *rows[0].Cities[1].Lon != -79.386666666 {
		t.Fatalf("%d rows, errors %v, first %+v", len(rows), errs, rows[0])
	}
}

// TestImportTitleRows: offices put a title (merged across the columns) and a blank row or a
// note above the header. The header is found below them, and every row keeps the number the
// spreadsheet shows.
func TestImportTitleRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := excelize.NewFile()
	defer f.Close()
	set := func(cell string, v any) { f.SetCellValue("Sheet1", cell, v) }
	set("A1", "فهرست شهرهای خواهرخوانده اصفهان")
	f.MergeCell("Sheet1", "A1", "F1")
	set("A2", "تهیه‌شده در اداره روابط بین‌الملل، ۱۴۰۳")
	// Row 3 is blank: no row element at all.
	for i, h := range []string{"شهر الف", "کشور الف", "شهر ب", "کشور ب", "تاریخ امضا", "حوزه‌ها"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 4)
		set(cell, h)
	}
	for i, v := range []string{"Isfahan", "IR", "Samarkand", "UZ", "1400/04/30", "tourism"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 5)
		set(cell, v)
	}
	for i, v := range []string{"Isfahan", "IR", "Kazan", "RU", "1404/12/30", ""} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 7)
		set(cell, v)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	db := openTest(t)
	_, err := Import(ctx, db, bytes.NewReader(buf.Bytes()), Options{Name: "list.xlsx"})
	if err == nil || err.Error() != `row 7, column "تاریخ امضا": «1404/12/30» does not exist in the Jalali calendar` {
		t.Fatalf("err = %v", err)
	}
	f.SetCellValue("Sheet1", "E7", "1402/12/29")
	buf.Reset()
	f.Write(&buf)
	rep, err := Import(ctx, db, bytes.NewReader(buf.Bytes()), Options{Name: "list.xlsx", DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 2 || rep.Counts[OpCreate][TypeAgreement] != 2 || rep.Actions[0].Row != 5 {
		t.Fatalf("%d rows; %s%v", rep.Rows, rep.Summary(), rep.Actions)
	}

	// CSV too: a title line with commas, a blank line, a semicolon-separated header.
	csv := "Sister cities of Isfahan, as of 2024, by the municipality\n\n" +
		"city_a;city_a_country;city_b;city_b_country;signed\n" +
		"Isfahan;IR;Samarkand;UZ;1400-04-30\n" +
		"Isfahan;IR;Porto;PT;2022-02-30\n"
	_, err = importString(t, db, "list.csv", csv, Options{})
	if err == nil || err.Error() != `row 5, column "signed": «2022-02-30» does not exist in the Gregorian calendar` {
		t.Fatalf("CSV: err = %v", err)
	}
	// With no header among the first rows, the row naming the most columns is blamed.
	_, err = importString(t, db, "list.csv", "A title\nstad,city_a_country,signed\nx,IR,2000\n", Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "row 2: the header names no column for city_a and city_b") {
		t.Fatalf("no header: err = %v", err)
	}
}

// TestImportCounts: the report counts what the file names, once each, not the other cities
// of the countries it names (which the import reads to match names against).
func TestImportCounts(t *testing.T) {
	t.Parallel()
	db := openTest(t)
	d := fixture()
	for i := range 30 {
		d.Cities = append(d.Cities, &twin.City{Meta: twin.Meta{ID: int64(10 + i)}, Names: twin.Names{"en": "Town " + itoa(int64(i))}, Country: "IR"})
	}
	load(t, db, d)
	file := "city_a,city_a_country,city_b,city_b_country,signed\n" +
		"Isfahan,IR,Samarkand,UZ,1400-04-30\n" + // unchanged agreement between two known cities
		"Esfahan,IR,Tabriz,IR,2005\n" + // a new city, a new agreement
		"Town 3,IR,Khiva,UZ,\n" + // two known cities, a new agreement
		"Samarkand,UZ,Isfahan,IR,\n" // the first pair again
	rep, err := importString(t, db, "four.csv", file, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]int{
		OpCreate: {TypeCity: 1, TypeAgreement: 2},
		OpSkip:   {TypeCity: 4, TypeAgreement: 1},
	}
	for _, op := range []string{OpCreate, OpChange, OpSkip, OpIgnore} {
		for _, typ := range []string{TypeCity, TypeAgreement} {
			if rep.Counts[op][typ] != want[op][typ] {
				t.Errorf("%s %s: %d, want %d\n%s", op, typ, rep.Counts[op][typ], want[op][typ], rep.Summary())
			}
		}
	}
	if got := rep.Summary(); got != "created: 3 (1 city, 2 agreements)\nchanged: 0\nunchanged: 5 (4 cities, 1 agreement)\n" {
		t.Errorf("summary:\n%s", got)
	}

	// A Wikidata item twinned with itself is a skipped row, counted as such.
	rep, err = importString(t, db, "q.csv", "city,cityLabel,sister,sisterLabel\n"+
		"http://www.wikidata.org/entity/Q42053,Isfahan,http://www.wikidata.org/entity/Q42053,Isfahan\n", Options{Format: FormatWikidata})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Counts[OpIgnore][TypeAgreement] != 1 || rep.Counts[OpSkip][TypeCity] != 1 || !strings.Contains(rep.Summary(), "skipped: 1 (1 agreement)") {
		t.Errorf("self-twinned row: %s", rep.Summary())
	}
}

// TestImportRefinesDates: a more precise date inside the registry's interval refines it (an
// audited change); a date that covers the registry's adds nothing; one that disagrees, or
// whose refinement would put the dates out of order, is kept as a claim citing the file.
func TestImportRefinesDates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	d := fixture()
	// Isfahan–Porto: proposed in 2021 (a year), signed on 2021-03-10.
	d.Agreements[1].Status, d.Agreements[1].Proposed, d.Agreements[1].Signed = "signed", date("gregorian", "2021"), date("gregorian", "2021-03-10")
	load(t, db, d)
	head := "city_a_wikidata,city_b_wikidata,city_b_id,signed,signed_calendar,proposed\n"
	imp := func(name, body string) *Report {
		t.Helper()
		rep, err := importString(t, db, name, head+body, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	get := func(id int64) *twin.Agreement {
		a, err := db.Agreements.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}

	// Samarkand–Khiva is signed in May 2010: the day refines it, in either calendar.
	rep := imp("day.csv", "Q5753,,4,1389-02-22,jalali,\n")
	a := get(3)
	if a.Signed.Value != "1389-02-22" || a.Signed.Start != "2010-05-12" || a.Signed.End != "2010-05-12" || len(a.Claims) != 0 {
		t.Fatalf("signed %+v, claims %+v", a.Signed, a.Claims)
	}
	if rep.Counts[OpChange][TypeAgreement] != 1 || !strings.Contains(rep.Actions[len(rep.Actions)-1].Detail, "signed") {
		t.Errorf("%s%v", rep.Summary(), rep.Actions)
	}
	changes, _, err := db.Changes(ctx, store.ChangeFilter{Kind: "agreement", ID: 3})
	if err != nil || len(changes) == 0 || !strings.Contains(string(changes[0].Before), `"2010-05"`) || !strings.Contains(string(changes[0].After), `"1389-02-22"`) {
		t.Errorf("the refinement is not audited: %v %+v", err, changes)
	}
	// The same day in the other calendar, or the month again, adds nothing.
	for _, body := range []string{"Q5753,,4,2010-05-12,,\n", "Q5753,,4,2010-05,,\n", "Q5753,,4,2010,,\n"} {
		if rep := imp("again.csv", body); rep.Total(OpChange) != 0 {
			t.Errorf("%q changed: %s%v", body, rep.Summary(), rep.Actions)
		}
	}
	// Another day, or a month that only overlaps, is a claim; the registry keeps its date.
	imp("other.csv", "Q5753,,4,2010-05-13,,\nQ42053,Q5753,,1400-05,jalali,\n")
	if a := get(3); a.Signed.Value != "1389-02-22" || len(a.Claims) != 1 || a.Claims[0].Signed.Value != "2010-05-13" || a.Claims[0].Source.Title != "other.csv" {
		t.Errorf("signed %+v, claims %+v", a.Signed, a.Claims)
	}
	// Isfahan–Samarkand's 1400-04-30 is 2021-07-21: the Jalali month 1400-05 starts the 23rd.
	if a := get(1); a.Signed.Value != "1400-04-30" || len(a.Claims) != 2 || a.Claims[1].Signed.Value != "1400-05" {
		t.Errorf("signed %+v, claims %+v", a.Signed, a.Claims)
	}

	// Isfahan–Porto's proposal year: a month before the signing refines it, one after would
	// put it after the signing and is a claim.
	imp("proposed.csv", "Q42053,Q36433,,,,2021-05\n")
	if a := get(2); a.Proposed.Value != "2021" || len(a.Claims) != 1 || a.Claims[0].Note != "proposed 2021-05 (gregorian)" {
		t.Errorf("proposed %+v, claims %+v", a.Proposed, a.Claims)
	}
	imp("proposed.csv", "Q42053,Q36433,,,,2021-02\n")
	if a := get(2); a.Proposed.Value != "2021-02" {
		t.Errorf("proposed %+v, claims %+v", a.Proposed, a.Claims)
	}
}

// `import -v` names each row's operation with the word of the summary line that counts it:
// an agreement found unchanged is "unchanged", a row left out on purpose is "skip"ped.
func TestActionLinesMatchSummary(t *testing.T) {
	t.Parallel()
	rep := &Report{Counts: map[string]map[string]int{}}
	for _, a := range []Action{
		{Row: 2, Op: OpSkip, Kind: TypeAgreement, ID: 287, Label: "Vilnius (LT) — Toronto (CA)"},
		{Row: 3, Op: OpIgnore, Kind: TypeAgreement, Label: "Isfahan (IR)", Detail: "a city twinned with itself"},
	} {
		rep.count(a.Op, a.Kind)
		rep.Actions = append(rep.Actions, a)
	}
	want := []string{"row 2: unchanged agreement 287 Vilnius (LT) — Toronto (CA)", "row 3: skip agreement Isfahan (IR) (a city twinned with itself)"}
	for i, a := range rep.Actions {
		if a.String() != want[i] {
			t.Errorf("%q, want %q", a.String(), want[i])
		}
	}
	if s := rep.Summary(); !strings.Contains(s, "unchanged: 1 (1 agreement)") || !strings.Contains(s, "skipped: 1 (1 agreement)") {
		t.Errorf("summary %q", s)
	}
}
