package news

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fetcher is a polite HTTP client: one request to a host at a time, no two closer than Pace;
// conditional GET; a whole-request time-out; a size cap, so that a host that answers 2 GB
// costs only the cap; a bounded number of redirects; an honest User-Agent.
type Fetcher struct {
	Client    *http.Client
	UserAgent string
	Pace      time.Duration // the least time between two requests to one host
	Timeout   time.Duration // a whole request, headers and body

	mu   sync.Mutex
	next map[string]time.Time // host → when it may be asked again
	now  func() time.Time
}

// Defaults.
const (
	DefaultPace      = 5 * time.Second
	DefaultTimeout   = 45 * time.Second
	FeedLimit        = 4 << 20 // a feed's bytes at most
	PageLimit        = 2 << 20 // an article page's bytes at most
	maxRedirects     = 5
	connectTimeout   = 10 * time.Second
	firstByteTimeout = 20 * time.Second
)

// NewFetcher makes a Fetcher with its own transport (connect and header time-outs).
func NewFetcher(userAgent string) *Fetcher {
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: connectTimeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   connectTimeout,
		ResponseHeaderTimeout: firstByteTimeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       90 * time.Second,
	}
	return &Fetcher{Client: &http.Client{Transport: tr}, UserAgent: userAgent, Pace: DefaultPace, Timeout: DefaultTimeout}
}

// UserAgent is the User-Agent Twinning sends: its version and, when the instance has a public
// address, that address, so a publisher knows who is reading and whom to ask.
func UserAgent(version, publicURL string) string {
	if version == "" {
		version = "dev"
	}
	ua := "Twinning/" + version
	if publicURL != "" {
		ua += " (+" + publicURL + ")"
	} else {
		ua += " (+https://github.com/twinning/twinning)"
	}
	return ua
}

// Response is what a fetch brought back.
type Response struct {
	URL          string // after redirects
	Status       int
	NotModified  bool
	Body         []byte
	ContentType  string
	ETag         string
	LastModified string
	RetryAfter   time.Duration // asked by a 429 or 503
}

// ErrTooLarge is returned for a body over the cap.
var ErrTooLarge = errors.New("too large")

// StatusError is an answer other than 200 or 304.
type StatusError struct {
	Status     int
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP %d %s", e.Status, http.StatusText(e.Status))
}

// wait reserves the host's next slot and sleeps until it comes.
func (f *Fetcher) wait(ctx context.Context, host string) error {
	now := time.Now
	if f.now != nil {
		now = f.now
	}
	f.mu.Lock()
	if f.next == nil {
		f.next = map[string]time.Time{}
	}
	at := now()
	if n, ok := f.next[host]; ok && n.After(at) {
		at = n
	}
	f.next[host] = at.Add(f.Pace)
	f.mu.Unlock()
	d := at.Sub(now())
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Get fetches rawURL with the validators of the last answer (etag, lastModified may be
// empty), reading at most limit bytes.
func (f *Fetcher) Get(ctx context.Context, rawURL, etag, lastModified string, limit int64) (*Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("not an http(s) URL: %q", rawURL)
	}
	if err := f.wait(ctx, strings.ToLower(u.Host)); err != nil {
		return nil, err
	}
	if f.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.Timeout)
		defer cancel()
	}
	req, err := f.request(ctx, u, etag, lastModified)
	if err != nil {
		return nil, err
	}
	client := f.client()
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out := &Response{URL: resp.Request.URL.String(), Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"),
		ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		if out.ETag == "" {
			out.ETag = etag
		}
		if out.LastModified == "" {
			out.LastModified = lastModified
		}
		return out, nil
	case resp.StatusCode != http.StatusOK:
		se := &StatusError{Status: resp.StatusCode}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			se.RetryAfter = retryAfter(resp.Header.Get("Retry-After"))
		}
		return nil, se
	}
	body, err := readLimited(resp, limit)
	if err != nil {
		return nil, err
	}
	out.Body = body
	return out, nil
}

// request is the GET of u, conditional on the validators of the last answer when given.
func (f *Fetcher) request(ctx context.Context, u *url.URL, etag, lastModified string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", f.UserAgent)
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5")
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	if lastModified != "" {
		req.Header.Set("If-Modified-Since", lastModified)
	}
	return req, nil
}

// client is f's client following at most maxRedirects redirects, to http(s) only, each
// with the User-Agent.
func (f *Fetcher) client() http.Client {
	client := *f.Client
	client.CheckRedirect = func(r *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return fmt.Errorf("more than %d redirects", maxRedirects)
		}
		if r.URL.Scheme != "http" && r.URL.Scheme != "https" {
			return fmt.Errorf("redirect to %q", r.URL.Scheme)
		}
		r.Header.Set("User-Agent", f.UserAgent)
		return nil
	}
	return client
}

// readLimited reads the answer's body, refusing one longer than limit bytes (ErrTooLarge).
func readLimited(resp *http.Response, limit int64) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrTooLarge, resp.ContentLength, limit)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
	}
	return body, nil
}

func retryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}
