package web

import (
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"time"
)

var pathParam = regexp.MustCompile(`\{([a-z_]+)(\.\.\.)?\}`)

// openAPI serves the OpenAPI 3.1 document generated from the route table.
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.openAPIDoc())
}

func (s *Server) openAPIDoc() map[string]any {
	schemas := map[string]any{}
	paths := map[string]map[string]any{}
	for _, rt := range s.routes {
		if !rt.api && rt.pattern != "/healthz" {
			continue // human pages are not part of the API
		}
		p := pathParam.ReplaceAllString(rt.pattern, "{$1}")
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		op := map[string]any{"summary": rt.summary, "tags": []string{rt.tag}, "operationId": opID(rt)}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(rt.pattern, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		if rt.method == "PATCH" || rt.method == "DELETE" {
			params = append(params, map[string]any{"name": "If-Match", "in": "header", "required": true, "schema": map[string]any{"type": "string"}, "description": "the ETag of the version being changed"})
		}
		if rt.method == "GET" && rt.reply != nil {
			if _, ok := rt.reply.(listOf); ok {
				for _, q := range []string{"q", "after", "limit", "city", "country", "status", "kind", "type", "agreement", "institution", "network"} {
					params = append(params, map[string]any{"name": q, "in": "query", "schema": map[string]any{"type": "string"}})
				}
			}
		}
		if rt.pattern == "/api/v1/search" {
			params = append(params, map[string]any{"name": "q", "in": "query", "required": true, "schema": map[string]any{"type": "string"}},
				map[string]any{"name": "type", "in": "query", "schema": map[string]any{"type": "string"}, "description": "comma-separated kinds: city, agreement, institution, link, activity, person, network, proposal"})
		}
		if rt.pattern == "/api/v1/graph/path" {
			params = append(params, map[string]any{"name": "from", "in": "query", "required": true, "schema": map[string]any{"type": "string"}},
				map[string]any{"name": "to", "in": "query", "required": true, "schema": map[string]any{"type": "string"}},
				map[string]any{"name": "limit", "in": "query", "schema": map[string]any{"type": "integer"}})
		}
		if rt.pattern == "/api/v1/dates" {
			params = append(params, map[string]any{"name": "calendar", "in": "query", "required": true, "schema": map[string]any{"type": "string", "enum": []string{"jalali", "gregorian", "hijri"}}},
				map[string]any{"name": "value", "in": "query", "required": true, "schema": map[string]any{"type": "string"}})
		}
		if params != nil {
			op["parameters"] = params
		}
		if rt.body != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(rt.body), schemas)}}}
		}
		ok := map[string]any{"description": "success"}
		if rt.reply != nil {
			var sch any
			if l, isList := rt.reply.(listOf); isList {
				sch = map[string]any{"type": "object", "properties": map[string]any{
					"items": map[string]any{"type": "array", "items": schemaOf(reflect.TypeOf(l.item), schemas)},
					"next":  map[string]any{"type": "string", "description": "cursor of the next page, empty at the end"},
				}}
			} else {
				sch = schemaOf(reflect.TypeOf(rt.reply), schemas)
			}
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": sch}}
		}
		status := "200"
		switch {
		case rt.method == "POST" && !strings.HasSuffix(rt.pattern, "/restore"):
			status = "201"
		case rt.method == "DELETE":
			status = "204"
		}
		responses := map[string]any{status: ok, "4XX": map[string]any{"description": "an error document", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}}
		op["responses"] = responses
		if rt.write {
			op["security"] = []any{map[string]any{"bearer": []string{}}}
		}
		paths[p][strings.ToLower(rt.method)] = op
	}
	schemas["Error"] = map[string]any{"type": "object", "properties": map[string]any{"error": map[string]any{"type": "object", "properties": map[string]any{
		"code": map[string]any{"type": "string"}, "message": map[string]any{"type": "string"},
		"fields":  map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}},
		"details": map[string]any{"type": "object"},
	}}}}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Twinning API", "version": "1", "description": "The registry of sister-city agreements, their institutions, activities, networks and proposals. " +
			"Errors are {\"error\":{\"code\",\"message\",\"fields\"}} in the language of Accept-Language. Writes need a bearer token. Updates need If-Match."},
		"paths":      paths,
		"components": map[string]any{"schemas": schemas, "securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}}},
	}
}

func opID(rt route) string {
	p := pathParam.ReplaceAllString(rt.pattern, "by_$1")
	p = strings.NewReplacer("/api/v1/", "", "/", "_", ".", "_").Replace(p)
	return strings.ToLower(rt.method) + "_" + strings.Trim(p, "_")
}

var timeType = reflect.TypeOf(time.Time{})

// schemaOf describes a Go type as a JSON Schema, registering named structs as components.
func schemaOf(t reflect.Type, schemas map[string]any) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string"}
		}
		return map[string]any{"type": "array", "items": schemaOf(t.Elem(), schemas)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem(), schemas)}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		name := t.Name()
		if name == "" {
			return structSchema(t, schemas)
		}
		if _, ok := schemas[name]; !ok {
			schemas[name] = map[string]any{} // placeholder against recursion
			schemas[name] = structSchema(t, schemas)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

func structSchema(t reflect.Type, schemas map[string]any) map[string]any {
	props := map[string]any{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			tag := f.Tag.Get("json")
			name, _, _ := strings.Cut(tag, ",")
			if name == "-" {
				continue
			}
			if f.Anonymous && name == "" {
				ft := f.Type
				for ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if ft.Kind() == reflect.Struct {
					walk(ft)
					continue
				}
			}
			if name == "" {
				name = f.Name
			}
			props[name] = schemaOf(f.Type, schemas)
		}
	}
	walk(t)
	return map[string]any{"type": "object", "properties": props}
}
