// Package httpx holds what the HTTP server (internal/web) and the human pages (internal/ui)
// both need and neither owns: the one table from the domain's error codes to HTTP statuses,
// the reading of a record's id from a path, the answer types the API and the pages share (a
// city as other records mention it, a partner suggestion, a search hit, a citizen's proposal),
// and the small request facts both read (the follow key of a proposal, who moderates). It
// imports neither web nor ui, so both can stand on it; see doc/design.md. It sits beside them
// under internal/, not under internal/web: ui must not import web, and a package under web
// would read as web's own.
package httpx

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/twin"
)

// StatusOf is the one table from the domain's error codes (twin.Codes) to HTTP statuses:
// web's classify reads it for API answers and pages alike.
var StatusOf = map[string]int{
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

// ParseID reads a record's internal id from a path; anything else is a record that is not there.
func ParseID(_ context.Context, v string) (int64, error) {
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, twin.Errorf(twin.ENOTFOUND, "no record %q", v)
	}
	return id, nil
}

// IsNotFound reports whether err says a record is not there.
func IsNotFound(err error) bool {
	var e *twin.Error
	return errors.As(err, &e) && e.Code == twin.ENOTFOUND
}

// UnlessMissing is err, except that a record that is not there (deleted since another named
// it) is no error: what names it shows what remains. A read that failed is never hidden: the
// answer is the error (503 while the database cannot be reached), not a silently emptier one.
func UnlessMissing(err error) error {
	if IsNotFound(err) {
		return nil
	}
	return err
}

const (
	// CSRFField is the hidden field of every form.
	CSRFField = "csrf"
	// HoneypotField is a field of the proposal form people never see and bots fill in.
	HoneypotField = "website"
	// FollowHeader carries a proposal's follow key, for API clients that keep it out of URLs.
	FollowHeader = "X-Follow-Key"
)

// FollowKey is the follow key a request presents, if any.
func FollowKey(r *http.Request) string {
	if k := r.Header.Get(FollowHeader); k != "" {
		return k
	}
	return r.URL.Query().Get("key")
}

// IsModerator reports whether p moderates proposals (reviewers and admins).
func IsModerator(p *auth.Principal) bool {
	return p != nil && (p.Role() == auth.RoleAdmin || p.Role() == auth.RoleReviewer)
}

// MayReview is whether the principal reviews news: reviewers and admins.
func MayReview(p *auth.Principal) bool {
	return p != nil && (p.Role() == auth.RoleAdmin || auth.MayAttempt(p, auth.SubjectExtract, auth.ActAccept))
}

// NotFound is the error of a record that is not there.
func NotFound(what string, v any) error {
	return twin.Errorf(twin.ENOTFOUND, "%s %v not found", what, v)
}

// AcceptsGzip reports whether the client takes gzipped answers.
func AcceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(enc) == "gzip" && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// SetRetryAfter sets the Retry-After header, in whole seconds, of a refusal whose error says
// how long to wait (twin.RetryAfter), and returns that wait; zero, and no header, for others.
func SetRetryAfter(w http.ResponseWriter, err error) time.Duration {
	d := twin.RetryAfter(err)
	if d > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(d.Round(time.Second)/time.Second)))
	}
	return d
}

// Refusal is the message of error code in lang and, when err says how long to wait
// (twin.RetryAfter), when to try again: "Too many attempts. Try again in 3 minutes."
func Refusal(lang, code string, err error) string {
	msg := i18n.T(lang, "error."+code, nil)
	if d := twin.RetryAfter(err); d > 0 {
		msg += " " + i18n.Wait(lang, d)
	}
	return msg
}
