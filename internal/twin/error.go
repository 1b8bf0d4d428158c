package twin

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error codes. They are stable machine words: the HTTP layer maps them to statuses and the
// message catalogs translate them.
const (
	EINVALID      = "invalid"       // the input breaks a rule; Fields says which
	ENOTFOUND     = "not_found"     // the record does not exist (or is deleted)
	ECONFLICT     = "conflict"      // the record exists already or a unique value is taken
	EPRECONDITION = "version_stale" // If-Match or a form's version no longer matches
	EUNAUTHORIZED = "unauthorized"  // no credential
	EFORBIDDEN    = "forbidden"     // a credential without the right
	EINTERNAL     = "internal"      // anything else; never shown in detail to users
	ESTORAGE      = "storage_full"  // the disk or the database is full: nothing was written
	ENOTDELETED   = "not_deleted"   // restoring a record that is not deleted
)

// FieldError is one field's problem: a message key from the catalogs and its parameters.
type FieldError struct {
	Key    string         `json:"key"`
	Params map[string]any `json:"params,omitempty"`
}

// Error is a domain error: a code, an English message for operators and logs, and field-level
// problems keyed by the JSON path of the field ("signed", "cities[1]", "names.fa").
type Error struct {
	Code    string
	Message string
	Fields  map[string]FieldError
}

// Error implements error.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(e.Message)
	for _, k := range keys {
		fmt.Fprintf(&b, "; %s: %s", k, e.Fields[k].Key)
	}
	return b.String()
}

// Errorf returns a domain error with a code and a formatted English message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of a domain error anywhere in err's chain, or EINTERNAL.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	}
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorFields returns the field problems of a domain error in err's chain.
func ErrorFields(err error) map[string]FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Problems collects field errors during validation.
type Problems map[string]FieldError

// Add records a problem for a field unless one is already recorded there.
func (p Problems) Add(field, key string, params map[string]any) {
	if _, ok := p[field]; !ok {
		p[field] = FieldError{Key: key, Params: params}
	}
}

// Err returns nil when there are no problems, or an EINVALID error carrying them.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "invalid input", Fields: map[string]FieldError(p)}
}
