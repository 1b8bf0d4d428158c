package twin

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Error codes. They are stable machine words: the HTTP layer maps each to one status, the
// message catalogs translate each ("error.<code>"), and the API's document lists them (Codes).
// A code outside this list is a mistake of ours: the HTTP layer answers it as EINTERNAL.
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

	EBADJSON        = "bad_json"              // a body that is not one JSON value (or not a form)
	ETOOLARGE       = "too_large"             // a body over its limit
	EMEDIATYPE      = "unsupported_type"      // a body in a media type the route does not read
	EMETHOD         = "method"                // a method the path does not answer
	EVERSIONMISSING = "precondition_required" // a change of a versioned record without If-Match
	EWRITESOFF      = "writes_disabled"       // a write while no credential is configured at all
	ELIMITED        = "too_many_requests"     // over an abuse limit (proposals, supports)
	ESIGNIN         = "signin_failed"         // wrong name or password, or the account is locked
	EATTEMPTS       = "too_many_attempts"     // too many sign-in or password attempts from one address
	ELOCKED         = "password_locked"       // an account locked after failed password attempts
	EGRAPHLOADING   = "graph_loading"         // the in-memory graph is not loaded yet
	EUNAVAILABLE    = "unavailable"           // the database cannot be reached: try again
	ECANCELLED      = "cancelled"             // the client went away before the answer
)

// Codes lists every error code, the ones above in their order.
var Codes = []string{EINVALID, ENOTFOUND, ECONFLICT, EPRECONDITION, EUNAUTHORIZED, EFORBIDDEN, EINTERNAL, ESTORAGE, ENOTDELETED,
	EBADJSON, ETOOLARGE, EMEDIATYPE, EMETHOD, EVERSIONMISSING, EWRITESOFF, ELIMITED, ESIGNIN, EATTEMPTS, ELOCKED,
	EGRAPHLOADING, EUNAVAILABLE, ECANCELLED}

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
	// Retry is, for a refusal over a limit, how long until the same request would be taken;
	// zero when nobody knows or waiting does not help.
	Retry time.Duration
}

// RetryAfter is how long a refusal over a limit in err's chain asks the client to wait; zero
// for any other error.
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.Retry
	}
	return 0
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

// Problem is the EINVALID error of one field's one problem.
func Problem(field, key string, params map[string]any) error {
	p := Problems{}
	p.Add(field, key, params)
	return p.Err()
}
