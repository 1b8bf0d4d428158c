package web

import (
	"embed"
	"html/template"
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
	for _, lang := range i18n.Langs {
		base := template.Must(template.New("layout.html").Funcs(pageFuncs(lang)).ParseFS(templateFS, "templates/layout.html", "templates/parts.html"))
		t := template.Must(template.Must(base.Clone()).ParseFS(authTemplateFS, "templates/auth/signin.html"))
		if pages[lang] == nil {
			pages[lang] = map[string]*template.Template{}
		}
		pages[lang]["auth/signin"] = t
	}
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

func (s *Server) accountSigninPage(r *http.Request, p *page) error {
	p.tmpl, p.Title = "auth/signin", i18n.T(p.Lang, "account.signin.title", nil)
	p.CSRF = s.csrfFor(p.response, r)
	p.Data = &accountSigninData{Next: nextPage(r.URL.Query().Get("next"), p.Lang)}
	return nil
}

// accountSignin checks the name and password (the CSRF token was checked by csrfGuard) and
// starts a session, or shows the form again with one message for every kind of failure.
func (s *Server) accountSignin(r *http.Request, p *page) error {
	d := &accountSigninData{Name: strings.TrimSpace(r.PostFormValue("name")), Next: nextPage(r.PostFormValue("next"), p.Lang)}
	u, err := s.signIn(r.Context(), clientIP(r), d.Name, r.PostFormValue("password"))
	if err == nil {
		if err := s.startSession(p.response, r, u); err != nil {
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
	p.tmpl, p.Title, p.Data, p.status = "auth/signin", i18n.T(p.Lang, "account.signin.title", nil), d, statusOf[code]
	p.CSRF = s.csrfFor(p.response, r)
	return nil
}

func (s *Server) accountSignout(r *http.Request, p *page) error {
	if err := s.endSession(p.response, r); err != nil {
		return err
	}
	p.redirect("/")
	return nil
}
