package ui

import (
	"embed"
	"github.com/twinning/twinning/internal/httpx"
	"net/http"
	"strings"

	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/twin"
)

// The sign-in and sign-out pages of accounts. Their template lives apart, under
// templates/auth/, and is parsed with the shared layout like every page.

//go:embed templates/auth/*.html
var authTemplateFS embed.FS

func init() {
	pages.add("auth/signin", authTemplateFS, "templates/auth/signin.html")
}

type accountSigninData struct {
	Name, Next, Error string
}

// nextPage keeps a return address only when it is a page of this site.
func nextPage(next, lang string) string {
	// Browsers drop tabs and newlines from URLs, so "/\t/evil.example" would become
	// "//evil.example": any control character or backslash disqualifies the address.
	if strings.HasPrefix(next, "/") && !strings.HasPrefix(next, "//") && !strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return next
	}
	return "/" + lang + "/"
}

// AccountSigninPage shows the sign-in form.
func (s *Pages) AccountSigninPage(r *http.Request, p *Page) error {
	p.tmpl, p.Title = "auth/signin", i18n.T(p.Lang, "account.signin.title", nil)
	p.CSRF = s.CSRFFor(p.response, r)
	p.Data = &accountSigninData{Next: nextPage(r.URL.Query().Get("next"), p.Lang)}
	return nil
}

// AccountSignin checks the name and password (the CSRF token was checked by csrfGuard) and
// starts a session, or shows the form again with one message for every kind of failure.
func (s *Pages) AccountSignin(r *http.Request, p *Page) error {
	d := &accountSigninData{Name: strings.TrimSpace(r.PostFormValue("name")), Next: nextPage(r.PostFormValue("next"), p.Lang)}
	u, err := s.SignIn(r.Context(), s.ClientIP(r), d.Name, r.PostFormValue("password"))
	if err == nil {
		if err := s.StartSession(p.response, r, u); err != nil {
			return err
		}
		http.Redirect(p.response, r, d.Next, http.StatusSeeOther)
		p.handled = true
		return nil
	}
	code := twin.ErrorCode(err)
	if code != twin.ESIGNIN && code != twin.EATTEMPTS {
		return err
	}
	d.Error = i18n.T(p.Lang, "account.signin."+code, nil)
	p.tmpl, p.Title, p.Data, p.status = "auth/signin", i18n.T(p.Lang, "account.signin.title", nil), d, httpx.StatusOf[code]
	p.CSRF = s.CSRFFor(p.response, r)
	return nil
}

// AccountSignout ends the reader's session.
func (s *Pages) AccountSignout(r *http.Request, p *Page) error {
	if err := s.EndSession(p.response, r); err != nil {
		return err
	}
	p.redirect("/")
	return nil
}
