// Package report computes the partnership report of a city or of one agreement over a period:
// activities by cooperation domain (against the domains the agreements promised), participants
// by partner city, joint productions, partnerships gone quiet and citizens' proposals. It is
// pure computation over records the caller loads; internal/web decodes the request, loads,
// calls Build and encodes the result as a page, CSV or XLSX.
package report

import (
	"errors"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/persian"
	"github.com/twinning/twinning/internal/twin"
)

// Period is the span a report covers: whole years From…To of Calendar, or (when From is 0)
// the twelve months up to today. Start and End are its first and last days, Gregorian ISO.
type Period struct {
	Calendar calendar.Calendar `json:"calendar,omitempty"`
	From     int               `json:"from,omitempty"`
	To       int               `json:"to,omitempty"`
	Start    string            `json:"start"`
	End      string            `json:"end"`
}

// AllTime is the period of every dated record.
var AllTime = Period{Start: "0001-01-01", End: "9999-12-31"}

// Contains reports whether a dated record falls in the period: its first day is inside it.
func (p Period) Contains(d *twin.PartialDate) bool {
	return d != nil && d.Start != "" && d.Start >= p.Start && d.Start <= p.End
}

// ParsePeriod reads a period from the request's from, to and calendar values. Years 1206–1498
// are Solar Hijri (Jalali) unless a calendar is given, as the import reads them; to defaults to
// from, and both empty give the last twelve months up to today. Problems are keyed by the
// parameter's name.
func ParsePeriod(from, to, cal string, today time.Time) (Period, error) {
	from, to, cal = strings.TrimSpace(from), strings.TrimSpace(to), strings.TrimSpace(cal)
	if from == "" && to == "" {
		return Period{Start: today.AddDate(-1, 0, 1).Format(time.DateOnly), End: today.Format(time.DateOnly)}, nil
	}
	p := twin.Problems{}
	if to == "" {
		to = from
	}
	if from == "" {
		from = to
	}
	fy, ty := parseYear(p, "from", from), parseYear(p, "to", to)
	c := calendar.Calendar(strings.ToLower(cal))
	switch {
	case cal == "" && fy >= 1206 && fy <= 1498:
		c = calendar.Jalali
	case cal == "":
		c = calendar.Gregorian
	case !c.Valid():
		p.Add("calendar", "calendar_unknown", map[string]any{"value": cal})
	}
	if len(p) > 0 {
		return Period{}, p.Err()
	}
	if ty < fy {
		p.Add("to", "date_order", nil)
		return Period{}, p.Err()
	}
	first, err1 := calendar.Parse(c, strconv.Itoa(fy))
	last, err2 := calendar.Parse(c, strconv.Itoa(ty))
	if err1 != nil || err2 != nil {
		field, v := "from", fy
		if err1 == nil {
			field, v = "to", ty
		}
		p.Add(field, "date_range", map[string]any{"value": strconv.Itoa(v)})
		return Period{}, p.Err()
	}
	return Period{Calendar: c, From: fy, To: ty, Start: first.Start, End: last.End}, nil
}

// parseYear reads a year between 1 and 9999 (in any digits) from the parameter field, adding
// a problem to p when v is none.
func parseYear(p twin.Problems, field, v string) int {
	v = persian.ASCIIDigits(v)
	y, err := strconv.Atoi(v)
	switch {
	case v == "":
		p.Add(field, twin.KeyRequired, nil)
	case err != nil:
		p.Add(field, "invalid_number", nil)
	case y < 1 || y > 9999:
		p.Add(field, "out_of_range", map[string]any{"min": 1, "max": 9999})
	}
	return y
}

// Input is what a report is computed from. A city report sets City and lists the city's
// agreements in Partners; an agreement report sets Agreement and its one Partner (the first
// city as City, the second as Partner's City). Activities and Proposals are all those of the
// subject, of any date; Build keeps the period's.
type Input struct {
	City       *twin.City
	Agreement  *twin.Agreement
	Partners   []twin.Partner
	Activities []*twin.Activity
	Proposals  []*twin.Proposal
	Cities     []*twin.City // other cities the rows may name (an agreement's two cities)
}

