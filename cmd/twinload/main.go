// Command twinload is Twinning's load benchmark: parallel HTTP clients against a real server on
// the world dataset, rotating over cities that have partners, for the requests people make most
// (the city page, a city's partners, one city as JSON, search, a path between two cities) and
// for writes (creating and changing a city, an agreement, an activity). It prints requests per
// second, latency percentiles, errors and time-outs, and the server's resident memory.
//
// Against a server it starts itself on a copy of a world database (the write scenario adds
// records, so use a copy you can throw away):
//
//	go build -o /tmp/twinning ./cmd/twinning
//	/tmp/twinning serve --db /tmp/world.db &   # once, to load the world; then stop it
//	cp /tmp/world.db /tmp/load.db
//	go run ./cmd/twinload --server /tmp/twinning --db /tmp/load.db
//
// The first start on an empty database, until Isfahan's page is served and a search finds it:
//
//	go run ./cmd/twinload --server /tmp/twinning --db /tmp/new.db --first-start
//
// or against one already running (RSS only with --pid; writes only with --token):
//
//	go run ./cmd/twinload --url http://127.0.0.1:8080 --pid 1234 --token $TWINNING_ADMIN_TOKEN
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type config struct {
	url        string
	server     string
	db         string
	token      string
	pid        int
	conns      int
	writeConns int
	duration   time.Duration
	timeout    time.Duration
	cities     int
	scenarios  []string
	lang       string
	serverLog  string
	firstStart bool
}

