package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/twin"
)

// TestDirectionNamesCities: an activity's direction reads «اصفهان ← سمرقند» / "Isfahan →
// Samarkand" on its page and in the activity form, never "from the first city to the second".
func TestDirectionNamesCities(t *testing.T) {
	t.Parallel()
	strip := strings.NewReplacer("\u2068", "", "\u2069", "")
	f := newPageFixture(t)
	ctx := context.Background()
	act, err := f.db.Activities.Create(ctx, &twin.Activity{Agreement: f.agreement.ID, Kind: "exhibition", Title: twin.Names{"en": "An exhibition"}, Direction: "a_to_b"})
	if err != nil {
		t.Fatal(err)
	}
	_, body := f.get(t, nil, fmt.Sprintf("/fa/activities/%d", act.ID))
	if !strings.Contains(strip.Replace(html.UnescapeString(body)), "اصفهان ← سمرقند") || strings.Contains(body, "از شهر نخست") {
		t.Error("the Persian activity page does not name the direction's cities")
	}
	c := f.staffClient(t, "dir-admin", auth.RoleAdmin)
	_, body = f.get(t, c, fmt.Sprintf("/en/staff/activities/new?agreement=%d", f.agreement.ID))
	if !strings.Contains(strip.Replace(html.UnescapeString(body)), "Samarkand → Isfahan") {
		t.Error("the activity form's direction does not name the cities")
	}
}

