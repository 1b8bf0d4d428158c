package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"log/slog"
	"strings"
	"testing"
)

func TestParseArgsFlagsAnywhere(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args    []string
		dry     bool
		pos     []string
		wantErr bool
	}{
		{args: []string{"--dry-run", "data.csv"}, dry: true, pos: []string{"data.csv"}},
		{args: []string{"data.csv", "--dry-run"}, dry: true, pos: []string{"data.csv"}},
		{args: []string{"-", "--dry-run"}, dry: true, pos: []string{"-"}},
		{args: []string{"--", "--dry-run"}, pos: []string{"--dry-run"}},
		{args: []string{"a.csv", "b.csv"}, wantErr: true},
		{args: nil, wantErr: true},
	} {
		var stderr bytes.Buffer
		fs := flag.NewFlagSet("import", flag.ContinueOnError)
		fs.SetOutput(&stderr)
		dry := fs.Bool("dry-run", false, "")
		pos, err := parseArgs(fs, tc.args, 1, 1)
		if tc.wantErr {
			var ee exitError
			if !errors.As(err, &ee) || ee.code != 2 {
				t.Errorf("%q: err %v, want a usage error", tc.args, err)
			}
			continue
		}
		if err != nil || *dry != tc.dry || strings.Join(pos, "|") != strings.Join(tc.pos, "|") {
			t.Errorf("%q: pos %q dry %v err %v; want %q %v", tc.args, pos, *dry, err, tc.pos, tc.dry)
		}
	}
}

func TestStrayArgumentsRefused(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"serve", "foo", "bar"}, {"migrate", "x"}, {"version", "now"}, {"export", "--format", "csv", "extra"}} {
		var out, errb bytes.Buffer
		e := &env{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
		err := run(context.Background(), args, e)
		var ee exitError
		if !errors.As(err, &ee) || ee.code != 2 || !strings.Contains(errb.String(), "unexpected argument") {
			t.Errorf("%q: err %v, stderr %q; want a usage error naming the stray argument", args, err, errb.String())
		}
	}
}

func TestFlagsFromEnvironment(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"TWINNING_ADDR": "127.0.0.1:9999", "TWINNING_ADMIN_TOKEN": "s3cret-token-value", "TWINNING_DB": "postgres://u:pw@h/db"}
	e := &env{getenv: func(k string) string { return vars[k] }}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var help bytes.Buffer
	fs.SetOutput(&help)
	addr := fs.String("addr", "127.0.0.1:8080", "address")
	token := fs.String("admin-token", "", "token")
	dsn := dbFlag(fs, e)
	if err := flagsFromEnv(fs, e); err != nil {
		t.Fatal(err)
	}
	if _, err := parseArgs(fs, []string{"--addr", "127.0.0.1:7777"}, 0, 0); err != nil {
		t.Fatal(err)
	}
	if *addr != "127.0.0.1:7777" || *token != "s3cret-token-value" || *dsn != vars["TWINNING_DB"] {
		t.Errorf("addr %q token %q db %q: the command line should win over the environment, the environment over defaults", *addr, *token, *dsn)
	}
	fs.PrintDefaults()
	if !strings.Contains(help.String(), "TWINNING_ADDR") || !strings.Contains(help.String(), "TWINNING_ADMIN_TOKEN") {
		t.Errorf("help does not name the variables:\n%s", help.String())
	}
	if strings.Contains(help.String(), "s3cret") {
		t.Errorf("help shows the secret:\n%s", help.String())
	}
	var logged bytes.Buffer
	logConfig(slog.New(slog.NewTextHandler(&logged, nil)), fs)
	if strings.Contains(logged.String(), "s3cret") || strings.Contains(logged.String(), "pw@") || !strings.Contains(logged.String(), "127.0.0.1:7777") {
		t.Errorf("logged configuration leaks a secret or misses a value: %s", logged.String())
	}

	bad := &env{getenv: func(k string) string { return map[string]string{"TWINNING_DEPTH": "deep"}[k] }}
	fs2 := flag.NewFlagSet("x", flag.ContinueOnError)
	fs2.Int("depth", 1, "")
	if err := flagsFromEnv(fs2, bad); err == nil || !strings.Contains(err.Error(), "TWINNING_DEPTH") {
		t.Errorf("a malformed variable: err %v, want one naming it", err)
	}
}
