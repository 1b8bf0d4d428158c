package web

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/twinning/twinning/internal/exchange"
)

// The whole registry as an anonymous reader downloads it (/api/v1/export without a city) is a
// snapshot, as open-data portals publish their dumps: made in the background once per format
// (and language, for iCalendar), kept gzip-compressed in a temporary folder, and made again
// when the data has changed, at most every snapshotEvery. Its Last-Modified says when it was
// made. A reader never pays for making it: the first reader of a format waits for its first
// snapshot (made once, for everyone asking), later readers get the latest one at once while a
// newer one is made. Signed-in readers get the registry as it is, made for them.

// snapshotEvery is how often a snapshot of a changing registry is made again at most.
const snapshotEvery = 5 * time.Minute

type snapshots struct {
	mu  sync.Mutex
	dir string // made on first use
	m   map[string]*snapshot
	// slot lets one snapshot be made at a time: each holds the whole registry in memory.
	slot chan struct{}
}

// snapshot is one format's latest file and the making of the next.
type snapshot struct {
	path   string
	gen    uint64    // the data generation it shows
	at     time.Time // when it was made
	making chan struct{}
	tried  time.Time // when the last making began
	err    error     // the last making's failure: tried again after snapshotEvery/10
}

// snapshotFor returns the latest snapshot of key (nil when there is none yet), starting the
// making of a new one by write (when given) when the data changed (gen) and the latest is old
// enough, or none exists; and, while one is being made, a channel closed when it is done.
func (s *Server) snapshotFor(key string, gen uint64, write func(path string) error) (*snapshot, <-chan struct{}) {
	ss := &s.snapshots
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.m == nil {
		ss.m = map[string]*snapshot{}
		ss.slot = make(chan struct{}, 1)
	}
	cur := ss.m[key]
	if cur == nil {
		cur = &snapshot{}
		ss.m[key] = cur
	}
	stale := cur.path == "" || cur.gen != gen && time.Since(cur.at) >= snapshotEvery
	if stale && write != nil && cur.making == nil && (cur.err == nil || time.Since(cur.tried) >= snapshotEvery/10) {
		cur.making, cur.tried = make(chan struct{}), time.Now()
		go s.makeSnapshot(key, gen, cur.making, write)
	}
	if cur.path == "" {
		return nil, cur.making
	}
	snap := *cur
	return &snap, cur.making
}

// makeSnapshot makes a snapshot of key in a new file and puts it in place of the old one.
func (s *Server) makeSnapshot(key string, gen uint64, done chan struct{}, write func(path string) error) {
	ss := &s.snapshots
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
		s.log.Error("making the export snapshot", "format", key, "err", err)
	}
	ss.mu.Lock()
	cur := ss.m[key]
	cur.making, cur.err = nil, err
	var old string
	if err == nil {
		old = cur.path
		cur.path, cur.gen, cur.at = path, gen, time.Now()
	}
	ss.mu.Unlock()
	close(done)
	if old != "" {
		// Readers that opened it keep reading it: the name goes, the file stays theirs.
		os.Remove(old)
	}
}

// Close removes what the server keeps on disk (the export snapshots).
func (s *Server) Close() error {
	ss := &s.snapshots
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.dir == "" {
		return nil
	}
	err := os.RemoveAll(ss.dir)
	ss.dir, ss.m = "", nil
	return err
}

// exportSnapshot answers an anonymous reader's export of the whole registry from a snapshot.
func (s *Server) exportSnapshot(w http.ResponseWriter, r *http.Request, format, lang string) error {
	key := format
	if format == exchange.FormatICS {
		key += "-" + lang // the only format whose texts are in one language
	} else {
		lang = "en"
	}
	gen := s.intel.DataGen(r.Context())
	snap, wait := s.snapshotFor(key, gen, s.snapshotWriter(format, lang))
	if snap == nil {
		select {
		case <-wait:
		case <-r.Context().Done():
			return nil
		}
		if snap, _ = s.snapshotFor(key, gen, nil); snap == nil {
			return fmt.Errorf("no export snapshot of %s", key)
		}
	}
	f, err := os.Open(snap.path)
	if err != nil { // replaced meanwhile: the next one is there
		if snap, _ = s.snapshotFor(key, gen, nil); snap != nil {
			f, err = os.Open(snap.path)
		}
		if err != nil {
			return err
		}
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", exchange.ContentType(format))
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="twinning.%s"`, format))
	h.Set("Vary", "Accept-Encoding")
	h.Set("Cache-Control", "public, max-age=60")
	if acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		http.ServeContent(w, r, "", snap.at, f) // ranges and conditional requests too
		return nil
	}
	h.Set("Last-Modified", snap.at.UTC().Format(http.TimeFormat))
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 64<<10))
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, zr); err != nil {
		s.log.ErrorContext(r.Context(), "export snapshot", "format", format, "err", err) // the answer has begun: it ends short
	}
	return nil
}

// snapshotWriter writes a snapshot of the whole registry in format (lang: of iCalendar's texts).
func (s *Server) snapshotWriter(format, lang string) func(path string) error {
	return func(path string) error { return s.writeSnapshot(path, format, lang) }
}

// writeSnapshot writes the whole registry in format, gzip-compressed, into path. Private
// fields are left out, as for any anonymous reader.
func (s *Server) writeSnapshot(path, format, lang string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	d, err := exchange.Gather(ctx, s.db, "", 0)
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
	if err := exchange.Write(bw, format, d, lang); err != nil {
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