// TestDirectionAskedWhenUnnamed: a direction chosen on a blank activity form, whose choices
// could not yet name the cities ("from the first city to the second"), is not saved as typed:
// the form comes back, everything else kept, with the choices named by the cities of the
// agreement given and the reason; chosen then, it saves.
func TestDirectionAskedWhenUnnamed(t *testing.T) {
	t.Parallel()
	strip := strings.NewReplacer("\u2068", "", "\u2069", "")
	f := newPageFixture(t)
	ctx := context.Background()
	c := f.staffClient(t, "dir-editor", auth.RoleAdmin)
	_, body := f.get(t, c, "/en/staff/activities/new")
	if !strings.Contains(body, "from the first city to the second") || !strings.Contains(body, `name="direction#for" value=""`) {
		t.Fatal("a blank form's direction should be unnamed, and say so to the server")
	}
	before, _ := f.db.Count(ctx, twin.KindActivity)
	v := url.Values{"csrf": {csrfFrom(t, body)}, "version": {"0"}, "agreement": {"Isfahan Samarkand"}, "kind": {"exhibition"},
		"title.en": {"Calligraphy exhibition"}, "direction": {"a_to_b"}, "direction#for": {""}}
	resp, body := postForm(t, c, f.ts.URL+"/en/staff/activities/new", v)
	plain := strip.Replace(html.UnescapeString(body))
	if resp.StatusCode != 422 || !strings.Contains(plain, "Choose the direction again") || !strings.Contains(plain, "Isfahan → Samarkand") ||
		!strings.Contains(body, `value="Calligraphy exhibition"`) || !strings.Contains(body, `name="direction#for" value="`+itoa(f.agreement.ID)+`"`) {
		t.Errorf("an unnamed direction: %d, want the form again with the cities named", resp.StatusCode)
	}
	if strings.Contains(body, `<option value="a_to_b" selected>`) {
		t.Error("the unnamed choice is still selected")
	}
	if n, _ := f.db.Count(ctx, twin.KindActivity); n != before {
		t.Fatal("an activity was saved with a direction chosen blind")
	}
	v.Set("csrf", csrfFrom(t, body))
	v.Set("direction#for", itoa(f.agreement.ID))
	v.Set("direction", "b_to_a")
	if resp, _ := postForm(t, c, f.ts.URL+"/en/staff/activities/new", v); resp.StatusCode != 200 {
		t.Fatalf("choosing the named direction: %d", resp.StatusCode)
	}
	acts, err := f.db.Activities.List(ctx, twin.Filter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range acts.Items {
		if a.Title["en"] == "Calligraphy exhibition" && a.Direction != "b_to_a" {
			t.Errorf("saved direction %q, want b_to_a", a.Direction)
		}
	}
}

// TestHomeTitleOnce: the home page's title is the site's name once.
func TestHomeTitleOnce(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	_, body := f.get(t, nil, "/fa/")
	if !strings.Contains(body, "<title>خواهرخواندگی</title>") {
		i := strings.Index(body, "<title>")
		t.Errorf("home title: %s", body[i:i+120])
	}
}

// TestRefusalKeepsInput: a city editor adding an institution in a city outside their scope
// gets the form again with everything typed, the reason naming the cities they edit, their
// cities offered to pick, and nothing saved; picking one of them saves.
func TestRefusalKeepsInput(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	ctx := context.Background()
	c := f.staffClient(t, "isf-editor", auth.RoleCityEditor, f.isfahan.ID)
	_, body := f.get(t, c, "/en/staff/institutions/new")
	if !strings.Contains(body, `name="city#pick" value="Q42053"`) {
		t.Error("the form does not offer the editor's city")
	}
	before, _ := f.db.Count(ctx, twin.KindInstitution)
	resp, body := postForm(t, c, f.ts.URL+"/en/staff/institutions/new", map[string][]string{"csrf": {csrfFrom(t, body)}, "version": {"0"},
		"names.en": {"Samarkand Film School"}, "type": {"university"}, "city": {"Samarkand"}})
	if resp.StatusCode != 403 || !strings.Contains(body, `value="Samarkand Film School"`) || !strings.Contains(body, "You edit the records of Isfahan only") {
		t.Errorf("refused: %d %s", resp.StatusCode, body)
	}
	if n, _ := f.db.Count(ctx, twin.KindInstitution); n != before {
		t.Error("the refused form saved")
	}
	resp, _ = postForm(t, c, f.ts.URL+"/en/staff/institutions/new", map[string][]string{"csrf": {csrfFrom(t, body)}, "version": {"0"},
		"names.en": {"Isfahan Film School"}, "type": {"university"}, "city": {"Samarkand"}, "city#pick": {"Q42053"}})
	if n, _ := f.db.Count(ctx, twin.KindInstitution); resp.StatusCode != 200 || n != before+1 {
		t.Errorf("picking the editor's city: %d, %d institutions", resp.StatusCode, n)
	}
}

// TestPathPageNotRedBeforeAsking: the path page opened from a city ("?from=") marks nothing
// missing; sent with a city missing, it says so.
func TestPathPageNotRedBeforeAsking(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	if _, body := f.get(t, nil, "/fa/path?from=Q42053"); strings.Contains(body, "has-error") || !strings.Contains(body, `name="from" value="اصفهان"`) {
		t.Error("the path page marks a field before any submit, or does not show the city it was opened for")
	}
	if _, body := f.get(t, nil, "/fa/path?from=Q42053&to=&go=1"); !strings.Contains(body, "has-error") {
		t.Error("a sent path form with no destination says nothing")
	}
}

// TestCityFieldsShowNames: the path page and the proposals' filters show a city by its name
// in the reader's language, never its id, whether opened from a link (?from=Q42053) or
// answered; the id rides beside the name and is kept while the name is left as shown.
func TestCityFieldsShowNames(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	c := f.staffClient(t, "names-reviewer", auth.RoleReviewer)
	for _, u := range []struct {
		client      *http.Client
		path, field string
		want        string
	}{
		{nil, "/fa/path?from=Q42053", "from", "اصفهان"},
		{nil, "/en/path?from=Q42053&to=Q5753&go=1", "to", "Samarkand"},
		{nil, "/ru/path?from=Q42053&to=Q5753&go=1", "from", "Isfahan"}, // no Russian name: the English one
		{nil, "/fa/proposals?city=Q5753", "city", "سمرقند"},
		{c, "/en/staff/proposals?city=Q5753", "city", "Samarkand"},
		{nil, "/en/proposals/new?city=Q42053", "city_a", "Isfahan"},
	} {
		_, body := f.get(t, u.client, u.path)
		if strings.Contains(body, `name="`+u.field+`" value="Q`) || !strings.Contains(body, `name="`+u.field+`" value="`+u.want+`"`) ||
			!strings.Contains(body, `name="`+u.field+`#name" value="`+u.want+`"`) {
			t.Errorf("%s: the %s field does not show %q by name with its id beside", u.path, u.field, u.want)
		}
	}
	// The id is taken while the name is the one shown; a name typed over it is read instead.
	_, body := f.get(t, nil, "/en/path?go=1&from=Isfahan&from%23id=Q5753&from%23name=Isfahan&to=Porto")
	if !strings.Contains(body, `name="from" value="Samarkand"`) {
		t.Error("the city kept beside its name was not taken")
	}
	_, body = f.get(t, nil, "/en/path?go=1&from=Porto&from%23id=Q5753&from%23name=Samarkand&to=Isfahan")
	if !strings.Contains(body, `name="from" value="Porto"`) {
		t.Error("a name typed over the kept one was not read")
	}
}

// TestHomeLatestFollowsWrites: an activity written after the home page was shown is on it at
// once.
func TestHomeLatestFollowsWrites(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	f.get(t, nil, "/en/")
	start := f.agreement.Signed
	if _, err := f.db.Activities.Create(context.Background(), &twin.Activity{Agreement: f.agreement.ID, Kind: "visit", Title: twin.Names{"en": "A delegation arrives"}, Start: start}); err != nil {
		t.Fatal(err)
	}
	if _, body := f.get(t, nil, "/en/"); !strings.Contains(body, "A delegation arrives") {
		t.Error("the home page's latest activities lag behind a write")
	}
}

// TestPersianSources: a Persian agreement page names its sources and claims in Persian (no
// dataset slugs, no English notes), puts the dispute beside the status, and an error keeps a
// Wikidata id in Latin digits.
func TestPersianSources(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	_, body := f.get(t, nil, "/fa/agreements/"+itoa(f.agreement.ID))
	for _, bad := range []string{"wikipedia-twin-towns-2026", "wikidata-p190-2021", "Wikidata P190, CC0"} {
		if strings.Contains(body, bad) {
			t.Errorf("the Persian agreement page shows %q", bad)
		}
	}
	kicker := body[strings.Index(body, `class="kicker"`):]
	kicker = kicker[:strings.Index(kicker, "</p>")]
	if !strings.Contains(kicker, `href="#h-claims"`) {
		t.Error("the dispute is not beside the status")
	}
	if _, body := f.get(t, nil, "/fa/path?from=Q182272&to=Q42053&go=1"); !strings.Contains(body, "Q182272") {
		t.Error("the error does not keep the id in Latin digits")
	}
}

// TestBundledSourcesInReadersLanguage: the notes, titles and versions the bundled dataset
// writes in English are said in the reader's language: a one-sided Wikidata listing by the
// cities' names, the Isfahan municipality's pages by translated titles, a version's date in
// the reader's calendar (the repository and commit kept as they are), references as such.
func TestBundledSourcesInReadersLanguage(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	wd := twin.Source{Dataset: "wikidata-p190-2016", Version: "2016-09 (L3viathan/sister-cities d3028c2)", URL: "https://github.com/L3viathan/sister-cities", Note: "Wikidata P190, CC0"}
	isf := twin.Source{Dataset: "isfahan-municipality", Version: "2021", URL: "https://irannewsdaily.com/2021/07/isfahan-samarkand-become-sister-cities",
		Title: "2021-07; Isfahan-Samarkand signed; Porto and Hyderabad planned", Note: "S3 https://irannewsdaily.com/2021/07/isfahan-samarkand-become-sister-cities"}
	a, err := f.db.Agreements.Create(context.Background(), &twin.Agreement{Cities: []string{"Q5753", "Q36433"}, Kind: twin.KindSister, Status: twin.StatusSigned,
		Sources: []twin.Source{wd, isf},
		Claims:  []twin.Claim{{Source: wd, Status: twin.StatusSigned, OneSided: true, Note: "Q5753 lists Q36433 under P190; Q36433 does not list Q5753"}, {Source: isf, Status: twin.StatusProposed}}})
	if err != nil {
		t.Fatal(err)
	}
	strip := strings.NewReplacer("\u2068", "", "\u2069", "")
	for lang, want := range map[string][]string{
		"fa": {"در ویکی‌داده سمرقند شهر پورتو را خواهرخوانده‌اش می‌شمارد، ولی پورتو شهر سمرقند را نه.", "پیمان اصفهان و سمرقند امضا شد",
			"۲۰۱۶", "L3viathan/sister-cities d3028c2", "۱۳۹۹", "مرجع S3 https://irannewsdaily.com/"},
		"en": {"In Wikidata Samarkand lists Porto as a twin, but Porto does not list Samarkand.", "Isfahan and Samarkand signed; Porto and Hyderabad planned",
			"September 2016", "L3viathan/sister-cities d3028c2", "reference S3 https://irannewsdaily.com/"},
		"ru": {"В Викиданных город Samarkand числит побратимом город Porto", // no Russian names: the English ones
			"Исфахан и Самарканд подписали соглашение", "2016", "ссылка S3 https://irannewsdaily.com/"},
	} {
		_, body := f.get(t, nil, "/"+lang+"/agreements/"+itoa(a.ID))
		body = strip.Replace(html.UnescapeString(body))
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the agreement page does not say %q", lang, w)
			}
		}
		for _, bad := range []string{" lists Q", "2021-07;", ">2016-09 (", "Isfahan-Samarkand signed"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: the agreement page shows %q as the dataset wrote it", lang, bad)
			}
		}
	}
}

