-- Wrong passwords are counted per account *and* client address, so that a stranger guessing
-- at a colleague's account locks only their own address out, never the colleague
-- (internal/web/auth.go). users.failures and users.locked_until stay as a summary for admins.
CREATE TABLE signin_failures (
	user_id      INTEGER NOT NULL REFERENCES users(id),
	addr         TEXT NOT NULL,
	failures     INTEGER NOT NULL,
	locked_until TEXT,
	updated      TEXT NOT NULL,
	PRIMARY KEY (user_id, addr)
);