// Report is the computed report.
type Report struct {
	Period       Period                `json:"period"`
	City         string                `json:"city,omitempty"`      // the subject city's ref
	Agreement    int64                 `json:"agreement,omitempty"` // the subject agreement
	Totals       Totals                `json:"totals"`
	ByDomain     []DomainRow           `json:"by_domain"`
	Participants []ParticipantRow      `json:"participants"`
	Productions  []Production          `json:"productions"`
	ByOutput     []Count               `json:"productions_by_kind"`
	Quiet        []QuietRow            `json:"quiet"`
	Proposals    []ProposalRow         `json:"proposals"`
	ByStatus     []Count               `json:"proposals_by_status"`
	Activities   []*twin.Activity      `json:"activities"`
	Names        map[string]twin.Names `json:"-"` // city ref → names, for the rows' cities
}

// Totals are the period's headline figures.
type Totals struct {
	Activities       int `json:"activities"`
	Participants     int `json:"participants"`
	Productions      int `json:"productions"`
	Partnerships     int `json:"partnerships"`
	Active           int `json:"active_partnerships"` // with an activity in the period
	PromisedDomains  int `json:"promised_domains"`
	DeliveredDomains int `json:"delivered_domains"` // promised and with an activity in the period
	Proposals        int `json:"proposals"`
}

// DomainRow counts a cooperation domain's activities, participants and productions in the
// period; Promised says an agreement of the subject names it.
type DomainRow struct {
	Domain       string `json:"domain"`
	Promised     bool   `json:"promised"`
	Activities   int    `json:"activities"`
	Participants int    `json:"participants"`
	Productions  int    `json:"productions"`
}

// ParticipantRow is the people a city sent to the period's activities.
type ParticipantRow struct {
	City       string `json:"city"`
	People     int    `json:"people"`
	Activities int    `json:"activities"`
}

// Production is one joint production of the period.
type Production struct {
	Activity int64             `json:"activity"`
	Date     *twin.PartialDate `json:"date,omitempty"`
	Kind     string            `json:"kind"`
	Title    twin.Names        `json:"title,omitempty"`
	URL      string            `json:"url,omitempty"`
	Domains  []string          `json:"domains,omitempty"`
}

// ProposalRow is a citizens' proposal of the period, without its proposer's private contact.
type ProposalRow struct {
	ID         int64      `json:"id"`
	Title      twin.Names `json:"title"`
	Status     string     `json:"status"`
	Supporters int        `json:"supporters"`
	Agreement  int64      `json:"agreement,omitempty"`
	Created    time.Time  `json:"created"`
}

// Count is a labelled number.
type Count struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// QuietRow is a partnership in force during the period with no activity recorded in it.
type QuietRow struct {
	Agreement    *twin.Agreement   `json:"agreement"`
	Partner      string            `json:"partner"` // the other city's ref
	LastActivity *twin.PartialDate `json:"last_activity,omitempty"`
}

// ErrNoSubject is returned when an Input names neither a city nor an agreement.
var ErrNoSubject = errors.New("report: no city or agreement")

// Build computes the report of in over p.
func Build(in Input, p Period) (*Report, error) {
	if in.City == nil && in.Agreement == nil {
		return nil, ErrNoSubject
	}
	b := &builder{r: &Report{Period: p, Names: map[string]twin.Names{}}, p: p, refOf: map[string]string{},
		agreements: map[int64]twin.Partner{}, promised: map[string]bool{}, domains: map[string]*DomainRow{},
		people: map[string]*ParticipantRow{}, outputs: map[string]int{}, active: map[int64]bool{}, last: map[int64]*twin.PartialDate{}}
	b.subjects(in)
	for d := range b.promised {
		b.row(d)
	}
	b.activities(in.Activities)
	b.domainRows()
	b.participantRows()
	b.r.ByOutput = counts(b.outputs)
	b.partnerships()
	b.proposals(in.Proposals)
	r := b.r
	r.Totals.Activities = len(r.Activities)
	r.Totals.Productions = len(r.Productions)
	r.Totals.Proposals = len(r.Proposals)
	return r, nil
}

