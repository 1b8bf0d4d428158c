package extract

import (
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/twin"
)

const (
	qKazan  = "Q900"
	qTabriz = "Q80053"
)

// TestEnglishSigningPlannedDelegationFestival reads an English article written
// for the tests: a signing with the article's date, a planned agreement, a
// delegation with where it came from and went to, and a festival mentioned
// twice that is one event with its ordinal and date.
func TestEnglishSigningPlannedDelegationFestival(t *testing.T) {
	t.Parallel()
	text := read(t, "porto-hyderabad-signing.en.txt")
	r := Extract(text, gaz(t), Options{Published: "2024-03-12"})
	checkEvidence(t, text, r)
	if r.Lang != "en" {
		t.Fatalf("lang %q", r.Lang)
	}
	if ag := wantAgreement(t, r, qPorto, qHyderabad, StateSigned); ag != nil {
		if ag.Status != twin.StatusSigned || ag.Signed == nil || ag.Signed.Value != "2024-03-12" {
			t.Errorf("Porto–Hyderabad: status %q signed %+v, want signed on the article's date", ag.Status, ag.Signed)
		}
		if !strings.Contains(ag.Evidence.Text, "signed") {
			t.Errorf("evidence %q does not hold the verb", ag.Evidence.Text)
		}
	}
	if ag := wantAgreement(t, r, qPorto, qIsfahan, StatePlanned); ag != nil {
		if ag.Kind != twin.KindSister || ag.Status != twin.StatusProposed || ag.Signed != nil {
			t.Errorf("Porto–Isfahan: %+v", ag)
		}
		if !strings.Contains(ag.Evidence.Text, "expected to sign") {
			t.Errorf("evidence %q", ag.Evidence.Text)
		}
	}
	var deleg, fest []Event
	for _, e := range r.Events {
		switch e.Kind {
		case "delegation":
			deleg = append(deleg, e)
		case "festival":
			fest = append(fest, e)
		case "visit":
			t.Errorf("the delegation's visit is proposed twice: %+v", e)
		}
	}
	if len(deleg) != 1 || len(deleg[0].Cities) != 2 || deleg[0].Cities[0] != qHyderabad || deleg[0].Cities[1] != qPorto {
		t.Errorf("delegations %+v, want one from Hyderabad to Porto", deleg)
	} else {
		if deleg[0].Date == nil || deleg[0].Date.Value != "2024-02" {
			t.Errorf("delegation date %+v", deleg[0].Date)
		}
		if deleg[0].Evidence.Text != "delegation from Hyderabad visited Porto" {
			t.Errorf("delegation evidence %q", deleg[0].Evidence.Text)
		}
	}
	if len(fest) != 1 {
		t.Fatalf("festivals %+v, want one event for the festival named twice", fest)
	}
	f := fest[0]
	if f.Title != "Porto International Film Festival" || f.Ordinal != 5 || f.Date == nil || f.Date.Value != "2024-06" {
		t.Errorf("festival %+v", f)
	}
	if len(f.Cities) != 1 || f.Cities[0] != qPorto {
		t.Errorf("festival cities %v", f.Cities)
	}
	for _, in := range r.Institutions {
		if strings.EqualFold(in.Name, "film festival") || strings.EqualFold(in.Name, "city council") {
			t.Errorf("a common noun proposed as an institution: %+v", in)
		}
	}
}

// TestEnglishEndedAgreements: suspended and ended partnerships, with the
// date of the end; a negated end changes nothing.
func TestEnglishEndedAgreements(t *testing.T) {
	t.Parallel()
	text := read(t, "kazan-tabriz-ended.en.txt")
	r := Extract(text, gaz(t), Options{Published: "2024-03-12"})
	checkEvidence(t, text, r)
	if ag := wantAgreement(t, r, qKazan, qTabriz, StateSuspended); ag != nil {
		if ag.Status != twin.StatusSuspended || ag.Ended == nil || ag.Ended.Value != "2022-05" {
			t.Errorf("Kazan–Tabriz: status %q ended %+v", ag.Status, ag.Ended)
		}
		if ag.Evidence.Text != "Kazan suspended its partnership with Tabriz" {
			t.Errorf("evidence %q", ag.Evidence.Text)
		}
	}
	if ag := wantAgreement(t, r, qSamarkand, qPorto, StateEnded); ag != nil {
		if ag.Status != twin.StatusEnded || ag.Kind != twin.KindSister || ag.Ended == nil || ag.Ended.Value != "2023" {
			t.Errorf("Samarkand–Porto: %+v", ag)
		}
		if ag.Signed != nil {
			t.Errorf("an ended agreement got a signing date: %+v", ag.Signed)
		}
	}
	if ag := findAgreement(r, qIsfahan, qSamarkand); ag != nil && (ag.State == StateEnded || ag.Status == twin.StatusEnded) {
		t.Errorf("«has not ended» read as an end: %+v", ag)
	}
	var deleg *Event
	for i := range r.Events {
		if r.Events[i].Kind == "delegation" {
			deleg = &r.Events[i]
		}
	}
	if deleg == nil || len(deleg.Cities) != 2 || deleg.Cities[0] != qSamarkand || deleg.Cities[1] != qIsfahan {
		t.Errorf("delegation %+v, want Samarkand → Isfahan", deleg)
	}
}

// TestEnglishStates checks the verb patterns one sentence at a time.
func TestEnglishStates(t *testing.T) {
	t.Parallel()
	g := gaz(t)
	for _, c := range []struct{ text, state string }{
		{"Isfahan and Samarkand inked a twinning agreement.", StateSigned},
		{"Isfahan and Samarkand will formally sign a sister city agreement in May.", StatePlanned},
		{"Isfahan and Samarkand are set to sign a sister city agreement.", StatePlanned},
		{"Isfahan and Samarkand failed to sign the twinning agreement.", StateAnnounced},
		{"Isfahan cut ties with its sister city Samarkand.", StateEnded},
		{"Isfahan froze its twinning with Samarkand.", StateSuspended},
		{"Isfahan will not suspend its twinning with Samarkand.", StateAnnounced},
	} {
		r := Extract(c.text, g, Options{})
		ag := findAgreement(r, qIsfahan, qSamarkand)
		if ag == nil {
			t.Errorf("%q: no agreement", c.text)
			continue
		}
		if ag.State != c.state {
			t.Errorf("%q: state %q, want %q", c.text, ag.State, c.state)
		}
	}
}

// TestPersianEnded: «لغو» and «تعلیق» end or suspend a partnership; «لغو نشد» does not.
func TestPersianEnded(t *testing.T) {
	t.Parallel()
	g := gaz(t)
	for _, c := range []struct{ text, state string }{
		{"تفاهم‌نامه خواهرخواندگی اصفهان و سمرقند در سال ۱۴۰۲ لغو شد.", StateEnded},
		{"همکاری خواهرخواندگی اصفهان و سمرقند به حالت تعلیق درآمد.", StateSuspended},
		{"تفاهم‌نامه خواهرخواندگی اصفهان و سمرقند لغو نشد.", StateAnnounced},
	} {
		r := Extract(c.text, g, Options{})
		ag := findAgreement(r, qIsfahan, qSamarkand)
		if ag == nil {
			t.Errorf("%q: no agreement", c.text)
			continue
		}
		if ag.State != c.state {
			t.Errorf("%q: state %q, want %q", c.text, ag.State, c.state)
		}
	}
}
