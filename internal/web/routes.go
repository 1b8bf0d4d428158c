package web

import (
	"net/http"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/twin"
)

// route is one entry of the route table: the mux and the OpenAPI document are both built from it.
type route struct {
	method  string
	pattern string
	handler http.HandlerFunc
	write   bool   // needs a credential that may write
	summary string // for the OpenAPI document
	tag     string
	body    any // the request body's Go type, for the document
	reply   any // the answer's Go type (a list when wrapped in listOf)
	api     bool
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
}

const (
	matchRequired = 1 + iota
	matchOptional
)

// listOf marks a reply as a list of T.
type listOf struct{ item any }

// routeTable declares every route the server serves.
func (s *Server) routeTable() []route {
	var rs []route
	api := func(r route) { r.api = true; rs = append(rs, r) }

	cities := &resource[twin.City]{s: s, name: "cities", kind: "city", table: s.db.Cities, id: s.cityID}
	agreements := &resource[twin.Agreement]{s: s, name: "agreements", kind: "agreement", table: s.db.Agreements, id: parseID, show: s.showAgreements}
	institutions := &resource[twin.Institution]{s: s, name: "institutions", kind: "institution", table: s.db.Institutions, id: parseID}
	links := &resource[twin.Link]{s: s, name: "links", kind: "link", table: s.db.Links, id: parseID}
	activities := &resource[twin.Activity]{s: s, name: "activities", kind: "activity", table: s.db.Activities, id: parseID}
	people := &resource[twin.Person]{s: s, name: "people", kind: "person", table: s.db.People, id: parseID, hide: func(p *twin.Person) { p.Contact = "" }}
	networks := &resource[twin.Network]{s: s, name: "networks", kind: "network", table: s.db.Networks, id: parseID}
	proposals := &resource[twin.Proposal]{s: s, name: "proposals", kind: "proposal", table: s.db.Proposals, id: parseID, hide: func(p *twin.Proposal) { p.Contact = "" },
		keep: func(before, after *twin.Proposal) { after.KeepServerFields(before) }, narrow: s.publicProposals, readable: s.mayReadProposal}

	api(route{method: "GET", pattern: "/api/v1/cities", handler: func(w http.ResponseWriter, r *http.Request) { s.listCities(w, r, cities) },
		summary: "List cities; with q, find them by any name in any script", tag: "cities", reply: listOf{twin.City{}},
		query: paged(1000, text("q", "a name in any script"), text("country", "ISO 3166-1 alpha-2 code"), text("wikidata", "a Wikidata id, Q42053"))})
	addCRUD(api, cities, "cities", twin.City{})
	api(route{method: "GET", pattern: "/api/v1/cities/{id}/partners", handler: s.partners, summary: "A city's agreements with the partner city", tag: "cities", reply: listOf{twin.Partner{}}})
	addResource(api, agreements, "agreements", twin.Agreement{}, cityParam, oneOf("status", "", twin.AgreementStatuses...), oneOf("kind", "", twin.AgreementKinds...))
	addResource(api, institutions, "institutions", twin.Institution{}, cityParam, oneOf("type", "", twin.InstitutionTypes...))
	addResource(api, links, "links", twin.Link{}, idParam("agreement"), idParam("institution"), oneOf("status", "", twin.LinkStatuses...))
	addResource(api, activities, "activities", twin.Activity{}, idParam("agreement"), idParam("network"), cityParam, oneOf("kind", "", twin.ActivityKinds...))
	addResource(api, people, "people", twin.Person{})
	addResource(api, networks, "networks", twin.Network{}, cityParam, oneOf("kind", "", twin.NetworkKinds...))
	addResource(api, proposals, "proposals", twin.Proposal{}, idParam("agreement"), oneOf("status", "", twin.ProposalStatuses...), cityParam, text("domain", "a cooperation domain's code"))

	api(route{method: "GET", pattern: "/api/v1/cities/{id}/suggestions", handler: s.suggestions, summary: "Ranked partner suggestions for a city, each with its reasons", tag: "graph", reply: listOf{suggestionAnswer{}},
		query: []param{number("limit", 1, 100, "how many (10)")}, errs: graphErrs})
	api(route{method: "GET", pattern: "/api/v1/cities/{id}/cousins", handler: s.cousins, summary: "Partners of a city's partners that are not its partners", tag: "graph", reply: listOf{cousinAnswer{}}, errs: graphErrs})
	api(route{method: "GET", pattern: "/api/v1/graph/path", handler: s.graphPath, summary: "The shortest chain of twinnings between two cities (from, to), and all chains of that length", tag: "graph", reply: pathAnswer{},
		query: []param{need(text("from", "a city: internal or Wikidata id")), need(text("to", "a city: internal or Wikidata id")), number("limit", 1, 100, "how many chains (20)")}, errs: graphErrs})
	api(route{method: "GET", pattern: "/api/v1/search", handler: s.search, summary: "Search every kind of record by any name or word, in any script", tag: "search", reply: searchResult{},
		query: []param{need(text("q", "the words")), text("type", "comma-separated kinds: city, agreement, institution, link, activity, person, network, proposal"), number("limit", 1, 200, "how many hits (20)"),
			oneOf("usable", "1: only what the signed-in editor may use in a form — agreements of their cities, links touching them, institutions of their cities and their partners; anyone else gets everything", "1")}})
	api(route{method: "GET", pattern: "/api/v1/domains", handler: s.domains, summary: "The cooperation-domain vocabulary", tag: "vocabulary", reply: listOf{twin.Domain{}}})
	api(route{method: "POST", pattern: "/api/v1/domains", handler: s.addDomain, write: true, kind: "domain", action: auth.ActAdmin, summary: "Add a cooperation domain", tag: "vocabulary", body: twin.Domain{}, reply: twin.Domain{}, errs: []int{409}})
	api(route{method: "GET", pattern: "/api/v1/countries", handler: s.countries, summary: "Countries with their names and regional organisations", tag: "vocabulary", reply: listOf{twin.Country{}}})
	api(route{method: "GET", pattern: "/api/v1/dates", handler: s.convertDate, summary: "Complete a partial date in any calendar (calendar, value) with its Gregorian interval and display forms", tag: "dates", reply: dateAnswer{},
		query: []param{need(oneOf("calendar", "", "jalali", "gregorian", "hijri")), need(text("value", "YYYY, YYYY-MM or YYYY-MM-DD; Persian digits allowed"))}})
	api(route{method: "GET", pattern: "/api/v1/openapi.json", handler: s.openAPI, summary: "This document", tag: "meta"})
	for _, r := range s.authRoutes(activities, proposals) {
		api(r)
	}
	rs = append(rs, s.extractRoutes()...)
	rs = append(rs, s.newsRoutes()...)
	rs = append(rs, s.networkRoutes()...)
	rs = append(rs, s.documentRoutes()...)
	rs = append(rs, s.selfRoutes()...)
	rs = append(rs, s.accountRoutes()...)
	rs = append(rs, s.debugRoutes()...)
	rs = append(rs, s.pageRoutes()...)
	rs = replaceRoutes(rs, s.authPageRoutes())
	rs = replaceRoutes(rs, s.proposalRoutes(proposals))
	rs = append(rs, route{method: "GET", pattern: "/metrics", handler: s.metricsPage, summary: "Prometheus metrics (loopback, or with the metrics token)", tag: "meta"})
	rs = append(rs, route{method: "GET", pattern: "/healthz", handler: s.health, summary: "Liveness and database reachability", tag: "meta", reply: healthAnswer{}, errs: []int{503}})
	return rs
}

