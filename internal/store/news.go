package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/twinning/twinning/internal/twin"
)

// News monitoring: the feeds an admin watches and every article read from them (internal/news
// polls; this file only keeps). An article is recorded once per canonical URL; articles whose
// normalized text hashes alike are one group (the same story from two agencies), shown once.

// Feed is a watched RSS, Atom or RDF feed with what the next poll needs: the validators of
// the last answer (conditional GET) and the count of failures in a row (back-off).
type Feed struct {
	ID           int64      `json:"id"`
	URL          string     `json:"url"`
	Lang         string     `json:"lang"`
	Title        string     `json:"title"`
	Site         string     `json:"site,omitempty"`
	ETag         string     `json:"-"`
	LastModified string     `json:"-"`
	Failures     int        `json:"failures"`
	LastError    string     `json:"last_error,omitempty"`
	LastPoll     *time.Time `json:"last_poll,omitempty"`
	LastSuccess  *time.Time `json:"last_success,omitempty"`
	NextPoll     *time.Time `json:"next_poll,omitempty"`
	Created      time.Time  `json:"created"`
	CreatedBy    string     `json:"created_by"`
}

// Article signals: what an article would add to the registry, in the inbox's order.
const (
	SignalNone         = 0 // no twinning signal: kept as seen, not shown
	SignalKnown        = 1 // the registry already has what it says
	SignalActivity     = 2 // an activity under a partnership the registry knows
	SignalStatusChange = 3 // a known agreement whose status the article changes
	SignalNewAgreement = 4 // an agreement the registry lacks
)

// SignalNames are the signals' names in the API, by value.
var SignalNames = []string{"none", "known", "new_activity", "status_change", "new_agreement"}

// Reason is one thing an article says that the registry may lack (or has).
type Reason struct {
	Signal    string   `json:"signal"`           // one of SignalNames
	Cities    []string `json:"cities,omitempty"` // city references (Wikidata id or internal id)
	Names     []string `json:"names,omitempty"`  // the cities' names as the article's language writes them
	Status    string   `json:"status,omitempty"` // the agreement status the article reports
	Was       string   `json:"was,omitempty"`    // the registry's status, for a status change
	Kind      string   `json:"kind,omitempty"`   // an event's kind, for an activity
	Agreement int64    `json:"agreement,omitempty"`
}

// Article is a news article read from a feed.
type Article struct {
	ID      int64  `json:"id"`
	FeedID  int64  `json:"feed,omitempty"`
	URL     string `json:"url"`
	ItemKey string `json:"-"`
	// Keys are further item keys to remember for it (the item's link, when the page named
	// another canonical URL).
	Keys        []string   `json:"-"`
	Title       string     `json:"title"`
	Lang        string     `json:"lang"`
	Published   string     `json:"published,omitempty"` // YYYY-MM-DD
	Fetched     time.Time  `json:"fetched"`
	Text        string     `json:"text,omitempty"`
	TextHash    string     `json:"-"`
	GroupID     int64      `json:"group"`
	Signal      int        `json:"-"`
	SignalName  string     `json:"signal"`
	Reasons     []Reason   `json:"reasons"`
	Dismissed   *time.Time `json:"dismissed,omitempty"`
	DismissedBy string     `json:"dismissed_by,omitempty"`
	// Also are the URLs of the other articles of its group (the same story elsewhere).
	Also []string `json:"also,omitempty"`
}

// CheckFeedURL validates a feed's address: absolute http(s), no credentials.
func CheckFeedURL(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || len(raw) > 2000 {
		return raw, false
	}
	u.Fragment = ""
	return u.String(), true
}

// FeedCandidate is a feed a page declares, offered to the admin to choose when the page
// declares several (internal/news finds them).
type FeedCandidate struct {
	URL   string `json:"url"`
	Title string `json:"title,omitempty"` // the link's title attribute
}

// CheckFeedInput validates what an admin types to watch a feed: an http(s) address and a
// language, "fa" or "en". It returns the address as it is stored.
func CheckFeedInput(rawURL, lang string) (string, error) {
	p := twin.Problems{}
	u, ok := CheckFeedURL(rawURL)
	if strings.TrimSpace(rawURL) == "" {
		p.Add("url", twin.KeyRequired, nil)
	} else if !ok {
		p.Add("url", "feed_url", map[string]any{"value": u})
	}
	if lang != "fa" && lang != "en" {
		p.Add("lang", twin.KeyInvalidChoice, map[string]any{"value": lang, "choices": "fa, en"})
	}
	return u, p.Err()
}