// TestAgreementPickedByName: the activity form takes its agreement by the two cities' names in
// any script, offers one city's agreements to choose, and shows a number's agreement by name.
func TestAgreementPickedByName(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	ctx := context.Background()
	c := f.staffClient(t, "picker-admin", auth.RoleAdmin)
	_, body := f.get(t, c, "/fa/staff/activities/new")
	if strings.Contains(body, "پیمان (شماره)") || !strings.Contains(body, `data-picker="agreements"`) {
		t.Error("the activity form asks for the agreement's number")
	}
	post := func(agreement, pick string) (int, string) {
		v := url.Values{"csrf": {csrfFrom(t, body)}, "version": {"0"}, "agreement": {agreement}, "kind": {"visit"}, "title.fa": {"دیدار"}}
		if pick != "" {
			v.Set("agreement#pick", pick)
		}
		resp, b := postForm(t, c, f.ts.URL+"/fa/staff/activities/new", v)
		return resp.StatusCode, b
	}
	before, _ := f.db.Count(ctx, twin.KindActivity)
	if st, b := post("اصفهان سمرقند", ""); st != 200 || !strings.Contains(b, "اصفهان – سمرقند") {
		t.Errorf("by two names: %d", st)
	}
	st, b := post("Isfahan", "")
	if st != 422 || !strings.Contains(b, `name="agreement#pick" value="`+itoa(f.agreement.ID)+`"`) || !strings.Contains(b, "اصفهان – پورتو") {
		t.Errorf("by one name: %d", st)
	}
	if st, _ := post("Isfahan", itoa(f.agreement.ID)); st != 200 {
		t.Errorf("picking: %d", st)
	}
	if n, _ := f.db.Count(ctx, twin.KindActivity); n != before+2 {
		t.Errorf("%d activities saved, want 2", n-before)
	}
}

