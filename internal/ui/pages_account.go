package ui

import (
	"github.com/twinning/twinning/internal/httpx"
	"net/http"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/twin"
)

// accountData is what the account page shows: who you are, your tokens, and what just
// happened (a changed password, a new token shown this once, a problem beside its field).
type accountData struct {
	Name, Role string
	Cities     []string
	Tokens     []*auth.Token
	NewToken   string
	Done       string
	Errors     map[string]string
}

// accountUser is the signed-in account, or a redirect to the sign-in form.
func (s *Pages) accountUser(r *http.Request, p *Page) (*auth.Principal, bool) {
	who, _ := s.Who(r)
	if who == nil || who.User == nil {
		p.redirect("/signin?next=" + "/" + p.Lang + "/account")
		return nil, false
	}
	return who, true
}

// accountPost is the signed-in account of a form posted from the account page, its CSRF token
// checked; ok is false when the reader was sent to sign in.
func (s *Pages) accountPost(r *http.Request, p *Page) (who *auth.Principal, ok bool, err error) {
	if who, ok = s.accountUser(r, p); !ok {
		return nil, false, nil
	}
	return who, true, s.checkCSRF(r)
}

// AccountPage shows the signed-in person's account: their name, role, cities and API tokens.
func (s *Pages) AccountPage(r *http.Request, p *Page) error {
	who, ok := s.accountUser(r, p)
	if !ok {
		return nil
	}
	return s.renderAccount(r, p, who, &accountData{})
}

func (s *Pages) renderAccount(r *http.Request, p *Page, who *auth.Principal, d *accountData) error {
	u, err := s.db.User(r.Context(), who.User.ID)
	if err != nil {
		return err
	}
	d.Name, d.Role = u.Name, u.Role
	if len(u.Cities) > 0 {
		refs, err := s.db.Cities.ByIDs(r.Context(), u.Cities)
		if err != nil {
			return err
		}
		for _, c := range refs {
			d.Cities = append(d.Cities, c.Names.Pick(p.Lang))
		}
	}
	if d.Tokens, err = s.db.Tokens(r.Context(), u.ID); err != nil {
		return err
	}
	p.tmpl, p.Title, p.Section, p.Data = "account", i18n.T(p.Lang, "account.title", nil), "account", d
	return nil
}

// AccountPassword changes the signed-in person's password; their other sessions end.
func (s *Pages) AccountPassword(r *http.Request, p *Page) error {
	who, ok, err := s.accountPost(r, p)
	if !ok || err != nil {
		return err
	}
	d := &accountData{Errors: map[string]string{}}
	u, err := s.db.User(r.Context(), who.User.ID)
	if err != nil {
		return err
	}
	switch err := s.CheckCurrentPassword(r.Context(), s.ClientIP(r), u, r.PostFormValue("current"), "current"); twin.ErrorCode(err) {
	case "":
	case twin.EINVALID:
		d.Errors["current"] = i18n.T(p.Lang, "field.wrong_password", nil)
	case twin.EATTEMPTS, twin.ELOCKED:
		d.Errors["current"] = p.limited(err)
		return s.renderAccount(r, p, who, d)
	default:
		return err
	}
	next := r.PostFormValue("new")
	if next != r.PostFormValue("repeat") {
		d.Errors["repeat"] = i18n.T(p.Lang, "field.passwords_differ", nil)
	}
	h, err := auth.HashPassword(next)
	if err != nil {
		d.Errors["new"] = i18n.T(p.Lang, "field.weak_password", map[string]any{"min": auth.MinPassword})
	}
	if len(d.Errors) == 0 {
		if err := s.changePassword(r, p.Lang, who, h, d); err != nil {
			return err
		}
	}
	return s.renderAccount(r, p, who, d)
}

// changePassword saves the new password's hash h and keeps this session (the others end); the
// person's API tokens are revoked too unless they asked to keep them.
func (s *Pages) changePassword(r *http.Request, lang string, who *auth.Principal, h string, d *accountData) error {
	keep := r.PostFormValue("keep_tokens") != ""
	if err := s.db.ChangePassword(r.Context(), who.User.ID, h, keep); err != nil {
		return err
	}
	if who.SessionID != "" {
		if err := s.db.CreateSession(r.Context(), auth.Digest(who.SessionID), who.User.ID, s.db.Now().Add(s.SessionTTL)); err != nil {
			return err
		}
	}
	d.Done = i18n.T(lang, "account.password_changed", nil)
	if !keep {
		d.Done = i18n.T(lang, "account.password_changed_tokens", nil)
	}
	return nil
}

// AccountNewToken creates a personal API token and shows it this once.
func (s *Pages) AccountNewToken(r *http.Request, p *Page) error {
	who, ok, err := s.accountPost(r, p)
	if !ok || err != nil {
		return err
	}
	d := &accountData{Errors: map[string]string{}}
	name := strings.TrimSpace(r.PostFormValue("name"))
	if name == "" {
		d.Errors["name"] = i18n.T(p.Lang, "field.required", nil)
		return s.renderAccount(r, p, who, d)
	}
	secret := auth.NewToken()
	if _, err := s.db.CreateToken(r.Context(), who.User.ID, name, auth.Digest(secret)); err != nil {
		return err
	}
	d.NewToken = secret
	return s.renderAccount(r, p, who, d)
}

// AccountRevokeToken revokes one of the signed-in person's tokens.
func (s *Pages) AccountRevokeToken(r *http.Request, p *Page) error {
	who, ok, err := s.accountPost(r, p)
	if !ok || err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return httpx.NotFound("token", r.PathValue("id"))
	}
	tok, err := s.db.Token(r.Context(), id)
	if err != nil {
		return err
	}
	if tok.UserID != who.User.ID {
		return twin.Errorf(twin.EFORBIDDEN, "token %d is not %s's", id, who.Name())
	}
	if err := s.db.RevokeToken(r.Context(), id); err != nil {
		return err
	}
	return s.renderAccount(r, p, who, &accountData{Done: i18n.T(p.Lang, "account.token_revoked", nil)})
}
