package vitality

import (
	"reflect"
	"testing"
	"time"
)

var now = time.Date(2025, 3, 15, 12, 0, 0, 0, time.UTC)

func ago(years, months, days int) time.Time { return now.AddDate(-years, -months, -days) }

func ptr(t time.Time) *time.Time { return &t }

func act(start time.Time, dir string, domains ...string) Activity {
	return Activity{Start: start, Direction: dir, Domains: domains}
}

func codes(r Result) []string {
	var out []string
	for _, x := range r.Reasons {
		out = append(out, x.Code)
	}
	return out
}

func reason(r Result, code string) (Reason, bool) {
	for _, x := range r.Reasons {
		if x.Code == code {
			return x, true
		}
	}
	return Reason{}, false
}

func TestStates(t *testing.T) {
	t.Parallel()
	signed := ptr(ago(5, 0, 0))
	tests := []struct {
		name   string
		in     Input
		state  State
		reason string
		params map[string]any
	}{
		{"proposed", Input{Status: "proposed"}, Unknown, "not_signed", map[string]any{"status": "proposed"}},
		{"negotiating", Input{Status: "negotiating", Activities: []Activity{act(ago(0, 1, 0), Both)}}, Unknown, "not_signed", map[string]any{"status": "negotiating"}},
		{"rejected", Input{Status: "rejected"}, Unknown, "not_signed", map[string]any{"status": "rejected"}},
		{"no status no date", Input{}, Unknown, "not_signed", map[string]any{"status": "unknown"}},
		{"no status but signing date", Input{Signed: ptr(ago(0, 2, 0))}, Unknown, "signed_recently", map[string]any{"months": 2}},
		{"suspended despite activity", Input{Status: "suspended", Signed: signed, Activities: []Activity{act(ago(0, 1, 0), Both)}}, Dormant, "suspended", nil},
		{"ended", Input{Status: "Ended"}, Dormant, "ended", nil},
		{"signed 11 months ago, nothing", Input{Status: "signed", Signed: ptr(ago(0, 11, 0))}, Unknown, "signed_recently", map[string]any{"months": 11}},
		{"signed a year ago minus a day", Input{Status: "signed", Signed: ptr(ago(1, 0, -1))}, Unknown, "signed_recently", map[string]any{"months": 11}},
		{"signed exactly a year ago, a link tracked", Input{Status: "signed", Signed: ptr(ago(1, 0, 0)), ActiveLinks: 1}, Dormant, "no_activity_since_signing", map[string]any{"years": 1}},
		{"signed 3 years ago, a link tracked", Input{Status: "signed", Signed: ptr(ago(3, 2, 0)), ActiveLinks: 1}, Dormant, "no_activity_since_signing", map[string]any{"years": 3}},
		{"signed 3 years ago, nothing tracked", Input{Status: "signed", Signed: ptr(ago(3, 2, 0))}, Unknown, "no_activity_recorded", nil},
		{"signed, date unknown, nothing", Input{Status: "signed"}, Unknown, "signing_date_unknown", nil},
		{"only planned activity", Input{Status: "signed", Signed: signed, Activities: []Activity{act(now.AddDate(0, 1, 0), Both)}}, Dormant, "no_activity_since_signing", map[string]any{"years": 5}},
		{"7 months", Input{Status: "signed", Signed: signed, Activities: []Activity{act(ago(0, 7, 0), AToB)}}, Active, "last_activity", map[string]any{"months": 7}},
		{"exactly 12 months", Input{Status: "signed", Signed: signed, Activities: []Activity{act(ago(0, 12, 0), AToB)}}, Active, "last_activity", map[string]any{"months": 12}},
		{"12 months and a day", Input{Status: "signed", Signed: signed, Activities: []Activity{act(ago(0, 12, 1), AToB)}}, Cooling, "last_activity", map[string]any{"months": 12}},
		{"exactly 36 months", Input{Status: "signed", Signed: signed, Activities: []Activity{act(ago(0, 36, 0), AToB)}}, Cooling, "last_activity", map[string]any{"months": 36}},
		{"36 months and a day", Input{Status: "signed", Signed: signed, Activities: []Activity{act(ago(0, 36, 1), AToB)}}, Dormant, "last_activity", map[string]any{"months": 36}},
		{"old start, recent end", Input{Status: "signed", Activities: []Activity{{Start: ago(4, 0, 0), End: ptr(ago(0, 2, 0))}}}, Active, "last_activity", map[string]any{"months": 2}},
		{"running now", Input{Status: "signed", Activities: []Activity{{Start: ago(4, 0, 0), End: ptr(now.AddDate(1, 0, 0))}}}, Active, "last_activity", map[string]any{"months": 0}},
		{"latest of several", Input{Status: "signed", Activities: []Activity{act(ago(5, 0, 0), ""), act(ago(2, 0, 0), ""), act(ago(4, 0, 0), "")}}, Cooling, "last_activity", map[string]any{"months": 24}},
	}
	for _, tt := range tests {
		tt.in.Now = now
		r := Compute(tt.in)
		if r.State != tt.state {
			t.Errorf("%s: state %s, want %s (reasons %v)", tt.name, r.State, tt.state, r.Reasons)
		}
		got, ok := reason(r, tt.reason)
		if !ok {
			t.Errorf("%s: reasons %v lack %q", tt.name, codes(r), tt.reason)
			continue
		}
		if !reflect.DeepEqual(got.Params, tt.params) {
			t.Errorf("%s: %s params %v, want %v", tt.name, tt.reason, got.Params, tt.params)
		}
		if len(r.Reasons) == 0 {
			t.Errorf("%s: no reasons", tt.name)
		}
	}
}

