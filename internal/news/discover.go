package news

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"

	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// Adding a feed: the address an admin gives is fetched once, as the poller would fetch it, so
// that what is added is a feed that can be read, with its title. A news site's page is as
// likely to be pasted as its feed: the feeds the page declares (<link rel="alternate"
// type="application/rss+xml" ...>) are found, and when it declares none a few common paths
// are tried.

// Found is the feed a check found at an address.
type Found struct {
	URL    string // the feed's address: the one given, or the one its page declares
	Title  string
	Site   string
	Format string // rss, atom, rdf
}

// Candidate is a feed a page declares, offered for the admin to choose.
type Candidate = store.FeedCandidate

// commonPaths are tried, from the site's root, on a page that declares no feed: the first
// that answers a feed is taken.
var commonPaths = []string{"/feed", "/rss", "/rss.xml", "/atom.xml"}

// The problems of a check, as field errors of "url" (message keys field.*).
const (
	KeyFeedUnreachable = "feed_unreachable" // {value, reason}: the address could not be read
	KeyFeedNone        = "feed_none"        // {value}: neither a feed nor a page that names one
	KeyFeedSeveral     = "feed_several"     // {value, candidates}: the page names several feeds
)

// Discover fetches rawURL once and returns the feed found there: rawURL itself when it is a
// feed; the one feed the page declares when it is an HTML page (or, when it declares none,
// the first of commonPaths that is a feed). Otherwise it returns a twin.Error (EINVALID) whose
// "url" problem is one of the Key* above; KeyFeedSeveral carries the candidates
// ([]Candidate) for the admin to choose from.
func (f *Fetcher) Discover(ctx context.Context, rawURL string) (*Found, error) {
	resp, err := f.Get(ctx, rawURL, "", "", FeedLimit)
	if err != nil {
		return nil, unreachable(ctx, rawURL, err)
	}
	if feed, err := Parse(resp.Body, resp.URL); err == nil {
		return found(rawURL, feed), nil
	}
	if !isHTML(resp) {
		return nil, twin.Problem("url", KeyFeedNone, map[string]any{"value": rawURL})
	}
	cands := declaredFeeds(resp)
	switch {
	case len(cands) == 1:
		return f.readFeed(ctx, cands[0].URL)
	case len(cands) > 1:
		return nil, twin.Problem("url", KeyFeedSeveral, map[string]any{"value": rawURL, "candidates": cands})
	}
	base, err := url.Parse(resp.URL)
	if err != nil {
		return nil, twin.Problem("url", KeyFeedNone, map[string]any{"value": rawURL})
	}
	for _, p := range commonPaths {
		// A site that answers every unknown path with its home page is not a feed there.
		fd, err := f.readFeed(ctx, (&url.URL{Scheme: base.Scheme, Host: base.Host, Path: p}).String())
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err == nil {
			return fd, nil
		}
	}
	return nil, twin.Problem("url", KeyFeedNone, map[string]any{"value": rawURL})
}

// readFeed reads the feed at u: the one a page declares, or one at a common path.
func (f *Fetcher) readFeed(ctx context.Context, u string) (*Found, error) {
	resp, err := f.Get(ctx, u, "", "", FeedLimit)
	if err != nil {
		return nil, unreachable(ctx, u, err)
	}
	feed, err := Parse(resp.Body, resp.URL)
	if err != nil {
		return nil, twin.Problem("url", KeyFeedNone, map[string]any{"value": u})
	}
	return found(u, feed), nil
}

// found is the Found of the feed read at u.
func found(u string, feed *Feed) *Found {
	return &Found{URL: u, Title: feed.Title, Site: feed.Site, Format: feed.Format}
}

// unreachable is the problem of an address that could not be read, with the reason in a
// few words (no URL repeated: the message names it).
func unreachable(ctx context.Context, u string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err() // the caller went away or gave up: nothing to tell the admin
	}
	reason := err.Error()
	var se *StatusError
	var ue *url.Error
	switch {
	case errors.As(err, &se):
		reason = se.Error()
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ue) && ue.Timeout():
		reason = "no answer in time"
	case errors.As(err, &ue):
		reason = ue.Err.Error()
	}
	return twin.Problem("url", KeyFeedUnreachable, map[string]any{"value": u, "reason": reason})
}

func isHTML(resp *Response) bool {
	ct := strings.ToLower(resp.ContentType)
	if strings.Contains(ct, "html") {
		return true
	}
	return strings.HasPrefix(http.DetectContentType(resp.Body), "text/html")
}

// feedTypes are the link types that declare a feed.
var feedTypes = map[string]bool{"application/rss+xml": true, "application/atom+xml": true, "application/rdf+xml": true}

// declaredFeeds lists the feeds an HTML page declares, in its order, each once, resolved
// against the page's address (or its <base href>).
func declaredFeeds(resp *Response) []Candidate {
	base, err := url.Parse(resp.URL)
	if err != nil {
		return nil
	}
	r, err := charset.NewReader(bytes.NewReader(resp.Body), resp.ContentType)
	if err != nil {
		return nil
	}
	var out []Candidate
	seen := map[string]bool{}
	z := html.NewTokenizer(r)
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		if !hasAttr || (string(name) != "link" && string(name) != "base") {
			continue
		}
		attrs := tagAttrs(z)
		if string(name) == "base" {
			if u, err := url.Parse(attrs["href"]); err == nil && attrs["href"] != "" {
				base = base.ResolveReference(u)
			}
			continue
		}
		typ, _, _ := strings.Cut(strings.ToLower(attrs["type"]), ";")
		if !hasToken(attrs["rel"], "alternate") || !feedTypes[strings.TrimSpace(typ)] || attrs["href"] == "" {
			continue
		}
		u := resolve(base, attrs["href"])
		if u == nil || (u.Scheme != "http" && u.Scheme != "https") {
			continue
		}
		u.Fragment = ""
		if s := u.String(); !seen[s] {
			seen[s] = true
			out = append(out, Candidate{URL: s, Title: PlainText(attrs["title"])})
		}
	}
}

// tagAttrs reads the current tag's attributes, their values trimmed (the last of a name wins).
func tagAttrs(z *html.Tokenizer) map[string]string {
	attrs := map[string]string{}
	for {
		k, v, more := z.TagAttr()
		attrs[string(k)] = strings.TrimSpace(string(v))
		if !more {
			return attrs
		}
	}
}

func hasToken(list, tok string) bool {
	for _, t := range strings.Fields(strings.ToLower(list)) {
		if t == tok {
			return true
		}
	}
	return false
}

// AddFeed is adding a feed as the command line, the API and the feeds page do it: the address
// and language are checked, an address already watched is refused before anything is
// fetched, and, when check is set, the address is read once (Discover) and the feed found is
// added with its title. Without check the address is added as given, to be read at the next
// poll (a host that is down at the moment, say).
func AddFeed(ctx context.Context, db *store.DB, f *Fetcher, rawURL, lang string, check bool) (*store.Feed, error) {
	u, err := store.CheckFeedInput(rawURL, lang)
	if err != nil {
		return nil, err
	}
	if err := db.FeedWatched(ctx, u); err != nil {
		return nil, err
	}
	in := &store.Feed{URL: u, Lang: lang}
	if check {
		found, err := f.Discover(ctx, u)
		if err != nil {
			return nil, err
		}
		in.URL, in.Title, in.Site = found.URL, found.Title, found.Site
	}
	return db.CreateFeed(ctx, in)
}
