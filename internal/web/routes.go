package web

import (
	"github.com/twinning/twinning/internal/httpx"
	"net/http"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/exchange"
	"github.com/twinning/twinning/internal/extract"
	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
	"github.com/twinning/twinning/internal/ui"
)

// route is one entry of the route table: the mux, the checks of each request, the OpenAPI
// document and the authorization matrix test are all built from it.
type route struct {
	method  string
	pattern string
	// api answers a route of the API: it writes its success answer, or returns the error that
	// fail writes as the API's error document. Every route with one is in the OpenAPI document.
	api apiFunc
	// handler answers any other route (a page, a static file, a redirect) by itself.
	handler http.HandlerFunc
	write   bool   // needs a credential that may write
	summary string // for the OpenAPI document
	tag     string
	body    any // the request body's Go type, for the document
	reply   any // the answer's Go type (a list when wrapped in listOf)
	// open marks a write anyone may make without an account (a citizen's proposal, a
	// support); abuse limits per address guard it instead of requireWriter.
	open bool

	// kind and action say which change a write route makes ("agreement", auth.ActUpdate); the
	// role check of requireWriter and the authorization matrix test read them. A write route
	// that declares none is for admins only.
	kind, action string

	// query lists the query parameters an API route accepts: any other is refused with 400,
	// and each is checked (type, bounds, choices) before the handler runs.
	query []param
	// status is the success status when it is not the method's usual one (GET and PATCH 200,
	// POST 201, DELETE 204).
	status int
	// ifMatch says whether the route reads If-Match: matchRequired (428 without it) or
	// matchOptional.
	ifMatch int
	// types are the media types of the success answer when it is not only JSON (an SVG
	// drawing, an export format); "" stands for JSON.
	types []string
	// errs are error statuses the route answers beyond those its shape implies (see
	// errorStatuses in openapi.go).
	errs []int
	// path declares the path's parameters that are not a record's internal id (a city's {id}
	// is its Wikidata id too).
	path []param
	// mergePatch says the body is a JSON merge patch (RFC 7386) of body's type; upload, that
	// it may also come as multipart/form-data with the file in "file"; bodyOptional, that the
	// route may be called without one.
	mergePatch, upload, bodyOptional bool
	// cached keeps the route's anonymous answers until the data changes (respcache.go).
	cached bool
}

// apiPrefix begins the path of every API route but /healthz.
const apiPrefix = "/api/v1/"

// apiFunc is an API handler. Like a page's pageFunc it returns its error rather than writing
// it: one function (classify) maps every error to its status.
type apiFunc func(w http.ResponseWriter, r *http.Request) error

// serveAPI answers an API route: fn's answer, or its error as the API's error document.
func (s *Server) serveAPI(fn apiFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.fail(w, r, err)
		}
	}
}

const (
	matchRequired = 1 + iota
	matchOptional
)

// listOf marks a reply as a list of T.
type listOf struct{ item any }

