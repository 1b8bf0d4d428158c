package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/twin"
)

func TestParsePeriod(t *testing.T) {
	t.Parallel()
	today := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		from, to, cal      string
		wantCal            calendar.Calendar
		wantStart, wantEnd string
	}{
		{"1400", "1403", "", calendar.Jalali, "2021-03-21", "2025-03-20"},
		{"۱۴۰۰", "", "", calendar.Jalali, "2021-03-21", "2022-03-20"},
		{"2021", "2023", "", calendar.Gregorian, "2021-01-01", "2023-12-31"},
		{"1400", "1400", "gregorian", calendar.Gregorian, "1400-01-01", "1400-12-31"},
		{"", "", "", "", "2025-12-05", "2026-12-04"},
	} {
		p, err := ParsePeriod(tc.from, tc.to, tc.cal, today)
		if err != nil {
			t.Errorf("%s–%s %s: %v", tc.from, tc.to, tc.cal, err)
			continue
		}
		if p.Calendar != tc.wantCal || p.Start != tc.wantStart || p.End != tc.wantEnd {
			t.Errorf("%s–%s %s = %+v", tc.from, tc.to, tc.cal, p)
		}
	}
	for _, tc := range []struct{ from, to, cal, field, key string }{
		{"abc", "", "", "from", "invalid_number"},
		{"1403", "1400", "", "to", "date_order"},
		{"1400", "", "mayan", "calendar", "calendar_unknown"},
		{"0", "", "", "from", "out_of_range"},
	} {
		_, err := ParsePeriod(tc.from, tc.to, tc.cal, today)
		if fe := twin.ErrorFields(err)[tc.field]; fe.Key != tc.key {
			t.Errorf("%s–%s %s: %v, want %s on %s", tc.from, tc.to, tc.cal, err, tc.key, tc.field)
		}
	}
}

func day(cal calendar.Calendar, v string) *twin.PartialDate {
	d, err := calendar.Parse(cal, v)
	if err != nil {
		panic(err)
	}
	return &d
}

// TestBuild: the period's activities only; domains against the promised ones; participants
// summed per city whichever ref names it; productions; quiet partnerships in force; proposals
// of the period without the unmoderated ones or anyone's contact.
func TestBuild(t *testing.T) {
	t.Parallel()
	isf := &twin.City{Meta: twin.Meta{ID: 1}, Wikidata: "Q42053", Names: twin.Names{"en": "Isfahan"}}
	sam := &twin.City{Meta: twin.Meta{ID: 2}, Wikidata: "Q5753", Names: twin.Names{"en": "Samarkand"}}
	por := &twin.City{Meta: twin.Meta{ID: 3}, Wikidata: "Q36433", Names: twin.Names{"en": "Porto"}}
	a1 := &twin.Agreement{Meta: twin.Meta{ID: 10}, Status: twin.StatusSigned, Kind: "sister", Signed: day(calendar.Jalali, "1390"), Domains: []string{"archaeology", "film"}}
	a2 := &twin.Agreement{Meta: twin.Meta{ID: 11}, Status: twin.StatusSigned, Kind: "sister", Signed: day(calendar.Gregorian, "2010"), Domains: []string{"music"}}
	a3 := &twin.Agreement{Meta: twin.Meta{ID: 12}, Status: twin.StatusSigned, Kind: "sister", Signed: day(calendar.Gregorian, "2030")}
	in := Input{City: isf, Partners: []twin.Partner{{Agreement: a1, City: sam}, {Agreement: a2, City: por}, {Agreement: a3, City: por}},
		Activities: []*twin.Activity{
			{Meta: twin.Meta{ID: 1}, Agreement: 10, Kind: "exhibition", Start: day(calendar.Jalali, "1401-02-03"), Domains: []string{"archaeology", "books"},
				Participants: map[string]int{"Q5753": 20, "1": 5}, Outputs: []twin.Output{{Kind: "book"}, {Kind: "video"}}},
			{Meta: twin.Meta{ID: 2}, Agreement: 10, Kind: "visit", Start: day(calendar.Gregorian, "2023-01-05"), Participants: map[string]int{"2": 4, "Q42053": 1}},
			{Meta: twin.Meta{ID: 3}, Agreement: 11, Kind: "visit", Start: day(calendar.Gregorian, "2019-06"), Domains: []string{"music"}},
			{Meta: twin.Meta{ID: 4}, Agreement: 10, Kind: "visit", Start: day(calendar.Gregorian, "2026-01-01"), Domains: []string{"film"}},
		},
		Proposals: []*twin.Proposal{
			{Meta: twin.Meta{ID: 1, Created: time.Date(2022, 5, 1, 0, 0, 0, 0, time.UTC)}, Agreement: 10, Status: "published", Contact: "secret@example.org", Supporters: 3},
			{Meta: twin.Meta{ID: 2, Created: time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC)}, Agreement: 10, Status: "submitted"},
			{Meta: twin.Meta{ID: 3, Created: time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC)}, Agreement: 10, Status: "accepted"},
		}}
	p, err := ParsePeriod("1400", "1401", "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(in, p)
	if err != nil {
		t.Fatal(err)
	}
	if r.Totals.Activities != 2 || r.Totals.Participants != 30 || r.Totals.Productions != 2 {
		t.Errorf("totals %+v", r.Totals)
	}
	if len(r.Participants) != 2 || r.Participants[0] != (ParticipantRow{City: "Q5753", People: 24, Activities: 2}) || r.Participants[1] != (ParticipantRow{City: "Q42053", People: 6, Activities: 2}) {
		t.Errorf("participants %+v", r.Participants)
	}
	byDomain := map[string]DomainRow{}
	for _, d := range r.ByDomain {
		byDomain[d.Domain] = d
	}
	if d := byDomain["archaeology"]; !d.Promised || d.Activities != 1 || d.Participants != 25 || d.Productions != 2 {
		t.Errorf("archaeology %+v", d)
	}
	if d := byDomain["film"]; !d.Promised || d.Activities != 0 {
		t.Errorf("film %+v", d)
	}
	if d := byDomain["books"]; d.Promised || d.Activities != 1 {
		t.Errorf("books %+v", d)
	}
	if r.Totals.PromisedDomains != 3 || r.Totals.DeliveredDomains != 1 {
		t.Errorf("domains %d/%d", r.Totals.DeliveredDomains, r.Totals.PromisedDomains)
	}
	// Porto's 2010 agreement is in force and quiet, its last activity in 2019; the 2030 one is not in force yet.
	if len(r.Quiet) != 1 || r.Quiet[0].Agreement.ID != 11 || r.Quiet[0].LastActivity.Value != "2019-06" || r.Totals.Partnerships != 2 || r.Totals.Active != 1 {
		t.Errorf("quiet %+v, totals %+v", r.Quiet, r.Totals)
	}
	if len(r.Proposals) != 1 || r.Proposals[0].ID != 1 {
		t.Errorf("proposals %+v", r.Proposals)
	}
	var csv bytes.Buffer
	if err := WriteCSV(&csv, r.Tables("en", Labels{})); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(csv.String(), "secret@") {
		t.Error("the CSV shows a proposer's contact")
	}
	if !strings.Contains(csv.String(), "Samarkand,24,2") {
		t.Errorf("CSV:\n%s", csv.String())
	}
	if _, err := Build(Input{}, p); err != ErrNoSubject {
		t.Errorf("no subject: %v", err)
	}
}
