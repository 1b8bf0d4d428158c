package exchange

import (
	"bufio"
	"compress/gzip"
	"context"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/twinning/twinning/internal/store"
)

// The whole registry as an anonymous reader downloads it (/api/v1/export without a city) is a
// snapshot, as open-data portals publish their dumps: made in the background once per format
// (and language, for iCalendar), kept gzip-compressed in a temporary folder, and made again
// when the data has changed, at most every snapshotEvery. Its Last-Modified says when it was
// made. A reader never pays for making it: the first reader of a format waits for its first
// snapshot (made once, for everyone asking), later readers get the latest one at once while a
// newer one is made. Signed-in readers get the registry as it is, made for them.

// SnapshotEvery is how often a snapshot of a changing registry is made again at most.
const SnapshotEvery = 5 * time.Minute

// Snapshots keeps the latest snapshot of each key (a format, with its language when it has
// one) in a temporary folder. Its zero value is ready; Log must be set.
type Snapshots struct {
	Log *slog.Logger

	mu  sync.Mutex
	dir string // made on first use
	m   map[string]*Snapshot
	// slot lets one snapshot be made at a time: each holds the whole registry in memory.
	slot chan struct{}
}

// Snapshot is one format's latest file and the making of the next.
type Snapshot struct {
	Path   string
	Gen    uint64    // the data generation it shows
	At     time.Time // when it was made
	making chan struct{}
	tried  time.Time // when the last making began
	err    error     // the last making's failure: tried again after snapshotEvery/10
}

// For returns the latest snapshot of key (nil when there is none yet), starting the
// making of a new one by write (when given) when the data changed (gen) and the latest is old
// enough, or none exists; and, while one is being made, a channel closed when it is done.
func (ss *Snapshots) For(key string, gen uint64, write func(path string) error) (*Snapshot, <-chan struct{}) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.m == nil {
		ss.m = map[string]*Snapshot{}
		ss.slot = make(chan struct{}, 1)
	}
	cur := ss.m[key]
	if cur == nil {
		cur = &Snapshot{}
		ss.m[key] = cur
	}
	stale := cur.Path == "" || cur.Gen != gen && time.Since(cur.At) >= SnapshotEvery
	if stale && write != nil && cur.making == nil && (cur.err == nil || time.Since(cur.tried) >= SnapshotEvery/10) {
		cur.making, cur.tried = make(chan struct{}), time.Now()
		go ss.make(key, gen, cur.making, write)
	}
	if cur.Path == "" {
		return nil, cur.making
	}
	snap := *cur
	return &snap, cur.making
}

// make makes a snapshot of key in a new file and puts it in place of the old one.
func (ss *Snapshots) make(key string, gen uint64, done chan struct{}, write func(path string) error) {
	ss.slot <- struct{}{}
	defer func() { <-ss.slot }()
	path, err := func() (string, error) {
		ss.mu.Lock()
		if ss.dir == "" {
			dir, err := os.MkdirTemp("", "twinning-export-")
			if err != nil {
				ss.mu.Unlock()
				return "", err
			}
			ss.dir = dir
		}
		dir := ss.dir
		ss.mu.Unlock()
		f, err := os.CreateTemp(dir, key+"-*.gz")
		if err != nil {
			return "", err
		}
		f.Close()
		if err := write(f.Name()); err != nil {
			os.Remove(f.Name())
			return "", err
		}
		return f.Name(), nil
	}()
	if err != nil {
		ss.Log.Error("making the export snapshot", "format", key, "err", err)
	}
	ss.mu.Lock()
	cur := ss.m[key]
	cur.making, cur.err = nil, err
	var old string
	if err == nil {
		old = cur.Path
		cur.Path, cur.Gen, cur.At = path, gen, time.Now()
	}
	ss.mu.Unlock()
	if old != "" {
		// Readers that opened it keep reading it: the name goes, the file stays theirs.
		os.Remove(old)
	}
	// Done only once the replaced file is gone, so nothing waiting sees both.
	close(done)
}

// Close removes the snapshots' folder.
func (ss *Snapshots) Close() error {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.dir == "" {
		return nil
	}
	err := os.RemoveAll(ss.dir)
	ss.dir, ss.m = "", nil
	return err
}

// WriteSnapshot writes the whole registry in format, gzip-compressed, into path. Private
// fields are left out, as for any anonymous reader.
func WriteSnapshot(db *store.DB, path, format, lang string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	d, err := Gather(ctx, db, "", 0)
	if err != nil {
		return err
	}
	for _, p := range d.People {
		p.Contact = ""
	}
	for _, p := range d.Proposals {
		p.Contact = ""
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	zw, _ := gzip.NewWriterLevel(f, gzip.DefaultCompression)
	bw := bufio.NewWriterSize(zw, 64<<10)
	if err := Write(bw, format, d, lang); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}
