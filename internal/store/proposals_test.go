package store

import (
	"context"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/twin"
)

// A citizen's proposal: stored with only its follow key's digest, found by city and domain,
// moved by moderators along the allowed moves with reasons kept in its history, supported once
// per supporter, and limited per address.
func TestProposalLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	isf := mkCity(t, db, "اصفهان", "Isfahan", "IR", "Q42053")
	sam := mkCity(t, db, "سمرقند", "Samarkand", "UZ", "Q5753")
	other := mkCity(t, db, "شیراز", "Shiraz", "IR", "Q6397")
	key, digest := twin.NewFollowKey()
	pr, err := db.SubmitProposal(ctx, &twin.Proposal{Title: twin.Names{"fa": "تبادل دانشجو"}, Cities: []string{"Q42053", "Q5753"},
		Domains: []string{"education"}, Kind: "exchange", Status: "done", Supporters: 99, Reason: "forged"}, digest, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if pr.Status != "submitted" || pr.Supporters != 0 || pr.Reason != "" || len(pr.History) != 1 {
		t.Fatalf("server-owned fields taken from the client: %+v", pr)
	}
	if !db.ProposalKeyMatches(ctx, pr.ID, twin.FollowKeyDigest(key)) || db.ProposalKeyMatches(ctx, pr.ID, twin.FollowKeyDigest("guess")) {
		t.Fatal("follow key not matched by its digest only")
	}
	var stored string
	db.queryRow(ctx, "SELECT doc FROM proposals WHERE id = ?", pr.ID).Scan(&stored)
	if strings.Contains(stored, key) {
		t.Fatal("the follow key itself is stored")
	}
	list := func(f twin.Filter) int {
		p, err := db.Proposals.List(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return len(p.Items)
	}
	if n := list(twin.Filter{}.With(twin.FilterCity, sam.ID)); n != 1 {
		t.Errorf("by Samarkand: %d", n)
	}
	if n := list(twin.Filter{}.With(twin.FilterCity, other.ID)); n != 0 {
		t.Errorf("by Shiraz: %d", n)
	}
	if n := list(twin.Filter{}.With(twin.FilterDomain, "education")); n != 1 {
		t.Errorf("by domain: %d", n)
	}
	if n := list(twin.Filter{}.With(twin.FilterStatuses, twin.PublicProposalStatuses).With(twin.FilterCity, isf.ID)); n != 0 {
		t.Errorf("a submitted proposal is listed publicly")
	}
	if _, _, err := db.Support(ctx, pr.ID, "b:1", "addr", 3); twin.ErrorCode(err) != twin.ENOTFOUND {
		t.Errorf("supporting an unpublished proposal: %v", err)
	}
	if _, err := db.ModerateProposal(ctx, pr.ID, 0, "done", ""); twin.ErrorFields(err)["status"].Key != twin.KeyProposalMove {
		t.Errorf("submitted → done: %v", err)
	}
	if _, err := db.ModerateProposal(ctx, pr.ID, 0, "rejected", " "); twin.ErrorFields(err)["reason"].Key != twin.KeyReasonNeeded {
		t.Errorf("rejection without a reason: %v", err)
	}
	pr, err = db.ModerateProposal(ctx, pr.ID, 0, "published", "خوب است")
	if err != nil {
		t.Fatal(err)
	}
	if pr.Status != "published" || pr.Reason != "خوب است" || len(pr.History) != 2 || pr.History[1].Status != "published" {
		t.Fatalf("after publishing: %+v", pr)
	}
	if n := list(twin.Filter{}.With(twin.FilterStatuses, twin.PublicProposalStatuses).With(twin.FilterCity, isf.ID)); n != 1 {
		t.Errorf("a published proposal is not listed publicly")
	}
	for i, c := range []struct {
		who, addr string
		count     int
		added     bool
		code      string
	}{
		{"u:1", "", 1, true, ""},
		{"u:1", "", 1, false, ""}, // once per account
		{"b:x", "a1", 2, true, ""},
		{"b:y", "a1", 3, true, ""},
		{"b:w", "a1", 4, true, ""},
		{"b:z", "a1", 4, false, twin.ELIMITED}, // a fourth browser from one address
		{"b:z", "a3", 5, true, ""},
		{"b:x", "a3", 5, false, ""}, // once per browser
	} {
		limit := 3
		if c.addr == "" {
			limit = 0
		}
		n, added, err := db.Support(ctx, pr.ID, c.who, c.addr, limit)
		if twin.ErrorCode(err) != c.code || (err == nil && (n != c.count || added != c.added)) {
			t.Errorf("support %d: %d %v %v", i, n, added, err)
		}
	}
	got, _ := db.Proposals.Get(ctx, pr.ID)
	if got.Supporters != 5 {
		t.Errorf("supporters = %d", got.Supporters)
	}
	sup, _ := db.Supports(ctx, "b:x", []int64{pr.ID})
	if !sup[pr.ID] {
		t.Error("Supports does not know b:x")
	}
	l := twin.Limit{Bucket: "test", Max: 2, Window: 3600e9}
	for i, want := range []string{"", "", twin.ELIMITED} {
		if err := db.Throttle(ctx, l, "s"); twin.ErrorCode(err) != want {
			t.Errorf("throttle %d: %v", i, err)
		}
	}
	if err := db.Throttle(ctx, l, "other"); err != nil {
		t.Errorf("another address is limited too: %v", err)
	}
}
