package web

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/twin"
)

// TestDiskFull: when the database cannot grow, a write answers 507 with a translated message
// and changes nothing, /healthz says writes are failing, and once there is room again writes
// work and /healthz recovers, without a restart. SQLite's storage is capped with
// max_page_count (SQLITE_FULL); PostgreSQL's disk_full (53100) is raised by a trigger.
func TestDiskFull(t *testing.T) {
	t.Parallel()
	ts, db := newTestServer(t)
	ctx := context.Background()
	full, room := "PRAGMA max_page_count = 1", "PRAGMA max_page_count = 1073741823"
	if db.Dialect() == "postgres" {
		if err := db.Exec(ctx, `CREATE FUNCTION twinning_test_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$`); err != nil {
			t.Fatal(err)
		}
		full = "CREATE TRIGGER full_disk BEFORE INSERT ON changes FOR EACH ROW EXECUTE FUNCTION twinning_test_full()"
		room = "DROP TRIGGER full_disk ON changes"
	}
	health := func() map[string]any {
		_, body := do(t, ts, call{method: "GET", path: "/healthz", noAuth: true})
		var h map[string]any
		if err := json.Unmarshal([]byte(body), &h); err != nil {
			t.Fatal(err)
		}
		return h
	}
	city := func(i int) call {
		return call{method: "POST", path: "/api/v1/cities", headers: map[string]string{"Accept-Language": "fa"},
			body: fmt.Sprintf(`{"names":{"en":"Fulltown %d %s"},"country":"IR"}`, i, strings.Repeat("x", 200))}
	}
	if h := health(); h["status"] != "ok" || h["writes"] != "ok" {
		t.Fatalf("healthz before: %v", h)
	}
	if err := db.Exec(ctx, full); err != nil {
		t.Fatal(err)
	}
	before, _ := db.Count(ctx, twin.KindCity)
	// The first pages may still have room: write until the storage refuses.
	var status int
	var body string
	for i := 0; i < 200 && status != 507; i++ {
		resp, b := do(t, ts, city(i))
		status, body = resp.StatusCode, b
		if status != 201 && status != 507 {
			t.Fatalf("write on a full disk: %d %s", status, body)
		}
	}
	if status != 507 {
		t.Fatal("the storage never filled up")
	}
	want := i18n.T("fa", "error.storage_full", nil)
	if !strings.Contains(body, `"storage_full"`) || !strings.Contains(body, want) {
		t.Errorf("507 body: %s", body)
	}
	after, _ := db.Count(ctx, twin.KindCity)
	if h := health(); h["status"] != "degraded" || h["writes"] != "failing" {
		t.Errorf("healthz while writes fail: %v", h)
	}
	// Room again: the next write works and the health recovers.
	if err := db.Exec(ctx, room); err != nil {
		t.Fatal(err)
	}
	if resp, body := do(t, ts, city(1000)); resp.StatusCode != 201 {
		t.Fatalf("write after room was made: %d %s", resp.StatusCode, body)
	}
	if h := health(); h["status"] != "ok" || h["writes"] != "ok" {
		t.Errorf("healthz after recovery: %v", h)
	}
	if n, _ := db.Count(ctx, twin.KindCity); n != after+1 || after < before {
		t.Errorf("cities: %d before, %d while full, %d after one more write", before, after, n)
	}
}
