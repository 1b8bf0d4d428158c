package web

import (
	"context"
	"fmt"
	"html"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/twin"
)

// TestDirectionNamesCities: an activity's direction reads «اصفهان ← سمرقند» / "Isfahan →
// Samarkand" on its page and in the activity form, never "from the first city to the second".
func TestDirectionNamesCities(t *testing.T) {
	isf, sam := twin.Names{"fa": "اصفهان", "en": "Isfahan"}, twin.Names{"fa": "سمرقند", "en": "Samarkand"}
	strip := strings.NewReplacer("\u2068", "", "\u2069", "")
	for _, c := range []struct{ dir, lang, want string }{
		{"a_to_b", "fa", "اصفهان ← سمرقند"},
		{"a_to_b", "en", "Isfahan → Samarkand"},
		{"b_to_a", "en", "Samarkand → Isfahan"},
		{"b_to_a", "fa", "سمرقند ← اصفهان"},
		{"both", "en", "Isfahan ↔ Samarkand (both ways)"},
	} {
		if got := strip.Replace(directionText(c.dir, isf, sam, c.lang)); got != c.want {
			t.Errorf("%s %s = %q, want %q", c.dir, c.lang, got, c.want)
		}
	}
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

// TestHomeTitleOnce: the home page's title is the site's name once.
func TestHomeTitleOnce(t *testing.T) {
	f := newPageFixture(t)
	_, body := f.get(t, nil, "/fa/")
	if !strings.Contains(body, "<title>خواهرخواندگی</title>") {
		i := strings.Index(body, "<title>")
		t.Errorf("home title: %s", body[i:i+120])
	}
}
