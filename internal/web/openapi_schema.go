package web

import (
	"reflect"
	"slices"
	"strings"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/twin"
)

// The OpenAPI document's schemas, made from the Go types of bodies and answers.

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
		if old, ok := schemaNames[t]; ok {
			name = old
		}
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
