package web

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

var pathParam = regexp.MustCompile(`\{([a-z_]+)(\.\.\.)?\}`)

// openAPI serves the OpenAPI 3.1 document generated from the route table.
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, s.openAPIDoc())
	return nil
}

// openAPIDoc describes every API route of the table: its path, query and header parameters
// (the same declarations the server checks requests with), its request body, the status and
// media types of its success answer and every error status it can give.
func (s *Server) openAPIDoc() map[string]any {
	g := &schemaGen{schemas: map[string]any{}, types: map[string]reflect.Type{}}
	paths := map[string]map[string]any{}
	for _, rt := range s.routes {
		if rt.api == nil {
			continue // human pages are not part of the API
		}
		p := pathParam.ReplaceAllString(rt.pattern, "{$1}")
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		paths[p][strings.ToLower(rt.method)] = g.operation(rt)
	}
	g.schemas["Error"] = errorSchema()
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Twinning API", "version": "1", "description": "The registry of sister-city agreements, their institutions, activities, networks and proposals. " +
			"Errors are {\"error\":{\"code\",\"message\",\"fields\"}} in the language of Accept-Language. Writes need a bearer token. " +
			"Changes of a versioned record need If-Match with its ETag. A query parameter a route does not list is refused (400)."},
		"paths":      paths,
		"components": map[string]any{"schemas": g.schemas, "securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}}},
	}
}

func (g *schemaGen) operation(rt route) map[string]any {
	op := map[string]any{"summary": rt.summary, "tags": []string{rt.tag}, "operationId": opID(rt)}
	var params []any
	for _, m := range pathParam.FindAllStringSubmatch(rt.pattern, -1) {
		d := map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "integer", "format": "int64", "minimum": 1}}
		if i := slices.IndexFunc(rt.path, func(p param) bool { return p.name == m[1] }); i >= 0 {
			d["schema"] = map[string]any{"type": "string"}
			d["description"] = rt.path[i].doc
		}
		params = append(params, d)
	}
	if rt.ifMatch != 0 {
		params = append(params, map[string]any{"name": "If-Match", "in": "header", "required": rt.ifMatch == matchRequired, "schema": map[string]any{"type": "string"},
			"description": "the ETag of the version being changed (a list is allowed; weak tags never match)"})
	}
	for _, q := range rt.query {
		params = append(params, queryParamDoc(q))
	}
	if params != nil {
		op["parameters"] = params
	}
	if rt.body != nil {
		op["requestBody"] = g.requestBody(rt)
	}
	responses := map[string]any{strconv.Itoa(successStatus(rt)): g.success(rt)}
	for _, st := range errorStatuses(rt) {
		resp := map[string]any{"description": http.StatusText(st),
			"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}
		if st == http.StatusServiceUnavailable || st == http.StatusTooManyRequests {
			resp["headers"] = map[string]any{"Retry-After": map[string]any{"schema": map[string]any{"type": "integer", "minimum": 1},
				"description": "seconds to wait before trying again, where the server knows (a limit's window, a locked password change, a database to reach)"}}
		}
		responses[strconv.Itoa(st)] = resp
	}
	op["responses"] = responses
	if rt.write {
		op["security"] = []any{map[string]any{"bearer": []string{}}}
	}
	return op
}

func queryParamDoc(q param) map[string]any {
	sch := map[string]any{"type": "string"}
	switch {
	case q.integer:
		sch = map[string]any{"type": "integer", "format": "int64", "minimum": q.min}
		if q.max > 0 {
			sch["maximum"] = q.max
		}
	case q.enum != nil:
		sch["enum"] = q.enum
	}
	d := map[string]any{"name": q.name, "in": "query", "schema": sch}
	if q.required {
		d["required"] = true
	}
	if q.doc != "" {
		d["description"] = q.doc
	}
	return d
}

// opID names an operation after its method and path, without the API's prefix:
// get_cities_by_id.
func opID(rt route) string {
	p := pathParam.ReplaceAllString(strings.TrimPrefix(rt.pattern, apiPrefix), "by_$1")
	p = strings.NewReplacer("/", "_", ".", "_").Replace(p)
	return strings.ToLower(rt.method) + "_" + strings.Trim(p, "_")
}

var (
	timeType = reflect.TypeOf(time.Time{})
	rawType  = reflect.TypeOf(json.RawMessage{})
)
