package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// statusOf is the one table from the domain's error codes (twin.Codes) to HTTP statuses:
// classify reads it for API answers and pages alike.
var statusOf = map[string]int{
	twin.EINVALID:        http.StatusBadRequest,
	twin.ENOTFOUND:       http.StatusNotFound,
	twin.ECONFLICT:       http.StatusConflict,
	twin.EPRECONDITION:   http.StatusPreconditionFailed,
	twin.EUNAUTHORIZED:   http.StatusUnauthorized,
	twin.EFORBIDDEN:      http.StatusForbidden,
	twin.EINTERNAL:       http.StatusInternalServerError,
	twin.ESTORAGE:        http.StatusInsufficientStorage,
	twin.ENOTDELETED:     http.StatusConflict,
	twin.EBADJSON:        http.StatusBadRequest,
	twin.ETOOLARGE:       http.StatusRequestEntityTooLarge,
	twin.EMEDIATYPE:      http.StatusUnsupportedMediaType,
	twin.EMETHOD:         http.StatusMethodNotAllowed,
	twin.EVERSIONMISSING: http.StatusPreconditionRequired,
	twin.EWRITESOFF:      http.StatusUnauthorized,
	twin.ELIMITED:        http.StatusTooManyRequests,
	twin.ESIGNIN:         http.StatusUnauthorized,
	twin.EATTEMPTS:       http.StatusTooManyRequests,
	twin.ELOCKED:         http.StatusTooManyRequests,
	twin.EGRAPHLOADING:   http.StatusServiceUnavailable,
	twin.EUNAVAILABLE:    http.StatusServiceUnavailable,
	twin.ECANCELLED:      499, // nginx's "client closed request": nobody reads it
}

// classify maps an error to its code and HTTP status, for API answers and pages alike, and
// logs what the operator must see: a failure of ours in full with the request's id; a database
// that cannot be reached as 503 with Retry-After (the client may try again); a client that
// went away at debug level only, since nothing failed. A code without a status is a mistake of
// ours, not the client's: it is answered as internal (500) and logged.
func (s *Server) classify(w http.ResponseWriter, r *http.Request, err error) (code string, status int) {
	code = twin.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		s.log.ErrorContext(r.Context(), "error code without a status", "method", r.Method, "path", r.URL.Path, "code", code, "err", err)
		return twin.EINTERNAL, http.StatusInternalServerError
	}
	if code == twin.ESTORAGE {
		s.log.ErrorContext(r.Context(), "storage full: writes fail", "method", r.Method, "path", r.URL.Path, "err", err)
		return code, status
	}
	if code != twin.EINTERNAL {
		return code, status
	}
	switch {
	case r.Context().Err() != nil:
		s.log.DebugContext(r.Context(), "request cancelled", "method", r.Method, "path", r.URL.Path, "err", err)
		return twin.ECANCELLED, statusOf[twin.ECANCELLED]
	case store.Unavailable(err):
		s.log.WarnContext(r.Context(), "database unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
		w.Header().Set("Retry-After", "5")
		return twin.EUNAVAILABLE, statusOf[twin.EUNAVAILABLE]
	}
	s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	return code, status
}

// unlessMissing is err, except that a record that is not there (deleted since another named
// it) is no error: what names it shows what remains. A read that failed is never hidden: the
// answer is the error (503 while the database cannot be reached), not a silently emptier one.
func unlessMissing(err error) error {
	if isNotFound(err) {
		return nil
	}
	return err
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
	b.Error.Message = i18n.T(lang, "error."+code, nil)
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

const maxBody = 1 << 20

// readBody reads a JSON request body of at most maxBody bytes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	// curl sends application/x-www-form-urlencoded unless told otherwise: its body is still
	// read as JSON. Only multipart bodies are refused outright.
	if ct := r.Header.Get("Content-Type"); strings.HasPrefix(ct, "multipart/") {
		return nil, twin.Errorf(twin.EMEDIATYPE, "content type %q", ct)
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, twin.Errorf(twin.ETOOLARGE, "body over %d bytes", maxBody)
		}
		return nil, twin.Errorf(twin.EBADJSON, "reading body: %v", err)
	}
	return b, nil
}

// decodeBody reads the request's JSON body into v, strictly (see decodeStrict).
func decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	return decodeStrict(b, v)
}

