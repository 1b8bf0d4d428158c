package ui

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/report"
	"github.com/twinning/twinning/internal/twin"
)

// reportData is the report page: a city's or an agreement's report over a period, with the
// period form and, for a city, its partnerships' vitality.
type reportData struct {
	City      *cityData       // a city report: the city, its partners and their vitality
	Agreement *agreementBrief // an agreement report
	Name      string
	Back      string // the subject's page
	R         *report.Report
	Period    string // the period in the reader's words
	From, To  string // the period form's values
	Calendar  string
	Errors    map[string]string
	CSV, XLSX string // the downloads' addresses
	Today     time.Time
}

type agreementBrief struct {
	A      *twin.Agreement
	Cities []*twin.City
}

// reportPeriod decodes the period of a report request; a bad one leaves the form's values
// and the errors in d.
func reportPeriod(r *http.Request, lang string, d *reportData) (report.Period, bool) {
	q := r.URL.Query()
	d.From, d.To, d.Calendar = q.Get("from"), q.Get("to"), q.Get("calendar")
	d.Today = time.Now().UTC()
	per, err := report.ParsePeriod(d.From, d.To, d.Calendar, d.Today)
	switch f := q.Get("format"); f {
	case "", "html", "csv", "xlsx":
	default:
		p := twin.Problems(twin.ErrorFields(err))
		if p == nil {
			p = twin.Problems{}
		}
		p.Add("format", twin.KeyInvalidChoice, map[string]any{"value": f, "choices": "csv, xlsx"})
		err = p.Err()
	}
	if err != nil {
		fields := twin.ErrorFields(err)
		if fields == nil {
			return per, false
		}
		d.Errors = map[string]string{}
		for f, fe := range fields {
			d.Errors[f] = i18n.T(lang, "field."+fe.Key, fe.Params)
		}
		return per, false
	}
	return per, true
}

// ReportPage is the printable report of a city: its partnerships and their vitality, and over
// a period (?from=1400&to=1403, Solar Hijri or Gregorian years; the last twelve months without
// one) its activities by domain, participants by city, joint productions, partnerships gone
// quiet and citizens' proposals; &format=csv or &format=xlsx downloads the same tables.
func (s *Pages) ReportPage(r *http.Request, p *Page) error {
	ctx := r.Context()
	cd, err := s.cityData(ctx, r.PathValue("ref"), p.Lang, false)
	if err != nil {
		return err
	}
	d := &reportData{City: cd, Name: cd.Name, Back: "/" + p.Lang + "/cities/" + cd.City.Ref()}
	per, ok := reportPeriod(r, p.Lang, d)
	if !ok {
		return s.reportInvalid(p, d, i18n.T(p.Lang, "report.title", map[string]any{"city": d.Name}))
	}
	in := report.Input{City: cd.City, Activities: cd.Activities}
	for _, row := range cd.Partners {
		in.Partners = append(in.Partners, twin.Partner{Agreement: row.A, City: row.City})
	}
	// The city's proposals: those naming it and those under its agreements, once each.
	if in.Proposals, err = s.reportProposals(ctx, twin.Filter{}.With(twin.FilterCity, cd.City.ID)); err != nil {
		return err
	}
	seen := map[int64]bool{}
	for _, pr := range in.Proposals {
		seen[pr.ID] = true
	}
	for _, row := range cd.Partners {
		prs, err := s.reportProposals(ctx, twin.Filter{}.With(twin.FilterAgreement, row.A.ID))
		if err != nil {
			return err
		}
		for _, pr := range prs {
			if !seen[pr.ID] {
				seen[pr.ID] = true
				in.Proposals = append(in.Proposals, pr)
			}
		}
	}
	return s.reportOut(r, p, d, in, per, i18n.T(p.Lang, "report.title", map[string]any{"city": d.Name}))
}

// AgreementReportPage is the same report for one agreement.
func (s *Pages) AgreementReportPage(r *http.Request, p *Page) error {
	ctx := r.Context()
	a, cs, name, err := s.agreementOfPath(r, p.Lang)
	if err != nil {
		return err
	}
	d := &reportData{Agreement: &agreementBrief{A: a, Cities: cs}, Name: name, Back: "/" + p.Lang + "/agreements/" + strconv.FormatInt(a.ID, 10)}
	title := i18n.T(p.Lang, "report.agreement_title", map[string]any{"agreement": name})
	per, ok := reportPeriod(r, p.Lang, d)
	if !ok {
		return s.reportInvalid(p, d, title)
	}
	acts, err := s.db.ActivitiesOf(ctx, a.ID)
	if err != nil {
		return err
	}
	in := report.Input{Agreement: a, Partners: []twin.Partner{{Agreement: a, City: cs[1]}}, Activities: acts, Cities: cs}
	if in.Proposals, err = s.reportProposals(ctx, twin.Filter{}.With(twin.FilterAgreement, a.ID)); err != nil {
		return err
	}
	return s.reportOut(r, p, d, in, per, title)
}

// reportProposals lists the public proposals of a filter (a city's, an agreement's), all of
// them: the report counts them.
func (s *Pages) reportProposals(ctx context.Context, f twin.Filter) ([]*twin.Proposal, error) {
	f = f.With(twin.FilterStatuses, twin.PublicProposalStatuses)
	f.Limit = 500
	var out []*twin.Proposal
	for {
		pg, err := s.db.Proposals.List(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, pg.Items...)
		if pg.Next == "" || len(out) > 5000 {
			return out, nil
		}
		f.After = pg.Next
	}
}

// reportInvalid shows the report page's period form with its errors, and nothing else.
func (s *Pages) reportInvalid(p *Page, d *reportData, title string) error {
	p.tmpl, p.Data, p.Title, p.status = "report", d, title, http.StatusBadRequest
	return nil
}

// reportOut computes the report and sends it as the page, CSV or XLSX.
func (s *Pages) reportOut(r *http.Request, p *Page, d *reportData, in report.Input, per report.Period, title string) error {
	rep, err := report.Build(in, per)
	if err != nil {
		return err
	}
	d.R, d.Period = rep, report.PeriodText(per, p.Lang)
	q := url.Values{}
	for _, k := range []string{"from", "to", "calendar"} {
		if v := r.URL.Query().Get(k); v != "" {
			q.Set(k, v)
		}
	}
	q.Set("format", "csv")
	d.CSV = "?" + q.Encode()
	q.Set("format", "xlsx")
	d.XLSX = "?" + q.Encode()
	labels := report.Labels{Domain: func(c string) string { return domainName(c, p.Lang) }}
	file := "report-" + per.Start + "-" + per.End
	if format := r.URL.Query().Get("format"); format == "csv" || format == "xlsx" {
		var buf bytes.Buffer
		tables := rep.Tables(p.Lang, labels)
		ctype := "text/csv; charset=utf-8"
		if format == "csv" {
			err = report.WriteCSV(&buf, tables)
		} else {
			err = report.WriteXLSX(&buf, tables, p.Lang)
			ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		}
		if err != nil {
			return err
		}
		h := p.response.Header()
		h.Set("Content-Type", ctype)
		h.Set("Content-Language", p.Lang)
		h.Set("Content-Disposition", `attachment; filename="`+file+"."+format+`"`)
		h.Set("Cache-Control", "no-cache")
		p.response.Write(buf.Bytes())
		p.handled = true
		return nil
	}
	p.tmpl, p.Data, p.Title = "report", d, title
	return nil
}