// feedTaken is the error of a feed already watched.
func feedTaken(u string) error {
	p := twin.Problems{}
	p.Add("url", "taken", map[string]any{"value": u})
	return &twin.Error{Code: twin.ECONFLICT, Message: "feed already watched", Fields: map[string]twin.FieldError(p)}
}

// FeedWatched reports, as the conflict AddFeed would answer, that rawURL is already watched;
// nil when it is not (so that adding it need not first fetch it).
func (db *DB) FeedWatched(ctx context.Context, rawURL string) error {
	u, _ := CheckFeedURL(rawURL)
	if _, err := db.FeedByRef(ctx, u); err == nil {
		return feedTaken(u)
	}
	return nil
}

// AddFeed starts watching a feed. lang is the feed's language, "fa" or "en".
func (db *DB) AddFeed(ctx context.Context, rawURL, lang string) (f *Feed, err error) {
	return db.CreateFeed(ctx, &Feed{URL: rawURL, Lang: lang})
}

// CreateFeed starts watching in.URL in in.Lang, with the title and site a check of the feed
// found (internal/news); the rest of in is ignored.
func (db *DB) CreateFeed(ctx context.Context, in *Feed) (f *Feed, err error) {
	defer wrap(&err, "AddFeed(%q)", in.URL)
	u, err := CheckFeedInput(in.URL, in.Lang)
	if err != nil {
		return nil, err
	}
	f = &Feed{URL: u, Lang: in.Lang, Title: in.Title, Site: in.Site}
	err = db.Write(ctx, func(t *Tx) error {
		f.Created, f.CreatedBy = t.now, t.actor
		if f.CreatedBy == "" {
			f.CreatedBy = "system"
		}
		if err := t.queryRow(ctx, "INSERT INTO feeds (url, lang, title, site, created, created_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
			f.URL, f.Lang, f.Title, f.Site, ts(t.now), f.CreatedBy).Scan(&f.ID); err != nil {
			return err
		}
		after, _ := json.Marshal(f)
		return t.logChange(ctx, "feed", f.ID, 1, "create", nil, after)
	})
	if twin.ErrorCode(err) == twin.ECONFLICT {
		return nil, feedTaken(f.URL)
	}
	return f, err
}

const feedCols = "id, url, lang, title, site, etag, last_modified, failures, last_error, last_poll, last_success, next_poll, created, created_by"

func scanFeed(row interface{ Scan(...any) error }) (*Feed, error) {
	var f Feed
	var lastPoll, lastSuccess, nextPoll sql.NullString
	var created string
	if err := row.Scan(&f.ID, &f.URL, &f.Lang, &f.Title, &f.Site, &f.ETag, &f.LastModified, &f.Failures, &f.LastError,
		&lastPoll, &lastSuccess, &nextPoll, &created, &f.CreatedBy); err != nil {
		if err == sql.ErrNoRows {
			return nil, twin.Errorf(twin.ENOTFOUND, "no such feed")
		}
		return nil, err
	}
	f.LastPoll, f.LastSuccess, f.NextPoll = optTime(lastPoll), optTime(lastSuccess), optTime(nextPoll)
	f.Created = parseTS(created)
	return &f, nil
}

func optTime(s sql.NullString) *time.Time {
	if !s.Valid || s.String == "" {
		return nil
	}
	t := parseTS(s.String)
	return &t
}

func optTS(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ts(*t)
}

