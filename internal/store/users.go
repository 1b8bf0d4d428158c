package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/twin"
)

// Accounts: users, their sessions and personal API tokens. Sessions and tokens are looked up by
// the SHA-256 digest of the secret the client holds; the secret itself is never stored.

const userCols = "id, version, name, password, role, scope, disabled, failures, locked_until, created, updated"

type userScope struct {
	Cities       []int64 `json:"cities,omitempty"`
	Institutions []int64 `json:"institutions,omitempty"`
}

func scanUser(row interface{ Scan(...any) error }) (*auth.User, error) {
	var (
		u                auth.User
		version          int64
		scope            string
		disabled         int
		locked           sql.NullString
		created, updated string
	)
	if err := row.Scan(&u.ID, &version, &u.Name, &u.Password, &u.Role, &scope, &disabled, &u.Failures, &locked, &created, &updated); err != nil {
		if err == sql.ErrNoRows {
			return nil, twin.Errorf(twin.ENOTFOUND, "no such user")
		}
		return nil, err
	}
	var sc userScope
	if err := json.Unmarshal([]byte(scope), &sc); err != nil {
		return nil, err
	}
	u.Cities, u.Institutions, u.Disabled, u.Version = sc.Cities, sc.Institutions, disabled != 0, version
	if locked.Valid {
		u.LockedUntil = parseTS(locked.String)
	}
	u.Created, u.Updated = parseTS(created), parseTS(updated)
	return &u, nil
}

// NormalizeUserName returns the stored form of a user name (lower case, trimmed) or an
// EINVALID error when it has characters other than letters, digits and . _ - @.
func NormalizeUserName(name string) (string, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	ok := name != "" && len(name) <= 64
	for _, r := range name {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._-@", r)) {
			ok = false
		}
	}
	if !ok || name == "admin-token" || name == "system" {
		p := twin.Problems{}
		p.Add("name", twin.KeyInvalidChoice, map[string]any{"value": name, "choices": "a-z, 0-9, . _ - @"})
		return "", p.Err()
	}
	return name, nil
}

// CheckUser is the account's own validation (a known role, the scope an editor's role needs, a
// password hash), which CreateUser and UpdateUser apply; a command asks it before it asks for
// a password, so that a mistyped role is said before anyone types one.
func CheckUser(u *auth.User) error {
	p := twin.Problems{}
	if !auth.ValidRole(u.Role) {
		p.Add("role", twin.KeyInvalidChoice, map[string]any{"value": u.Role, "choices": strings.Join(auth.Roles, ", ")})
	}
	if u.Role == auth.RoleCityEditor && len(u.Cities) == 0 {
		p.Add("cities", twin.KeyRequired, nil)
	}
	if u.Role == auth.RoleInstEditor && len(u.Institutions) == 0 {
		p.Add("institutions", twin.KeyRequired, nil)
	}
	if u.Password == "" {
		p.Add("password", twin.KeyRequired, nil)
	}
	return p.Err()
}

// auditDoc is what the audit log keeps of an account: never the password hash.
func auditDoc(u *auth.User) []byte {
	b, _ := json.Marshal(u)
	return b
}