func main() {
	var c config
	var scen string
	flag.StringVar(&c.url, "url", "", "base URL of a running server (instead of --server)")
	flag.StringVar(&c.server, "server", "", "a twinning binary to start on --db for the run")
	flag.StringVar(&c.db, "db", "", "with --server: the database (a throw-away copy of a world database)")
	flag.StringVar(&c.token, "token", "", "admin bearer token for the write scenario (with --server one is made up)")
	flag.IntVar(&c.pid, "pid", 0, "with --url: the server's process id, to report its resident memory")
	flag.IntVar(&c.conns, "c", 64, "connections (parallel clients) for the read scenarios")
	flag.IntVar(&c.writeConns, "wc", 1, "connections for the write scenario")
	flag.DurationVar(&c.duration, "d", 10*time.Second, "duration of each scenario")
	flag.DurationVar(&c.timeout, "timeout", 2*time.Second, "a request taking longer counts as a time-out")
	flag.IntVar(&c.cities, "cities", 500, "how many cities with partners to rotate over")
	flag.StringVar(&scen, "s", "page,partners,city,search,path,write", "scenarios, comma-separated: "+strings.Join(scenarioNames(), ","))
	flag.StringVar(&c.serverLog, "server-log", "", "with --server: write the server's output to this file")
	flag.StringVar(&c.lang, "lang", "fa", "language of the city pages")
	flag.BoolVar(&c.firstStart, "first-start", false, "with --server and --db naming an empty database: time the first start until Isfahan's page is served and a search for اصفهان finds it, then stop")
	flag.Parse()
	c.scenarios = strings.Split(scen, ",")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, c, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "twinload:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, c config, out io.Writer) error {
	for _, s := range c.scenarios {
		if _, ok := scenarios[s]; !ok {
			return fmt.Errorf("unknown scenario %q (known: %s)", s, strings.Join(scenarioNames(), ", "))
		}
	}
	if c.firstStart {
		return timeFirstStart(ctx, c, out)
	}
	if c.server != "" {
		if c.db == "" {
			return errors.New("--server needs --db")
		}
		if c.token == "" {
			b := make([]byte, 16)
			rand.Read(b)
			c.token = hex.EncodeToString(b)
		}
		srv, err := startServer(ctx, c)
		if err != nil {
			return err
		}
		defer srv.stop()
		c.url, c.pid = srv.url, srv.cmd.Process.Pid
	}
	if c.url == "" {
		return errors.New("give --url of a running server or --server and --db")
	}
	c.url = strings.TrimRight(c.url, "/")
	tr := &http.Transport{MaxIdleConns: c.conns * 2, MaxIdleConnsPerHost: c.conns * 2, MaxConnsPerHost: 0,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}
	client := &http.Client{Transport: tr, Timeout: c.timeout}
	// A write waits for the one writer: it gets longer before it counts as a time-out, so that
	// slow writes show as latencies rather than as failures.
	writer := &http.Client{Transport: tr, Timeout: max(c.timeout, 30*time.Second)}
	setup := &http.Client{Transport: tr, Timeout: 60 * time.Second}
	t0 := time.Now()
	cities, err := pickCities(ctx, setup, c.url, c.cities)
	if err != nil {
		return fmt.Errorf("choosing cities: %w", err)
	}
	fmt.Fprintf(out, "twinload: %s, %d cities with partners (chosen in %s), %d connections, %s per scenario, time-out %s\n",
		c.url, len(cities), time.Since(t0).Round(time.Millisecond), c.conns, c.duration, c.timeout)
	fmt.Fprintf(out, "machine: %d CPUs, load average %s, server RSS %s\n", runtime.NumCPU(), loadavg(), mib(rss(c.pid)))
	fmt.Fprintf(out, "\n%-18s %8s %9s %8s %8s %8s %8s %6s %8s %9s\n", "scenario", "requests", "req/s", "p50", "p90", "p99", "max", "errors", "timeouts", "max RSS")
	for _, name := range c.scenarios {
		if ctx.Err() != nil {
			break
		}
		sc := scenarios[name]
		conns := c.conns
		if sc.write {
			if c.token == "" {
				fmt.Fprintf(out, "%-18s skipped: needs --token\n", name)
				continue
			}
			conns = c.writeConns
		}
		hc := client
		if sc.write {
			hc = writer
		}
		res := runScenario(ctx, c, hc, cities, sc, conns)
		for _, op := range res.order {
			st := res.ops[op]
			label := name
			if op != "" {
				label = name + ":" + op
			}
			fmt.Fprintf(out, "%-18s %8d %9.0f %8s %8s %8s %8s %6d %8d %9s\n", label, st.n(), float64(st.n())/res.elapsed.Seconds(),
				ms(st.pct(50)), ms(st.pct(90)), ms(st.pct(99)), ms(st.pct(100)), st.errors, st.timeouts, mib(res.maxRSS))
			if st.firstErr != "" {
				fmt.Fprintf(out, "%-18s first error: %s\n", "", st.firstErr)
			}
		}
	}
	fmt.Fprintf(out, "\nload average after: %s, server RSS %s\n", loadavg(), mib(rss(c.pid)))
	return nil
}

// city is one of the rotated cities.
type city struct {
	Ref  string
	Name string // a name to search for
}

// pickCities walks the agreements in id order and keeps the first n distinct cities that have
// partners, with a name of each to search for.
func pickCities(ctx context.Context, hc *http.Client, base string, n int) ([]city, error) {
	var refs []string
	seen := map[string]bool{}
	after := ""
	for len(refs) < n {
		u := base + "/api/v1/agreements?limit=100"
		if after != "" {
			u += "&after=" + url.QueryEscape(after)
		}
		var page struct {
			Items []struct {
				Cities []string `json:"cities"`
			} `json:"items"`
			Next string `json:"next"`
		}
		if err := getJSON(ctx, hc, u, &page); err != nil {
			return nil, err
		}
		for _, a := range page.Items {
			for _, r := range a.Cities {
				if !seen[r] && len(refs) < n {
					seen[r] = true
					refs = append(refs, r)
				}
			}
		}
		if page.Next == "" {
			break
		}
		after = page.Next
	}
	if len(refs) == 0 {
		return nil, errors.New("the registry has no agreements: load the world first")
	}
	out := make([]city, 0, len(refs))
	for _, r := range refs {
		var c struct {
			Names map[string]string `json:"names"`
		}
		if err := getJSON(ctx, hc, base+"/api/v1/cities/"+url.PathEscape(r), &c); err != nil {
			return nil, err
		}
		name := c.Names["fa"]
		if name == "" {
			name = c.Names["en"]
		}
		for _, v := range c.Names {
			if name == "" {
				name = v
			}
		}
		out = append(out, city{Ref: r, Name: name})
	}
	return out, nil
}

