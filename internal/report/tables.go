package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/twin"
)

// Table is one titled table of a report, in the reader's language, for CSV and XLSX.
type Table struct {
	Name   string
	Header []string
	Rows   [][]string
}

// Labels name what the report package cannot: a cooperation domain (the installation's
// vocabulary) in the reader's language.
type Labels struct {
	Domain func(code string) string
}

// PeriodText renders a period for readers of lang: "۱۴۰۰ – ۱۴۰۳", "2021 – 2023", or the two
// days of a twelve-month window.
func PeriodText(p Period, lang string) string {
	if p.From == 0 {
		s, _ := calendar.Parse(calendar.Gregorian, p.Start)
		e, _ := calendar.Parse(calendar.Gregorian, p.End)
		return calendar.Format(s, lang) + " – " + calendar.Format(e, lang)
	}
	one := func(y int) string {
		return calendar.Format(calendar.PartialDate{Calendar: p.Calendar, Value: strconv.Itoa(y)}, lang)
	}
	if p.From == p.To {
		return one(p.From)
	}
	if p.Calendar == calendar.Gregorian && strings.HasPrefix(lang, "ru") {
		return strconv.Itoa(p.From) + "–" + strconv.Itoa(p.To) + " гг."
	}
	return one(p.From) + " – " + one(p.To)
}

// Tables lays the report out as tables with headers in lang. Numbers are plain ASCII digits
// so that spreadsheets read them as numbers; dates are written as the reader's pages show them.
func (r *Report) Tables(lang string, l Labels) []Table {
	t := func(k string) string { return i18n.T(lang, k, nil) }
	domain := l.Domain
	if domain == nil {
		domain = func(c string) string { return c }
	}
	city := func(ref string) string {
		if n, ok := r.Names[ref]; ok {
			if v := n.Pick(lang); v != "" {
				return v
			}
		}
		return ref
	}
	date := func(d *twin.PartialDate) string {
		if d == nil {
			return ""
		}
		return calendar.Format(*d, lang)
	}
	itoa := strconv.Itoa
	yesno := func(b bool) string {
		if b {
			return t("yes")
		}
		return t("no")
	}
	var out []Table
	out = append(out, Table{Name: t("report.totals"), Header: []string{t("report.period"), PeriodText(r.Period, lang)}, Rows: [][]string{
		{t("col.activities"), itoa(r.Totals.Activities)},
		{t("activity.participants"), itoa(r.Totals.Participants)},
		{t("report.productions"), itoa(r.Totals.Productions)},
		{t("report.in_force"), itoa(r.Totals.Partnerships)},
		{t("report.with_activity"), itoa(r.Totals.Active)},
		{t("col.promised"), itoa(r.Totals.PromisedDomains)},
		{t("col.delivered"), itoa(r.Totals.DeliveredDomains)},
		{t("agreement.proposals"), itoa(r.Totals.Proposals)},
	}})
	dt := Table{Name: t("report.by_domain"), Header: []string{t("col.domain"), t("col.promised"), t("col.activities"), t("activity.participants"), t("report.productions")}}
	for _, d := range r.ByDomain {
		dt.Rows = append(dt.Rows, []string{domain(d.Domain), yesno(d.Promised), itoa(d.Activities), itoa(d.Participants), itoa(d.Productions)})
	}
	out = append(out, dt)
	pt := Table{Name: t("report.participants"), Header: []string{t("form.city"), t("col.people"), t("col.activities")}}
	for _, p := range r.Participants {
		pt.Rows = append(pt.Rows, []string{city(p.City), itoa(p.People), itoa(p.Activities)})
	}
	out = append(out, pt)
	prt := Table{Name: t("report.productions"), Header: []string{t("col.date"), t("col.kind"), t("form.source.title"), t("col.domains"), t("form.source.url"), t("kind.activity")}}
	for _, p := range r.Productions {
		ds := ""
		for i, d := range p.Domains {
			if i > 0 {
				ds += "; "
			}
			ds += domain(d)
		}
		prt.Rows = append(prt.Rows, []string{date(p.Date), t("output." + p.Kind), p.Title.Pick(lang), ds, p.URL, strconv.FormatInt(p.Activity, 10)})
	}
	out = append(out, prt)
	qt := Table{Name: t("report.quiet"), Header: []string{t("col.partner"), t("col.agreement"), t("col.signed"), t("col.last_activity")}}
	for _, q := range r.Quiet {
		qt.Rows = append(qt.Rows, []string{city(q.Partner), t("kind."+q.Agreement.Kind) + " · " + t("status."+q.Agreement.Status), date(q.Agreement.Signed), date(q.LastActivity)})
	}
	out = append(out, qt)
	ot := Table{Name: t("report.proposals"), Header: []string{t("form.source.title"), t("form.status"), t("form.supporters"), t("col.date")}}
	for _, p := range r.Proposals {
		ot.Rows = append(ot.Rows, []string{p.Title.Pick(lang), t("pstatus." + p.Status), itoa(p.Supporters),
			calendar.Format(calendar.FromTime(p.Created, calendar.Home(lang), calendar.Day), lang)})
	}
	out = append(out, ot)
	at := Table{Name: t("report.activities"), Header: []string{t("col.date"), t("col.activity"), t("col.kind"), t("col.domains"), t("activity.participants")}}
	for _, a := range r.Activities {
		ds, n := "", 0
		for i, d := range a.Domains {
			if i > 0 {
				ds += "; "
			}
			ds += domain(d)
		}
		for _, k := range a.Participants {
			n += k
		}
		at.Rows = append(at.Rows, []string{date(a.Start), a.Title.Pick(lang), t("activity.kind." + a.Kind), ds, itoa(n)})
	}
	out = append(out, at)
	return out
}