// TestTitleInAnyLanguage: a record's title may be given in any one of the form's languages:
// the form marks none of them alone as required, and an activity titled only in English saves.
func TestTitleInAnyLanguage(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	c := f.staffClient(t, "title-admin", auth.RoleAdmin)
	_, body := f.get(t, c, fmt.Sprintf("/fa/staff/activities/new?agreement=%d", f.agreement.ID))
	label := func(id string) string {
		_, rest, _ := strings.Cut(body, `<label for="`+id+`">`)
		l, _, _ := strings.Cut(rest, "</label>")
		return l
	}
	if l := label("f-title-fa"); strings.Contains(l, "(الزامی)") || !strings.Contains(l, "(دست‌کم به یک زبان)") {
		t.Errorf("the Persian title's label: %q", l)
	}
	ctx := context.Background()
	before, _ := f.db.Count(ctx, twin.KindActivity)
	resp, page := postForm(t, c, f.ts.URL+"/en/staff/activities/new", url.Values{"csrf": {csrfFrom(t, body)}, "version": {"0"},
		"agreement": {fmt.Sprint(f.agreement.ID)}, "kind": {"exhibition"}, "title.en": {"Miniatures of Isfahan"}})
	if n, _ := f.db.Count(ctx, twin.KindActivity); n != before+1 {
		t.Fatalf("an activity titled in English only was not saved: %d %s", resp.StatusCode, page)
	}
}

// TestActivityPageShowsPlace: where an activity happened shows on its page, by the city's
// name in the reader's language, linked to the city.
func TestActivityPageShowsPlace(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	act, err := f.db.Activities.Create(context.Background(), &twin.Activity{Agreement: f.agreement.ID, Kind: "exhibition",
		Title: twin.Names{"en": "Miniatures"}, Place: "Q42053"})
	if err != nil {
		t.Fatal(err)
	}
	_, body := f.get(t, nil, fmt.Sprintf("/fa/activities/%d", act.ID))
	if !strings.Contains(body, "محل برگزاری") || !strings.Contains(body, `href="/fa/cities/Q42053"><bdi>اصفهان</bdi>`) {
		t.Error("the Persian activity page does not show where it happened")
	}
}

