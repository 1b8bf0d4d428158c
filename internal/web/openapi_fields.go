package web

import (
	"reflect"
	"slices"
	"strings"

	"github.com/twinning/twinning/internal/httpx"
	"github.com/twinning/twinning/internal/ui"
)

// The fields of a struct's schema: JSON names, which a client may write, nullability.

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

// schemaNames keeps the document's names of the answer types the API shares with the pages
// (internal/httpx, internal/ui): they were this package's own types, and clients generated
// from the document know them by these names.
var schemaNames = map[reflect.Type]string{
	reflect.TypeFor[httpx.CityBrief]():     "cityBrief",
	reflect.TypeFor[httpx.Suggestion]():    "suggestionAnswer",
	reflect.TypeFor[httpx.Reason]():        "reasonAnswer",
	reflect.TypeFor[httpx.SearchHit]():     "searchHit",
	reflect.TypeFor[httpx.SearchResult]():  "searchResult",
	reflect.TypeFor[httpx.ProposalInput](): "proposalInput",
	reflect.TypeFor[httpx.SupportAnswer](): "supportAnswer",
	reflect.TypeFor[ui.AttentionItem]():    "attentionItem",
}