func getJSON(ctx context.Context, hc *http.Client, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 500))
		return fmt.Errorf("GET %s: %s: %s", u, resp.Status, b)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// worker is one client's view of a scenario: it makes one step (one or more requests), timing
// each with do.
type worker struct {
	c      config
	hc     *http.Client
	cities []city
	i      int // the client's position in the rotation
	id     int // the client's number
	res    *result
}

type scenario struct {
	write bool
	step  func(ctx context.Context, w *worker)
}

var scenarios = map[string]scenario{
	"page": {step: func(ctx context.Context, w *worker) {
		w.do(ctx, "", "GET", "/"+w.c.lang+"/cities/"+url.PathEscape(w.next().Ref), nil, "", nil)
	}},
	"partners": {step: func(ctx context.Context, w *worker) {
		w.do(ctx, "", "GET", "/api/v1/cities/"+url.PathEscape(w.next().Ref)+"/partners", nil, "", nil)
	}},
	"city": {step: func(ctx context.Context, w *worker) {
		w.do(ctx, "", "GET", "/api/v1/cities/"+url.PathEscape(w.next().Ref), nil, "", nil)
	}},
	"search": {step: func(ctx context.Context, w *worker) {
		w.do(ctx, "", "GET", "/api/v1/cities?q="+url.QueryEscape(w.next().Name), nil, "", nil)
	}},
	"fullsearch": {step: func(ctx context.Context, w *worker) {
		w.do(ctx, "", "GET", "/api/v1/search?q="+url.QueryEscape(w.next().Name), nil, "", nil)
	}},
	"path": {step: func(ctx context.Context, w *worker) {
		a := w.next()
		b := w.cities[(w.i*7+w.id*13+len(w.cities)/2)%len(w.cities)]
		w.do(ctx, "", "GET", "/api/v1/graph/path?from="+url.QueryEscape(a.Ref)+"&to="+url.QueryEscape(b.Ref), nil, "", nil)
	}},
	// write creates a city, changes it, twins it with one of the rotated cities, changes the
	// agreement and records an activity under it: five writes, each timed on its own.
	"write": {write: true, step: func(ctx context.Context, w *worker) {
		partner := w.next()
		n := w.id*1_000_000 + w.i
		var c struct {
			ID int64 `json:"id"`
		}
		body := fmt.Sprintf(`{"names":{"en":"Loadtown %d","fa":"بارشهر %d"},"country":"IR","lat":%.4f,"lon":%.4f}`, n, n, 30+float64(n%1000)/100, 50+float64(n%700)/100)
		if !w.do(ctx, "city-create", "POST", "/api/v1/cities", []byte(body), "", &c) {
			return
		}
		ref := strconv.FormatInt(c.ID, 10)
		if !w.do(ctx, "city-update", "PATCH", "/api/v1/cities/"+ref, []byte(fmt.Sprintf(`{"population":%d}`, 1000+n)), `"1"`, nil) {
			return
		}
		var a struct {
			ID int64 `json:"id"`
		}
		body = fmt.Sprintf(`{"cities":[%q,%q],"kind":"friendship","status":"proposed","proposed":{"calendar":"gregorian","value":"2025-03"}}`, ref, partner.Ref)
		if !w.do(ctx, "agreement-create", "POST", "/api/v1/agreements", []byte(body), "", &a) {
			return
		}
		aid := strconv.FormatInt(a.ID, 10)
		if !w.do(ctx, "agreement-update", "PATCH", "/api/v1/agreements/"+aid, []byte(`{"status":"signed","signed":{"calendar":"jalali","value":"1404-02"}}`), `"1"`, nil) {
			return
		}
		body = fmt.Sprintf(`{"agreement":%d,"kind":"visit","title":{"en":"Delegation visit %d","fa":"سفر هیئت %d"},"start":{"calendar":"gregorian","value":"2025-06-01"},"domains":["culture"]}`, a.ID, n, n)
		w.do(ctx, "activity-create", "POST", "/api/v1/activities", []byte(body), "", nil)
	}},
}

