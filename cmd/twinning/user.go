package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/mattn/go-isatty"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
	"github.com/twinning/twinning/internal/web"
)

func init() {
	register(verb{name: "user", summary: "Manage accounts: add, list, passwd, role, disable, enable", run: runUser})
}

const userUsage = `add NAME --role ROLE [--city REF]... [--institution ID]...
       twinning user list
       twinning user passwd NAME
       twinning user role NAME ROLE [--city REF]... [--institution ID]...
       twinning user disable NAME | enable NAME

Roles: admin, city (editor of the --city cities), institution (editor of the --institution
institutions), reviewer, user. Passwords are read from the terminal without echo, or as one
line from standard input.`

// listFlag is a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// cliActor names the person at the terminal in the audit log.
func cliActor(e *env) string {
	if u := e.getenv("USER"); u != "" {
		return "cli:" + u
	}
	return "cli"
}

func runUser(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "user", userUsage)
	dsn := dbFlag(fs, e)
	role := fs.String("role", "", "the role: admin, city, institution, reviewer, user")
	var cities, insts listFlag
	fs.Var(&cities, "city", "a city the editor edits (Wikidata id or internal id; repeatable)")
	fs.Var(&insts, "institution", "an institution the editor edits (id; repeatable)")
	pos, err := parseArgs(fs, args, 0, -1)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		fs.Usage()
		return exitError{2}
	}
	db, ctx, err := openAsUser(ctx, e, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	need := func(n int) error {
		if len(pos) != n {
			fs.Usage()
			return exitError{2}
		}
		return nil
	}
	switch pos[0] {
	case "add":
		if err := need(2); err != nil {
			return err
		}
		return userAdd(ctx, e, db, pos[1], *role, cities, insts)
	case "list":
		if err := need(1); err != nil {
			return err
		}
		return userList(ctx, e, db)
	case "passwd":
		if err := need(2); err != nil {
			return err
		}
		return userPasswd(ctx, e, db, pos[1])
	case "role":
		if err := need(3); err != nil {
			return err
		}
		return userRole(ctx, e, db, pos[1], pos[2], cities, insts)
	case "disable", "enable":
		if err := need(2); err != nil {
			return err
		}
		return userEnable(ctx, e, db, pos[1], pos[0] == "enable")
	}
	fs.Usage()
	return fmt.Errorf("unknown user command %q", pos[0])
}

func scopeOf(ctx context.Context, db *store.DB, cities, insts []string) ([]int64, []int64, error) {
	var ids []int64
	for _, v := range insts {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, nil, fmt.Errorf("--institution %q is not an id", v)
		}
		ids = append(ids, id)
	}
	c, i, err := web.ResolveScope(ctx, db, cities, ids)
	if err != nil {
		return nil, nil, fmt.Errorf("%v", describe(err))
	}
	return c, i, nil
}

