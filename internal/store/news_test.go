package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// Two copies of one story (the same folded text from two agencies) written at the same moment
// by two pollers make one group: whichever is written first heads it, the other joins it. On
// PostgreSQL, whose writers do not wait for each other, this needs the story's lock.
func TestArticlesOfOneStoryAtOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	for round := range 20 {
		hash := fmt.Sprintf("story-%d", round)
		arts := []*Article{
			{URL: fmt.Sprintf("https://agency-a.example/%d", round), Title: "A", Lang: "fa", Text: "t", TextHash: hash},
			{URL: fmt.Sprintf("https://agency-b.example/%d", round), Title: "B", Lang: "fa", Text: "t", TextHash: hash},
		}
		var wg sync.WaitGroup
		errs := make([]error, len(arts))
		for i, a := range arts {
			wg.Go(func() { _, errs[i] = db.AddArticle(ctx, a) })
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if arts[0].GroupID != arts[1].GroupID {
			t.Fatalf("round %d: one story in two groups (%d, %d)", round, arts[0].GroupID, arts[1].GroupID)
		}
	}
}
