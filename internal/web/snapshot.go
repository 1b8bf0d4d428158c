package web

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"github.com/twinning/twinning/internal/httpx"
	"io"
	"net/http"
	"os"

	"github.com/twinning/twinning/internal/exchange"
)

// The whole registry as an anonymous reader downloads it is a snapshot kept by
// exchange.Snapshots (internal/exchange/snapshot.go); here it is answered.

// Close removes what the server keeps on disk (the export snapshots).
func (s *Server) Close() error { return s.snapshots.Close() }

// exportSnapshot answers an anonymous reader's export of the whole registry from a snapshot.
func (s *Server) exportSnapshot(w http.ResponseWriter, r *http.Request, format, lang string) error {
	key := format
	if format == exchange.FormatICS {
		key += "-" + lang // the only format whose texts are in one language
	} else {
		lang = "en"
	}
	gen := s.intel.DataGen(r.Context())
	snap, wait := s.snapshots.For(key, gen, func(path string) error { return exchange.WriteSnapshot(s.db, path, format, lang) })
	if snap == nil {
		select {
		case <-wait:
		case <-r.Context().Done():
			return nil
		}
		if snap, _ = s.snapshots.For(key, gen, nil); snap == nil {
			return fmt.Errorf("no export snapshot of %s", key)
		}
	}
	f, err := os.Open(snap.Path)
	if err != nil { // replaced meanwhile: the next one is there
		if snap, _ = s.snapshots.For(key, gen, nil); snap != nil {
			f, err = os.Open(snap.Path)
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
	if httpx.AcceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		http.ServeContent(w, r, "", snap.At, f) // ranges and conditional requests too
		return nil
	}
	h.Set("Last-Modified", snap.At.UTC().Format(http.TimeFormat))
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 64<<10))
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, zr); err != nil {
		s.log.ErrorContext(r.Context(), "export snapshot", "format", format, "err", err) // the answer has begun: it ends short
	}
	return nil
}