// TestOutsideScopeSaidUpFront: a city editor opening the form of a record outside their
// cities is told at once, before typing anything, which cities they edit; a record of their
// own city carries no such warning.
func TestOutsideScopeSaidUpFront(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	ctx := context.Background()
	samarkand, err := f.db.City(ctx, "Q5753")
	if err != nil {
		t.Fatal(err)
	}
	c := f.staffClient(t, "sam-editor", auth.RoleCityEditor, samarkand.ID)
	isfahans, err := f.db.Agreements.List(ctx, twin.Filter{Limit: 10}.With(twin.FilterCity, f.isfahan.ID))
	if err != nil {
		t.Fatal(err)
	}
	if len(isfahans.Items) < 2 {
		t.Fatalf("the fixture has %d agreements of Isfahan", len(isfahans.Items))
	}
	for _, a := range isfahans.Items {
		_, body := f.get(t, c, fmt.Sprintf("/en/staff/agreements/%d/edit", a.ID))
		warned := strings.Contains(body, "This record is outside what you edit: you edit the records of Samarkand only")
		if ours := slices.Contains(a.Cities, "Q5753"); warned == ours {
			t.Errorf("agreement %v: warned %v, though Samarkand's editor may edit it: %v", a.Cities, warned, ours)
		}
	}
}

// TestSearchSaysSoundAlike: when no name or text holds the query and the hits only sound alike
// (or are one letter off), the search page says so instead of counting them as results.
func TestSearchSaysSoundAlike(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	_, body := f.get(t, nil, "/en/search?q=Samarcand")
	if !strings.Contains(body, "No name or text holds “Samarcand”. Names that sound alike:") || !strings.Contains(body, ">Samarkand<") {
		t.Error("a sound-alike hit is not said to be one")
	}
	_, body = f.get(t, nil, "/fa/search?q=Samarkand")
	if strings.Contains(body, "شبیه آن خوانده می‌شوند") || !strings.Contains(body, "نتیجه برای «Samarkand»") {
		t.Error("a name's own hit is said to sound alike")
	}
}

// TestCalendarEmptyYear: a year without activities says so in one line, not with twelve empty
// months; a year with activities lists them by month.
func TestCalendarEmptyYear(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	_, body := f.get(t, nil, "/fa/calendar?year=1350")
	if !strings.Contains(body, "در سال ۱۳۵۰ فعالیتی ثبت نشده است.") || strings.Contains(body, `class="month"`) {
		t.Error("an empty year is not said in one line")
	}
}

// TestOrgNamesInReadersLanguage: a suggestion's shared regional organisations are named in the
// reader's language («هر دو عضو سازمان همکاری شانگهای هستند», not "SCO"); one the catalogs do
// not know keeps its code.
func TestOrgNamesInReadersLanguage(t *testing.T) {
	if got := orgNames("ECO,SCO", "، ", "fa"); got != "سازمان همکاری اقتصادی (اکو)، سازمان همکاری شانگهای" {
		t.Errorf("fa: %q", got)
	}
	if got := orgNames("EU", ", ", "en"); got != "the European Union" {
		t.Errorf("en: %q", got)
	}
	if got := orgNames("XYZ", ", ", "ru"); got != "XYZ" {
		t.Errorf("an unknown organisation: %q", got)
	}
}

// TestSourceDateInPersian: a Persian form asks for a source's date in Persian words, and a
// date typed in Persian digits is kept as the Gregorian date it is, in Latin digits.
func TestSourceDateInPersian(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	c := f.staffClient(t, "src-admin", auth.RoleAdmin)
	_, body := f.get(t, c, "/fa/staff/institutions/new")
	if strings.Contains(body, "YYYY") {
		t.Error("the Persian form asks for a date as YYYY-MM-DD")
	}
	resp, _ := postForm(t, c, f.ts.URL+"/fa/staff/institutions/new", url.Values{"csrf": {csrfFrom(t, body)}, "version": {"0"},
		"names.fa": {"موزهٔ هنرهای معاصر اصفهان"}, "type": {"museum"}, "city": {"Q42053"},
		"sources[0].url": {"https://example.org/museum"}, "sources[0].date": {"۲۰۲۱-۰۷-۲۱"}})
	if resp.StatusCode != 200 {
		t.Fatalf("saving: %d", resp.StatusCode)
	}
	got, err := f.db.Institutions.List(context.Background(), twin.Filter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range got.Items {
		if in.Names["fa"] == "موزهٔ هنرهای معاصر اصفهان" && (len(in.Sources) != 1 || in.Sources[0].Date != "2021-07-21") {
			t.Errorf("the source's date is kept as %+v", in.Sources)
		}
	}
}
