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

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/twin"
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
		responses[strconv.Itoa(st)] = map[string]any{"description": http.StatusText(st),
			"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}
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

func (g *schemaGen) requestBody(rt route) map[string]any {
	t := reflect.TypeOf(rt.body)
	content := map[string]any{}
	switch {
	case rt.mergePatch:
		// A JSON merge patch (RFC 7386): any of the record's writable fields, null removes one.
		sch := map[string]any{"type": "object", "description": "a JSON merge patch (RFC 7386) of the record (" + t.Name() + "): the fields to change; null removes a field",
			"propertyNames": map[string]any{"enum": g.writableFields(t)}}
		content["application/merge-patch+json"] = map[string]any{"schema": sch}
		content["application/json"] = map[string]any{"schema": sch}
	default:
		content["application/json"] = map[string]any{"schema": g.schema(t, true)}
	}
	if rt.upload {
		content["multipart/form-data"] = map[string]any{"schema": map[string]any{"type": "object", "required": []string{"file"}, "properties": map[string]any{
			"file": map[string]any{"type": "string", "contentMediaType": "application/octet-stream"},
			"name": map[string]any{"type": "string"}, "kind": map[string]any{"type": "string", "enum": documentKinds}, "lang": map[string]any{"type": "string"}}}}
	}
	return map[string]any{"required": !rt.bodyOptional, "content": content}
}

// successStatus is the status of a route's success answer.
func successStatus(rt route) int {
	switch {
	case rt.status != 0:
		return rt.status
	case rt.method == "POST":
		return http.StatusCreated
	case rt.method == "DELETE":
		return http.StatusNoContent
	}
	return http.StatusOK
}

func (g *schemaGen) success(rt route) map[string]any {
	ok := map[string]any{"description": http.StatusText(successStatus(rt))}
	content := map[string]any{}
	types := rt.types
	if types == nil && rt.reply != nil {
		types = []string{""}
	}
	for _, mt := range types {
		if mt != "" {
			content[mt] = map[string]any{}
			continue
		}
		var sch any
		if l, isList := rt.reply.(listOf); isList {
			sch = map[string]any{"type": "object", "required": []string{"items", "next"}, "properties": map[string]any{
				"items": map[string]any{"type": "array", "items": g.schema(reflect.TypeOf(l.item), false)},
				"next":  map[string]any{"type": "string", "description": "cursor of the next page, empty at the end"},
			}}
		} else {
			sch = g.schema(reflect.TypeOf(rt.reply), false)
		}
		content["application/json"] = map[string]any{"schema": sch}
	}
	if len(content) > 0 {
		ok["content"] = content
	}
	if rt.reply != nil && (rt.method == "GET" && pathParam.MatchString(rt.pattern) || rt.method == "PATCH" || rt.method == "POST") {
		if _, isList := rt.reply.(listOf); !isList {
			if hasVersion(reflect.TypeOf(rt.reply)) {
				ok["headers"] = map[string]any{"ETag": map[string]any{"description": "the record's version", "schema": map[string]any{"type": "string"}}}
			}
		}
	}
	return ok
}

func hasVersion(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return false
	}
	_, ok := jsonFields(t)["version"]
	return ok
}

// errorStatuses lists the error statuses a route can answer: what its shape implies, and what
// it declares beyond that.
func errorStatuses(rt route) []int {
	// Every API route checks its query parameters (400) and answers 503, with Retry-After,
	// while the database cannot be reached.
	sts := []int{http.StatusBadRequest, http.StatusServiceUnavailable}
	if rt.write {
		// 507: the storage is full; nothing was written.
		sts = append(sts, http.StatusUnauthorized, http.StatusForbidden, http.StatusInsufficientStorage)
	}
	if strings.Contains(rt.pattern, "{") {
		sts = append(sts, http.StatusNotFound)
	}
	if rt.body != nil {
		sts = append(sts, http.StatusRequestEntityTooLarge)
		if !rt.upload {
			sts = append(sts, http.StatusUnsupportedMediaType)
		}
	}
	switch rt.ifMatch {
	case matchRequired:
		sts = append(sts, http.StatusPreconditionFailed, http.StatusPreconditionRequired)
	case matchOptional:
		sts = append(sts, http.StatusPreconditionFailed)
	}
	sts = append(sts, rt.errs...)
	slices.Sort(sts)
	return slices.Compact(sts)
}