// Feeds lists the watched feeds by id.
func (db *DB) Feeds(ctx context.Context) (out []*Feed, err error) {
	defer wrap(&err, "Feeds")
	rows, err := db.query(ctx, "SELECT "+feedCols+" FROM feeds ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		f, err := scanFeed(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// FeedByRef reads a feed by its id or its URL.
func (db *DB) FeedByRef(ctx context.Context, ref string) (f *Feed, err error) {
	defer wrap(&err, "FeedByRef(%q)", ref)
	if id, perr := strconv.ParseInt(ref, 10, 64); perr == nil {
		return scanFeed(db.queryRow(ctx, "SELECT "+feedCols+" FROM feeds WHERE id = ?", id))
	}
	u, _ := CheckFeedURL(ref)
	return scanFeed(db.queryRow(ctx, "SELECT "+feedCols+" FROM feeds WHERE url = ?", u))
}

// RemoveFeed stops watching a feed. The articles read from it stay (the inbox keeps them).
func (db *DB) RemoveFeed(ctx context.Context, id int64) (err error) {
	defer wrap(&err, "RemoveFeed(%d)", id)
	return db.Write(ctx, func(t *Tx) error {
		f, err := scanFeed(t.queryRow(ctx, "SELECT "+feedCols+" FROM feeds WHERE id = ?", id))
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, "UPDATE articles SET feed_id = NULL WHERE feed_id = ?", id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM feeds WHERE id = ?", id); err != nil {
			return err
		}
		before, _ := json.Marshal(f)
		return t.logChange(ctx, "feed", id, 1, "delete", before, nil)
	})
}

// SaveFeedPoll records a poll's outcome: the feed's title and site, validators, failures in
// a row, the last error and when to poll next. A feed removed meanwhile is not an error.
func (db *DB) SaveFeedPoll(ctx context.Context, f *Feed) (err error) {
	defer wrap(&err, "SaveFeedPoll(%d)", f.ID)
	return db.WriteQuiet(ctx, func(t *Tx) error {
		_, err := t.exec(ctx, "UPDATE feeds SET title = ?, site = ?, etag = ?, last_modified = ?, failures = ?, last_error = ?, last_poll = ?, last_success = ?, next_poll = ? WHERE id = ?",
			f.Title, f.Site, f.ETag, f.LastModified, f.Failures, f.LastError, optTS(f.LastPoll), optTS(f.LastSuccess), optTS(f.NextPoll), f.ID)
		return err
	})
}

// ArticleKnown reports whether an article was already read, by its feed item's key or by its
// (canonical) URL: an item seen once is never fetched again.
func (db *DB) ArticleKnown(ctx context.Context, itemKey, articleURL string) (known bool, err error) {
	defer wrap(&err, "ArticleKnown")
	var one int
	err = db.queryRow(ctx, "SELECT 1 FROM article_items WHERE item_key = ? UNION ALL SELECT 1 FROM articles WHERE url = ? LIMIT 1", itemKey, articleURL).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}

// AddArticle records an article unless its URL is already recorded (created is then false,
// and the item's key is remembered for the recorded one). An article whose text hashes like an
// earlier one joins that one's group, dismissed if the group was.
func (db *DB) AddArticle(ctx context.Context, a *Article) (created bool, err error) {
	defer wrap(&err, "AddArticle(%q)", a.URL)
	reasons, _ := json.Marshal(a.Reasons)
	if a.Reasons == nil {
		reasons = []byte("[]")
	}
	err = db.WriteQuiet(ctx, func(t *Tx) error {
		// Two agencies' copies of one story read at once by two pollers must make one group:
		// on PostgreSQL, whose writers do not wait for each other, the story's hash is locked
		// until the transaction ends (SQLite has one writer at a time already).
		if err := t.lockKey(ctx, "article-story:"+a.TextHash); err != nil {
			return err
		}
		var existing int64
		switch err := t.queryRow(ctx, "SELECT id FROM articles WHERE url = ?", a.URL).Scan(&existing); err {
		case nil:
			return t.rememberItems(ctx, a, existing)
		case sql.ErrNoRows:
		default:
			return err
		}
		var group sql.NullInt64
		var dismissed, dismissedBy sql.NullString
		err := t.queryRow(ctx, "SELECT id, dismissed, dismissed_by FROM articles WHERE text_hash = ? AND id = group_id ORDER BY id LIMIT 1", a.TextHash).Scan(&group, &dismissed, &dismissedBy)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		var feed any
		if a.FeedID != 0 {
			feed = a.FeedID
		}
		a.Fetched = t.now
		if err := t.queryRow(ctx, "INSERT INTO articles (feed_id, url, item_key, title, lang, published, fetched, text, text_hash, group_id, signal, reasons, dismissed, dismissed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			feed, a.URL, a.ItemKey, a.Title, a.Lang, a.Published, ts(t.now), a.Text, a.TextHash, group, a.Signal, string(reasons), dismissed, dismissedBy).Scan(&a.ID); err != nil {
			return err
		}
		a.GroupID = a.ID
		if group.Valid {
			a.GroupID = group.Int64
		} else if _, err := t.exec(ctx, "UPDATE articles SET group_id = id WHERE id = ?", a.ID); err != nil {
			return err
		}
		created = true
		return t.rememberItems(ctx, a, a.ID)
	})
	return created, err
}

func (t *Tx) rememberItems(ctx context.Context, a *Article, article int64) error {
	for _, key := range append([]string{a.ItemKey}, a.Keys...) {
		if key == "" {
			continue
		}
		if _, err := t.exec(ctx, "INSERT INTO article_items (item_key, article_id) VALUES (?, ?) ON CONFLICT (item_key) DO NOTHING", key, article); err != nil {
			return err
		}
	}
	return nil
}

const articleCols = "id, feed_id, url, item_key, title, lang, published, fetched, text, text_hash, group_id, signal, reasons, dismissed, dismissed_by"

func scanArticle(row interface{ Scan(...any) error }) (*Article, error) {
	var a Article
	var feed, group sql.NullInt64
	var fetched, reasons string
	var dismissed, dismissedBy sql.NullString
	if err := row.Scan(&a.ID, &feed, &a.URL, &a.ItemKey, &a.Title, &a.Lang, &a.Published, &fetched, &a.Text, &a.TextHash,
		&group, &a.Signal, &reasons, &dismissed, &dismissedBy); err != nil {
		if err == sql.ErrNoRows {
			return nil, twin.Errorf(twin.ENOTFOUND, "no such article")
		}
		return nil, err
	}
	a.FeedID, a.GroupID, a.Fetched = feed.Int64, group.Int64, parseTS(fetched)
	a.Dismissed, a.DismissedBy = optTime(dismissed), dismissedBy.String
	if a.Signal >= 0 && a.Signal < len(SignalNames) {
		a.SignalName = SignalNames[a.Signal]
	}
	a.Reasons = []Reason{}
	if err := json.Unmarshal([]byte(reasons), &a.Reasons); err != nil {
		return nil, err
	}
	return &a, nil
}

// Article reads an article by id, with the URLs of the rest of its group.
func (db *DB) Article(ctx context.Context, id int64) (a *Article, err error) {
	defer wrap(&err, "Article(%d)", id)
	if a, err = scanArticle(db.queryRow(ctx, "SELECT "+articleCols+" FROM articles WHERE id = ?", id)); err != nil {
		return nil, err
	}
	return a, db.fillAlso(ctx, []*Article{a})
}

func (db *DB) fillAlso(ctx context.Context, as []*Article) error {
	for _, a := range as {
		rows, err := db.query(ctx, "SELECT url FROM articles WHERE group_id = ? AND id <> ? ORDER BY id", a.GroupID, a.ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var u string
			if err := rows.Scan(&u); err != nil {
				rows.Close()
				return err
			}
			a.Also = append(a.Also, u)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// InboxQuery selects the inbox's articles.
type InboxQuery struct {
	Dismissed bool // the dismissed ones instead of the open ones
	Limit     int  // at most this many (default 100)
}

// Inbox lists the articles with a twinning signal, one per group, ranked by what they would
// add (new agreement, status change, new activity, already known), then newest first.
func (db *DB) Inbox(ctx context.Context, q InboxQuery) (out []*Article, err error) {
	defer wrap(&err, "Inbox")
	if q.Limit <= 0 || q.Limit > 500 {
		q.Limit = 100
	}
	cond := "dismissed IS NULL"
	if q.Dismissed {
		cond = "dismissed IS NOT NULL"
	}
	rows, err := db.query(ctx, "SELECT "+articleCols+" FROM articles WHERE signal > 0 AND id = group_id AND "+cond+
		" ORDER BY signal DESC, published DESC, id DESC LIMIT ?", q.Limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return out, db.fillAlso(ctx, out)
}

// CountArticles counts the articles recorded and those in the open inbox.
func (db *DB) CountArticles(ctx context.Context) (all, open int64, err error) {
	defer wrap(&err, "CountArticles")
	err = db.queryRow(ctx, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN signal > 0 AND id = group_id AND dismissed IS NULL THEN 1 ELSE 0 END), 0) FROM articles").Scan(&all, &open)
	return all, open, err
}

// DismissArticle takes an article's group out of the inbox for good; the actor is recorded.
func (db *DB) DismissArticle(ctx context.Context, id int64) (err error) {
	defer wrap(&err, "DismissArticle(%d)", id)
	return db.Write(ctx, func(t *Tx) error {
		var group int64
		if err := t.queryRow(ctx, "SELECT group_id FROM articles WHERE id = ?", id).Scan(&group); err != nil {
			return translate(err)
		}
		actor := t.actor
		if actor == "" {
			actor = "system"
		}
		res, err := t.exec(ctx, "UPDATE articles SET dismissed = ?, dismissed_by = ? WHERE group_id = ? AND dismissed IS NULL", ts(t.now), actor, group)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // dismissed before: nothing changes
		}
		after, _ := json.Marshal(map[string]any{"dismissed": ts(t.now), "dismissed_by": actor, "group": group})
		return t.logChange(ctx, "article", id, 1, "update", []byte(`{"dismissed":null}`), after)
	})
}