// routeTable declares every route the server serves, each on its line: the JSON API, the
// pages in each language, static files, health and metrics. The handlers live beside their
// subject (api.go, network.go, ...; the pages in internal/ui: pages_city.go, ...).
func (s *Server) routeTable() []route {
	city := []param{cityRef} // a city's {id} is its Wikidata id too
	cities := &resource[twin.City]{s: s, table: s.db.Cities, id: s.cityID, path: city}
	agreements := &resource[twin.Agreement]{s: s, table: s.db.Agreements, id: httpx.ParseID, show: s.showAgreements}
	institutions := &resource[twin.Institution]{s: s, table: s.db.Institutions, id: httpx.ParseID}
	links := &resource[twin.Link]{s: s, table: s.db.Links, id: httpx.ParseID}
	activities := &resource[twin.Activity]{s: s, table: s.db.Activities, id: httpx.ParseID,
		keep: func(before, after *twin.Activity) { after.Confirmations = before.Confirmations }}
	people := &resource[twin.Person]{s: s, table: s.db.People, id: httpx.ParseID, hide: func(p *twin.Person) { p.Contact = "" }}
	networks := &resource[twin.Network]{s: s, table: s.db.Networks, id: httpx.ParseID}
	proposals := &resource[twin.Proposal]{s: s, table: s.db.Proposals, id: httpx.ParseID, hide: func(p *twin.Proposal) { p.Contact = "" },
		keep: func(before, after *twin.Proposal) { after.KeepServerFields(before) }, narrow: s.publicProposals, readable: s.mayReadProposal}
	followKey := []param{text("key", "the proposal's private follow key (or send it as X-Follow-Key)")}

	rs := []route{
		// The registry's records: list (with the filters their kind declares), create, read,
		// change, delete, restore, history.
		{method: "GET", pattern: "/api/v1/cities", api: func(w http.ResponseWriter, r *http.Request) error { return s.listCities(w, r, cities) },
			summary: "List cities; with q, find them by any name in any script", tag: "cities", reply: listOf{twin.City{}},
			query: paged(1000, append([]param{text("q", "a name in any script")}, filterParams(twin.KindCity)...)...)},
		cities.createRoute(), cached(cities.getRoute()), cities.patchRoute(), cities.deleteRoute(), cities.restoreRoute(), cities.historyRoute(),
		{method: "GET", pattern: "/api/v1/cities/{id}/partners", api: s.partners, path: city, cached: true, summary: "A city's agreements with the partner city", tag: "cities", reply: listOf{twin.Partner{}}},
	}
	rs = append(rs, agreements.routes()...)
	rs = append(rs, institutions.routes()...)
	rs = append(rs, links.routes()...)
	rs = append(rs, activities.routes()...)
	rs = append(rs, people.routes()...)
	rs = append(rs, networks.routes()...)
	rs = append(rs, []route{
		// Citizens' proposals: anyone may propose and support without an account (open: the
		// abuse limits guard them instead); reading one before it is published takes its key.
		proposals.listRoute(),
		{method: "POST", pattern: "/api/v1/proposals", api: s.proposeAPI, open: true,
			summary: "Propose an initiative, with or without an account: it starts submitted; the answer holds the private follow key and link (shown once). Limited per address.", tag: "proposals", body: httpx.ProposalInput{}, reply: submittedAnswer{},
			errs: []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusTooManyRequests}},
		{method: "GET", pattern: "/api/v1/proposals/{id}", api: proposals.get, summary: "Read one of proposals (ETag carries its version); an unpublished one with its follow key", tag: "proposals", reply: twin.Proposal{}, query: followKey},
		proposals.patchRoute(), proposals.deleteRoute(), proposals.restoreRoute(),
		{method: "GET", pattern: "/api/v1/proposals/{id}/history", api: proposals.history, summary: "Who changed it, when, each version before and after; an unpublished one with its follow key", tag: "proposals", reply: listOf{changeAnswer{}}, query: followKey},
		{method: "POST", pattern: "/api/v1/proposals/{id}/support", api: s.supportAPI, open: true,
			summary: "Support a published proposal: once per account, or per browser for anonymous readers; limited per address", tag: "proposals", reply: httpx.SupportAnswer{},
			status: http.StatusOK, errs: []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusTooManyRequests}},
		{method: "POST", pattern: "/api/v1/proposals/{id}/status", api: func(w http.ResponseWriter, r *http.Request) error { return s.moderate(w, r, proposals) }, write: true, kind: "proposal", action: auth.ActModerate,
			summary: "Moderate a proposal: set its status (reviewers); If-Match optional", tag: "proposals", body: statusInput{}, reply: twin.Proposal{}, status: 200, ifMatch: matchOptional},
		{method: "POST", pattern: "/api/v1/activities/{id}/confirm", api: func(w http.ResponseWriter, r *http.Request) error { return s.confirmActivity(w, r, activities) }, write: true, kind: "activity", action: auth.ActConfirm,
			summary: "Confirm an activity for one of its agreement's two cities (that city's editors; idempotent)", tag: "activities", body: confirmInput{}, reply: twin.Activity{}, status: 200, bodyOptional: true},

		// Documents of agreements.
		{method: "POST", pattern: "/api/v1/agreements/{id}/documents", api: s.uploadDocument, write: true, kind: "agreement", action: auth.ActUpdate, tag: "agreements",
			summary: "Attach a document (PDF, PNG, JPEG or WebP, checked by content, at most 20 MiB) to an agreement: multipart/form-data with file, name, kind, lang; or JSON with the bytes in base64 (small files)",
			body:    documentUpload{}, upload: true, reply: twin.Document{}},
		{method: "GET", pattern: "/api/v1/documents/{id}", api: s.downloadDocument, tag: "agreements", summary: "Download a document",
			types: []string{"application/pdf", "image/png", "image/jpeg", "image/webp"}},
		{method: "DELETE", pattern: "/api/v1/documents/{id}", api: s.deleteDocument, write: true, kind: "agreement", action: auth.ActUpdate, tag: "agreements",
			summary: "Remove a document from its agreement. A document never changes, so it has no version and no If-Match; the agreement's version moves"},

		// The twinning graph (in memory, internal/graph) and what it tells.
		{method: "GET", pattern: "/api/v1/cities/{id}/suggestions", api: s.suggestions, path: city, summary: "Ranked partner suggestions for a city, each with its reasons", tag: "graph", reply: listOf{httpx.Suggestion{}},
			query: []param{number("limit", 1, 100, "how many (10)")}, errs: graphErrs},
		{method: "GET", pattern: "/api/v1/cities/{id}/cousins", api: s.cousins, path: city, summary: "Partners of a city's partners that are not its partners", tag: "graph", reply: listOf{cousinAnswer{}}, errs: graphErrs},
		{method: "GET", pattern: "/api/v1/cities/{id}/attention", api: s.attention, path: city, tag: "graph",
			summary: "A city's partnerships that need attention (dormant, cooling, or never tracked), with reasons and promised domains beside delivered ones", reply: listOf{ui.AttentionItem{}}, errs: graphErrs},
		{method: "GET", pattern: "/api/v1/cities/{id}/pipeline", api: s.pipeline, path: city, tag: "graph",
			summary: "A city's prospective partners: agreements proposed or under negotiation, with their next step and owner", reply: listOf{twin.Partner{}}, errs: graphErrs},
		{method: "GET", pattern: "/api/v1/cities/{id}/neighbourhood", api: s.neighbourhood, path: city, tag: "graph",
			summary: "A city's neighbourhood in the twinning graph (depth, max) as JSON, or drawn as SVG with format=svg", reply: neighbourhoodAnswer{}, errs: graphErrs,
			query: []param{number("depth", 1, 3, "steps from the city (1)"), number("max", 1, 500, "at most this many cities (80)"), oneOf("format", "json (the default) or an SVG drawing", "json", "svg")},
			types: []string{"", "image/svg+xml"}},
		{method: "GET", pattern: "/api/v1/cities/{id}/triangles", api: s.triangles, path: city, tag: "graph",
			summary: "Triangles of twinnings through a city: seeds of multilateral networks", reply: listOf{[]httpx.CityBrief{}}, errs: graphErrs},
		{method: "GET", pattern: "/api/v1/institutions/{id}/suggestions", api: s.institutionSuggestions, tag: "graph",
			summary: "Counterpart institutions for an institution in its city's partner cities, ranked, each with its reasons", reply: listOf{counterpart{}}, errs: graphErrs},
		{method: "GET", pattern: "/api/v1/graph/path", api: s.graphPath, summary: "The shortest chain of twinnings between two cities (from, to), and all chains of that length", tag: "graph", reply: pathAnswer{},
			query: []param{need(text("from", "a city: internal or Wikidata id")), need(text("to", "a city: internal or Wikidata id")), number("limit", 1, 100, "how many chains (20)")}, errs: graphErrs},
		{method: "GET", pattern: "/api/v1/graph/cliques", api: s.cliques, tag: "graph",
			summary: "Groups of cities all twinned with each other (min members, limit; with city, those containing it): seeds of multilateral networks", reply: listOf{[]httpx.CityBrief{}}, errs: graphErrs,
			query: []param{number("min", 3, 20, "at least this many members (3)"), number("limit", 1, 200, "how many groups (50)"), cityParam}},
		{method: "GET", pattern: "/api/v1/graph/stats", api: s.graphStats, tag: "graph",
			summary: "Size of the twinning graph: cities, agreements, components, the largest component, communities", reply: graphStatsAnswer{}, errs: graphErrs},
		{method: "GET", pattern: "/api/v1/graph/communities", api: s.communities, tag: "graph",
			summary: "The community (Louvain) of a city in the twinning graph, with its best-connected members", reply: communityAnswer{}, errs: graphErrs,
			query: []param{need(cityParam), number("limit", 1, 500, "at most this many members (50)")}},

		// Search, vocabularies, dates, bulk data.
		{method: "GET", pattern: "/api/v1/search", api: s.search, summary: "Search every kind of record by any name or word, in any script", tag: "search", reply: httpx.SearchResult{},
			query: []param{need(text("q", "the words")), text("type", "comma-separated kinds: city, agreement, institution, link, activity, person, network, proposal"), number("limit", 1, 200, "how many hits (20)"),
				oneOf("usable", "1: only what the signed-in editor may use in a form — agreements of their cities, links touching them, institutions of their cities and their partners; anyone else gets everything", "1")}},
		{method: "GET", pattern: "/api/v1/domains", api: s.domains, summary: "The cooperation-domain vocabulary", tag: "vocabulary", reply: listOf{twin.Domain{}}},
		{method: "POST", pattern: "/api/v1/domains", api: s.addDomain, write: true, kind: "domain", action: auth.ActAdmin, summary: "Add a cooperation domain", tag: "vocabulary", body: twin.Domain{}, reply: twin.Domain{}, errs: []int{409}},
		{method: "GET", pattern: "/api/v1/countries", api: s.countries, summary: "Countries with their names and regional organisations", tag: "vocabulary", reply: listOf{twin.Country{}}},
		{method: "GET", pattern: "/api/v1/dates", api: s.convertDate, summary: "Complete a partial date in any calendar (calendar, value) with its Gregorian interval and display forms", tag: "dates", reply: dateAnswer{},
			query: []param{need(oneOf("calendar", "", "jalali", "gregorian", "hijri")), need(text("value", "YYYY, YYYY-MM or YYYY-MM-DD; Persian digits allowed"))}},
		{method: "GET", pattern: "/api/v1/export", api: s.export, tag: "data",
			summary: "The registry, or one city's neighbourhood (city, depth), as csv, jsonl, geojson, graphml or ics (format)",
			query:   []param{oneOf("format", "the file format (jsonl)", exchange.ExportFormats...), cityParam, number("depth", 1, 10, "with city: steps from it (1)")},
			types:   exportTypes()},

		// News: reading articles, accepting their facts, the feeds and the reviewers' inbox.
		{method: "POST", pattern: "/api/v1/extract", api: s.extractArticle, tag: "news",
			summary: "Read a news article (Persian or English) and propose records, each with its evidence span", body: extractRequest{}, reply: extract.Result{}, status: 200},
		{method: "POST", pattern: "/api/v1/extract/accept", api: s.acceptArticle, tag: "news", write: true, kind: "extract", action: auth.ActAccept,
			summary: "Accept facts read from an article (reviewers, admins): {text, url, published, accept: [{ref: \"agreement:0\", values: {status, signed, ...}}]}; " +
				"the article is read again and the accepted facts become agreements, institutions, people and activities in one transaction, each citing the article; " +
				"facts not listed are rejected; one invalid fact (problems keyed \"ref.field\") writes nothing",
			body: acceptRequest{}, reply: acceptAnswer{}, status: 200},
		{method: "GET", pattern: "/api/v1/feeds", api: s.listFeeds, tag: "news", summary: "The news feeds the registry watches, with their last and next poll and last error (admins)", reply: listOf{store.Feed{}}, errs: []int{401, 403}},
		{method: "POST", pattern: "/api/v1/feeds", api: s.addFeed, tag: "news", write: true, kind: "feed", action: auth.ActAdmin,
			summary: "Watch an RSS 2.0, Atom or RSS 1.0 feed {url, lang: fa|en, check} (admins). The address is read once first: a feed is added with its title; " +
				"a news page's one declared feed (or, when it declares none, one at /feed, /rss, /rss.xml or /atom.xml) is found and added; " +
				"otherwise nothing is added and the problem of \"url\" says why: feed_several (its params.candidates, {url, title}, to choose from), feed_none, " +
				"or feed_unreachable (params.reason). check: false adds the address as given, unread, to be read at the next poll (a host down at the moment)",
			body: feedInput{}, reply: store.Feed{}, errs: []int{409}},
		{method: "DELETE", pattern: "/api/v1/feeds/{id}", api: s.removeFeed, tag: "news", write: true, kind: "feed", action: auth.ActAdmin,
			summary: "Stop watching a feed (admins); the articles read from it stay"},
		{method: "GET", pattern: "/api/v1/inbox", api: s.inbox, tag: "news",
			summary: "Articles from the feeds with a twinning signal, one per story, ranked by what they would add: new_agreement, status_change, new_activity, known (reviewers, admins; dismissed=true lists the dismissed; limit)",
			reply:   listOf{store.Article{}}, errs: []int{401, 403},
			query: []param{oneOf("dismissed", "true lists the dismissed articles instead of the open ones", "true", "false"), number("limit", 1, 500, "articles at most (100)")}},
		{method: "POST", pattern: "/api/v1/inbox/{id}/dismiss", api: s.dismissArticle, tag: "news", write: true, kind: "extract", action: auth.ActAccept,
			summary: "Take an article, and every copy of its story, out of the inbox for good (reviewers, admins)", reply: store.Article{}, status: http.StatusOK},

		// Accounts: who am I, users (admins), tokens, the audit log, your password.
		{method: "GET", pattern: "/api/v1/me", api: s.me, summary: "The signed-in account (401 when anonymous)", tag: "accounts", reply: meAnswer{}, errs: []int{401}},
		{method: "GET", pattern: "/api/v1/users", api: s.listUsers, summary: "List accounts (admins)", tag: "accounts", reply: listOf{userAnswer{}}, errs: []int{401, 403}},
		{method: "POST", pattern: "/api/v1/users", api: s.addUser, write: true, kind: "user", action: auth.ActAdmin, summary: "Create an account (admins)", tag: "accounts", body: userInput{}, reply: userAnswer{}, errs: []int{409}},
		{method: "PATCH", pattern: "/api/v1/users/{id}", api: s.changeUser, write: true, kind: "user", action: auth.ActAdmin, summary: "Change an account's role, cities, institutions or disabled flag (admins); If-Match required", tag: "accounts", body: userInput{}, reply: userAnswer{}, ifMatch: matchRequired},
		{method: "POST", pattern: "/api/v1/users/{id}/password", api: s.resetPassword, write: true, kind: "user", action: auth.ActAdmin, summary: "Set an account's password (admins); its sessions end", tag: "accounts", body: passwordInput{}, status: 204},
		{method: "GET", pattern: "/api/v1/tokens", api: s.listTokens, summary: "Your personal API tokens (all tokens for admins)", tag: "accounts", reply: listOf{auth.Token{}}, errs: []int{401}},
		{method: "POST", pattern: "/api/v1/tokens", api: s.addToken, write: true, kind: "token", action: auth.ActSelf, summary: "Create a personal API token; the answer shows it once", tag: "accounts", body: tokenInput{}, reply: tokenAnswer{}},
		{method: "DELETE", pattern: "/api/v1/tokens/{id}", api: s.revokeToken, write: true, kind: "token", action: auth.ActSelf, summary: "Revoke a personal API token (yours; any for admins). A token has no versions: revoking is final and revoking again changes nothing, so no If-Match", tag: "accounts"},
		{method: "GET", pattern: "/api/v1/changes", api: s.changes, summary: "The audit log, newest first: what changed when, each field before and after, and, for signed-in staff, who (actor is for staff)", tag: "accounts", reply: listOf{changeAnswer{}},
			query: []param{text("kind", "the kind of record: city, agreement, ..."), idParam("id"), text("actor", "who made the change"), number("before", 1, 0, "the cursor: the next field of the previous page"), number("limit", 1, 500, "entries per page (50)")}, errs: []int{401, 403}},
		// Last of the accounts' routes: the authorization matrix test runs the table in order, and
		// this one revokes the tokens of the accounts it changes.
		{method: "POST", pattern: "/api/v1/me/password", api: s.changeOwnPassword, write: true, kind: "account", action: auth.ActSelf,
			summary: "Change your own password (current and new); your other sessions end, this one stays; your personal tokens are revoked unless keep_tokens. Wrong current passwords count as failed sign-ins", tag: "accounts", body: passwordChange{}, status: 204, errs: []int{429}},

		// The service itself.
		{method: "GET", pattern: "/api/v1/openapi.json", api: s.openAPI, summary: "This document", tag: "meta"},
		{method: "GET", pattern: "/healthz", api: s.health, summary: "Liveness and database reachability", tag: "meta", reply: healthAnswer{}, errs: []int{503}},
		{method: "GET", pattern: "/metrics", handler: s.metricsPage, summary: "Prometheus metrics (loopback, or with the metrics token)", tag: "meta"},
		{method: "GET", pattern: "/debug/pprof/", handler: s.adminOnly(s.pprof), summary: "Go runtime profiles (admins)", tag: "meta"},

		// The human pages: the root sends the reader to their language; static files under
		// checksummed URLs.
		{method: "GET", pattern: "/{$}", handler: s.pages.NegotiateRoot, summary: "Redirect to the reader's language", tag: "pages"},
		{method: "GET", pattern: "/static/{hash}/{path...}", handler: ui.ServeStatic, summary: "Static files under checksummed URLs", tag: "pages"},
	}...)
	for _, lang := range i18n.Langs {
		rs = append(rs, s.pageRoutes(lang)...)
	}
	return rs
}

