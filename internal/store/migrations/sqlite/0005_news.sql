-- News monitoring, SQLite dialect: the feeds an admin watches, with what conditional GET and
-- back-off need between polls, and every article read from them, once (internal/news).
CREATE TABLE feeds (
	id            INTEGER PRIMARY KEY,
	url           TEXT NOT NULL UNIQUE,
	lang          TEXT NOT NULL,
	title         TEXT NOT NULL DEFAULT '',
	site          TEXT NOT NULL DEFAULT '',
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	failures      INTEGER NOT NULL DEFAULT 0,
	last_error    TEXT NOT NULL DEFAULT '',
	last_poll     TEXT,
	last_success  TEXT,
	next_poll     TEXT,
	created       TEXT NOT NULL,
	created_by    TEXT NOT NULL
);
-- An article is one canonical URL. item_key is the feed item's guid (or link), so that an item
-- already read is never fetched again; text_hash groups the same story from two agencies, and
-- group_id is the first article of its group. signal ranks what the article would add to the
-- registry (0 nothing: seen, not shown; 1 already known; 2 new activity; 3 status change;
-- 4 new agreement).
CREATE TABLE articles (
	id           INTEGER PRIMARY KEY,
	feed_id      INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
	url          TEXT NOT NULL UNIQUE,
	item_key     TEXT NOT NULL,
	title        TEXT NOT NULL,
	lang         TEXT NOT NULL,
	published    TEXT NOT NULL DEFAULT '',
	fetched      TEXT NOT NULL,
	text         TEXT NOT NULL,
	text_hash    TEXT NOT NULL,
	group_id     INTEGER,
	signal       INTEGER NOT NULL DEFAULT 0,
	reasons      TEXT NOT NULL DEFAULT '[]',
	dismissed    TEXT,
	dismissed_by TEXT
);
CREATE INDEX articles_hash ON articles(text_hash);
CREATE INDEX articles_inbox ON articles(signal, dismissed);
-- Every feed item key an article was read under (two feeds, or one feed that changed an item's
-- guid, may name one article): a key seen once is never fetched again.
CREATE TABLE article_items (
	item_key   TEXT PRIMARY KEY,
	article_id INTEGER NOT NULL REFERENCES articles(id)
);
