package ui

import (
	"bytes"
	"compress/gzip"
	"context"
	"embed"
	"github.com/twinning/twinning/internal/httpx"

	"fmt"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/twin"
)

// The human pages are server-rendered html/template files, embedded with the static files they
// use. Both are read and checked once, when the package starts: a broken template stops the
// program at once rather than a reader's request later.

//go:embed templates/*.html
var templateFS embed.FS

var pages = newPageTemplates()

// pageTemplates are the pages' templates, each parsed with the layout and the shared parts,
// once per language, the first time the page is rendered in that language: a server parses
// only the pages it serves, and starts without parsing any (parsing all of them, in three
// languages, took a third of a second and held 13 MB). Template functions are bound to the
// language, so templates say {{t "city.partners"}} and {{date .Signed}} without passing it
// around.
type pageTemplates struct {
	mu      sync.Mutex
	sources map[string]pageSource         // page name → its file
	parsed  map[string]*template.Template // lang + " " + page name → the template
}

// pageSource is where a page's template is.
type pageSource struct {
	fsys fs.FS
	path string
}

// newPageTemplates knows every page under templates/.
func newPageTemplates() *pageTemplates {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	pt := &pageTemplates{sources: map[string]pageSource{}, parsed: map[string]*template.Template{}}
	for _, n := range names {
		name := path.Base(n)
		if name == "layout.html" || name == "parts.html" {
			continue
		}
		pt.sources[strings.TrimSuffix(name, ".html")] = pageSource{templateFS, n}
	}
	return pt
}

// add makes a page of a template kept elsewhere.
func (pt *pageTemplates) add(name string, fsys fs.FS, file string) {
	pt.mu.Lock()
	defer pt.mu.Unlock()
	pt.sources[name] = pageSource{fsys, file}
}

// get returns the page's template in lang, parsing it the first time; nil when there is no
// such page.
func (pt *pageTemplates) get(lang, name string) (*template.Template, error) {
	pt.mu.Lock()
	defer pt.mu.Unlock()
	key := lang + " " + name
	if t := pt.parsed[key]; t != nil {
		return t, nil
	}
	src, ok := pt.sources[name]
	if !ok {
		return nil, nil
	}
	t, err := template.New("layout.html").Funcs(pageFuncs(lang)).ParseFS(templateFS, "templates/layout.html", "templates/parts.html")
	if err == nil {
		t, err = t.ParseFS(src.fsys, src.path)
	}
	if err != nil {
		return nil, err
	}
	pt.parsed[key] = t
	return t, nil
}

// names lists the pages.
func (pt *pageTemplates) names() []string {
	pt.mu.Lock()
	defer pt.mu.Unlock()
	var out []string
	for n := range pt.sources {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// pageFuncs are the template functions, bound to one language.
func pageFuncs(lang string) template.FuncMap {
	fm := template.FuncMap{
		"t": func(key string, kv ...any) string { return i18n.T(lang, key, params(kv)) },
		// tk translates a key made of parts: {{tk "status." .Status}}.
		"tk": func(parts ...string) string { return i18n.T(lang, strings.Join(parts, ""), nil) },
		"n": func(key string, count any, kv ...any) string {
			return i18n.N(lang, key, toFloat(count), params(kv))
		},
		"num":    func(n any) string { return i18n.Number(lang, int64(toFloat(n))) },
		"digits": func(v any) string { return i18n.Digits(lang, fmt.Sprint(v)) },
		"date": func(d *calendar.PartialDate) string {
			if d == nil {
				return ""
			}
			return calendar.Format(*d, lang)
		},
		"datealt": func(d *calendar.PartialDate) string {
			if d == nil {
				return ""
			}
			return calendar.FormatAlt(*d, lang)
		},
		"day": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return calendar.Format(calendar.FromTime(t, calendar.Home(lang), calendar.Day), lang)
		},
		"stamp": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return calendar.Format(calendar.FromTime(t, calendar.Home(lang), calendar.Day), lang) + " " + i18n.Digits(lang, t.UTC().Format("15:04"))
		},
		"deref": func(t *time.Time) time.Time {
			if t == nil {
				return time.Time{}
			}
			return *t
		},
		"name":    func(n twin.Names) string { return n.Pick(lang) },
		"namebdi": func(name string, n twin.Names) template.HTML { return nameBDI(lang, name, n) },
		"country": func(code string) string { return countryName(code, lang) },
		"domain":  func(code string) string { return domainName(code, lang) },
		"asset":   assetURL,
		"href": func(parts ...any) string {
			var b strings.Builder
			b.WriteString("/" + lang)
			for _, p := range parts {
				b.WriteString("/" + url.PathEscape(fmt.Sprint(p)))
			}
			return b.String()
		},
		"sep":      func() string { return i18n.ListSep(lang) },
		"dot":      func() string { return metaSep(lang) },
		"add":      func(a, b int) int { return a + b },
		"dict":     dict,
		"list":     func(v ...any) []any { return v },
		"kindpath": func(kind string) string { return twin.Kind(kind).Plural() },
		"svgnum": func(v float64) string {
			return fmt.Sprintf("%.1f", v)
		},
	}
	maps.Copy(fm, sourceFuncs(lang))
	return fm
}