// pageRoutes declares the human pages of one language, under its own literal prefix (/fa/...,
// /en/..., /ru/...: the mux never has to choose between a language and a page).
func (s *Server) pageRoutes(lang string) []route {
	var rs []route
	add := func(method, pattern string, fn ui.PageFunc) {
		rs = append(rs, route{method: method, pattern: "/" + lang + pattern, handler: s.pages.PageHandler(lang, fn), tag: "pages"})
	}
	rs = append(rs, route{method: "GET", pattern: "/" + lang, tag: "pages", handler: func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/"+lang+"/", http.StatusMovedPermanently)
	}})
	add("GET", "/{$}", s.pages.HomePage)
	rs = append(rs, route{method: "GET", pattern: "/" + lang + "/cities/{ref}", handler: s.pages.PageHandler(lang, s.pages.CityPage), tag: "pages", cached: true})
	add("GET", "/cities/{ref}/report", s.pages.ReportPage)
	add("GET", "/agreements/{id}", s.pages.AgreementPage)
	add("GET", "/agreements/{id}/report", s.pages.AgreementReportPage)
	add("GET", "/institutions/{id}", s.pages.InstitutionPage)
	add("GET", "/activities/{id}", s.pages.ActivityPage)
	add("GET", "/networks/{id}", s.pages.NetworkPage)
	add("GET", "/people/{id}", s.pages.PersonPage)
	add("GET", "/search", s.pages.SearchPage)
	add("GET", "/calendar", s.pages.CalendarPage)
	add("GET", "/path", s.pages.PathPage)
	add("GET", "/about", s.pages.AboutPage)
	// Anything else under the language's prefix is a page that does not exist, said in the
	// reader's language.
	add("GET", "/", s.pages.NoSuchPage)

	// Citizens' proposals, and their moderation.
	add("GET", "/proposals", s.pages.ProposalsPage)
	add("GET", "/proposals/new", s.pages.ProposalNewPage)
	add("POST", "/proposals/new", s.pages.ProposalNewPost)
	add("GET", "/proposals/{id}", s.pages.ProposalPage)
	add("POST", "/proposals/{id}/support", s.pages.ProposalSupportPost)
	add("GET", "/staff/proposals", s.pages.StaffOnly(s.pages.ModeratorsOnly(s.pages.ModerationPage)))
	add("POST", "/staff/proposals", s.pages.StaffOnly(s.pages.ModeratorsOnly(s.pages.ModerationPost)))

	// Signing in and out, and one's own account.
	add("GET", "/signin", s.pages.AccountSigninPage)
	add("POST", "/signin", s.pages.AccountSignin)
	add("POST", "/signout", s.pages.AccountSignout)
	add("GET", "/account", s.pages.AccountPage)
	add("POST", "/account/password", s.pages.AccountPassword)
	add("POST", "/account/tokens", s.pages.AccountNewToken)
	add("POST", "/account/tokens/{id}/revoke", s.pages.AccountRevokeToken)

	// The staff's workspace: the forms of every kind, the news review, the inbox and feeds.
	add("GET", "/staff/{$}", s.pages.StaffOnly(s.pages.StaffHome))
	add("GET", "/staff/{kind}/new", s.pages.StaffOnly(s.pages.FormPage))
	add("POST", "/staff/{kind}/new", s.pages.StaffOnly(s.pages.FormPost))
	add("GET", "/staff/{kind}/{id}/edit", s.pages.StaffOnly(s.pages.FormPage))
	add("POST", "/staff/{kind}/{id}/edit", s.pages.StaffOnly(s.pages.FormPost))
	add("GET", "/staff/{kind}/{id}/history", s.pages.StaffOnly(s.pages.HistoryPage))
	rs = append(rs, route{method: "POST", pattern: "/" + lang + "/staff/agreements/{id}/documents", tag: "pages",
		handler: func(w http.ResponseWriter, r *http.Request) { s.pages.UploadDocumentPage(w, r, lang) }})
	add("GET", "/staff/extract", s.pages.StaffOnly(s.pages.ExtractFormPage))
	add("POST", "/staff/extract", s.pages.StaffOnly(s.pages.ExtractReadPage))
	add("POST", "/staff/extract/apply", s.pages.ExtractApplyPage)
	add("GET", "/staff/inbox", s.pages.StaffOnly(s.pages.InboxPage))
	add("POST", "/staff/inbox/{id}/dismiss", s.pages.StaffOnly(s.pages.InboxDismissPage))
	add("GET", "/staff/feeds", s.pages.StaffOnly(s.pages.FeedsPage))
	add("POST", "/staff/feeds", s.pages.StaffOnly(s.pages.FeedsAddPage))
	add("POST", "/staff/feeds/{id}/remove", s.pages.StaffOnly(s.pages.FeedsRemovePage))
	return rs
}

