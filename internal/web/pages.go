package web

import (
	"net/http"

	"github.com/twinning/twinning/internal/i18n"
)

// pageRoutes declares the human pages under /fa/... and /en/...
func (s *Server) pageRoutes() []route {
	return []route{
		{method: "GET", pattern: "/{$}", handler: s.negotiateRoot, summary: "Redirect to the reader's language", tag: "pages"},
	}
}

// negotiateRoot sends / to /fa/ or /en/ by Accept-Language, Persian by default.
func (s *Server) negotiateRoot(w http.ResponseWriter, r *http.Request) {
	lang := i18n.Negotiate(r.Header.Get("Accept-Language"), i18n.Default)
	http.Redirect(w, r, "/"+lang+"/", http.StatusSeeOther)
}