func scenarioNames() []string {
	var ns []string
	for n := range scenarios {
		ns = append(ns, n)
	}
	slices.Sort(ns)
	return ns
}

func (w *worker) next() city {
	w.i++
	return w.cities[(w.i*31+w.id*17)%len(w.cities)]
}

// do makes one request and times it under op; it reports whether it succeeded (2xx) and, with
// into, decodes the answer there.
func (w *worker) do(ctx context.Context, op, method, path string, body []byte, ifMatch string, into any) bool {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, w.c.url+path, rd)
	if err != nil {
		w.res.record(op, 0, err, false)
		return false
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	if w.c.token != "" && method != "GET" {
		req.Header.Set("Authorization", "Bearer "+w.c.token)
	}
	start := time.Now()
	resp, err := w.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return false // the run ended: not the server's fault
		}
		var ne net.Error
		w.res.record(op, time.Since(start), err, errors.As(err, &ne) && ne.Timeout())
		return false
	}
	var b []byte
	if into != nil || resp.StatusCode/100 != 2 {
		b, err = io.ReadAll(resp.Body)
	} else {
		_, err = io.Copy(io.Discard, resp.Body)
	}
	resp.Body.Close()
	d := time.Since(start)
	if err == nil && resp.StatusCode/100 != 2 {
		err = fmt.Errorf("%s %s: %s: %.200s", method, path, resp.Status, b)
	}
	if err == nil && into != nil {
		err = json.Unmarshal(b, into)
	}
	if err != nil && ctx.Err() != nil {
		return false
	}
	var ne net.Error
	w.res.record(op, d, err, err != nil && errors.As(err, &ne) && ne.Timeout())
	return err == nil
}

type stats struct {
	lat          []time.Duration
	errors       int
	timeouts     int
	firstErr     string
	firstTimeout bool
}

func (s *stats) n() int { return len(s.lat) + s.errors + s.timeouts }

func (s *stats) pct(p float64) time.Duration {
	if len(s.lat) == 0 {
		return 0
	}
	i := int(float64(len(s.lat))*p/100+0.5) - 1
	return s.lat[min(max(i, 0), len(s.lat)-1)]
}

type result struct {
	mu      sync.Mutex
	ops     map[string]*stats
	order   []string
	elapsed time.Duration
	maxRSS  int64
}

func (r *result) record(op string, d time.Duration, err error, timeout bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.ops[op]
	if st == nil {
		st = &stats{}
		r.ops[op] = st
		r.order = append(r.order, op)
	}
	switch {
	case timeout:
		st.timeouts++
	case err != nil:
		st.errors++
	default:
		st.lat = append(st.lat, d)
		return
	}
	if st.firstErr == "" || !timeout && st.firstTimeout {
		st.firstErr, st.firstTimeout = err.Error(), timeout // an error other than a time-out shows first
	}
}

