// Package ui is Twinning's human pages under /fa, /en and /ru: their handlers, the
// server-rendered templates and static files embedded with them, the decoding of forms and
// the views over them, the map and chart drawings, the pickers' wording. internal/web serves
// them: its route table (web/routes.go) lists every page's route and points at the exported
// handlers of Pages, and web hands Pages what only the server knows (the request's principal,
// sessions, CSRF, the authorization rules, the operations the API shares) as the functions of
// Server. ui never imports web; what both need lives in internal/httpx (doc/design.md).
package ui

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/httpx"
	"github.com/twinning/twinning/internal/intel"
	"github.com/twinning/twinning/internal/registry"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// Pages serves the human pages.
type Pages struct {
	db    *store.DB
	log   *slog.Logger
	intel *intel.Intel
	reg   *registry.Registry
	Server
}

// Server is what the pages ask of the HTTP server: each function is the server's own, the
// one its API uses too.
type Server struct {
	// SessionTTL is how long a session lasts.
	SessionTTL time.Duration
	// StaffActor says who the signed-in staff member is, if the reader is one.
	StaffActor func(r *http.Request) (string, bool)
	// AcceptUpload stores the document an upload form sends for its agreement.
	AcceptUpload func(w http.ResponseWriter, r *http.Request) (*twin.Agreement, twin.Document, error)

	// Who is the request's principal, nil for an anonymous reader.
	Who func(r *http.Request) (*auth.Principal, error)
	// CSRFFor is the request's CSRF token, VerifyCSRF checks a form's.
	CSRFFor    func(w http.ResponseWriter, r *http.Request) string
	VerifyCSRF func(r *http.Request, token string) bool
	// Classify maps an error to its code and status, logging what the operator must see.
	Classify func(w http.ResponseWriter, r *http.Request, err error) (code string, status int)
	// RequestID, IsHTTPS and ClientIP read what the outermost middleware learnt of a request.
	RequestID func(ctx context.Context) string
	IsHTTPS   func(r *http.Request) bool
	ClientIP  func(r *http.Request) string

	SignIn               func(ctx context.Context, ip, name, password string) (*auth.User, error)
	CheckCurrentPassword func(ctx context.Context, ip string, u *auth.User, current, field string) error
	StartSession         func(w http.ResponseWriter, r *http.Request, u *auth.User) error
	EndSession           func(w http.ResponseWriter, r *http.Request) error

	Authorize func(r *http.Request, kind, action string, rec any) error
	MaySee    func(r *http.Request, kind string, rec any) bool
	// AddFeed adds a news feed, reading its address first when check is set.
	AddFeed func(ctx context.Context, rawURL, lang string, check bool) (*store.Feed, error)
	// WithGuard is the request's context with the store's guard of its writer.
	WithGuard func(r *http.Request) context.Context

	SubmitProposal   func(ctx context.Context, r *http.Request, in httpx.ProposalInput) (*twin.Proposal, string, error)
	Support          func(w http.ResponseWriter, r *http.Request, id int64) (httpx.SupportAnswer, error)
	ModerateProposal func(r *http.Request, id, version int64, status, reason string) (*twin.Proposal, error)
	MayReadProposal  func(r *http.Request, pr *twin.Proposal) bool
	HoldsKey         func(r *http.Request, id int64) bool
	ReaderSupporter  func(r *http.Request) string

	Briefs        func(ctx context.Context, ids []int64, lang string) (map[int64]httpx.CityBrief, error)
	Suggest       func(ctx context.Context, city int64, k int, lang string) ([]httpx.Suggestion, error)
	Search        func(ctx context.Context, q string, kinds []string, limit int, lang string) (any, error)
	AgreementHits func(ctx context.Context, q string, only bool) ([]store.Hit, error)

	// WithUsable is ctx knowing what the request's editor may use; KeepUsable keeps of hits
	// what the context's editor may use.
	WithUsable func(ctx context.Context, r *http.Request) context.Context
	KeepUsable func(ctx context.Context, hits []store.Hit) []store.Hit
	// LinkHits finds the institution links a query names by their institutions.
	LinkHits func(ctx context.Context, q string) ([]store.Hit, error)
}

// New returns the pages over db, intel (nil until the graph is loaded) and reg, served by srv.
func New(db *store.DB, log *slog.Logger, in *intel.Intel, reg *registry.Registry, srv Server) *Pages {
	return &Pages{db: db, log: log, intel: in, reg: reg, Server: srv}
}
