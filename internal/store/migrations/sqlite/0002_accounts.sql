-- Accounts, SQLite dialect: users with argon2id password hashes, sessions and personal API
-- tokens stored only as SHA-256 digests, so that a copy of the database holds no credential.
CREATE TABLE users (
	id           INTEGER PRIMARY KEY,
	version      INTEGER NOT NULL,
	name         TEXT NOT NULL UNIQUE,
	password     TEXT NOT NULL,
	role         TEXT NOT NULL,
	scope        TEXT NOT NULL,
	disabled     INTEGER NOT NULL DEFAULT 0,
	failures     INTEGER NOT NULL DEFAULT 0,
	locked_until TEXT,
	created      TEXT NOT NULL,
	updated      TEXT NOT NULL
);
CREATE TABLE sessions (
	digest  TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id),
	created TEXT NOT NULL,
	expires TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE api_tokens (
	id        INTEGER PRIMARY KEY,
	user_id   INTEGER NOT NULL REFERENCES users(id),
	name      TEXT NOT NULL,
	digest    TEXT NOT NULL UNIQUE,
	created   TEXT NOT NULL,
	last_used TEXT,
	revoked   TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
CREATE INDEX changes_at ON changes(at);