// metaSep separates the parts of a meta line ("Turkey · 12 partners"). In right-to-left
// Persian the middle dot looks like the Persian zero beside digits (۱۲ · reads ۱۲۰), so those
// pages use the Persian comma.
func metaSep(lang string) string {
	if i18n.Dir(lang) == "rtl" {
		return "، "
	}
	return " · "
}

func params(kv []any) map[string]any {
	if len(kv) == 0 {
		return nil
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}

func dict(kv ...any) map[string]any { return params(kv) }

func toFloat(v any) float64 {
	switch x := v.(type) {
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case float64:
		return x
	case int32:
		return float64(x)
	}
	return 0
}

// page is what every page template receives: the reader's language, the page's own data and
// what the layout needs (title, language switch, staff session, CSRF token).
type Page struct {
	Lang, Dir string
	Title     string
	// Here is the page's path without the language prefix, with its query: the language switch
	// links to the same page in the other languages.
	Here     string
	Alt      []langLink
	Staff    bool
	User     string // the signed-in reader's name
	CSRF     string
	Section  string // the navigation item to mark as current
	Data     any
	Wide     bool
	tmpl     string
	status   int
	handled  bool
	srv      *Pages
	request  *http.Request
	response http.ResponseWriter
}

type langLink struct{ Lang, Name, URL string }

// PageFunc fills a page (template name, title, data) or answers the request itself.
type PageFunc func(r *http.Request, p *Page) error

// NegotiateRoot sends / to /fa/ or /en/ by Accept-Language, Persian by default.
func (s *Pages) NegotiateRoot(w http.ResponseWriter, r *http.Request) {
	lang := i18n.Negotiate(r.Header.Get("Accept-Language"), i18n.Default)
	http.Redirect(w, r, "/"+lang+"/", http.StatusSeeOther)
}

// PageHandler runs fn for a page in lang and renders what it filled.
func (s *Pages) PageHandler(lang string, fn PageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.refreshNames(r.Context())
		here := strings.TrimPrefix(r.URL.Path, "/"+lang)
		if r.URL.RawQuery != "" && r.Method == http.MethodGet {
			here += "?" + r.URL.RawQuery
		}
		p := &Page{Lang: lang, Dir: i18n.Dir(lang), Here: here, srv: s, request: r, response: w}
		for _, l := range i18n.Langs {
			if l != lang {
				p.Alt = append(p.Alt, langLink{Lang: l, Name: i18n.T(l, "lang.name", nil), URL: "/" + l + here})
			}
		}
		_, p.Staff = s.StaffActor(r)
		if who, _ := s.Who(r); who != nil {
			p.User = who.Name()
			p.CSRF = csrfToken(w, r, s)
		}
		if err := fn(r, p); err != nil {
			s.pageError(w, r, p, err)
			return
		}
		if p.handled {
			return
		}
		s.render(w, r, p)
	}
}

