package web

import (
	"context"
	"encoding/json"
	"github.com/twinning/twinning/internal/httpx"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/twin"
)

// pickerFixture adds to the page fixture what the pickers choose among: institutions of
// Isfahan, Samarkand and Porto (Isfahan's partners) and of Kyoto (not a partner), links between
// them, Samarkand's other agreement (with Porto), a network and a person.
type pickerFixture struct {
	*fixture
	uniIsf, uniSam, uniPor, uniKyo *twin.Institution
	linkSam, linkPor               *twin.Link
	samPor                         *twin.Agreement
	eco                            *twin.Network
	person                         *twin.Person
}

func newPickerFixture(t *testing.T) *pickerFixture {
	t.Helper()
	f := &pickerFixture{fixture: newPageFixture(t)}
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := f.db.Cities.Create(ctx, &twin.City{Wikidata: "Q34600", Names: twin.Names{"fa": "کیوتو", "en": "Kyoto"}, Country: "JP"})
	must(err)
	inst := func(en, fa, city string) *twin.Institution {
		in, err := f.db.Institutions.Create(ctx, &twin.Institution{Names: twin.Names{"en": en, "fa": fa}, Type: "university", City: city})
		must(err)
		return in
	}
	f.uniIsf = inst("Isfahan University of Art", "دانشگاه هنر اصفهان", "Q42053")
	f.uniSam = inst("Samarkand State University", "دانشگاه دولتی سمرقند", "Q5753")
	f.uniPor = inst("Porto Polytechnic", "پلی‌تکنیک پورتو", "Q36433")
	f.uniKyo = inst("Kyoto Art University", "دانشگاه هنر کیوتو", "Q34600")
	f.linkSam, err = f.db.Links.Create(ctx, &twin.Link{Institutions: []int64{f.uniIsf.ID, f.uniSam.ID}, Agreement: f.agreement.ID})
	must(err)
	f.linkPor, err = f.db.Links.Create(ctx, &twin.Link{Institutions: []int64{f.uniIsf.ID, f.uniPor.ID}})
	must(err)
	f.samPor, err = f.db.Agreements.Create(ctx, &twin.Agreement{Cities: []string{"Q5753", "Q36433"}, Kind: twin.KindSister, Status: twin.StatusSigned})
	must(err)
	f.eco, err = f.db.Networks.Create(ctx, &twin.Network{Names: twin.Names{"en": "ECO cities", "fa": "شهرهای اکو"}, Kind: "city_network", Members: []twin.Member{{City: "Q42053"}, {City: "Q5753"}}})
	must(err)
	f.person, err = f.db.People.Create(ctx, &twin.Person{Names: twin.Names{"en": "Azim Manuvarov", "fa": "عظیم منوراف"}})
	must(err)
	return f
}