func TestDirections(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		dirs []string
		code string
		dir  any
	}{
		{"both in one", []string{Both}, "both_directions", nil},
		{"both in two", []string{AToB, BToA}, "both_directions", nil},
		{"a to b only", []string{AToB, AToB, ""}, "one_directional", AToB},
		{"b to a only", []string{BToA}, "one_directional", BToA},
	}
	for _, tt := range tests {
		in := Input{Now: now, Status: "signed"}
		for _, d := range tt.dirs {
			in.Activities = append(in.Activities, act(ago(0, 3, 0), d))
		}
		r := Compute(in)
		got, ok := reason(r, tt.code)
		if !ok {
			t.Errorf("%s: reasons %v lack %s", tt.name, codes(r), tt.code)
			continue
		}
		if tt.dir != nil && got.Params["direction"] != tt.dir {
			t.Errorf("%s: direction %v, want %v", tt.name, got.Params["direction"], tt.dir)
		}
	}
	// An unknown direction says nothing either way.
	r := Compute(Input{Now: now, Status: "signed", Activities: []Activity{act(ago(0, 3, 0), "")}})
	for _, c := range []string{"both_directions", "one_directional"} {
		if _, ok := reason(r, c); ok {
			t.Errorf("unknown direction gave %s", c)
		}
	}
}

func TestDomains(t *testing.T) {
	t.Parallel()
	in := Input{
		Now: now, Status: "signed",
		PromisedDomains: []string{"archaeology", "Tourism", "trade", "education", "film", "tourism"},
		Activities: []Activity{
			act(ago(0, 2, 0), Both, "tourism", "Archaeology"),
			act(ago(6, 0, 0), AToB, "media"),         // old, still counts as delivered
			act(now.AddDate(0, 2, 0), AToB, "trade"), // planned: not delivered
		},
	}
	r := Compute(in)
	if want := []string{"archaeology", "Tourism"}; !reflect.DeepEqual(r.Delivered, want) {
		t.Errorf("Delivered = %v, want %v", r.Delivered, want)
	}
	if want := []string{"trade", "education", "film"}; !reflect.DeepEqual(r.Missing, want) {
		t.Errorf("Missing = %v, want %v", r.Missing, want)
	}
	if want := []string{"media"}; !reflect.DeepEqual(r.Extra, want) {
		t.Errorf("Extra = %v, want %v", r.Extra, want)
	}
	got, _ := reason(r, "domains_delivered")
	if want := map[string]any{"delivered": 2, "promised": 5}; !reflect.DeepEqual(got.Params, want) {
		t.Errorf("domains_delivered %v, want %v", got.Params, want)
	}
	if p, _ := reason(r, "planned_activity"); p.Params["count"] != 1 {
		t.Errorf("planned_activity %v", p)
	}
}

func TestScore(t *testing.T) {
	t.Parallel()
	rich := Input{
		Now: now, Status: "signed", PromisedDomains: []string{"culture", "film"}, ActiveLinks: 3,
		Activities: []Activity{
			{Start: ago(0, 1, 0), Direction: Both, Domains: []string{"culture", "film"}, Participants: 150, Outputs: 6, Institutions: 2},
		},
	}
	thin := Input{Now: now, Status: "signed", PromisedDomains: []string{"culture", "film"},
		Activities: []Activity{act(ago(0, 1, 0), AToB, "culture")}}
	tests := []struct {
		name string
		in   Input
		want float64
	}{
		{"everything", rich, 1},
		{"recent, thin", thin, 0.475},
		{"24 months, thin", func() Input { c := thin; c.Activities = []Activity{act(ago(0, 24, 0), AToB)}; return c }(), 0.2},
		{"no promises, two domains", Input{Now: now, Status: "signed", Activities: []Activity{act(ago(0, 1, 0), "", "a", "b")}}, 0.5},
		{"ended", Input{Now: now, Status: "ended", Activities: rich.Activities}, 0},
	}
	for _, tt := range tests {
		if got := Compute(tt.in).Score; got != tt.want {
			t.Errorf("%s: score %v, want %v", tt.name, got, tt.want)
		}
	}
	r := Compute(rich)
	for _, c := range []string{"last_activity", "both_directions", "domains_delivered", "institutions", "participants", "outputs"} {
		if _, ok := reason(r, c); !ok {
			t.Errorf("rich: reasons %v lack %s", codes(r), c)
		}
	}
}