// decodeStrict decodes JSON into v, refusing unknown fields and wrong types with field-level
// problems, so that a typo never silently drops a value.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.As(err, &te):
			p := twin.Problems{}
			field := te.Field
			if field == "" {
				field = "body"
			}
			p.Add(field, "wrong_type", map[string]any{"type": jsonKind(te.Type)})
			return p.Err()
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			p := twin.Problems{}
			p.Add(strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), "unknown_field", nil)
			return p.Err()
		case errors.As(err, &se), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return twin.Errorf(twin.EBADJSON, "bad JSON: %v", err)
		default:
			// Errors from a type's own UnmarshalJSON (dates, for one) are input errors too.
			p := twin.Problems{}
			p.Add("body", "wrong_type", map[string]any{"type": "object"})
			return p.Err()
		}
	}
	if dec.More() {
		return twin.Errorf(twin.EBADJSON, "more than one JSON value")
	}
	return nil
}

// mergePatch applies an RFC 7386 JSON merge patch to doc.
func mergePatch(doc, patch []byte) ([]byte, error) {
	var d, p any
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(patch, &p); err != nil {
		return nil, twin.Errorf(twin.EBADJSON, "bad JSON: %v", err)
	}
	if _, ok := p.(map[string]any); !ok {
		return nil, twin.Errorf(twin.EBADJSON, "a merge patch must be a JSON object")
	}
	return json.Marshal(merge(d, p))
}

func merge(target, patch any) any {
	pm, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	tm, ok := target.(map[string]any)
	if !ok {
		tm = map[string]any{}
	}
	for k, v := range pm {
		if v == nil {
			delete(tm, k)
			continue
		}
		tm[k] = merge(tm[k], v)
	}
	return tm
}

// etag is a record version as an HTTP entity tag.
func etag(version int64) string { return fmt.Sprintf(`"%d"`, version) }

// ifMatch reads the version a client expects from If-Match: -1 when the header is absent, 0
// for "*" (any version), else the record's current version (current, as the handler read it)
// when the header names it,
// and an EPRECONDITION error when it does not. The header may list several entity tags
// ("3", "4"); they are compared strongly (RFC 9110 §13.1.1): a weak tag (W/"3") never matches.
// The version returned is checked again inside the write's transaction.
func ifMatch(r *http.Request, current int64) (int64, error) {
	vals := r.Header.Values("If-Match")
	h := strings.TrimSpace(strings.Join(vals, ","))
	if len(vals) == 0 || h == "" {
		return -1, nil
	}
	if h == "*" {
		return 0, nil
	}
	tags, ok := entityTags(h)
	if !ok {
		return 0, twin.Errorf(twin.EPRECONDITION, "If-Match %q is not a list of entity tags", h)
	}
	var strong []int64
	for _, t := range tags {
		if t.weak {
			continue
		}
		if v, err := strconv.ParseInt(t.opaque, 10, 64); err == nil && v > 0 && strconv.FormatInt(v, 10) == t.opaque {
			strong = append(strong, v)
		}
	}
	if len(strong) == 0 {
		return 0, twin.Errorf(twin.EPRECONDITION, "If-Match %q names no version of this record (weak tags never match)", h)
	}
	if len(strong) == 1 {
		return strong[0], nil
	}
	if slices.Contains(strong, current) {
		return current, nil
	}
	return 0, twin.Errorf(twin.EPRECONDITION, "If-Match %q does not name version %d", h, current)
}

type entityTag struct {
	weak   bool
	opaque string
}

// entityTags parses a comma-separated list of entity tags (RFC 9110 §8.8.3).
func entityTags(h string) ([]entityTag, bool) {
	var out []entityTag
	for {
		h = strings.TrimLeft(h, " \t,")
		if h == "" {
			return out, len(out) > 0
		}
		var t entityTag
		if strings.HasPrefix(h, "W/") {
			t.weak, h = true, h[2:]
		}
		if !strings.HasPrefix(h, `"`) {
			return nil, false
		}
		end := strings.IndexByte(h[1:], '"')
		if end < 0 {
			return nil, false
		}
		t.opaque, h = h[1:1+end], h[2+end:]
		out = append(out, t)
		h = strings.TrimLeft(h, " \t")
		if h != "" && h[0] != ',' {
			return nil, false
		}
	}
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
