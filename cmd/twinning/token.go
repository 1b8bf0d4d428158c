package main

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/store"
)

func init() {
	register(verb{name: "token", summary: "Personal API tokens: create, list, revoke", run: runToken})
}

const tokenUsage = `create NAME [--user USER]
       twinning token list [--user USER]
       twinning token revoke ID

create prints a new token once (only its SHA-256 is kept): scripts send it as
"Authorization: Bearer tw_...". NAME labels the token; it belongs to --user, or to the
user called NAME when --user is not given.`

func runToken(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "token", tokenUsage)
	dsn := dbFlag(fs, e)
	user := fs.String("user", "", "the account the token belongs to")
	pos, db, ctx, err := subcommandAsUser(ctx, e, fs, dsn, args, map[string]int{"create": 2, "list": 1, "revoke": 2})
	if err != nil {
		return err
	}
	defer db.Close()
	switch pos[0] {
	case "create":
		return tokenCreate(ctx, e, db, pos[1], *user)
	case "list":
		return tokenList(ctx, e, db, *user)
	default: // revoke
		return tokenRevoke(ctx, e, db, pos[1])
	}
}

// tokenCreate makes a token called name for user (or for the user called name) and prints it
// this once: the secret on standard output, what it is on standard error.
func tokenCreate(ctx context.Context, e *env, db *store.DB, name, user string) error {
	owner := user
	if owner == "" {
		owner = name
	}
	u, err := db.UserByName(ctx, owner)
	if err != nil {
		return fmt.Errorf("no user %q (name the owner with --user)", owner)
	}
	secret := auth.NewToken()
	tok, err := db.CreateToken(ctx, u.ID, name, auth.Digest(secret))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "token %d %q for %s (%s); it is shown this once:\n", tok.ID, tok.Name, u.Name, u.Role)
	fmt.Fprintln(e.stdout, secret)
	return nil
}

// tokenList prints user's tokens (everyone's when user is "") as a table.
func tokenList(ctx context.Context, e *env, db *store.DB, user string) error {
	var uid int64
	if user != "" {
		u, err := db.UserByName(ctx, user)
		if err != nil {
			return fmt.Errorf("no user %q", user)
		}
		uid = u.ID
	}
	ts, err := db.Tokens(ctx, uid)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tUSER\tCREATED\tLAST USED\tSTATE")
	for _, t := range ts {
		state, last := "active", "-"
		if !t.Revoked.IsZero() {
			state = "revoked " + t.Revoked.Format("2006-01-02")
		}
		if !t.LastUsed.IsZero() {
			last = t.LastUsed.Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.User, t.Created.Format("2006-01-02 15:04"), last, state)
	}
	return tw.Flush()
}

// tokenRevoke revokes the token with the id ref.
func tokenRevoke(ctx context.Context, e *env, db *store.DB, ref string) error {
	id, err := strconv.ParseInt(ref, 10, 64)
	if err != nil {
		return fmt.Errorf("%q is not a token id", ref)
	}
	if err := db.RevokeToken(ctx, id); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "token %d revoked\n", id)
	return nil
}
