package web

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/twin"
)

// reportFixture adds to the page fixture an activity of 1401 (2022) with participants from
// both cities and two joint productions.
func reportFixture(t *testing.T) *fixture {
	t.Helper()
	f := newPageFixture(t)
	start, _ := calendar.Parse(calendar.Jalali, "1401-05-10")
	if _, err := f.db.Activities.Create(context.Background(), &twin.Activity{Agreement: f.agreement.ID, Kind: "joint_production",
		Title: twin.Names{"fa": "کتاب مشترک سمرقند", "en": "A joint Samarkand book"}, Start: &start, Domains: []string{"books", "archaeology"},
		Direction:    "both",
		Participants: map[string]int{"Q42053": 12, "Q5753": 30},
		Outputs: []twin.Output{{Kind: "book", Title: twin.Names{"en": "Samarkand and Isfahan", "fa": "سمرقند و اصفهان"}},
			{Kind: "video", URL: "https://example.org/v"}}}); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestCityReportPeriod: a city's report over Jalali years counts the period's activities by
// domain (archaeology, promised, now delivered), participants by city, joint productions,
// and finds nothing quiet; over years without activity it lists the partnership as quiet.
func TestCityReportPeriod(t *testing.T) {
	t.Parallel()
	f := reportFixture(t)
	resp, body := f.get(t, nil, "/en/cities/Q42053/report?from=1400&to=1402")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	mustContain(t, "the English report of 1400–1402", body,
		"Activities by domain", "Archaeology", "Books and publishing",
		"Participants by city", "Samarkand", ">30<", ">12<",
		"Joint productions", "Samarkand and Isfahan", "Book: 1", "Video: 1",
		"A joint Samarkand book", "Every partnership in force had activity in the period.",
		"1400 SH", "1402 SH",
		`href="?format=csv&amp;from=1400&amp;to=1402"`, `format=xlsx`,
	)
	if strings.Contains(body, "Children&#39;s film festival") {
		t.Error("the report of 1400–1402 lists this year's festival")
	}
	// The same in Gregorian years, in Persian.
	_, body = f.get(t, nil, "/fa/cities/Q42053/report?from=2022&to=2022")
	mustContain(t, "the Persian report of 2022", body, "کتاب مشترک سمرقند", "شرکت‌کنندگان به تفکیک شهر", "۴۲")
	// Years without activity: the signed partnership is quiet, its last activity before.
	_, body = f.get(t, nil, "/en/cities/Q42053/report?from=1400&calendar=jalali")
	mustContain(t, "the report of 1400", body, "Partnerships gone quiet", "No activity recorded in the period.")
	if strings.Contains(body, "Every partnership in force had activity") {
		t.Error("a period without activity reports no quiet partnership")
	}
}

// TestReportBadPeriod: a bad period shows the form again with the reason in the reader's
// language, status 400.
func TestReportBadPeriod(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	for _, tc := range []struct{ path, want string }{
		{"/en/cities/Q42053/report?from=abc", "Not a number."},
		{"/fa/cities/Q42053/report?from=1403&to=1400", "این تاریخ"},
		{"/ru/cities/Q42053/report?from=1400&calendar=mayan", "Неизвестный календарь «mayan»"},
		{"/en/cities/Q42053/report?from=1400&format=pdf", "not one of"},
	} {
		resp, body := f.get(t, nil, tc.path)
		if resp.StatusCode != 400 {
			t.Errorf("%s: status %d", tc.path, resp.StatusCode)
		}
		mustContain(t, tc.path, body, tc.want)
	}
}

// TestReportDownloads: the CSV has the report's tables with headers in the reader's language;
// the XLSX has a sheet a table with numbers as numbers.
func TestReportDownloads(t *testing.T) {
	t.Parallel()
	f := reportFixture(t)
	resp, body := f.get(t, nil, "/ru/cities/Q42053/report?from=2022&to=2022&format=csv")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if !strings.Contains(resp.Header.Get("Content-Disposition"), ".csv") {
		t.Errorf("csv disposition %q", resp.Header.Get("Content-Disposition"))
	}
	mustContain(t, "the CSV", body, "\uFEFF", "Мероприятия по сферам сотрудничества", "Археология,Да,1,42,2", "Samarkand,30,1", "Книга", "A joint Samarkand book")

	resp, body = f.get(t, nil, "/en/agreements/"+strconv.FormatInt(f.agreement.ID, 10)+"/report?from=2022&format=xlsx")
	if resp.StatusCode != 200 {
		t.Fatalf("xlsx: %d", resp.StatusCode)
	}
	x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sheets := x.GetSheetList()
	if len(sheets) != 7 {
		t.Fatalf("sheets %v", sheets)
	}
	rows, err := x.GetRows(sheets[2])
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "City" || rows[1][0] != "Samarkand" || rows[1][1] != "30" {
		t.Errorf("participants sheet %q: %v", sheets[2], rows)
	}
	if typ, _ := x.GetCellType(sheets[2], "B2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("people is stored as %v, not a number", typ)
	}
}

// TestAgreementReport: the agreement's report page in Russian, with the promised domain that
// had no activity marked missing.
func TestAgreementReport(t *testing.T) {
	t.Parallel()
	f := reportFixture(t)
	ctx := context.Background()
	for _, pr := range []*twin.Proposal{
		{Title: twin.Names{"en": "A Samarkand week in Isfahan"}, Agreement: f.agreement.ID, Status: "published", Contact: "secret@example.org"},
		{Title: twin.Names{"en": "Not yet moderated"}, Agreement: f.agreement.ID, Status: "submitted"},
	} {
		if _, err := f.db.Proposals.Create(ctx, pr); err != nil {
			t.Fatal(err)
		}
	}
	y := strconv.Itoa(time.Now().UTC().Year())
	resp, body := f.get(t, nil, "/ru/agreements/"+strconv.FormatInt(f.agreement.ID, 10)+"/report?from="+y)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	mustContain(t, "the Russian agreement report", body, "мероприятия и результаты", "Кино", "Археология", "Не выполнено", "Вернуться на страницу соглашения",
		"A Samarkand week in Isfahan", "Опубликовано")
	_, csv := f.get(t, nil, "/en/cities/Q42053/report?from="+y+"&format=csv")
	for _, page := range []string{body, csv} {
		if strings.Contains(page, "Not yet moderated") || strings.Contains(page, "secret@") {
			t.Error("a report shows an unmoderated proposal or a proposer's contact")
		}
	}
	mustContain(t, "the city report's CSV", csv, "A Samarkand week in Isfahan,Published")
	if resp, _ := f.get(t, nil, "/en/agreements/99999/report"); resp.StatusCode != 404 {
		t.Errorf("unknown agreement: %d", resp.StatusCode)
	}
}