// TestLinkNetworkPersonPickedByName: the activity form's link and network and an agreement
// party's person are asked for by name, never by number: typed names resolve, several matches
// are offered to choose (without a script), and a saved choice shows by name.
func TestLinkNetworkPersonPickedByName(t *testing.T) {
	t.Parallel()
	f := newPickerFixture(t)
	ctx := context.Background()
	c := f.staffClient(t, "picker-admin", auth.RoleAdmin)
	_, body := f.get(t, c, "/en/staff/activities/new")
	for _, want := range []string{`data-picker="links"`, `data-picker="networks"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the activity form lacks %s", want)
		}
	}
	if strings.Contains(body, "(number)") {
		t.Error("the activity form still asks for a number")
	}
	post := func(v url.Values) (int, string) {
		v.Set("csrf", csrfFrom(t, body))
		v.Set("version", "0")
		v.Set("kind", "visit")
		v.Set("title.en", "A visit")
		resp, b := postForm(t, c, f.ts.URL+"/en/staff/activities/new", v)
		return resp.StatusCode, b
	}
	// One institution's name: its two links to choose from, named by their institutions.
	st, b := post(url.Values{"link": {"Isfahan University of Art"}})
	if st != 422 || !strings.Contains(b, `name="link#pick" value="`+itoa(f.linkSam.ID)+`"`) ||
		!strings.Contains(html.UnescapeString(b), "Isfahan University of Art – Porto Polytechnic") {
		t.Errorf("one institution's name: %d", st)
	}
	// Both names in Persian, and the network by its Persian name.
	st, b = post(url.Values{"link": {"دانشگاه هنر اصفهان دانشگاه دولتی سمرقند"}, "network": {"شهرهای اکو"}})
	if st != 200 {
		t.Fatalf("two names: %d", st)
	}
	acts, err := f.db.Activities.List(ctx, twin.Filter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var saved *twin.Activity
	for _, a := range acts.Items {
		if a.Title["en"] == "A visit" {
			saved = a
		}
	}
	if saved == nil || saved.Link != f.linkSam.ID || saved.Network != f.eco.ID {
		t.Fatalf("saved %+v", saved)
	}
	// The saved activity's form shows the link and the network by name, their numbers beside
	// (hidden); sent back as shown, it keeps them, even where a name alone would be ambiguous.
	_, edit := f.get(t, c, "/en/staff/activities/"+itoa(saved.ID)+"/edit")
	for _, want := range []string{
		`name="link" value="Isfahan University of Art – Samarkand State University"`, `name="link#id" value="` + itoa(f.linkSam.ID) + `"`,
		`name="network" value="ECO cities"`, `name="network#id" value="` + itoa(f.eco.ID) + `"`,
	} {
		if !strings.Contains(html.UnescapeString(edit), want) {
			t.Errorf("the saved activity's form lacks %s", want)
		}
	}
	if strings.Contains(edit, `name="link" value="`+itoa(f.linkSam.ID)+`"`) {
		t.Error("the saved activity's form shows the link's number")
	}
	resend := url.Values{"csrf": {csrfFrom(t, edit)}, "version": {itoa(saved.Version)}, "kind": {"visit"}, "title.en": {"A visit, again"},
		"link": {"Isfahan University of Art – Samarkand State University"}, "link#id": {itoa(f.linkSam.ID)}, "link#name": {"Isfahan University of Art – Samarkand State University"},
		"network": {"ECO cities"}, "network#id": {itoa(f.eco.ID)}, "network#name": {"ECO cities"}}
	if resp, _ := postForm(t, c, f.ts.URL+"/en/staff/activities/"+itoa(saved.ID)+"/edit", resend); resp.StatusCode != 200 {
		t.Errorf("sending the form back as shown: %d", resp.StatusCode)
	}
	if a, err := f.db.Activities.Get(ctx, saved.ID); err != nil || a.Link != f.linkSam.ID || a.Title["en"] != "A visit, again" {
		t.Errorf("after sending it back: %+v %v", a, err)
	}
	// A name typed over the shown one is read as typed, not as the number beside it.
	resend.Set("link", "Porto Polytechnic")
	resend.Set("version", itoa(saved.Version+1))
	if resp, _ := postForm(t, c, f.ts.URL+"/en/staff/activities/"+itoa(saved.ID)+"/edit", resend); resp.StatusCode != 200 {
		t.Errorf("another link typed: %d", resp.StatusCode)
	}
	if a, _ := f.db.Activities.Get(ctx, saved.ID); a.Link != f.linkPor.ID {
		t.Errorf("the typed link was not taken: %d", a.Link)
	}
	if st, b := post(url.Values{"network": {"Hanseatic League"}}); st != 422 || !strings.Contains(b, "No network") {
		t.Errorf("an unknown network: %d", st)
	}
	// As the editor types, the search API names a link by its institutions, in the reader's
	// language.
	req, _ := http.NewRequest("GET", f.ts.URL+"/api/v1/search?type=link&q="+url.QueryEscape("Samarkand State University"), nil)
	req.Header.Set("Accept-Language", "fa")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var res httpx.SearchResult
	json.NewDecoder(resp.Body).Decode(&res)
	resp.Body.Close()
	if len(res.Items) != 1 || res.Items[0].ID != f.linkSam.ID || res.Items[0].Title != "دانشگاه هنر اصفهان – دانشگاه دولتی سمرقند" {
		t.Errorf("links found by an institution's name: %+v", res.Items)
	}
	// An agreement party's person, by name.
	_, form := f.get(t, c, "/en/staff/agreements/"+itoa(f.agreement.ID)+"/edit")
	if !strings.Contains(form, `data-picker="people"`) {
		t.Error("the party's person is not a picker")
	}
}

// TestPickersOfferOnlyUsable: a city editor's pickers offer the agreements of their cities, the
// institutions of their cities and their partners, the links touching them — as they type (the
// search API with usable=1) and in the form's choices without a script; an admin's offer
// everything; the store still refuses a choice out of scope.
func TestPickersOfferOnlyUsable(t *testing.T) {
	t.Parallel()
	f := newPickerFixture(t)
	ctx := context.Background()
	editor := f.staffClient(t, "isf-editor", auth.RoleCityEditor, f.isfahan.ID)
	admin := f.staffClient(t, "admin", auth.RoleAdmin)
	search := func(c *http.Client, q string) []int64 {
		t.Helper()
		resp, body := f.get(t, c, "/api/v1/search?"+q)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", q, resp.StatusCode, body)
		}
		var res httpx.SearchResult
		if err := json.Unmarshal([]byte(body), &res); err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, h := range res.Items {
			ids = append(ids, h.ID)
		}
		return ids
	}
	has := func(ids []int64, id int64) bool {
		for _, x := range ids {
			if x == id {
				return true
			}
		}
		return false
	}
	for _, c := range []struct {
		name    string
		q       string
		mine    int64 // the editor is offered it
		notMine int64 // only the admin is
	}{
		{"agreements of one city", "type=agreement&q=Samarkand", f.agreement.ID, f.samPor.ID},
		{"institutions by a word", "type=institution&q=University", f.uniSam.ID, f.uniKyo.ID},
	} {
		mine := search(editor, c.q+"&usable=1")
		if !has(mine, c.mine) || has(mine, c.notMine) {
			t.Errorf("%s: the editor is offered %v (want %d, not %d)", c.name, mine, c.mine, c.notMine)
		}
		if all := search(admin, c.q+"&usable=1"); !has(all, c.mine) || !has(all, c.notMine) {
			t.Errorf("%s: the admin is offered %v", c.name, all)
		}
		if all := search(editor, c.q); !has(all, c.notMine) {
			t.Errorf("%s: the public search lost %d", c.name, c.notMine)
		}
	}

	// Without a script: "Samarkand" names two agreements, but only one is the editor's to use,
	// so it is taken at once; the admin chooses among both.
	_, body := f.get(t, editor, "/en/staff/activities/new")
	post := func(c *http.Client, agreement string) (int, string) {
		v := url.Values{"csrf": {csrfFrom(t, body)}, "version": {"0"}, "agreement": {agreement}, "kind": {"visit"}, "title.en": {"A visit"}}
		resp, b := postForm(t, c, f.ts.URL+"/en/staff/activities/new", v)
		return resp.StatusCode, b
	}
	before, _ := f.db.Count(ctx, twin.KindActivity)
	if st, _ := post(editor, "Samarkand"); st != 200 {
		t.Errorf("the editor's only usable agreement: %d", st)
	}
	_, body = f.get(t, admin, "/en/staff/activities/new")
	if st, b := post(admin, "Samarkand"); st != 422 || !strings.Contains(b, `value="`+itoa(f.samPor.ID)+`"`) {
		t.Errorf("the admin's choice: %d", st)
	}
	// Out of scope by number: refused as before, nothing saved.
	_, body = f.get(t, editor, "/en/staff/activities/new")
	if st, _ := post(editor, itoa(f.samPor.ID)); st != 403 {
		t.Errorf("another city's agreement by number: %d", st)
	}
	if n, _ := f.db.Count(ctx, twin.KindActivity); n != before+1 {
		t.Errorf("%d activities saved, want 1", n-before)
	}
}
