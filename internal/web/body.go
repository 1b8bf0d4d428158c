package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/twinning/twinning/internal/twin"
)

// Reading request bodies: size limits, strict JSON, merge patches.

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
			return twin.Problem(strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), "unknown_field", nil)
		case errors.As(err, &se), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return twin.Errorf(twin.EBADJSON, "bad JSON: %v", err)
		default:
			// Errors from a type's own UnmarshalJSON (dates, for one) are input errors too.
			return twin.Problem("body", "wrong_type", map[string]any{"type": "object"})
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
