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
	domain := l.Domain
	if domain == nil {
		domain = func(c string) string { return c }
	}
	lt := &layout{r: r, lang: lang, domain: domain}
	return []Table{lt.totals(), lt.byDomain(), lt.participants(), lt.productions(), lt.quiet(), lt.proposals(), lt.activities()}
}

// layout writes a report's tables in one language.
type layout struct {
	r      *Report
	lang   string
	domain func(code string) string
}

// itoa writes a count in ASCII digits, for spreadsheets.
var itoa = strconv.Itoa

// t is the text of key k.
func (lt *layout) t(k string) string { return i18n.T(lt.lang, k, nil) }

// city is the name of the report's city ref, or the ref when it has none.
func (lt *layout) city(ref string) string {
	if n, ok := lt.r.Names[ref]; ok {
		if v := n.Pick(lt.lang); v != "" {
			return v
		}
	}
	return ref
}

// date is d as the reader's pages show it; "" for none.
func (lt *layout) date(d *twin.PartialDate) string {
	if d == nil {
		return ""
	}
	return calendar.Format(*d, lt.lang)
}

// yesno is b as "yes" or "no" in the layout's language.
func (lt *layout) yesno(b bool) string {
	if b {
		return lt.t("yes")
	}
	return lt.t("no")
}

// domains names the domains, separated by "; ".
func (lt *layout) domains(codes []string) string {
	ds := ""
	for i, d := range codes {
		if i > 0 {
			ds += "; "
		}
		ds += lt.domain(d)
	}
	return ds
}

// totals is the table of the report's totals, under the period.
func (lt *layout) totals() Table {
	r, t := lt.r, lt.t
	return Table{Name: t("report.totals"), Header: []string{t("report.period"), PeriodText(r.Period, lt.lang)}, Rows: [][]string{
		{t("col.activities"), itoa(r.Totals.Activities)},
		{t("activity.participants"), itoa(r.Totals.Participants)},
		{t("report.productions"), itoa(r.Totals.Productions)},
		{t("report.in_force"), itoa(r.Totals.Partnerships)},
		{t("report.with_activity"), itoa(r.Totals.Active)},
		{t("col.promised"), itoa(r.Totals.PromisedDomains)},
		{t("col.delivered"), itoa(r.Totals.DeliveredDomains)},
		{t("agreement.proposals"), itoa(r.Totals.Proposals)},
	}}
}

// byDomain is the table of domains: promised or not, activities, participants, productions.
func (lt *layout) byDomain() Table {
	t := lt.t
	dt := Table{Name: t("report.by_domain"), Header: []string{t("col.domain"), t("col.promised"), t("col.activities"), t("activity.participants"), t("report.productions")}}
	for _, d := range lt.r.ByDomain {
		dt.Rows = append(dt.Rows, []string{lt.domain(d.Domain), lt.yesno(d.Promised), itoa(d.Activities), itoa(d.Participants), itoa(d.Productions)})
	}
	return dt
}

// participants is the table of participants by city.
func (lt *layout) participants() Table {
	t := lt.t
	pt := Table{Name: t("report.participants"), Header: []string{t("form.city"), t("col.people"), t("col.activities")}}
	for _, p := range lt.r.Participants {
		pt.Rows = append(pt.Rows, []string{lt.city(p.City), itoa(p.People), itoa(p.Activities)})
	}
	return pt
}

// productions is the table of the activities' productions.
func (lt *layout) productions() Table {
	t := lt.t
	prt := Table{Name: t("report.productions"), Header: []string{t("col.date"), t("col.kind"), t("form.source.title"), t("col.domains"), t("form.source.url"), t("kind.activity")}}
	for _, p := range lt.r.Productions {
		prt.Rows = append(prt.Rows, []string{lt.date(p.Date), t("output." + p.Kind), p.Title.Pick(lt.lang), lt.domains(p.Domains), p.URL, strconv.FormatInt(p.Activity, 10)})
	}
	return prt
}

// quiet is the table of partnerships in force without an activity in the period.
func (lt *layout) quiet() Table {
	t := lt.t
	qt := Table{Name: t("report.quiet"), Header: []string{t("col.partner"), t("col.agreement"), t("col.signed"), t("col.last_activity")}}
	for _, q := range lt.r.Quiet {
		qt.Rows = append(qt.Rows, []string{lt.city(q.Partner), t("kind."+q.Agreement.Kind) + " · " + t("status."+q.Agreement.Status), lt.date(q.Agreement.Signed), lt.date(q.LastActivity)})
	}
	return qt
}

// proposals is the table of the period's public proposals.
func (lt *layout) proposals() Table {
	t, lang := lt.t, lt.lang
	ot := Table{Name: t("report.proposals"), Header: []string{t("form.source.title"), t("form.status"), t("form.supporters"), t("col.date")}}
	for _, p := range lt.r.Proposals {
		ot.Rows = append(ot.Rows, []string{p.Title.Pick(lang), t("pstatus." + p.Status), itoa(p.Supporters),
			calendar.Format(calendar.FromTime(p.Created, calendar.Home(lang), calendar.Day), lang)})
	}
	return ot
}

// activities is the table of the period's activities, each with its participants.
func (lt *layout) activities() Table {
	t := lt.t
	at := Table{Name: t("report.activities"), Header: []string{t("col.date"), t("col.activity"), t("col.kind"), t("col.domains"), t("activity.participants")}}
	for _, a := range lt.r.Activities {
		n := 0
		for _, k := range a.Participants {
			n += k
		}
		at.Rows = append(at.Rows, []string{lt.date(a.Start), a.Title.Pick(lt.lang), t("activity.kind." + a.Kind), lt.domains(a.Domains), itoa(n)})
	}
	return at
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