// render executes the page's template into a buffer (so a failing template never sends half a
// page) and sends it, gzipped when the reader accepts it.
func (s *Pages) render(w http.ResponseWriter, r *http.Request, p *Page) {
	t, err := pages.get(p.Lang, p.tmpl)
	if t == nil {
		s.log.ErrorContext(r.Context(), "no page template", "name", p.tmpl, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.log.ErrorContext(r.Context(), "page template", "name", p.tmpl, "path", r.URL.Path, "err", err)
		http.Error(w, i18n.T(p.Lang, "error.internal", nil), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", p.Lang)
	h.Set("Cache-Control", "no-cache")
	h.Add("Vary", "Accept-Encoding")
	status := p.status
	if status == 0 {
		status = http.StatusOK
	}
	body := buf.Bytes()
	if len(body) > 1024 && httpx.AcceptsGzip(r) {
		var zb bytes.Buffer
		zw := gzipWriters.Get().(*gzip.Writer) // a new one allocates about 1 MB
		zw.Reset(&zb)
		zw.Write(body)
		zw.Close()
		gzipWriters.Put(zw)
		h.Set("Content-Encoding", "gzip")
		body = zb.Bytes()
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// gzipWriters are the pages' compressors, reused.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression)
	return zw
}}

type errorData struct {
	Code    string
	Message string
	Status  int
	// RequestID names a server-side failure in the log, for the reader's report.
	RequestID string
}

// pageError shows a domain error as a page in the reader's language; anything else is logged
// in full and shown as "internal error".
func (s *Pages) pageError(w http.ResponseWriter, r *http.Request, p *Page, err error) {
	code, status := s.Classify(w, r, err)
	p.tmpl, p.status = "error", status
	p.Title = i18n.T(p.Lang, "error."+code, nil)
	p.Data = errorData{Code: code, Message: p.Title, Status: status}
	if status >= 500 {
		p.Data = errorData{Code: code, Message: p.Title, Status: status, RequestID: s.RequestID(r.Context())}
	}
	p.handled = false
	s.render(w, r, p)
}

// limited answers a refusal over a limit: status 429 with Retry-After, and the message the
// page shows, saying when to try again.
func (p *Page) limited(err error) string {
	p.status = http.StatusTooManyRequests
	httpx.SetRetryAfter(p.response, err)
	return httpx.Refusal(p.Lang, twin.ErrorCode(err), err)
}

// redirect answers with a See Other to a page in the same language.
func (p *Page) redirect(to string) {
	http.Redirect(p.response, p.request, "/"+p.Lang+to, http.StatusSeeOther)
	p.handled = true
}

// names caches the country and domain names the templates show; refreshed every few minutes.
var names struct {
	sync.RWMutex
	owner     *Pages
	loaded    time.Time
	countries map[string]twin.Names
	domains   map[string]twin.Names
}

func (s *Pages) refreshNames(ctx context.Context) {
	names.RLock()
	fresh := names.owner == s && time.Since(names.loaded) < 5*time.Minute
	names.RUnlock()
	if fresh {
		return
	}
	cs, err := s.db.Countries(ctx)
	if err != nil {
		s.log.ErrorContext(ctx, "country names", "err", err)
		return
	}
	ds, err := s.db.Domains(ctx)
	if err != nil {
		s.log.ErrorContext(ctx, "domain names", "err", err)
		return
	}
	cm := make(map[string]twin.Names, len(cs))
	for _, c := range cs {
		cm[c.Code] = c.Names
	}
	dm := make(map[string]twin.Names, len(ds))
	for _, d := range ds {
		dm[d.Code] = d.Names
	}
	names.Lock()
	names.owner, names.loaded, names.countries, names.domains = s, time.Now(), cm, dm
	names.Unlock()
}

func countryName(code, lang string) string {
	names.RLock()
	n := names.countries[code]
	names.RUnlock()
	if v := n.Pick(lang); v != "" {
		return v
	}
	return code
}

func domainName(code, lang string) string {
	names.RLock()
	n, ok := names.domains[code]
	names.RUnlock()
	if !ok {
		for _, d := range twin.DefaultDomains {
			if d.Code == code {
				n = d.Names
			}
		}
	}
	if v := n.Pick(lang); v != "" {
		return v
	}
	return code
}

// NoSuchPage answers any path under a language's prefix that no page has, in the reader's
// language.
func (s *Pages) NoSuchPage(r *http.Request, p *Page) error { return httpx.NotFound("page", r.URL.Path) }