func errorSchema() map[string]any {
	return map[string]any{"type": "object", "required": []string{"error"}, "properties": map[string]any{"error": map[string]any{
		"type": "object", "required": []string{"code", "message"},
		"properties": map[string]any{
			"code":       map[string]any{"type": "string", "enum": twin.Codes, "description": "a stable machine word; the same word always has the same status"},
			"message":    map[string]any{"type": "string", "description": "in the language of Accept-Language"},
			"request_id": map[string]any{"type": "string", "description": "names the request in the server's log, on server-side failures"},
			"fields":     map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}, "description": "field (or query parameter) → its problem, translated"},
			"details": map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "object", "required": []string{"key"},
				"properties": map[string]any{"key": map[string]any{"type": "string"}, "params": map[string]any{"type": "object"}}}},
		}}}}
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

// schemaGen describes Go types as JSON Schemas (2020-12, as OpenAPI 3.1 uses), registering
// named structs as components: an answer's form (every field it always carries required,
// server-owned fields readOnly) and, for request bodies, an input form ("…Input": only the
// fields a client writes, nothing else allowed).
type schemaGen struct {
	schemas map[string]any
	types   map[string]reflect.Type // the Go type behind each component name
}

// fieldNote is what a Go type cannot say about one of its JSON fields.
type fieldNote struct {
	readOnly bool     // the server owns it: never taken from a client
	required bool     // required in a request body
	enum     []string // the values it may take
	format   string   // date, uri, ...
}

// serverOwned are the fields every record's server owns.
var serverOwned = []string{"id", "version", "created", "updated"}

// notes holds the field notes by type name and JSON field name.
var notes = map[string]map[string]fieldNote{
	"twin.City": {"names": {required: true}},
	"twin.Agreement": {"cities": {required: true}, "kind": {enum: twin.AgreementKinds}, "status": {enum: twin.AgreementStatuses}, "city_ids": {readOnly: true},
		"vitality": {readOnly: true}, "documents": {readOnly: true}, "claims": {readOnly: true}},
	"twin.Institution":     {"names": {required: true}, "city": {required: true}, "type": {required: true, enum: twin.InstitutionTypes}, "city_id": {readOnly: true}, "website": {format: "uri"}},
	"twin.Link":            {"institutions": {required: true}, "status": {enum: twin.LinkStatuses}},
	"twin.Activity":        {"kind": {required: true, enum: twin.ActivityKinds}, "title": {required: true}, "direction": {enum: twin.Directions}, "confirmations": {readOnly: true}},
	"twin.Member":          {"city_id": {readOnly: true}},
	"twin.Network":         {"names": {required: true}, "kind": {required: true, enum: twin.NetworkKinds}, "website": {format: "uri"}},
	"twin.Person":          {"names": {required: true}},
	"twin.Proposal":        {"title": {required: true}, "status": {enum: twin.ProposalStatuses}},
	"twin.Source":          {"url": {format: "uri"}},
	"twin.Output":          {"url": {format: "uri"}},
	"calendar.PartialDate": {"calendar": {enum: []string{"jalali", "gregorian", "hijri"}}, "precision": {readOnly: true, enum: []string{"year", "month", "day"}}, "start": {readOnly: true, format: "date"}, "end": {readOnly: true, format: "date"}},
	"twin.Vitality":        {"state": {enum: []string{"active", "cooling", "dormant", "unknown"}}},
	"twin.Document":        {"kind": {enum: documentKinds}, "type": {readOnly: true}, "size": {readOnly: true}, "sha256": {readOnly: true}},
	"twin.Change":          {"action": {enum: []string{"create", "update", "delete", "restore", "revoke"}}},
	"web.userAnswer":       {"role": {enum: auth.Roles}},
	"web.userInput":        {"role": {enum: auth.Roles}},
	"web.meAnswer":         {"role": {enum: append(slices.Clone(auth.Roles), "admin-token")}},
	"web.statusInput":      {"status": {required: true, enum: twin.ProposalStatuses}},
	"web.passwordInput":    {"password": {required: true}},
	"web.passwordChange":   {"current": {required: true}, "new": {required: true}},
	"web.tokenInput":       {"name": {required: true}},
	"web.extractRequest":   {"text": {required: true}, "url": {format: "uri"}, "published": {format: "date"}, "lang": {enum: []string{"fa", "en"}}},
	"web.acceptRequest":    {"text": {required: true}, "url": {format: "uri"}, "published": {format: "date"}},
	"web.documentUpload":   {"name": {required: true}, "data": {required: true}, "kind": {enum: documentKinds}},
	"twin.Domain":          {"code": {required: true}},
	"web.healthAnswer":     {"status": {enum: []string{"ok", "degraded", "unavailable"}}, "database": {enum: []string{"sqlite", "postgres"}}, "writes": {enum: []string{"ok", "failing"}}},
}

