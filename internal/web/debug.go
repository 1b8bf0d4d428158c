package web

import (
	"net/http"
	"net/http/pprof"
	"strings"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/twin"
)

// pprof serves the Go runtime's profiles (net/http/pprof) under /debug/pprof/, to admins only
// (adminOnly): a signed-in admin, an admin's personal token or the provisioning token. Anyone
// else gets 401 or 403, so a profile (which costs CPU and shows internals) is never an
// anonymous request.
//
//	go tool pprof -http=: 'http://HOST/debug/pprof/profile?seconds=20'   # with the token:
//	curl -H "Authorization: Bearer $T" -o cpu.pprof 'http://HOST/debug/pprof/profile?seconds=20'
func (s *Server) pprof(w http.ResponseWriter, r *http.Request) {
	switch strings.TrimPrefix(r.URL.Path, "/debug/pprof/") {
	case "cmdline":
		pprof.Cmdline(w, r)
	case "profile":
		pprof.Profile(w, r)
	case "symbol":
		pprof.Symbol(w, r)
	case "trace":
		pprof.Trace(w, r)
	default:
		pprof.Index(w, r) // the index, and the named profiles (heap, goroutine, allocs...)
	}
}

// adminOnly lets a request through only from an admin.
func (s *Server) adminOnly(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.who(r)
		switch {
		case err != nil:
		case p == nil:
			err = twin.Errorf(twin.EUNAUTHORIZED, "sign in as an admin")
		case p.Role() != auth.RoleAdmin:
			err = twin.Errorf(twin.EFORBIDDEN, "%s is not an admin", p.Name())
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		h(w, r)
	}
}
