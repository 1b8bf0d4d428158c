package ui

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/twinning/twinning/internal/httpx"
)

// The static files the pages use are embedded, read and checksummed once, when the package
// starts, and served under checksummed URLs so that they can be cached for a year.

//go:embed static
var staticFS embed.FS

// staticFile is one embedded static file with its checksum and, for text, a gzipped copy made
// when it is first asked for.
type staticFile struct {
	body     []byte
	ctype    string
	hash     string // the first 12 hex digits of its SHA-256
	compress bool
	gzOnce   sync.Once
	gz       []byte
}

// gzipped returns the file gzip-compressed, or nil when it is not worth compressing.
func (f *staticFile) gzipped() []byte {
	if !f.compress {
		return nil
	}
	f.gzOnce.Do(func() {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(f.body)
		zw.Close()
		f.gz = buf.Bytes()
	})
	return f.gz
}

var assets = mustLoadAssets()

// mustLoadAssets reads every static file and checksums it; a stylesheet that names a missing
// file stops the program.
func mustLoadAssets() map[string]*staticFile {
	out := map[string]*staticFile{}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		out[strings.TrimPrefix(p, "static/")] = newStaticFile(p, b)
		return nil
	})
	if err != nil {
		panic(err)
	}
	// Stylesheets name fonts and images by their plain path; they are rewritten to the
	// checksummed URLs (and so checksummed again themselves).
	for name, f := range out {
		if strings.HasSuffix(name, ".css") {
			f.body = rewriteCSS(name, f.body, out)
			sum := sha256.Sum256(f.body)
			f.hash = hex.EncodeToString(sum[:6])
		}
	}
	return out
}

// newStaticFile is the static file at p with body b, its type told by its extension.
func newStaticFile(p string, b []byte) *staticFile {
	sum := sha256.Sum256(b)
	ext := path.Ext(p)
	f := &staticFile{body: b, hash: hex.EncodeToString(sum[:6]), ctype: mime.TypeByExtension(ext)}
	switch ext {
	case ".woff2":
		f.ctype = "font/woff2"
	case ".svg":
		f.ctype = "image/svg+xml"
	case ".txt":
		f.ctype = "text/plain; charset=utf-8"
	}
	if f.ctype == "" {
		f.ctype = "application/octet-stream"
	}
	f.compress = ext == ".css" || ext == ".js" || ext == ".svg" || ext == ".txt"
	return f
}

// rewriteCSS points the url()s of the stylesheet name at the checksummed URLs of the files in
// all.
func rewriteCSS(name string, body []byte, all map[string]*staticFile) []byte {
	return cssURL.ReplaceAllFunc(body, func(m []byte) []byte {
		ref := string(cssURL.FindSubmatch(m)[1])
		dep, ok := all[path.Join(path.Dir(name), ref)]
		if !ok {
			panic("web: " + name + " refers to a missing static file " + ref)
		}
		return []byte("url(/static/" + dep.hash + "/" + path.Join(path.Dir(name), ref) + ")")
	})
}

var cssURL = regexp.MustCompile(`url\(([a-zA-Z0-9_./-]+)\)`)

// assetURL is the checksummed URL of a static file: it changes whenever the file does, so the
// file can be cached for a year.
func assetURL(name string) string {
	f, ok := assets[name]
	if !ok {
		panic("web: no static file " + name)
	}
	return "/static/" + f.hash + "/" + name
}

// ServeStatic answers GET /static/{hash}/{path...}.
func ServeStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := assets[r.PathValue("path")]
	if !ok || r.PathValue("hash") != f.hash {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", `"`+f.hash+`"`)
	h.Add("Vary", "Accept-Encoding")
	if r.Header.Get("If-None-Match") == `"`+f.hash+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := f.body
	if gz := f.gzipped(); gz != nil && httpx.AcceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = gz
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}