// addResource declares the collection routes of a resource and its record routes; filters are
// the query parameters its list implements, beside the cursor.
func addResource[T any](api func(route), rs *resource[T], name string, zero T, filters ...param) {
	api(route{method: "GET", pattern: "/api/v1/" + name, handler: rs.list, summary: "List " + name + " (filters, cursor pagination)", tag: name, reply: listOf{zero}, query: paged(1000, filters...)})
	addCRUD(api, rs, name, zero)
}

func addCRUD[T any](api func(route), rs *resource[T], name string, zero T) {
	base := "/api/v1/" + name
	api(route{method: "POST", pattern: base, handler: rs.create, write: true, kind: rs.kind, action: auth.ActCreate, summary: "Create one of " + name, tag: name, body: zero, reply: zero, errs: []int{409}})
	api(route{method: "GET", pattern: base + "/{id}", handler: rs.get, summary: "Read one of " + name + " (ETag carries its version)", tag: name, reply: zero})
	api(route{method: "PATCH", pattern: base + "/{id}", handler: rs.patch, write: true, kind: rs.kind, action: auth.ActUpdate, summary: "Change one of " + name + " with a JSON merge patch; If-Match required", tag: name, body: zero, reply: zero, ifMatch: matchRequired, errs: []int{409}})
	api(route{method: "DELETE", pattern: base + "/{id}", handler: rs.del, write: true, kind: rs.kind, action: auth.ActDelete, summary: "Delete one of " + name + " (restorable); If-Match required", tag: name, ifMatch: matchRequired})
	api(route{method: "POST", pattern: base + "/{id}/restore", handler: rs.restore, write: true, kind: rs.kind, action: auth.ActRestore, summary: "Restore a deleted one of " + name + " (admins); 409 when it is not deleted", tag: name, reply: zero, status: 200, errs: []int{409}})
	api(route{method: "GET", pattern: base + "/{id}/history", handler: rs.history, summary: "Who changed it, when, each version before and after", tag: name, reply: listOf{changeAnswer{}}})
}

// dateAnswer is a completed partial date with its display forms.
type dateAnswer struct {
	calendar.PartialDate
	Display    string `json:"display"`
	DisplayAlt string `json:"display_alt"`
}

// convertDate answers GET /api/v1/dates?calendar=jalali&value=1403-12-30.
func (s *Server) convertDate(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d, err := calendar.Parse(calendar.Calendar(q.Get("calendar")), q.Get("value"))
	if err != nil {
		p := twin.Problems{}
		if ce, ok := err.(*calendar.Error); ok {
			p.Add("value", ce.Code, map[string]any{"value": ce.Value})
		} else {
			p.Add("value", "date_syntax", map[string]any{"value": q.Get("value")})
		}
		s.fail(w, r, p.Err())
		return
	}
	lang := apiLang(r)
	writeJSON(w, http.StatusOK, dateAnswer{PartialDate: d, Display: calendar.Format(d, lang), DisplayAlt: calendar.FormatAlt(d, lang)})
}