// WriteCSV writes the tables one after another, each under a line with its name and
// separated by an empty line, UTF-8 with a byte-order mark so that spreadsheet programs read
// Persian and Russian correctly.
func WriteCSV(w io.Writer, tables []Table) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	for i, t := range tables {
		if i > 0 {
			if err := cw.Write([]string{}); err != nil {
				return err
			}
		}
		if err := cw.Write([]string{t.Name}); err != nil {
			return err
		}
		if err := cw.Write(t.Header); err != nil {
			return err
		}
		if err := cw.WriteAll(t.Rows); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes the tables as a workbook, one sheet a table, numbers as numbers, sheets
// right-to-left for a right-to-left language.
func WriteXLSX(w io.Writer, tables []Table, lang string) error {
	f := excelize.NewFile()
	defer f.Close()
	rtl := i18n.Dir(lang) == "rtl"
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, t := range tables {
		name := sheetName(t.Name, i)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		if rtl {
			if err := f.SetSheetView(name, 0, &excelize.ViewOptions{RightToLeft: &rtl}); err != nil {
				return err
			}
		}
		rows := append([][]string{t.Header}, t.Rows...)
		for r, row := range rows {
			vals := make([]any, len(row))
			for c, v := range row {
				if n, err := strconv.Atoi(v); err == nil && r > 0 {
					vals[c] = n
				} else {
					vals[c] = v
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(name, cell, &vals); err != nil {
				return err
			}
		}
		end, _ := excelize.CoordinatesToCellName(max(len(t.Header), 1), 1)
		if err := f.SetCellStyle(name, "A1", end, bold); err != nil {
			return err
		}
		if err := f.SetColWidth(name, "A", "F", 22); err != nil {
			return err
		}
	}
	return f.Write(w)
}

// sheetName makes a valid, unique sheet name: at most 31 characters, none of : \ / ? * [ ].
func sheetName(s string, i int) string {
	var b []rune
	for _, r := range s {
		switch r {
		case ':', '\\', '/', '?', '*', '[', ']':
			r = ' '
		}
		b = append(b, r)
	}
	if len(b) > 28 {
		b = b[:28]
	}
	return fmt.Sprintf("%d %s", i+1, string(b))
}
