package web

import (
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/twinning/twinning/internal/twin"
)

// The OpenAPI document's operations: request bodies, success answers and error statuses of a route.

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