func (t *Tx) logChange(ctx context.Context, kind string, id, version int64, action string, before, after []byte) error {
	_, err := t.exec(ctx, "INSERT INTO changes (kind, record_id, version, action, actor, at, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		kind, id, version, action, t.actor, ts(t.now), nullJSON(before), nullJSON(after))
	return err
}

// CreateUser stores a new account. u.Password must already be a hash (auth.HashPassword).
func (db *DB) CreateUser(ctx context.Context, u *auth.User) (out *auth.User, err error) {
	defer wrap(&err, "CreateUser(%q)", u.Name)
	if u.Name, err = NormalizeUserName(u.Name); err != nil {
		return nil, err
	}
	if err := CheckUser(u); err != nil {
		return nil, err
	}
	scope, _ := json.Marshal(userScope{u.Cities, u.Institutions})
	err = db.Write(ctx, func(t *Tx) error {
		u.Created, u.Updated, u.Version = t.now, t.now, 1
		if err := t.queryRow(ctx, "INSERT INTO users (version, name, password, role, scope, disabled, failures, created, updated) VALUES (1, ?, ?, ?, ?, ?, 0, ?, ?) RETURNING id",
			u.Name, u.Password, u.Role, string(scope), boolInt(u.Disabled), ts(t.now), ts(t.now)).Scan(&u.ID); err != nil {
			return err
		}
		return t.logChange(ctx, "user", u.ID, 1, "create", nil, auditDoc(u))
	})
	if twin.ErrorCode(err) == twin.ECONFLICT {
		p := twin.Problems{}
		p.Add("name", "taken", map[string]any{"value": u.Name})
		return nil, &twin.Error{Code: twin.ECONFLICT, Message: "user name taken", Fields: map[string]twin.FieldError(p)}
	}
	return u, err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// User reads an account by id.
func (db *DB) User(ctx context.Context, id int64) (u *auth.User, err error) {
	defer wrap(&err, "User(%d)", id)
	return scanUser(db.queryRow(ctx, "SELECT "+userCols+" FROM users WHERE id = ?", id))
}

// UserByName reads an account by name.
func (db *DB) UserByName(ctx context.Context, name string) (u *auth.User, err error) {
	defer wrap(&err, "UserByName(%q)", name)
	return scanUser(db.queryRow(ctx, "SELECT "+userCols+" FROM users WHERE name = ?", strings.ToLower(strings.TrimSpace(name))))
}

// Users lists every account by name.
func (db *DB) Users(ctx context.Context) (out []*auth.User, err error) {
	defer wrap(&err, "Users")
	rows, err := db.query(ctx, "SELECT "+userCols+" FROM users ORDER BY name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountUsers returns how many accounts exist (enabled or not).
func (db *DB) CountUsers(ctx context.Context) (n int64, err error) {
	defer wrap(&err, "CountUsers")
	err = db.queryRow(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
	return n, err
}

// UpdateUser changes an account with change (role, scope, password hash, disabled) and logs
// the change. A new password or a disabled account ends the user's sessions.
//
// A new password also revokes the account's personal tokens (someone who knew the old password
// may have made one) and clears its sign-in failures from every address.
func (db *DB) UpdateUser(ctx context.Context, id int64, change func(*auth.User) error) (out *auth.User, err error) {
	return db.UpdateUserAt(ctx, id, 0, change)
}

// UpdateUserAt is UpdateUser after checking that the account is still at version (0 skips
// the check): a stale version is an EPRECONDITION error and nothing is written.
func (db *DB) UpdateUserAt(ctx context.Context, id, expect int64, change func(*auth.User) error) (out *auth.User, err error) {
	defer wrap(&err, "UpdateUser(%d)", id)
	return db.updateUser(ctx, id, expect, change, false)
}

// ChangePassword sets an account's password hash: its sessions end, its sign-in failures are
// cleared and, unless keepTokens (a person changing their own password may choose to), its
// personal tokens are revoked.
func (db *DB) ChangePassword(ctx context.Context, id int64, hash string, keepTokens bool) (err error) {
	defer wrap(&err, "ChangePassword(%d)", id)
	_, err = db.updateUser(ctx, id, 0, func(u *auth.User) error {
		u.Password, u.Failures, u.LockedUntil = hash, 0, time.Time{}
		return nil
	}, keepTokens)
	return err
}

func (db *DB) updateUser(ctx context.Context, id, expect int64, change func(*auth.User) error, keepTokens bool) (out *auth.User, err error) {
	err = db.Write(ctx, func(t *Tx) error {
		var version int64
		if err := t.queryRow(ctx, "SELECT version FROM users WHERE id = ?", id).Scan(&version); err != nil {
			return translate(err)
		}
		if expect != 0 && expect != version {
			return twin.Errorf(twin.EPRECONDITION, "user %d is at version %d, not %d", id, version, expect)
		}
		u, err := scanUser(t.queryRow(ctx, "SELECT "+userCols+" FROM users WHERE id = ?", id))
		if err != nil {
			return err
		}
		before, oldHash := auditDoc(u), u.Password
		wasAdmin := u.Role == auth.RoleAdmin && !u.Disabled
		if err := change(u); err != nil {
			return err
		}
		if err := CheckUser(u); err != nil {
			return err
		}
		if wasAdmin && (u.Role != auth.RoleAdmin || u.Disabled) {
			// The last active admin stays one: otherwise no account could manage accounts
			// (only the command line could make one again).
			var others int
			if err := t.queryRow(ctx, "SELECT COUNT(*) FROM users WHERE role = ? AND disabled = 0 AND id <> ?", auth.RoleAdmin, id).Scan(&others); err != nil {
				return err
			}
			if others == 0 {
				field := "role"
				if u.Disabled {
					field = "disabled"
				}
				return twin.Problem(field, twin.KeyLastAdmin, nil)
			}
		}
		u.Updated = t.now
		scope, _ := json.Marshal(userScope{u.Cities, u.Institutions})
		if _, err := t.exec(ctx, "UPDATE users SET version = ?, password = ?, role = ?, scope = ?, disabled = ?, failures = ?, locked_until = ?, updated = ? WHERE id = ?",
			version+1, u.Password, u.Role, string(scope), boolInt(u.Disabled), u.Failures, nullTime(u.LockedUntil), ts(t.now), id); err != nil {
			return err
		}
		if u.Password != oldHash || u.Disabled {
			if _, err := t.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", id); err != nil {
				return err
			}
		}
		if u.Password != oldHash {
			if _, err := t.exec(ctx, "DELETE FROM signin_failures WHERE user_id = ?", id); err != nil {
				return err
			}
			if !keepTokens {
				if err := t.revokeTokensOf(ctx, id); err != nil {
					return err
				}
			}
		}
		u.Version = version + 1
		out = u
		return t.logChange(ctx, "user", id, version+1, "update", before, auditDoc(u))
	})
	return out, err
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

// SignInFailed counts a wrong password for the account from the client address addr, and locks
// the account for that address (only) for auth.LockFor once auth.MaxFailures are reached in a
// row. It returns when the pair is locked until (zero when it is not). The account's own
// failures and locked_until keep the latest as a summary for admins.
func (db *DB) SignInFailed(ctx context.Context, id int64, addr string) (until time.Time, err error) {
	defer wrap(&err, "SignInFailed(%d)", id)
	err = db.WriteQuiet(ctx, func(t *Tx) error {
		// Counts older than a day are forgotten, so the table does not grow without bound.
		if _, err := t.exec(ctx, "DELETE FROM signin_failures WHERE updated < ? AND (locked_until IS NULL OR locked_until < ?)", ts(t.now.Add(-24*time.Hour)), ts(t.now)); err != nil {
			return err
		}
		var failures int
		var locked sql.NullString
		err := t.queryRow(ctx, "SELECT failures, locked_until FROM signin_failures WHERE user_id = ? AND addr = ?", id, addr).Scan(&failures, &locked)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		if locked.Valid && parseTS(locked.String).Before(t.now) {
			failures = 0 // the last lock has run out: a fresh count
		}
		failures++
		var lock any
		if failures >= auth.MaxFailures {
			until = t.now.Add(auth.LockFor)
			lock = ts(until)
		} else if locked.Valid && parseTS(locked.String).After(t.now) {
			until, lock = parseTS(locked.String), locked.String
		}
		if err == sql.ErrNoRows {
			_, err = t.exec(ctx, "INSERT INTO signin_failures (user_id, addr, failures, locked_until, updated) VALUES (?, ?, ?, ?, ?)", id, addr, failures, lock, ts(t.now))
		} else {
			_, err = t.exec(ctx, "UPDATE signin_failures SET failures = ?, locked_until = ?, updated = ? WHERE user_id = ? AND addr = ?", failures, lock, ts(t.now), id, addr)
		}
		if err != nil {
			return err
		}
		_, err = t.exec(ctx, "UPDATE users SET failures = ?, locked_until = ? WHERE id = ?", failures, lock, id)
		return err
	})
	return until, err
}

// SignInLocked returns until when the account is locked for the client address addr (zero
// when it is not).
func (db *DB) SignInLocked(ctx context.Context, id int64, addr string) (until time.Time, err error) {
	defer wrap(&err, "SignInLocked(%d)", id)
	var locked sql.NullString
	err = db.queryRow(ctx, "SELECT locked_until FROM signin_failures WHERE user_id = ? AND addr = ?", id, addr).Scan(&locked)
	if err == sql.ErrNoRows {
		return time.Time{}, nil
	}
	if err != nil || !locked.Valid {
		return time.Time{}, err
	}
	if until = parseTS(locked.String); until.Before(db.Now()) {
		return time.Time{}, nil
	}
	return until, nil
}

// SignInSucceeded clears the failure count of the account from the client address addr.
func (db *DB) SignInSucceeded(ctx context.Context, id int64, addr string) (err error) {
	defer wrap(&err, "SignInSucceeded(%d)", id)
	return db.WriteQuiet(ctx, func(t *Tx) error {
		if _, err := t.exec(ctx, "DELETE FROM signin_failures WHERE user_id = ? AND addr = ?", id, addr); err != nil {
			return err
		}
		_, err := t.exec(ctx, "UPDATE users SET failures = 0, locked_until = NULL WHERE id = ? AND (failures <> 0 OR locked_until IS NOT NULL)", id)
		return err
	})
}

// CreateSession stores a session by the digest of its id, for the user, until expires.
func (db *DB) CreateSession(ctx context.Context, digest string, userID int64, expires time.Time) (err error) {
	defer wrap(&err, "CreateSession")
	return db.WriteQuiet(ctx, func(t *Tx) error {
		// Expired sessions are swept as new ones are made.
		if _, err := t.exec(ctx, "DELETE FROM sessions WHERE expires < ?", ts(t.now)); err != nil {
			return err
		}
		_, err := t.exec(ctx, "INSERT INTO sessions (digest, user_id, created, expires) VALUES (?, ?, ?, ?)", digest, userID, ts(t.now), ts(expires))
		return err
	})
}

// SessionUser returns the enabled user of a live session, or ENOTFOUND.
func (db *DB) SessionUser(ctx context.Context, digest string) (u *auth.User, err error) {
	defer wrap(&err, "SessionUser")
	u, err = scanUser(db.queryRow(ctx, "SELECT u."+strings.ReplaceAll(userCols, ", ", ", u.")+" FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.digest = ? AND s.expires > ? AND u.disabled = 0",
		digest, ts(db.Now())))
	return u, err
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, digest string) (err error) {
	defer wrap(&err, "DeleteSession")
	return db.WriteQuiet(ctx, func(t *Tx) error {
		_, err := t.exec(ctx, "DELETE FROM sessions WHERE digest = ?", digest)
		return err
	})
}

// CreateToken stores a personal API token's digest for a user under a label.
func (db *DB) CreateToken(ctx context.Context, userID int64, name, digest string) (tok *auth.Token, err error) {
	defer wrap(&err, "CreateToken(%d)", userID)
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 100 {
		p := twin.Problems{}
		if name == "" {
			p.Add("name", twin.KeyRequired, nil)
		} else {
			p.Add("name", twin.KeyTooLong, map[string]any{"max": 100})
		}
		return nil, p.Err()
	}
	tok = &auth.Token{UserID: userID, Name: name}
	err = db.Write(ctx, func(t *Tx) error {
		tok.Created = t.now
		if err := t.queryRow(ctx, "INSERT INTO api_tokens (user_id, name, digest, created) VALUES (?, ?, ?, ?) RETURNING id", userID, name, digest, ts(t.now)).Scan(&tok.ID); err != nil {
			return err
		}
		doc, _ := json.Marshal(tok)
		return t.logChange(ctx, "token", tok.ID, 1, "create", nil, doc)
	})
	return tok, err
}

// TokenUser returns the enabled user of a live (unrevoked) token and the token, noting its use.
func (db *DB) TokenUser(ctx context.Context, digest string) (u *auth.User, tok *auth.Token, err error) {
	defer wrap(&err, "TokenUser")
	var id int64
	var last sql.NullString
	err = db.queryRow(ctx, "SELECT id, user_id, last_used FROM api_tokens WHERE digest = ? AND revoked IS NULL", digest).Scan(&id, new(int64), &last)
	if err == sql.ErrNoRows {
		return nil, nil, twin.Errorf(twin.ENOTFOUND, "no such token")
	}
	if err != nil {
		return nil, nil, err
	}
	tok, err = db.Token(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if u, err = db.User(ctx, tok.UserID); err != nil {
		return nil, nil, err
	}
	if u.Disabled {
		return nil, nil, twin.Errorf(twin.ENOTFOUND, "the token's user is disabled")
	}
	// Last use is kept to the hour, so that a busy script does not write on every request.
	if now := db.Now(); !last.Valid || now.Sub(parseTS(last.String)) > time.Hour {
		db.WriteQuiet(ctx, func(t *Tx) error {
			_, err := t.exec(ctx, "UPDATE api_tokens SET last_used = ? WHERE id = ?", ts(now), id)
			return err
		})
	}
	return u, tok, nil
}

const tokenCols = "t.id, t.user_id, u.name, t.name, t.created, t.last_used, t.revoked"

func scanToken(row interface{ Scan(...any) error }) (*auth.Token, error) {
	var tok auth.Token
	var created string
	var last, revoked sql.NullString
	if err := row.Scan(&tok.ID, &tok.UserID, &tok.User, &tok.Name, &created, &last, &revoked); err != nil {
		if err == sql.ErrNoRows {
			return nil, twin.Errorf(twin.ENOTFOUND, "no such token")
		}
		return nil, err
	}
	tok.Created = parseTS(created)
	if last.Valid {
		tok.LastUsed = parseTS(last.String)
	}
	if revoked.Valid {
		tok.Revoked = parseTS(revoked.String)
	}
	return &tok, nil
}

// Token reads a token's description by id.
func (db *DB) Token(ctx context.Context, id int64) (tok *auth.Token, err error) {
	defer wrap(&err, "Token(%d)", id)
	return scanToken(db.queryRow(ctx, "SELECT "+tokenCols+" FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?", id))
}

// Tokens lists the tokens of a user (every user's when userID is 0), newest first.
func (db *DB) Tokens(ctx context.Context, userID int64) (out []*auth.Token, err error) {
	defer wrap(&err, "Tokens(%d)", userID)
	rows, err := db.query(ctx, "SELECT "+tokenCols+" FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE ? = 0 OR t.user_id = ? ORDER BY t.id DESC", userID, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		tok, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, tok)
	}
	return out, rows.Err()
}

// RevokeToken revokes a token for good. Revoking a revoked token changes nothing.
func (db *DB) RevokeToken(ctx context.Context, id int64) (err error) {
	defer wrap(&err, "RevokeToken(%d)", id)
	return db.Write(ctx, func(t *Tx) error {
		res, err := t.exec(ctx, "UPDATE api_tokens SET revoked = ? WHERE id = ? AND revoked IS NULL", ts(t.now), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var one int
			if err := t.queryRow(ctx, "SELECT 1 FROM api_tokens WHERE id = ?", id).Scan(&one); err != nil {
				return twin.Errorf(twin.ENOTFOUND, "no token %d", id)
			}
			return nil
		}
		return t.logChange(ctx, "token", id, 2, "revoke", nil, nil)
	})
}

// revokeTokensOf revokes every live token of an account, logging each.
func (t *Tx) revokeTokensOf(ctx context.Context, userID int64) error {
	rows, err := t.query(ctx, "SELECT id FROM api_tokens WHERE user_id = ? AND revoked IS NULL ORDER BY id", userID)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := t.exec(ctx, "UPDATE api_tokens SET revoked = ? WHERE id = ?", ts(t.now), id); err != nil {
			return err
		}
		if err := t.logChange(ctx, "token", id, 2, "revoke", nil, nil); err != nil {
			return err
		}
	}
	return nil
}

// Secret returns the installation's secret named key, making it with fresh randomness the
// first time. Every server sharing the database gets the same value.
func (db *DB) Secret(ctx context.Context, key string) (v string, err error) {
	defer wrap(&err, "Secret(%q)", key)
	if v, err = db.Setting(ctx, "secret."+key); err != nil || v != "" {
		return v, err
	}
	err = db.WriteQuiet(ctx, func(t *Tx) error {
		_, err := t.exec(ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", "secret."+key, auth.NewKey())
		return err
	})
	if err != nil {
		return "", err
	}
	err = db.w.QueryRowContext(ctx, db.d.rebind("SELECT value FROM settings WHERE key = ?"), "secret."+key).Scan(&v)
	return v, err
}
