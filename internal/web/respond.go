package web

import (
	"bytes"
	"encoding/json"
	"github.com/twinning/twinning/internal/httpx"
	"log/slog"
	"net/http"
	"reflect"

	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// classify maps an error to its code and HTTP status, for API answers and pages alike, and
// logs what the operator must see: a failure of ours in full with the request's id; a database
// that cannot be reached as 503 with Retry-After (the client may try again); a client that
// went away at debug level only, since nothing failed. A code without a status is a mistake of
// ours, not the client's: it is answered as internal (500) and logged.
func (s *Server) classify(w http.ResponseWriter, r *http.Request, err error) (code string, status int) {
	code = twin.ErrorCode(err)
	status, ok := httpx.StatusOf[code]
	if !ok {
		s.log.ErrorContext(r.Context(), "error code without a status", "method", r.Method, "path", r.URL.Path, "code", code, "err", err)
		return twin.EINTERNAL, http.StatusInternalServerError
	}
	if code == twin.ESTORAGE {
		s.log.ErrorContext(r.Context(), "storage full: writes fail", "method", r.Method, "path", r.URL.Path, "err", err)
		return code, status
	}
	httpx.SetRetryAfter(w, err)
	if code != twin.EINTERNAL {
		return code, status
	}
	switch {
	case r.Context().Err() != nil:
		s.log.DebugContext(r.Context(), "request cancelled", "method", r.Method, "path", r.URL.Path, "err", err)
		return twin.ECANCELLED, httpx.StatusOf[twin.ECANCELLED]
	case store.Unavailable(err):
		s.log.WarnContext(r.Context(), "database unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
		w.Header().Set("Retry-After", "5")
		return twin.EUNAVAILABLE, httpx.StatusOf[twin.EUNAVAILABLE]
	}
	s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	return code, status
}

// apiLang is the language of an API answer: the best match for Accept-Language, English when
// the client states none (scripts), Persian when it asks for it.
func apiLang(r *http.Request) string {
	return i18n.Negotiate(r.Header.Get("Accept-Language"), "en")
}

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		// RequestID names the request in the server's log, on server-side failures.
		RequestID string                     `json:"request_id,omitempty"`
		Fields    map[string]string          `json:"fields,omitempty"`
		Details   map[string]twin.FieldError `json:"details,omitempty"`
	} `json:"error"`
}

// fail writes err as the API's error document in the request's language. Errors that are not
// domain errors are logged in full and shown to the client only as "internal".
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code, status := s.classify(w, r, err)
	if code == twin.EINVALID {
		s.logProbe(r, twin.ErrorFields(err))
	}
	lang := apiLang(r)
	var b errorBody
	b.Error.Code = code
	b.Error.Message = httpx.Refusal(lang, code, err)
	if status >= 500 {
		b.Error.RequestID = RequestID(r.Context())
	}
	if fields := twin.ErrorFields(err); len(fields) > 0 {
		b.Error.Fields = map[string]string{}
		b.Error.Details = fields
		for f, fe := range fields {
			b.Error.Fields[f] = i18n.T(lang, "field."+fe.Key, fe.Params)
		}
	}
	w.Header().Set("Content-Language", lang)
	writeJSON(w, status, b)
}

// probeKeys are the field errors that say more of the writer than of a typing slip: a
// server-owned field typed in, references that reach outside their partnership, a script
// where a web address belongs, a flood of text.
var probeKeys = map[string]bool{keyReadOnly: true, "outside_partnership": true, "link_agreement": true,
	"two_sides": true, "institution_city": true, twin.KeyURLScheme: true, twin.KeyContact: true,
	twin.KeyTooMany: true, twin.KeyTooLong: true}

// logProbe logs at WARN, with the actor, a refused write whose problems are probeKeys, so that
// staff can see who tried.
func (s *Server) logProbe(r *http.Request, fields map[string]twin.FieldError) {
	for f, fe := range fields {
		if probeKeys[fe.Key] {
			p := principalFrom(r.Context())
			if p == nil {
				p, _ = s.who(r)
			}
			s.log.WarnContext(r.Context(), "write refused", slog.String("actor", p.Name()), slog.String("role", p.Role()),
				slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("field", f), slog.String("problem", fe.Key))
			return
		}
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, `{"error":{"code":"internal","message":"encoding failed"}}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// list is the shape of every collection answer.
type list[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next"`
}

func newList[T any](items []T, next string) list[T] {
	if items == nil {
		items = []T{}
	}
	return list[T]{Items: items, Next: next}
}

func logAttrs(r *http.Request) []any {
	return []any{slog.String("method", r.Method), slog.String("path", r.URL.Path)}
}

// jsonKind names the JSON kind a Go type decodes from, as a user would say it.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	return "object"
}
