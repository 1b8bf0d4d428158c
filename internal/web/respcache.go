package web

import (
	"bytes"
	"context"
	"github.com/twinning/twinning/internal/httpx"
	"net/http"
	"runtime"
	"runtime/debug"
	"sync"
	"time"
)

// The answers everyone asks for most (a city's page, its partners, the city as JSON) are kept,
// per exact request, for anonymous readers, until the data changes: a write on this server
// drops them at once, another writer's (another server, `twinning import`) within dataEvery,
// and none is older than cacheMaxAge, so that what ages with the clock (vitality, "today")
// still does. A reader signed in, or sending a credential or a conditional request, is always
// answered afresh. The issue this answers: the city page computed everything on every view.

const (
	cacheMaxAge     = time.Minute
	cacheMaxEntries = 8192
	cacheMaxBytes   = 48 << 20
)

type respCache struct {
	mu      sync.RWMutex
	gen     uint64
	m       map[string]*cachedAnswer
	bytes   int
	pending map[string]*pendingAnswer // answers being computed
}

// call is an answer being computed, which readers of the same key wait for.
type pendingAnswer struct {
	gen  uint64
	done chan struct{}
	ans  *cachedAnswer
}

// join returns the computation of key for gen, and whether the caller is to start it.
func (c *respCache) join(key string, gen uint64) (*pendingAnswer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p := c.pending[key]; p != nil && p.gen == gen {
		return p, false
	}
	if c.pending == nil {
		c.pending = map[string]*pendingAnswer{}
	}
	p := &pendingAnswer{gen: gen, done: make(chan struct{})}
	c.pending[key] = p
	return p, true
}

// finish hands the answer to the waiting readers and, with keep, keeps it.
func (c *respCache) finish(key string, p *pendingAnswer, e *cachedAnswer, keep bool) {
	p.ans = e
	close(p.done)
	c.mu.Lock()
	if c.pending[key] == p {
		delete(c.pending, key)
	}
	c.mu.Unlock()
	if keep {
		c.put(key, p.gen, e)
	}
}

type cachedAnswer struct {
	status int
	header http.Header
	body   []byte
	at     time.Time
}

func (c *respCache) get(key string, gen uint64) *cachedAnswer {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.gen != gen {
		return nil
	}
	e := c.m[key]
	if e == nil || time.Since(e.at) > cacheMaxAge {
		return nil
	}
	return e
}

func (c *respCache) put(key string, gen uint64, e *cachedAnswer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen || c.m == nil || len(c.m) >= cacheMaxEntries || c.bytes+len(e.body) > cacheMaxBytes {
		c.m, c.bytes, c.gen = map[string]*cachedAnswer{}, 0, gen // a new generation, or full: start over
	}
	if old := c.m[key]; old != nil {
		c.bytes -= len(old.body)
	}
	c.m[key] = e
	c.bytes += len(e.body)
}

// cacheable says whether a request may be answered from, and its answer kept in, the cache.
func cacheable(r *http.Request) bool {
	if r.Method != http.MethodGet || r.Header.Get("Authorization") != "" || sessionID(r) != "" {
		return false
	}
	for _, h := range []string{"If-None-Match", "If-Modified-Since", "If-Match", "If-Range", "Range"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	return true
}

// cached answers from the cache when it can, and keeps a fresh anonymous answer otherwise.
// Readers asking at once for the same answer wait for one computation, and a reader who gives
// up does not waste it: it goes on (for cacheCompute at most) and is kept for the next.
func (s *Server) cached(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.intel == nil || !cacheable(r) {
			h(w, r)
			return
		}
		gen := s.intel.DataGen(r.Context())
		gz := "-"
		if httpx.AcceptsGzip(r) {
			gz = "gzip"
		}
		key := r.URL.RequestURI() + "\x00" + r.Header.Get("Accept-Language") + "\x00" + gz
		e := s.answers.get(key, gen)
		if e == nil {
			c, first := s.answers.join(key, gen)
			if first {
				go s.compute(h, r, key, gen, c)
			}
			select {
			case <-c.done:
				e = c.ans
			case <-r.Context().Done():
				return // the client left; the answer will be kept for the next one
			}
			if e == nil { // abandoned before it began: answer this reader directly
				h(w, r)
				return
			}
		}
		hd := w.Header()
		for k, v := range e.header {
			hd[k] = v
		}
		w.WriteHeader(e.status)
		w.Write(e.body)
	}
}

// cacheCompute bounds the time an answer is computed for after its reader has left.
const cacheCompute = 10 * time.Second

// computeSlots bounds the answers computed at once: under a burst of different cold pages,
// a few finish soon (and are kept) rather than all of them late.
var computeSlots = make(chan struct{}, 2*runtime.GOMAXPROCS(0))

func (s *Server) compute(h http.HandlerFunc, r *http.Request, key string, gen uint64, c *pendingAnswer) {
	select {
	case computeSlots <- struct{}{}:
		defer func() { <-computeSlots }()
	case <-r.Context().Done(): // the reader left while it waited its turn: nothing is begun
		s.answers.finish(key, c, nil, false)
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), cacheCompute)
	defer cancel()
	rec := &recorder{header: http.Header{}}
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
			rec = &recorder{header: http.Header{"Content-Type": {"text/plain; charset=utf-8"}}, status: http.StatusInternalServerError}
			rec.body.WriteString("internal error\n")
		}
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		e := &cachedAnswer{status: rec.status, header: rec.header, body: bytes.Clone(rec.body.Bytes()), at: time.Now()} // no spare capacity kept
		// Kept only if nothing changed while it was computed, and only a plain success that
		// sets no cookie; every reader waiting gets it all the same.
		keep := rec.status == http.StatusOK && rec.header.Get("Set-Cookie") == "" && ctx.Err() == nil && s.intel.DataGen(ctx) == gen
		s.answers.finish(key, c, e, keep)
	}()
	h(rec, r.WithContext(ctx))
}

// recorder keeps a handler's answer.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

// cachedRoute says whether a route's answers are kept.
func cachedRoute(rt route) bool {
	return rt.cached && rt.method == "GET" && !rt.write
}
