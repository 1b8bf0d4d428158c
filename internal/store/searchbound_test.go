package store

import (
	"context"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/twin"
)

// A search query is at most MaxQuery characters: a longer one is refused on q (it once made a
// query of more SELECTs than SQLite allows and cost a second of CPU with 3,000 words); one of
// that length, of many words or one long name, is answered.
func TestSearchQueryBounded(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	mkCity(t, db, "اصفهان", "Isfahan", "IR", "Q42053")
	long := strings.Repeat("word ", 1000)
	for _, q := range []string{long, strings.Repeat("ا", MaxQuery+1), strings.Repeat("Isfahan ", 40)} {
		_, err := db.Search(ctx, q, nil, 20)
		if twin.ErrorCode(err) != twin.EINVALID || twin.ErrorFields(err)["q"].Key != "too_long" {
			t.Errorf("a query of %d characters: %v", len([]rune(q)), err)
		}
	}
	for _, q := range []string{
		strings.Repeat("ab ", MaxQuery/3),                          // many words
		strings.Repeat("Isfahanabad", MaxQuery/11),                 // one long name: typo variants
		"Isfahan " + strings.Repeat("x", MaxQuery-len("Isfahan ")), // a word nobody has
	} {
		if _, err := db.Search(ctx, q, nil, 20); err != nil {
			t.Errorf("a query of %d characters: %v", len([]rune(q)), err)
		}
	}
	if hits, err := db.Search(ctx, "Isfahn", nil, 20); err != nil || len(hits) != 1 {
		t.Errorf("a typo no longer finds Isfahan: %v %v", hits, err)
	}
}
