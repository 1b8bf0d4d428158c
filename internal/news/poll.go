package news

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html/charset"

	"github.com/twinning/twinning/internal/extract"
	"github.com/twinning/twinning/internal/persian"
	"github.com/twinning/twinning/internal/store"
)

// Poller polls the registry's feeds and records what they bring.
type Poller struct {
	DB       *store.DB
	Fetch    *Fetcher
	Interval time.Duration // between two polls of a feed (DefaultInterval when zero)
	Workers  int           // feeds polled at once (4 when zero)
	// Gazetteer resolves the cities articles name; the bundled one when nil.
	Gazetteer extract.Gazetteer
	Log       *slog.Logger
	Now       func() time.Time

	running sync.Mutex // one pass at a time in this process
	gazMu   sync.Mutex
	passGaz extract.Gazetteer // the registry's gazetteer of the current pass
}

// Defaults of the schedule.
const (
	DefaultInterval = 30 * time.Minute
	maxBackoff      = 24 * time.Hour
	maxItems        = 200 // items read from one feed in one pass, newest first as the feed lists them
	fullTextRunes   = 500 // an item's content this long is the article, not a teaser
)

// Report says what one pass did.
type Report struct {
	Feeds []FeedReport `json:"feeds"`
}

// FeedReport is one feed's part of a pass.
type FeedReport struct {
	Feed        *store.Feed      `json:"feed"`
	NotModified bool             `json:"not_modified,omitempty"`
	Items       int              `json:"items"`
	Known       int              `json:"known"`
	New         []*store.Article `json:"new"`
	Failed      int              `json:"failed"` // items whose page could not be read (tried again next pass)
	Err         string           `json:"error,omitempty"`
}

func (p *Poller) now() time.Time {
	if p.Now != nil {
		return p.Now().UTC()
	}
	return time.Now().UTC()
}

func (p *Poller) interval() time.Duration {
	if p.Interval > 0 {
		return p.Interval
	}
	return DefaultInterval
}

func (p *Poller) log() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.New(slog.DiscardHandler)
}

// Poll makes one pass: every feed that is due (all of them when all is set), a few at a time,
// so that a slow or hanging feed holds only its own slot.
func (p *Poller) Poll(ctx context.Context, all bool) (*Report, error) {
	p.running.Lock()
	defer p.running.Unlock()
	// Two servers on one PostgreSQL database: one polls, the other then finds nothing due.
	unlock, err := p.DB.Lock(ctx, "news-poll")
	if err != nil {
		return nil, err
	}
	defer unlock()
	feeds, err := p.DB.Feeds(ctx)
	if err != nil {
		return nil, err
	}
	now := p.now()
	var due []*store.Feed
	for _, f := range feeds {
		if all || f.NextPoll == nil || !f.NextPoll.After(now) {
			due = append(due, f)
		}
	}
	defer func() {
		// The registry changes between passes: the next one builds its gazetteer afresh.
		p.gazMu.Lock()
		p.passGaz = nil
		p.gazMu.Unlock()
	}()
	rep := &Report{Feeds: make([]FeedReport, len(due))}
	workers := p.Workers
	if workers <= 0 {
		workers = 4
	}
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i, f := range due {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			rep.Feeds[i] = p.pollFeed(ctx, f)
		}()
	}
	wg.Wait()
	return rep, ctx.Err()
}

