-- Twinning schema, SQLite dialect. Every record keeps its whole JSON document in `doc`; the
-- columns beside it are the ones queries filter, join or enforce on.
CREATE TABLE countries (
	code TEXT PRIMARY KEY,
	doc  TEXT NOT NULL
);
CREATE TABLE cities (
	id       INTEGER PRIMARY KEY,
	version  INTEGER NOT NULL,
	wikidata TEXT UNIQUE,
	country  TEXT NOT NULL,
	doc      TEXT NOT NULL,
	created  TEXT NOT NULL,
	updated  TEXT NOT NULL,
	deleted  TEXT
);
CREATE INDEX cities_country ON cities(country);
CREATE TABLE agreements (
	id      INTEGER PRIMARY KEY,
	version INTEGER NOT NULL,
	city_a  INTEGER NOT NULL REFERENCES cities(id),
	city_b  INTEGER NOT NULL REFERENCES cities(id),
	kind    TEXT NOT NULL,
	status  TEXT NOT NULL,
	doc     TEXT NOT NULL,
	created TEXT NOT NULL,
	updated TEXT NOT NULL,
	deleted TEXT
);
CREATE INDEX agreements_a ON agreements(city_a);
CREATE INDEX agreements_b ON agreements(city_b);
CREATE TABLE institutions (
	id      INTEGER PRIMARY KEY,
	version INTEGER NOT NULL,
	city_id INTEGER NOT NULL REFERENCES cities(id),
	type    TEXT NOT NULL,
	doc     TEXT NOT NULL,
	created TEXT NOT NULL,
	updated TEXT NOT NULL,
	deleted TEXT
);
CREATE INDEX institutions_city ON institutions(city_id);
CREATE TABLE links (
	id           INTEGER PRIMARY KEY,
	version      INTEGER NOT NULL,
	inst_a       INTEGER NOT NULL REFERENCES institutions(id),
	inst_b       INTEGER NOT NULL REFERENCES institutions(id),
	agreement_id INTEGER REFERENCES agreements(id),
	status       TEXT NOT NULL,
	doc          TEXT NOT NULL,
	created      TEXT NOT NULL,
	updated      TEXT NOT NULL,
	deleted      TEXT
);
CREATE INDEX links_agreement ON links(agreement_id);
CREATE INDEX links_a ON links(inst_a);
CREATE INDEX links_b ON links(inst_b);
CREATE TABLE networks (
	id      INTEGER PRIMARY KEY,
	version INTEGER NOT NULL,
	kind    TEXT NOT NULL,
	doc     TEXT NOT NULL,
	created TEXT NOT NULL,
	updated TEXT NOT NULL,
	deleted TEXT
);
CREATE TABLE network_members (
	network_id INTEGER NOT NULL REFERENCES networks(id),
	city_id    INTEGER NOT NULL REFERENCES cities(id),
	PRIMARY KEY (network_id, city_id)
);
CREATE INDEX network_members_city ON network_members(city_id);
CREATE TABLE activities (
	id           INTEGER PRIMARY KEY,
	version      INTEGER NOT NULL,
	agreement_id INTEGER REFERENCES agreements(id),
	link_id      INTEGER REFERENCES links(id),
	network_id   INTEGER REFERENCES networks(id),
	kind         TEXT NOT NULL,
	start_date   TEXT,
	doc          TEXT NOT NULL,
	created      TEXT NOT NULL,
	updated      TEXT NOT NULL,
	deleted      TEXT
);
CREATE INDEX activities_agreement ON activities(agreement_id);
CREATE INDEX activities_link ON activities(link_id);
CREATE INDEX activities_start ON activities(start_date);
CREATE TABLE people (
	id      INTEGER PRIMARY KEY,
	version INTEGER NOT NULL,
	doc     TEXT NOT NULL,
	created TEXT NOT NULL,
	updated TEXT NOT NULL,
	deleted TEXT
);
CREATE TABLE proposals (
	id           INTEGER PRIMARY KEY,
	version      INTEGER NOT NULL,
	agreement_id INTEGER REFERENCES agreements(id),
	status       TEXT NOT NULL,
	doc          TEXT NOT NULL,
	created      TEXT NOT NULL,
	updated      TEXT NOT NULL,
	deleted      TEXT
);
CREATE TABLE domains (
	code TEXT PRIMARY KEY,
	doc  TEXT NOT NULL
);
CREATE TABLE documents (
	id           INTEGER PRIMARY KEY,
	agreement_id INTEGER NOT NULL REFERENCES agreements(id),
	name         TEXT NOT NULL,
	kind         TEXT NOT NULL,
	lang         TEXT NOT NULL,
	type         TEXT NOT NULL,
	size         INTEGER NOT NULL,
	sha256       TEXT NOT NULL,
	data         BLOB NOT NULL,
	created      TEXT NOT NULL,
	deleted      TEXT
);
CREATE INDEX documents_agreement ON documents(agreement_id);
CREATE TABLE changes (
	id        INTEGER PRIMARY KEY,
	kind      TEXT NOT NULL,
	record_id INTEGER NOT NULL,
	version   INTEGER NOT NULL,
	action    TEXT NOT NULL,
	actor     TEXT NOT NULL,
	at        TEXT NOT NULL,
	before    TEXT,
	after     TEXT
);
CREATE INDEX changes_record ON changes(kind, record_id);
-- The search index: our own Persian-aware terms (internal/persian), identical on both engines.
CREATE TABLE search_terms (
	term   TEXT NOT NULL,
	kind   TEXT NOT NULL,
	id     INTEGER NOT NULL,
	weight INTEGER NOT NULL
);
CREATE UNIQUE INDEX search_terms_key ON search_terms(term, kind, id);
CREATE INDEX search_terms_top ON search_terms(term, weight);
CREATE INDEX search_terms_record ON search_terms(kind, id);
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
