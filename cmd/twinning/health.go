package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

func init() {
	register(verb{name: "health", summary: "Ask a running server whether it is healthy (for container health checks)", run: runHealth})
}

func runHealth(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "health", "[--addr HOST:PORT]\n\nExits 0 when the server at --addr answers /healthz with 200, 1 otherwise.")
	addr := fs.String("addr", "127.0.0.1:8080", "the server's address")
	if err := flagsFromEnv(fs, e); err != nil {
		return err
	}
	if _, err := parseArgs(fs, args, 0, 0); err != nil {
		return err
	}
	host, port, err := net.SplitHostPort(*addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w", *addr, err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1" // a server listening on every address answers on loopback
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var body map[string]any
	if json.NewDecoder(resp.Body).Decode(&body) != nil || body == nil {
		// Not a Twinning server's answer (another program on the port, a proxy's error page).
		return fmt.Errorf("unhealthy: %s answers %s, not Twinning's health document", req.URL, resp.Status)
	}
	b, _ := json.Marshal(body)
	fmt.Fprintln(e.stdout, strings.TrimSpace(string(b)))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("unhealthy: %s", resp.Status)
	}
	return nil
}