func runScenario(ctx context.Context, c config, hc *http.Client, cities []city, sc scenario, conns int) *result {
	res := &result{ops: map[string]*stats{}}
	ctx, cancel := context.WithTimeout(ctx, c.duration)
	defer cancel()
	var maxRSS atomic.Int64
	done := make(chan struct{})
	go func() { // sample the server's memory while the scenario runs
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			if v := rss(c.pid); v > maxRSS.Load() {
				maxRSS.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	start := time.Now()
	var wg sync.WaitGroup
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &worker{c: c, hc: hc, cities: cities, id: i, res: res}
			for ctx.Err() == nil {
				sc.step(ctx, w)
			}
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	close(done)
	res.maxRSS = max(maxRSS.Load(), rss(c.pid))
	for _, st := range res.ops {
		slices.Sort(st.lat)
	}
	return res
}

// rss is a process's resident memory in bytes, or 0 when unknown.
func rss(pid int) int64 {
	if pid == 0 {
		return 0
	}
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func mib(b int64) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f MB", float64(b)/1e6)
}

func ms(d time.Duration) string {
	switch {
	case d == 0:
		return "-"
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2fms", float64(d)/1e6)
	default:
		return fmt.Sprintf("%.0fms", float64(d)/1e6)
	}
}

type server struct {
	cmd *exec.Cmd
	url string
}

// startServer starts the twinning binary on the database, on a free local port, and waits until
// it answers.
func startServer(ctx context.Context, c config) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(c.server, "serve", "--db", c.db, "--addr", addr, "--log-level", "warn")
	cmd.Env = append(os.Environ(), "TWINNING_ADMIN_TOKEN="+c.token)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if c.serverLog != "" {
		f, err := os.Create(c.serverLog)
		if err != nil {
			return nil, err
		}
		defer f.Close() // the child has its own descriptor
		cmd.Stdout, cmd.Stderr = f, f
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, url: "http://" + addr}
	deadline := time.Now().Add(5 * time.Minute)
	for {
		resp, err := http.Get(s.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			s.stop()
			return nil, fmt.Errorf("the server did not answer at %s", s.url)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (s *server) stop() {
	s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// timeFirstStart starts the server on an empty database and reports how long it takes until
// Isfahan's page is served and a search for its Persian name finds it, and the server's CPU
// time until then.
func timeFirstStart(ctx context.Context, c config, out io.Writer) error {
	if c.server == "" || c.db == "" {
		return errors.New("--first-start needs --server and --db")
	}
	if _, err := os.Stat(c.db); err == nil {
		return fmt.Errorf("--first-start needs an empty database: %s exists", c.db)
	}
	fmt.Fprintf(out, "machine: %d CPUs, load average %s\n", runtime.NumCPU(), loadavg())
	t0 := time.Now()
	srv, err := startServer(ctx, c)
	if err != nil {
		return err
	}
	defer srv.stop()
	listening := time.Since(t0)
	hc := &http.Client{Timeout: 30 * time.Second}
	ok := func(path, want string) bool {
		resp, err := hc.Get(srv.url + path)
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode == http.StatusOK && strings.Contains(string(b), want)
	}
	var served, found time.Duration
	for served == 0 || found == 0 {
		if served == 0 && ok("/fa/cities/Q42053", "Q42053") {
			served = time.Since(t0)
		}
		if found == 0 && ok("/api/v1/search?q="+url.QueryEscape("اصفهان"), `"Q42053"`) {
			found = time.Since(t0)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if served == 0 || found == 0 {
			time.Sleep(20 * time.Millisecond)
		}
	}
	fmt.Fprintf(out, "first start: answering after %s, Isfahan's page served after %s, found by search after %s; server CPU %s; load average %s\n",
		listening.Round(time.Millisecond), served.Round(time.Millisecond), found.Round(time.Millisecond), cpuTime(srv.cmd.Process.Pid), loadavg())
	return nil
}

// cpuTime is a process's CPU time so far (user and system), or "-" when unknown.
func cpuTime(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return "-"
	}
	// The fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(f) < 13 {
		return "-"
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	const hz = 100 // USER_HZ on Linux
	return (time.Duration(ut+st) * time.Second / hz).String()
}