// Run polls due feeds until ctx ends, checking every minute (or every interval, if shorter).
// It never returns an error: a failed pass is logged and the next one tried.
func (p *Poller) Run(ctx context.Context) {
	tick := min(time.Minute, p.interval())
	for {
		rep, err := p.Poll(ctx, false)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			p.log().Error("news: poll failed", "err", err)
		}
		if rep != nil {
			for _, fr := range rep.Feeds {
				attrs := []any{"feed", fr.Feed.URL, "items", fr.Items, "new", len(fr.New)}
				if fr.Err != "" {
					p.log().Warn("news: feed failed", append(attrs, "err", fr.Err, "failures", fr.Feed.Failures)...)
				} else {
					p.log().Debug("news: feed polled", append(attrs, "not_modified", fr.NotModified)...)
				}
			}
		}
		t := time.NewTimer(tick)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// backoff is how long a feed that failed n times in a row rests: the interval doubled with
// each failure, at most a day.
func backoff(interval time.Duration, n int) time.Duration {
	d := interval
	for i := 0; i < n && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}

// pollFeed reads one feed, records its new articles and saves when it was polled and when it
// is polled next.
func (p *Poller) pollFeed(ctx context.Context, f *store.Feed) (fr FeedReport) {
	fr.Feed, fr.New = f, []*store.Article{}
	start := p.now()
	f.LastPoll = &start
	resp, err := p.Fetch.Get(ctx, f.URL, f.ETag, f.LastModified, FeedLimit)
	if err != nil {
		return p.pollFailed(ctx, f, fr, err)
	}
	if !resp.NotModified {
		feed, err := Parse(resp.Body, resp.URL)
		if err != nil {
			return p.pollFailed(ctx, f, fr, err)
		}
		if feed.Title != "" {
			f.Title = feed.Title
		}
		f.Site = feed.Site
		items := feed.Items
		if len(items) > maxItems {
			items = items[:maxItems]
		}
		fr.Items = len(items)
		itemErrs, err := p.readItems(ctx, f, items, &fr)
		if err != nil {
			return p.pollFailed(ctx, f, fr, err)
		}
		f.ETag, f.LastModified = resp.ETag, resp.LastModified
		f.LastError = ""
		if fr.Failed > 0 {
			// Ask for the whole feed next time, so the items not read are seen again.
			f.ETag, f.LastModified = "", ""
			f.LastError = fmt.Sprintf("%d of %d articles could not be read: %s", fr.Failed, fr.Items, strings.Join(itemErrs, "; "))
		}
	} else {
		fr.NotModified = true
		f.LastError = ""
	}
	done := p.now()
	f.Failures, f.LastSuccess = 0, &done
	next := done.Add(p.interval())
	f.NextPoll = &next
	if err := p.DB.SaveFeedPoll(context.WithoutCancel(ctx), f); err != nil {
		fr.Err = err.Error()
	}
	return fr
}

// pollFailed records a failed poll of f: the error, and the next poll put off the more the
// more polls in a row failed (or as long as the server's Retry-After asks, up to maxBackoff).
func (p *Poller) pollFailed(ctx context.Context, f *store.Feed, fr FeedReport, err error) FeedReport {
	f.Failures++
	f.LastError = err.Error()
	rest := backoff(p.interval(), f.Failures)
	var se *StatusError
	if errors.As(err, &se) && se.RetryAfter > rest {
		rest = min(se.RetryAfter, maxBackoff)
	}
	next := p.now().Add(rest)
	f.NextPoll = &next
	if err := p.DB.SaveFeedPoll(context.WithoutCancel(ctx), f); err != nil {
		p.log().Error("news: saving a poll", "feed", f.URL, "err", err)
	}
	fr.Err = f.LastError
	return fr
}

// readItems reads the feed's items into fr: new, known before or failed, with the first
// three failures' errors. It stops with ctx's error when ctx ends.
func (p *Poller) readItems(ctx context.Context, f *store.Feed, items []Item, fr *FeedReport) ([]string, error) {
	var itemErrs []string
	for _, it := range items {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		a, known, err := p.readItem(ctx, f, it)
		switch {
		case err != nil:
			fr.Failed++
			if len(itemErrs) < 3 {
				itemErrs = append(itemErrs, err.Error())
			}
		case known:
			fr.Known++
		case a != nil:
			fr.New = append(fr.New, a)
		}
	}
	return itemErrs, nil
}

// readItem records one item: its text from the feed when the feed carries the article, else
// from its page. known is set for an item read before (it is not fetched again).
func (p *Poller) readItem(ctx context.Context, f *store.Feed, it Item) (a *store.Article, known bool, err error) {
	key := strconv.FormatInt(f.ID, 10) + "|" + it.Key()
	link := ""
	if it.Link != "" {
		link = CanonicalURL(it.Link)
	}
	if known, err := p.DB.ArticleKnown(ctx, key, link); err != nil || known {
		return nil, known, err
	}
	a = &store.Article{FeedID: f.ID, ItemKey: key, URL: link, Title: it.Title, Lang: f.Lang}
	if link != "" {
		a.Keys = []string{"link|" + link}
	}
	content := HTMLText(it.Content)
	summary := HTMLText(it.Summary)
	switch {
	case utf8.RuneCountInString(content) >= fullTextRunes:
		a.Text = content
	case utf8.RuneCountInString(summary) >= 3*fullTextRunes:
		a.Text = summary
	case link != "":
		if known, err := p.fromPage(ctx, a, key, link, strings.TrimSpace(content+"\n"+summary)); err != nil || known {
			return nil, known, err
		}
	default:
		a.Text = strings.TrimSpace(content + "\n" + summary)
	}
	if a.URL == "" {
		// No link at all: the feed's URL and the item's key name it.
		a.URL = f.URL + "#" + url.QueryEscape(it.Key())
	}
	// The stored form of Persian text (Arabic yeh and kaf of windows-1256 feeds, presentation
	// forms, stray controls), paragraph by paragraph.
	a.Title, a.Text = persian.Canonical(a.Title), canonicalLines(a.Text)
	if a.Title == "" {
		a.Title = firstLine(a.Text, 120)
	}
	a.Published = p.published(it)
	a.TextHash = TextHash(a.Title + "\n" + a.Text)
	if err := p.classify(ctx, a); err != nil {
		return nil, false, err
	}
	created, err := p.DB.AddArticle(ctx, a)
	if err != nil || !created {
		return nil, !created, err
	}
	return a, false, nil
}

// published is the item's day of publication, or today's when the feed gives none.
func (p *Poller) published(it Item) string {
	if !it.Published.IsZero() {
		return it.Published.Format("2006-01-02")
	}
	return p.now().Format("2006-01-02")
}

// fromPage gives a the text and, when the feed gave none, the title of its page at link,
// and the page's canonical address. A page gone for good or too large leaves fallback as the
// text. known is set when the canonical page was read before from another feed's link: this
// item's keys are remembered for it.
func (p *Poller) fromPage(ctx context.Context, a *store.Article, key, link, fallback string) (known bool, err error) {
	canon, title, text, err := p.readPage(ctx, link)
	var se *StatusError
	switch {
	case errors.As(err, &se) && se.Status >= 400 && se.Status < 500 && se.Status != 429 && se.Status != 408,
		errors.Is(err, ErrTooLarge):
		// The page is gone for good, or will never fit: what the feed says is all there is.
		text = ""
	case err != nil:
		return false, fmt.Errorf("%s: %w", link, err)
	}
	if canon != "" && canon != link {
		if known, err := p.DB.ArticleKnown(ctx, key, canon); err != nil {
			return false, err
		} else if known {
			// Another feed's link to the same page: remember this item's keys for it.
			a.URL = canon
			if _, err := p.DB.AddArticle(ctx, a); err != nil {
				return false, err
			}
			return true, nil
		}
		a.URL = canon
	}
	if a.Title == "" {
		a.Title = title
	}
	a.Text = text
	if a.Text == "" {
		a.Text = fallback
	}
	return false, nil
}

func canonicalLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = persian.Canonical(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func firstLine(s string, n int) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n])) + "…"
}

// readPage fetches an article's page and takes its main text (readability), its title and its
// canonical URL.
func (p *Poller) readPage(ctx context.Context, link string) (canon, title, text string, err error) {
	resp, err := p.Fetch.Get(ctx, link, "", "", PageLimit)
	if err != nil {
		return "", "", "", err
	}
	base, err := url.Parse(resp.URL)
	if err != nil {
		return "", "", "", err
	}
	body := resp.Body
	if r, err := charset.NewReader(bytes.NewReader(body), resp.ContentType); err == nil {
		var b bytes.Buffer
		if _, err := b.ReadFrom(r); err == nil {
			body = b.Bytes()
		}
	}
	if c := canonicalLink(body, base); c != "" {
		canon = CanonicalURL(c)
	} else if resp.URL != link {
		canon = CanonicalURL(resp.URL)
	}
	art, err := readability.FromReader(bytes.NewReader(body), base)
	if err != nil || art.Node == nil {
		return canon, "", "", nil
	}
	var h bytes.Buffer
	if err := art.RenderHTML(&h); err != nil {
		return canon, "", "", nil
	}
	return canon, PlainText(art.Title()), HTMLText(h.String()), nil
}