// builder is one Build under way: the report so far and what its steps share.
type builder struct {
	r          *Report
	p          Period
	refOf      map[string]string // any of a city's refs → its canonical ref
	agreements map[int64]twin.Partner
	promised   map[string]bool // domains the subject's signed or suspended agreements promise
	domains    map[string]*DomainRow
	people     map[string]*ParticipantRow // by canonical city ref
	outputs    map[string]int             // productions by kind
	active     map[int64]bool             // agreements with an activity in the period
	last       map[int64]*twin.PartialDate
}

// addCity names city c in the report and lets any of its refs stand for it.
func (b *builder) addCity(c *twin.City) {
	if c == nil {
		return
	}
	ref := c.Ref()
	b.r.Names[ref] = c.Names
	for _, k := range []string{ref, c.Wikidata, strconv.FormatInt(c.ID, 10)} {
		if k != "" {
			b.refOf[k] = ref
		}
	}
}

// canon is the canonical ref of the city ref names, or ref itself when it names no city of
// the report.
func (b *builder) canon(ref string) string {
	if c, ok := b.refOf[ref]; ok {
		return c
	}
	return ref
}

// row is domain d's row, made on first use.
func (b *builder) row(d string) *DomainRow {
	if b.domains[d] == nil {
		b.domains[d] = &DomainRow{Domain: d, Promised: b.promised[d]}
	}
	return b.domains[d]
}

// subjects takes in the report's city or agreement, the cities it names and the partners'
// agreements, with the domains they promise.
func (b *builder) subjects(in Input) {
	r := b.r
	b.addCity(in.City)
	for _, c := range in.Cities {
		b.addCity(c)
	}
	if in.City != nil {
		r.City = in.City.Ref()
	}
	if in.Agreement != nil {
		r.Agreement = in.Agreement.ID
	}
	for _, pt := range in.Partners {
		b.addCity(pt.City)
		b.agreements[pt.Agreement.ID] = pt
		if pt.Agreement.Status == twin.StatusSigned || pt.Agreement.Status == twin.StatusSuspended {
			for _, d := range pt.Agreement.Domains {
				b.promised[d] = true
			}
		}
	}
	if in.Agreement != nil {
		for _, d := range in.Agreement.Domains {
			b.promised[d] = true
		}
	}
}

// activities counts the activities of the period (participants by city, productions, by
// domain), newest first, and notes each agreement's last activity up to the period's end.
func (b *builder) activities(acts []*twin.Activity) {
	r, p := b.r, b.p
	for _, a := range acts {
		if a.Agreement != 0 && a.Start != nil && a.Start.Start != "" && a.Start.Start <= p.End {
			if l := b.last[a.Agreement]; l == nil || a.Start.Start > l.Start {
				b.last[a.Agreement] = a.Start
			}
		}
		if !p.Contains(a.Start) {
			continue
		}
		r.Activities = append(r.Activities, a)
		b.active[a.Agreement] = true
		n := 0
		for ref, k := range a.Participants {
			if k <= 0 {
				continue
			}
			c := b.canon(ref)
			if b.people[c] == nil {
				b.people[c] = &ParticipantRow{City: c}
			}
			b.people[c].People += k
			b.people[c].Activities++
			n += k
		}
		r.Totals.Participants += n
		for _, o := range a.Outputs {
			b.outputs[o.Kind]++
			r.Productions = append(r.Productions, Production{Activity: a.ID, Date: a.Start, Kind: o.Kind, Title: o.Title, URL: o.URL, Domains: a.Domains})
		}
		for _, d := range a.Domains {
			dr := b.row(d)
			dr.Activities++
			dr.Participants += n
			dr.Productions += len(a.Outputs)
		}
	}
	sort.SliceStable(r.Activities, func(i, j int) bool { return r.Activities[i].Start.Start > r.Activities[j].Start.Start })
	sort.SliceStable(r.Productions, func(i, j int) bool { return r.Productions[i].Date.Start > r.Productions[j].Date.Start })
}

