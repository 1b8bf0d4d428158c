package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/twin"
)

// TestActivityParticipantsForm: the activity form takes the people each city sent, one city a
// line by any name; an unknown city or a line without a number is refused in the reader's
// language and nothing is saved; the saved activity's form names the cities again, and its
// productions and participants show on the activity, agreement and city pages.
func TestActivityParticipantsForm(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	c := f.staffClient(t, "editor", auth.RoleAdmin)
	ctx := context.Background()
	before, _ := f.db.Count(ctx, twin.KindActivity)
	for _, tc := range []struct{ lang, line, want string }{
		{"ru", "Atlantis: 5", i18n.T("ru", "field.unknown_city", map[string]any{"value": "Atlantis"})},
		{"fa", "سمرقند", i18n.T("fa", "field.participants_line", map[string]any{"value": "سمرقند"})},
		{"en", "Samarkand: 9999999", i18n.T("en", "field.out_of_range", map[string]any{"min": 0, "max": twin.MaxParticipants})},
	} {
		_, body := f.get(t, c, "/"+tc.lang+"/staff/activities/new")
		resp, body := postForm(t, c, f.ts.URL+"/"+tc.lang+"/staff/activities/new", url.Values{
			"csrf": {csrfFrom(t, body)}, "version": {"0"}, "agreement": {strconv.FormatInt(f.agreement.ID, 10)},
			"kind": {"joint_production"}, "title.en": {"Miniatures"}, "participants": {tc.line},
		})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s %q: status %d", tc.lang, tc.line, resp.StatusCode)
		}
		mustContain(t, tc.lang+" "+tc.line, body, `id="f-participants-err">`+tc.want, tc.line)
	}
	if after, _ := f.db.Count(ctx, twin.KindActivity); after != before {
		t.Fatalf("refused forms saved an activity: %d → %d", before, after)
	}
	_, body := f.get(t, c, "/en/staff/activities/new")
	resp, body := postForm(t, c, f.ts.URL+"/en/staff/activities/new", url.Values{
		"csrf": {csrfFrom(t, body)}, "version": {"0"}, "agreement": {strconv.FormatInt(f.agreement.ID, 10)},
		"kind": {"joint_production"}, "title.en": {"Miniatures"}, "domains": {"archaeology"},
		"start.calendar": {"gregorian"}, "start.value": {"2024-05-01"},
		"participants":    {"Samarkand: 30\r\nاصفهان ۱۲"},
		"outputs[0].kind": {"book"}, "outputs[0].title.en": {"Miniatures of two cities"},
	})
	if resp.StatusCode != 200 || !strings.Contains(resp.Request.URL.Path, "/edit") {
		t.Fatalf("saving: %d at %s: %s", resp.StatusCode, resp.Request.URL, body)
	}
	mustContain(t, "the saved form", body, "Samarkand: 30", "Isfahan: 12")
	as, _ := f.db.Activities.List(ctx, twin.Filter{}.With(twin.FilterAgreement, f.agreement.ID))
	var got *twin.Activity
	for _, a := range as.Items {
		if a.Title["en"] == "Miniatures" {
			got = a
		}
	}
	if got == nil || got.Participants["Q5753"] != 30 || got.Participants["Q42053"] != 12 || len(got.Participants) != 2 {
		t.Fatalf("saved %+v", got)
	}
	_, body = f.get(t, nil, "/ru/agreements/"+strconv.FormatInt(f.agreement.ID, 10))
	mustContain(t, "the Russian agreement page", body, "Совместные работы", "Miniatures of two cities", ">42<")
	_, body = f.get(t, nil, "/en/cities/Q42053")
	mustContain(t, "the city page", body, "Joint productions", "Miniatures of two cities")
}