// cached marks a route's anonymous answers as kept until the data changes.
func cached(rt route) route { rt.cached = true; return rt }

// routes are a resource's list (with the filters its kind declares) and record routes.
func (rs *resource[T]) routes() []route {
	return []route{rs.listRoute(), rs.createRoute(), rs.getRoute(), rs.patchRoute(), rs.deleteRoute(), rs.restoreRoute(), rs.historyRoute()}
}

func (rs *resource[T]) listRoute() route {
	return route{method: "GET", pattern: "/api/v1/" + rs.name(), api: rs.list, summary: "List " + rs.name() + " (filters, cursor pagination)", tag: rs.name(), reply: listOf{*new(T)}, query: paged(1000, filterParams(rs.table.Kind())...)}
}

func (rs *resource[T]) createRoute() route {
	return route{method: "POST", pattern: "/api/v1/" + rs.name(), api: rs.create, write: true, kind: rs.kind(), action: auth.ActCreate, summary: "Create one of " + rs.name(), tag: rs.name(), body: *new(T), reply: *new(T), errs: []int{409}}
}

func (rs *resource[T]) getRoute() route {
	return route{method: "GET", pattern: "/api/v1/" + rs.name() + "/{id}", api: rs.get, path: rs.path, summary: "Read one of " + rs.name() + " (ETag carries its version)", tag: rs.name(), reply: *new(T)}
}