func noteOf(typeName, field string) fieldNote {
	n := notes[typeName][field]
	if slices.Contains(serverOwned, field) && typeName != "web.cityBrief" {
		n.readOnly = true
	}
	return n
}

// schema returns the schema of t, a $ref for named structs; input selects the request form.
func (g *schemaGen) schema(t reflect.Type, input bool) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == rawType:
		return map[string]any{"description": "any JSON value"}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int64, reflect.Uint64:
		return map[string]any{"type": "integer", "format": "int64"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Uint, reflect.Uint32:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string", "contentEncoding": "base64"}
		}
		return map[string]any{"type": "array", "items": g.schema(t.Elem(), input)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem(), input)}
	case reflect.Interface:
		return map[string]any{"description": "any JSON value"}
	case reflect.Struct:
		name := t.Name()
		if name == "" {
			return g.structSchema(t, input)
		}
		if prev, ok := g.types[name]; ok && prev != t {
			name = pkgName(t) + name // extract.Agreement beside twin.Agreement
		}
		g.types[name] = t
		if input && !strings.HasSuffix(name, "Input") {
			name += "Input"
		}
		if _, ok := g.schemas[name]; !ok {
			g.schemas[name] = map[string]any{} // placeholder against recursion
			g.schemas[name] = g.structSchema(t, input)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

// pkgName is the capitalised name of t's package: "Extract".
func pkgName(t reflect.Type) string {
	p := t.PkgPath()
	p = p[strings.LastIndex(p, "/")+1:]
	return strings.ToUpper(p[:1]) + p[1:]
}

// jsonField is one JSON field of a struct, embedded structs flattened.
type jsonField struct {
	owner     string // the struct that declares it (twin.Agreement), for its notes
	typ       reflect.Type
	omitEmpty bool
}

func jsonFields(t reflect.Type) map[string]jsonField {
	out := map[string]jsonField{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
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
			out[name] = jsonField{owner: t.String(), typ: f.Type, omitEmpty: strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero")}
		}
	}
	walk(t)
	return out
}

// writableFields are the JSON fields of t a client may send.
func (g *schemaGen) writableFields(t reflect.Type) []string {
	var out []string
	for name, f := range jsonFields(t) {
		if !noteOf(f.owner, name).readOnly {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

func (g *schemaGen) structSchema(t reflect.Type, input bool) map[string]any {
	props := map[string]any{}
	var required []string
	for name, f := range jsonFields(t) {
		n := noteOf(f.owner, name)
		if input && n.readOnly {
			continue
		}
		sch := g.schema(f.typ, input)
		if n.enum != nil {
			sch = withKey(sch, "enum", n.enum)
		}
		if n.format != "" {
			sch = withKey(sch, "format", n.format)
		}
		if n.readOnly {
			sch = withKey(sch, "readOnly", true)
		}
		if !input && !f.omitEmpty {
			required = append(required, name)
			if k := f.typ.Kind(); k == reflect.Pointer || k == reflect.Slice && f.typ != rawType || k == reflect.Map {
				sch = nullable(sch) // a nil pointer, slice or map is written as null
			}
		}
		if input && n.required {
			required = append(required, name)
		}
		props[name] = sch
	}
	s := map[string]any{"type": "object", "properties": props}
	if required != nil {
		slices.Sort(required)
		s["required"] = required
	}
	if input {
		s["additionalProperties"] = false // the server refuses unknown fields
	}
	return s
}

// withKey adds a keyword to a schema; a $ref is wrapped so the keyword is not lost beside it.
func withKey(sch map[string]any, k string, v any) map[string]any {
	if _, ref := sch["$ref"]; ref {
		return map[string]any{"allOf": []any{sch}, k: v}
	}
	out := map[string]any{}
	for kk, vv := range sch {
		out[kk] = vv
	}
	out[k] = v
	return out
}

func nullable(sch map[string]any) map[string]any {
	if t, ok := sch["type"].(string); ok {
		out := withKey(sch, "type", []string{t, "null"})
		if e, ok := out["enum"].([]string); ok {
			vals := []any{nil}
			for _, v := range e {
				vals = append(vals, v)
			}
			out["enum"] = vals
		}
		return out
	}
	return map[string]any{"anyOf": []any{sch, map[string]any{"type": "null"}}}
}