// domainRows lists the domains, the busiest first (then the promised, then by code), and
// counts the promised domains and those delivered.
func (b *builder) domainRows() {
	r := b.r
	for _, d := range b.domains {
		r.ByDomain = append(r.ByDomain, *d)
		if d.Promised {
			r.Totals.PromisedDomains++
			if d.Activities > 0 {
				r.Totals.DeliveredDomains++
			}
		}
	}
	sort.Slice(r.ByDomain, func(i, j int) bool {
		a, b := r.ByDomain[i], r.ByDomain[j]
		if a.Activities != b.Activities {
			return a.Activities > b.Activities
		}
		if a.Promised != b.Promised {
			return a.Promised
		}
		return a.Domain < b.Domain
	})
}

// participantRows lists the participants by city, the most people first.
func (b *builder) participantRows() {
	r := b.r
	for _, pr := range b.people {
		r.Participants = append(r.Participants, *pr)
	}
	sort.Slice(r.Participants, func(i, j int) bool {
		if r.Participants[i].People != r.Participants[j].People {
			return r.Participants[i].People > r.Participants[j].People
		}
		return r.Participants[i].City < r.Participants[j].City
	})
}

// partnerships counts the partnerships in force in the period and those active in it, and
// lists the quiet ones (by agreement id) with their last activity.
func (b *builder) partnerships() {
	r := b.r
	ids := make([]int64, 0, len(b.agreements))
	for id := range b.agreements {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		pt := b.agreements[id]
		a := pt.Agreement
		if !inForce(a, b.p) {
			continue
		}
		r.Totals.Partnerships++
		if b.active[id] {
			r.Totals.Active++
			continue
		}
		partner := ""
		if pt.City != nil {
			partner = pt.City.Ref()
		}
		r.Quiet = append(r.Quiet, QuietRow{Agreement: a, Partner: partner, LastActivity: b.last[id]})
	}
}

// proposals lists the public proposals made in the period, the most supported first, and
// counts them by status.
func (b *builder) proposals(prs []*twin.Proposal) {
	r, p := b.r, b.p
	statuses := map[string]int{}
	for _, pr := range prs {
		if pr.Created.IsZero() || !twin.ProposalIsPublic(pr.Status) {
			continue // not moderated, or rejected: not for a public report
		}
		day := pr.Created.UTC().Format(time.DateOnly)
		if day < p.Start || day > p.End {
			continue
		}
		r.Proposals = append(r.Proposals, ProposalRow{ID: pr.ID, Title: pr.Title, Status: pr.Status, Supporters: pr.Supporters, Agreement: pr.Agreement, Created: pr.Created})
		statuses[pr.Status]++
	}
	sort.SliceStable(r.Proposals, func(i, j int) bool { return r.Proposals[i].Supporters > r.Proposals[j].Supporters })
	r.ByStatus = counts(statuses)
}

// inForce says whether an agreement was signed and not yet ended at some time in the period.
func inForce(a *twin.Agreement, p Period) bool {
	if a.Status != twin.StatusSigned && a.Status != twin.StatusSuspended && a.Status != twin.StatusEnded {
		return false
	}
	if a.Signed != nil && a.Signed.Start != "" && a.Signed.Start > p.End {
		return false
	}
	if a.Ended != nil && a.Ended.Start != "" && a.Ended.Start < p.Start {
		return false
	}
	if a.Status == twin.StatusEnded && (a.Ended == nil || a.Ended.Start == "") {
		return false
	}
	return true
}

func counts(m map[string]int) []Count {
	var out []Count
	for k, n := range m {
		out = append(out, Count{Key: k, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Key < out[j].Key
	})
	return out
}