func (rs *resource[T]) patchRoute() route {
	return route{method: "PATCH", pattern: "/api/v1/" + rs.name() + "/{id}", api: rs.patch, path: rs.path, write: true, kind: rs.kind(), action: auth.ActUpdate, summary: "Change one of " + rs.name() + " with a JSON merge patch; If-Match required", tag: rs.name(), body: *new(T), mergePatch: true, reply: *new(T), ifMatch: matchRequired, errs: []int{409}}
}

func (rs *resource[T]) deleteRoute() route {
	return route{method: "DELETE", pattern: "/api/v1/" + rs.name() + "/{id}", api: rs.del, path: rs.path, write: true, kind: rs.kind(), action: auth.ActDelete, summary: "Delete one of " + rs.name() + " (restorable); If-Match required", tag: rs.name(), ifMatch: matchRequired}
}

func (rs *resource[T]) restoreRoute() route {
	return route{method: "POST", pattern: "/api/v1/" + rs.name() + "/{id}/restore", api: rs.restore, path: rs.path, write: true, kind: rs.kind(), action: auth.ActRestore, summary: "Restore a deleted one of " + rs.name() + " (admins); 409 when it is not deleted", tag: rs.name(), reply: *new(T), status: 200, errs: []int{409}}
}

func (rs *resource[T]) historyRoute() route {
	return route{method: "GET", pattern: "/api/v1/" + rs.name() + "/{id}/history", api: rs.history, path: rs.path, summary: "Who changed it, when, each version before and after", tag: rs.name(), reply: listOf{changeAnswer{}}}
}
