package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twinning/twinning/internal/dataset"
	"github.com/twinning/twinning/internal/twin"
)

// GenerateActivities makes n activities with Persian titles and descriptions written the ways
// real Persian web text is: ZWNJ present, stripped or spaced, Arabic ي/ك, kashida, Persian,
// Arabic-Indic or ASCII digits. The same seed gives the same activities.
func GenerateActivities(n int, seed uint64, agreements []int64, cityNames []string) []*twin.Activity {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	subjects := []string{"جشنواره فیلم کودک", "نمایشگاه صنایع دستی", "هفته فرهنگی", "همایش بین‌المللی", "نشست شهرداران", "سفر هیئت تجاری",
		"کارگاه باستان‌شناسی", "تبادل دانشجو", "کنسرت موسیقی سنتی", "رونمایی کتاب", "تور گردشگری", "مسابقه ورزشی جوانان"}
	verbs := []string{"برگزار شد", "برگزار خواهد شد", "می‌توانند همکاری کنند", "امضا کردند", "افتتاح شد", "به پایان رسید"}
	extras := []string{"با حضور دانشگاه‌های دو شهر", "با همکاری اتاق بازرگانی", "در حوزه گردشگری و فرهنگ", "با مشارکت شهروندان",
		"در چارچوب تفاهم‌نامه خواهرخواندگی", "با تولید محتوای دیجیتال", "با حمایت کتابخانه ملی", "در میدان اصلی شهر"}
	kinds := []string{"event", "festival", "exhibition", "visit", "meeting", "exchange", "conference", "training"}
	domains := []string{"culture", "tourism", "film", "music", "books", "education", "trade", "archaeology", "sport", "youth"}
	digits := func(s string, style int) string {
		var zero rune
		switch style {
		case 1:
			zero = '۰'
		case 2:
			zero = '٠'
		default:
			return s
		}
		return strings.Map(func(c rune) rune {
			if c >= '0' && c <= '9' {
				return zero + c - '0'
			}
			return c
		}, s)
	}
	mangle := func(s string) string {
		switch r.IntN(6) {
		case 0:
			s = strings.ReplaceAll(s, "\u200c", "") // stripped ZWNJ
		case 1:
			s = strings.ReplaceAll(s, "\u200c", " ") // ZWNJ typed as a space
		case 2:
			s = strings.NewReplacer("ی", "ي", "ک", "ك").Replace(s) // Arabic letters
		case 3:
			s = strings.Replace(s, "ه", "ـــه", 1) // kashida
		}
		return s
	}
	out := make([]*twin.Activity, n)
	for i := range out {
		city := cityNames[r.IntN(len(cityNames))]
		year := 1390 + r.IntN(15)
		title := fmt.Sprintf("%s %s", subjects[r.IntN(len(subjects))], city)
		desc := fmt.Sprintf("%s در سال %s %s %s.", title, digits(fmt.Sprint(year), r.IntN(3)), extras[r.IntN(len(extras))], verbs[r.IntN(len(verbs))])
		out[i] = &twin.Activity{
			Agreement:   agreements[r.IntN(len(agreements))],
			Kind:        kinds[r.IntN(len(kinds))],
			Title:       twin.Names{"fa": mangle(title)},
			Description: twin.Names{"fa": mangle(desc)},
			Domains:     []string{domains[r.IntN(len(domains))]},
			Start:       &twin.PartialDate{Calendar: "jalali", Value: fmt.Sprint(year)},
		}
	}
	return out
}

var world struct {
	once      sync.Once
	db        *DB
	err       error
	indexTime time.Duration
	rows      int
}

// worldWithActivities loads the bundled world and 100,000 generated activities once per test
// process into a SQLite registry in a temporary folder.
func worldWithActivities(b *testing.B) *DB {
	world.once.Do(func() {
		ctx := context.Background()
		// TWINNING_BENCH_DB keeps the built registry between runs: built when missing, reused after.
		path := os.Getenv("TWINNING_BENCH_DB")
		if path != "" {
			if _, err := os.Stat(path); err == nil {
				db, err := Open(ctx, path)
				world.db, world.err = db, err
				if err == nil {
					db.queryRow(ctx, "SELECT COUNT(*) FROM search_terms").Scan(&world.rows)
				}
				return
			}
		} else {
			dir, err := mkTemp()
			if err != nil {
				world.err = err
				return
			}
			path = filepath.Join(dir, "world.db")
		}
		db, err := Open(ctx, path)
		if err != nil {
			world.err = err
			return
		}
		if _, err := db.Migrate(ctx); err != nil {
			world.err = err
			return
		}
		var agreements []int64
		var names []string
		var recs []any
		err = dataset.Decode(dataset.Bundle(), func(r dataset.Record) error {
			switch r.Type {
			case dataset.TypeCity:
				if fa := r.City.Names["fa"]; fa != "" {
					names = append(names, fa)
				}
				recs = append(recs, r.City)
			case dataset.TypeAgreement:
				agreements = append(agreements, r.Agreement.ID)
				recs = append(recs, r.Agreement)
			}
			return nil
		})
		if err == nil {
			_, err = bulkLoad(ctx, db, recs)
		}
		if err == nil {
			_, err = db.EnsureSearchIndexes(ctx)
		}
		if err != nil {
			world.err = err
			return
		}
		acts := GenerateActivities(100000, 1, agreements, names)
		start := time.Now()
		err = db.WriteQuiet(ctx, func(t *Tx) error {
			for _, a := range acts {
				if _, err := db.Activities.CreateTx(ctx, t, a); err != nil {
					return err
				}
			}
			return nil
		})
		world.indexTime = time.Since(start)
		world.db, world.err = db, err
		db.queryRow(ctx, "SELECT COUNT(*) FROM search_terms").Scan(&world.rows)
	})
	if world.err != nil {
		b.Fatal(world.err)
	}
	return world.db
}

// BenchmarkSearchWorld measures search latency over the world dataset plus 100,000 generated
// Persian activities, reporting p50 and p99 per query and the time to write and index the
// activities: go test -run '^$' -bench SearchWorld -benchtime 1x ./internal/store
func BenchmarkSearchWorld(b *testing.B) {
	db := worldWithActivities(b)
	ctx := context.Background()
	queries := []string{"سمرقند", "Samarkand", "Самарканд", "اصفهان", "Isfahan", "Esfahan", "Tehran", "Paris", "Samarkant",
		"جشنواره", "جشنواره فیلم کودک", "می توانند", "بین المللی", "دانشگاه های", "كتابخانه ملي", "تصریح", "۱۳۹۷", "1397",
		"همکاری فرهنگی", "نمایشگاه صنایع دستی اصفهان", "Kuala Lumpur", "Saint Petersburg", "xyzzy"}
	var lat []time.Duration
	worst := map[string]time.Duration{}
	for b.Loop() {
		for _, q := range queries {
			start := time.Now()
			if _, err := db.Search(ctx, q, nil, 20); err != nil {
				b.Fatal(err)
			}
			d := time.Since(start)
			lat = append(lat, d)
			worst[q] = max(worst[q], d)
		}
	}
	for q, d := range worst {
		if d > 5*time.Millisecond {
			b.Logf("slow query %q: %s", q, d)
		}
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(world.indexTime.Seconds(), "index-100k-s")
	b.ReportMetric(float64(world.rows), "index-rows")
}

func mkTemp() (string, error) { return os.MkdirTemp("", "twinning-search-bench-") }