// describe spells out a domain error's field problems for the terminal.
func describe(err error) string {
	fields := twin.ErrorFields(err)
	if len(fields) == 0 {
		return err.Error()
	}
	var parts []string
	for f, fe := range fields {
		s := f + ": " + fe.Key
		if v, ok := fe.Params["value"]; ok {
			s += fmt.Sprintf(" (%v)", v)
		}
		if c, ok := fe.Params["choices"]; ok {
			s += fmt.Sprintf(", one of: %v", c)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

func userAdd(ctx context.Context, e *env, db *store.DB, name, role string, cities, insts []string) error {
	if role == "" {
		return errors.New("--role is required: admin, city, institution, reviewer or user")
	}
	c, i, err := scopeOf(ctx, db, cities, insts)
	if err != nil {
		return err
	}
	if name, err = store.NormalizeUserName(name); err != nil {
		return fmt.Errorf("%s", describe(err))
	}
	if _, err := db.UserByName(ctx, name); err == nil {
		return fmt.Errorf("user %q exists", name)
	}
	if err := store.CheckUser(&auth.User{Name: name, Role: role, Cities: c, Institutions: i, Password: "(asked next)"}); err != nil {
		return fmt.Errorf("%s", describe(err))
	}
	hash, err := askPassword(e, "Password for "+name)
	if err != nil {
		return err
	}
	u, err := db.CreateUser(ctx, &auth.User{Name: name, Role: role, Cities: c, Institutions: i, Password: hash})
	if err != nil {
		return fmt.Errorf("%s", describe(err))
	}
	fmt.Fprintf(e.stdout, "user %s (id %d) added as %s\n", u.Name, u.ID, u.Role)
	return nil
}

func userList(ctx context.Context, e *env, db *store.DB) error {
	us, err := db.Users(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tROLE\tCITIES\tINSTITUTIONS\tSTATE")
	for _, u := range us {
		state := "enabled"
		switch {
		case u.Disabled:
			state = "disabled"
		case u.LockedUntil.After(db.Now()):
			state = "locked until " + u.LockedUntil.Format("15:04 UTC")
		}
		var refs []string
		for _, id := range u.Cities {
			ref := strconv.FormatInt(id, 10)
			if c, err := db.Cities.Get(ctx, id); err == nil {
				ref = c.Ref()
			}
			refs = append(refs, ref)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Name, u.Role, strings.Join(refs, ","), joinIDs(u.Institutions), state)
	}
	return tw.Flush()
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

func userPasswd(ctx context.Context, e *env, db *store.DB, name string) error {
	u, err := db.UserByName(ctx, name)
	if err != nil {
		return fmt.Errorf("no user %q", name)
	}
	hash, err := askPassword(e, "New password for "+u.Name)
	if err != nil {
		return err
	}
	if err := db.ChangePassword(ctx, u.ID, hash, false); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "password of %s changed; their sessions have ended and their personal tokens are revoked\n", u.Name)
	return nil
}

func userRole(ctx context.Context, e *env, db *store.DB, name, role string, cities, insts []string) error {
	u, err := db.UserByName(ctx, name)
	if err != nil {
		return fmt.Errorf("no user %q", name)
	}
	c, i, err := scopeOf(ctx, db, cities, insts)
	if err != nil {
		return err
	}
	u, err = db.UpdateUser(ctx, u.ID, func(u *auth.User) error {
		u.Role, u.Cities, u.Institutions = role, c, i
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s", describe(err))
	}
	fmt.Fprintf(e.stdout, "%s is now %s\n", u.Name, u.Role)
	return nil
}

func userEnable(ctx context.Context, e *env, db *store.DB, name string, enable bool) error {
	u, err := db.UserByName(ctx, name)
	if err != nil {
		return fmt.Errorf("no user %q", name)
	}
	if _, err := db.UpdateUser(ctx, u.ID, func(u *auth.User) error {
		u.Disabled = !enable
		return nil
	}); err != nil {
		return err
	}
	state := "disabled; their sessions have ended and their tokens no longer work"
	if enable {
		state = "enabled"
	}
	fmt.Fprintf(e.stdout, "%s %s\n", u.Name, state)
	return nil
}

// askPassword reads a new password — twice and without echo from a terminal, else one line
// of standard input — and returns its hash.
func askPassword(e *env, prompt string) (string, error) {
	var pw string
	if f, ok := e.stdin.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		a, err := readHidden(f, e.stderr, prompt+": ")
		if err != nil {
			return "", err
		}
		b, err := readHidden(f, e.stderr, "Again: ")
		if err != nil {
			return "", err
		}
		if a != b {
			return "", errors.New("the two passwords differ")
		}
		pw = a
	} else {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && (err != io.EOF || line == "") {
			return "", errors.New("no password on standard input")
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	h, err := auth.HashPassword(pw)
	if errors.Is(err, auth.ErrWeakPassword) {
		return "", err
	}
	return h, err
}

// readHidden reads a line from the terminal f with echo turned off (by stty, which every Unix
// has), turning it back on whatever happens.
func readHidden(f *os.File, w io.Writer, prompt string) (string, error) {
	fmt.Fprint(w, prompt)
	stty := func(arg string) error {
		c := exec.Command("stty", arg)
		c.Stdin = f
		return c.Run()
	}
	if err := stty("-echo"); err != nil {
		return "", fmt.Errorf("cannot turn off echo: %w", err)
	}
	defer fmt.Fprintln(w)
	defer stty("echo")
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && line == "" {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}
