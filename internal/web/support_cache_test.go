package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/twin"
)

// TestSupportShowsAtOnce: the answers kept for anonymous readers (the city page that lists
// the city's proposals with their supporters) follow a support at once, as they follow any
// other write, and the proposal's page and API never lag.
func TestSupportShowsAtOnce(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	ctx := context.Background()
	p, err := f.db.Proposals.Create(ctx, &twin.Proposal{Title: twin.Names{"en": "Sister schools"}, Cities: []string{"Q42053"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.ModerateProposal(ctx, p.ID, 0, "published", ""); err != nil {
		t.Fatal(err)
	}
	pages := []string{"/en/cities/Q42053", fmt.Sprintf("/en/proposals/%d", p.ID), fmt.Sprintf("/api/v1/proposals/%d", p.ID)}
	wants := func(n int) []string {
		return []string{fmt.Sprintf("%d supporter", n), fmt.Sprintf("%d supporter", n), fmt.Sprintf(`"supporters":%d`, n)}
	}
	for _, n := range []int{0, 1, 2} {
		if n > 0 {
			// Each from another browser (no cookie), from the test's one address.
			resp, err := http.Post(f.ts.URL+fmt.Sprintf("/api/v1/proposals/%d/support", p.ID), "application/json", nil)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("support %d: %d", n, resp.StatusCode)
			}
		}
		for i, path := range pages {
			// Twice: the second answer comes from the anonymous readers' cache where kept.
			for range 2 {
				_, body := f.get(t, nil, path)
				if !strings.Contains(body, wants(n)[i]) {
					t.Errorf("after %d supports, %s does not show %q", n, path, wants(n)[i])
				}
			}
		}
	}
}
