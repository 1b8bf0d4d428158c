package auth

import (
	"slices"
	"time"

	"github.com/twinning/twinning/internal/twin"
)

// Roles. A user has exactly one; everyone may read.
const (
	RoleAdmin       = "admin"       // everything, including restoring deleted records and accounts
	RoleCityEditor  = "city"        // the records of the cities in User.Cities
	RoleInstEditor  = "institution" // the links and activities of the institutions in User.Institutions
	RoleReviewer    = "reviewer"    // moderates proposals, accepts records proposed from news
	RoleUser        = "user"        // reads, and submits proposals
	roleProvisioner = "admin-token" // the TWINNING_ADMIN_TOKEN credential, with admin rights
)

// Roles lists the roles a user may be given.
var Roles = []string{RoleAdmin, RoleCityEditor, RoleInstEditor, RoleReviewer, RoleUser}

// ValidRole reports whether r names a role.
func ValidRole(r string) bool { return slices.Contains(Roles, r) }

// Actions on records.
const (
	ActCreate   = "create"
	ActUpdate   = "update"
	ActDelete   = "delete"
	ActRestore  = "restore"
	ActConfirm  = "confirm"  // an activity, by the partner city's editor
	ActModerate = "moderate" // a proposal's status
	ActAccept   = "accept"   // records proposed from a news article
	ActSelf     = "self"     // one's own account: tokens, password
	ActAdmin    = "admin"    // accounts, vocabulary, anything not otherwise declared
)

// User is an account.
type User struct {
	ID           int64     `json:"id"`
	Version      int64     `json:"-"` // the account's version, its ETag
	Name         string    `json:"name"`
	Role         string    `json:"role"`
	Cities       []int64   `json:"city_ids,omitempty"`
	Institutions []int64   `json:"institutions,omitempty"`
	Disabled     bool      `json:"disabled,omitempty"`
	Failures     int       `json:"-"`
	LockedUntil  time.Time `json:"locked_until,omitzero"`
	Created      time.Time `json:"created,omitzero"`
	Updated      time.Time `json:"updated,omitzero"`
	Password     string    `json:"-"` // the PHC hash
}

// Token describes a personal API token; the token itself is never stored.
type Token struct {
	ID       int64     `json:"id"`
	UserID   int64     `json:"user_id"`
	User     string    `json:"user"`
	Name     string    `json:"name"`
	Created  time.Time `json:"created"`
	LastUsed time.Time `json:"last_used,omitzero"`
	Revoked  time.Time `json:"revoked,omitzero"`
}

// Principal is who makes a request: a user through a session or a token, or the provisioning
// admin token.
type Principal struct {
	User  *User  // nil for the admin token
	Via   string // "session", "token" or "admin-token"
	Token int64  // the token's id when Via is "token"
	// SessionID is the raw session id of a cookie session (for its CSRF token).
	SessionID string
}

// Provisioner is the principal of TWINNING_ADMIN_TOKEN.
func Provisioner() *Principal { return &Principal{Via: roleProvisioner} }

// Name is the principal's name for the audit log.
func (p *Principal) Name() string {
	if p == nil {
		return ""
	}
	if p.User == nil {
		return roleProvisioner
	}
	return p.User.Name
}

// Role is the principal's role; the admin token is an admin.
func (p *Principal) Role() string {
	switch {
	case p == nil:
		return ""
	case p.User == nil:
		return RoleAdmin
	}
	return p.User.Role
}

// Scope is what a record touches: the cities and institutions whose editors may change it.
type Scope struct {
	Cities       []int64
	Institutions []int64
}

// Own is the principal's own scope: the widest any of its requests can reach.
func (p *Principal) Own() Scope {
	if p == nil || p.User == nil {
		return Scope{}
	}
	return Scope{Cities: p.User.Cities, Institutions: p.User.Institutions}
}

func meets(a, b []int64) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// SubjectExtract is what the reviewers' acceptance of news facts is authorized as: a subject
// of authorization beside the kinds of record (twin.Kind), which are the others.
const SubjectExtract = "extract"

// Allowed reports whether p may do action to a record of kind (a twin.Kind, or SubjectExtract)
// that touches sc. A nil principal
// (anonymous) may do nothing.
func Allowed(p *Principal, kind, action string, sc Scope) bool {
	role := p.Role()
	switch {
	case role == "":
		return false
	case role == RoleAdmin:
		return true
	case action == ActSelf:
		return true
	case twin.Kind(kind) == twin.KindProposal && action == ActCreate:
		return true // any signed-in user may propose; the handler forces the status
	}
	own := p.Own()
	switch role {
	case RoleCityEditor:
		return cityEditor(kind, action, own, sc)
	case RoleInstEditor:
		return instEditor(kind, action, own, sc)
	case RoleReviewer:
		return twin.Kind(kind) == twin.KindProposal && (action == ActUpdate || action == ActDelete || action == ActModerate) ||
			kind == SubjectExtract && action == ActAccept
	}
	return false
}

func cityEditor(kind, action string, own, sc Scope) bool {
	in := meets(sc.Cities, own.Cities)
	switch twin.Kind(kind) {
	case twin.KindCity:
		return action == ActCreate || action == ActUpdate && in
	case twin.KindAgreement, twin.KindInstitution, twin.KindLink, twin.KindPerson:
		return (action == ActCreate || action == ActUpdate || action == ActDelete) && in
	case twin.KindActivity:
		return (action == ActCreate || action == ActUpdate || action == ActDelete || action == ActConfirm) && in
	}
	return false
}

func instEditor(kind, action string, own, sc Scope) bool {
	in := meets(sc.Institutions, own.Institutions)
	switch twin.Kind(kind) {
	case twin.KindLink, twin.KindActivity:
		return (action == ActCreate || action == ActUpdate || action == ActDelete) && in
	case twin.KindInstitution:
		return action == ActUpdate && in
	}
	return false
}

// MayAttempt reports whether p may do action to some record of kind: the check a route makes
// before it reads anything, so a wrong role is refused at once and a right role is then held
// to the record's scope.
func MayAttempt(p *Principal, kind, action string) bool {
	return Allowed(p, kind, action, p.Own())
}

// MaySeePrivate reports whether p may read the private fields (contacts) of a record of kind
// touching sc: admins, editors in scope, and reviewers for the proposals they moderate.
func MaySeePrivate(p *Principal, kind string, sc Scope) bool {
	if twin.Kind(kind) == twin.KindProposal {
		// Proposals are moderated by reviewers and followed up by their cities' editors.
		switch p.Role() {
		case RoleReviewer:
			return true
		case RoleCityEditor:
			return meets(sc.Cities, p.Own().Cities)
		}
	}
	return Allowed(p, kind, ActUpdate, sc)
}
