package exchange

import (
	"errors"
	"log/slog"
	"os"
	"testing"
)

// A snapshot is made once for everyone asking, kept while the data is unchanged or it is
// young, made again when the data changed and it is old (readers meanwhile get the old one),
// the replaced file is removed, and Close removes the folder.
func TestSnapshots(t *testing.T) {
	t.Parallel()
	ss := &Snapshots{Log: slog.New(slog.DiscardHandler)}
	made := 0
	write := func(content string) func(string) error {
		return func(path string) error {
			made++
			return os.WriteFile(path, []byte(content), 0o600)
		}
	}
	snap, making := ss.For("jsonl", 1, write("one"))
	if snap != nil || making == nil {
		t.Fatalf("first ask: %+v %v", snap, making)
	}
	<-making
	snap, making = ss.For("jsonl", 1, write("again"))
	if snap == nil || making != nil || made != 1 {
		t.Fatalf("unchanged data: %+v making=%v made=%d", snap, making != nil, made)
	}
	if _, making = ss.For("jsonl", 2, write("young")); making != nil {
		t.Fatal("changed data, but the snapshot is young: made again")
	}
	ss.mu.Lock()
	ss.m["jsonl"].At = ss.m["jsonl"].At.Add(-SnapshotEvery)
	ss.mu.Unlock()
	old := snap.Path
	got, making := ss.For("jsonl", 2, write("two"))
	if got == nil || got.Path != old || making == nil {
		t.Fatalf("an old snapshot of changed data: %+v, made again: %v", got, making != nil)
	}
	<-making
	got, _ = ss.For("jsonl", 2, nil)
	if b, err := os.ReadFile(got.Path); err != nil || string(b) != "two" || got.Gen != 2 {
		t.Fatalf("the new snapshot: %q %v gen %d", b, err, got.Gen)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("the replaced snapshot %s is still there: %v", old, err)
	}
	// A failed making keeps the latest good snapshot.
	ss.mu.Lock()
	ss.m["jsonl"].At = ss.m["jsonl"].At.Add(-SnapshotEvery)
	ss.mu.Unlock()
	_, making = ss.For("jsonl", 3, func(string) error { return errors.New("disk full") })
	<-making
	if kept, _ := ss.For("jsonl", 3, nil); kept == nil || kept.Path != got.Path {
		t.Errorf("after a failed making: %+v", kept)
	}
	dir := ss.dir
	if err := ss.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the snapshots' folder %s outlives Close: %v", dir, err)
	}
}