func TestRank(t *testing.T) {
	t.Parallel()
	signed := func(years int) *time.Time { return ptr(ago(years, 0, 0)) }
	at := func(years, months int, domains ...string) []Activity {
		return []Activity{act(ago(years, months, 0), Both, domains...)}
	}
	in := func(status string, s *time.Time, promised []string, acts []Activity) Input {
		return Input{Now: now, Status: status, Signed: s, PromisedDomains: promised, Activities: acts}
	}
	ends := func(x Input, t time.Time) Input { x.Ends = &t; return x }
	ins := []Input{
		0:  in("signed", signed(8), nil, at(0, 2)),                                            // active
		1:  in("ended", signed(8), nil, nil),                                                  // over
		2:  in("signed", signed(9), []string{"culture", "trade"}, at(5, 0, "film")),           // quiet 5 years, promises unkept
		3:  in("signed", signed(9), nil, at(4, 0)),                                            // quiet 4 years
		4:  in("signed", signed(12), []string{"culture"}, at(7, 0)),                           // quiet 7 years, promise unkept
		5:  in("suspended", signed(6), nil, at(2, 0)),                                         // a decision waits
		6:  in("signed", signed(6), nil, at(2, 6)),                                            // cooling, 30 months
		7:  in("signed", signed(6), nil, at(1, 2)),                                            // cooling, 14 months
		8:  ends(in("signed", signed(3), nil, at(0, 1)), now.AddDate(0, 3, 1)),                // active, ends in 3 months
		9:  in("signed", signed(10), nil, nil),                                                // never tracked
		10: in("signed", nil, nil, nil),                                                       // never tracked, date unknown
		11: ends(in("signed", signed(3), nil, nil), now.AddDate(0, 2, 0)),                     // untracked, ends in 2 months
		12: in("signed", ptr(ago(0, 5, 0)), nil, nil),                                         // too early
		13: in("proposed", nil, nil, nil),                                                     // not signed
		14: ends(in("signed", signed(2), nil, at(0, 3)), now.AddDate(2, 0, 0)),                // ends far ahead
		15: ends(in("signed", signed(5), []string{"sport"}, at(0, 4, "sport")), ago(0, 1, 0)), // term over, still "signed"
	}
	got := Rank(ins)
	var order []int
	var concerns []Concern
	for _, a := range got {
		order = append(order, a.Index)
		concerns = append(concerns, a.Concern)
	}
	if want := []int{4, 2, 3, 5, 6, 7, 15, 11, 8, 9, 10}; !reflect.DeepEqual(order, want) {
		t.Fatalf("order = %v, want %v (concerns %v)", order, want, concerns)
	}
	wantConcerns := []Concern{ConcernUnkeptPromises, ConcernUnkeptPromises, ConcernQuiet, ConcernSuspended, ConcernCooling, ConcernCooling,
		ConcernExpiring, ConcernExpiring, ConcernExpiring, ConcernUntracked, ConcernUntracked}
	if !reflect.DeepEqual(concerns, wantConcerns) {
		t.Errorf("concerns = %v, want %v", concerns, wantConcerns)
	}
	byIndex := map[int]Attention{}
	for _, a := range got {
		byIndex[a.Index] = a
	}
	reasonsOf := func(i int) []Reason { return byIndex[i].Reasons }
	tests := []struct {
		i    int
		want []Reason
	}{
		{2, []Reason{{"quiet_since", map[string]any{"since": ago(5, 0, 0), "months": 60}}, {"promises", map[string]any{"missing": []string{"culture", "trade"}, "delivered": []string(nil)}}}},
		{3, []Reason{{"quiet_since", map[string]any{"since": ago(4, 0, 0), "months": 48}}}},
		{5, []Reason{{Code: "suspended"}, {"quiet_since", map[string]any{"since": ago(2, 0, 0), "months": 24}}}},
		{6, []Reason{{"quiet_since", map[string]any{"since": ago(2, 6, 0), "months": 30}}, {"dormant_in", map[string]any{"months": 6}}}},
		{8, []Reason{{"expires", map[string]any{"on": now.AddDate(0, 3, 1), "months": 3}}}},
		{9, []Reason{{"untracked", map[string]any{"since": ago(10, 0, 0), "months": 120}}}},
		{10, []Reason{{Code: "untracked"}}},
		{11, []Reason{{"expires", map[string]any{"on": now.AddDate(0, 2, 0), "months": 2}}, {"untracked", map[string]any{"since": ago(3, 0, 0), "months": 36}}}},
		{15, []Reason{{"expired", map[string]any{"on": ago(0, 1, 0)}}}},
	}
	for _, tt := range tests {
		if got := reasonsOf(tt.i); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("reasons of %d = %v, want %v", tt.i, got, tt.want)
		}
	}
	// A dormant partnership that was tracked but never active is silent since its signing.
	quiet := Rank([]Input{{Now: now, Status: "signed", Signed: signed(4), ActiveLinks: 1, PromisedDomains: []string{"sport"}}})
	if len(quiet) != 1 || quiet[0].Concern != ConcernUnkeptPromises || quiet[0].Reasons[0].Code != "quiet_since_signing" {
		t.Errorf("tracked, never active: %+v", quiet)
	}
}
