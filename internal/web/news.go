package web

import (
	"github.com/twinning/twinning/internal/httpx"
	"net/http"
	"strconv"

	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// News monitoring: the feeds admins watch (internal/news polls them in the background) and
// the reviewers' inbox of articles with a twinning signal, each opening the review page of
// internal/ui (pages_extract.go) with the article filled in.

type feedInput struct {
	URL  string `json:"url"`
	Lang string `json:"lang,omitempty"` // fa (default) or en
	// Check false adds the address unread (a host down at the moment); by default it is read
	// first and the feed found there is added.
	Check *bool `json:"check,omitempty"`
}

func (s *Server) requireReviewer(r *http.Request) error {
	p, err := s.authenticate(r)
	if err == nil && !httpx.MayReview(p) {
		err = twin.Errorf(twin.EFORBIDDEN, "for reviewers")
	}
	return err
}

func (s *Server) listFeeds(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireAdmin(r); err != nil {
		return err
	}
	fs, err := s.db.Feeds(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(fs, ""))
	return nil
}

func (s *Server) addFeed(w http.ResponseWriter, r *http.Request) error {
	var in feedInput
	if err := decodeBody(w, r, &in); err != nil {
		return err
	}
	if in.Lang == "" {
		in.Lang = "fa"
	}
	f, err := s.feedAdder(r.Context(), in.URL, in.Lang, in.Check == nil || *in.Check)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/feeds/"+strconv.FormatInt(f.ID, 10))
	writeJSON(w, http.StatusCreated, f)
	return nil
}

func (s *Server) removeFeed(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ParseID(r.Context(), r.PathValue("id"))
	if err == nil {
		err = s.db.RemoveFeed(r.Context(), id)
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) inbox(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireReviewer(r); err != nil {
		return err
	}
	q := store.InboxQuery{Dismissed: r.URL.Query().Get("dismissed") == "true"}
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			return twin.Problem("limit", twin.KeyRange, map[string]any{"min": 1, "max": 500})
		}
		q.Limit = n
	}
	as, err := s.db.Inbox(r.Context(), q)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(as, ""))
	return nil
}

func (s *Server) dismissArticle(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ParseID(r.Context(), r.PathValue("id"))
	if err == nil {
		err = s.db.DismissArticle(r.Context(), id)
	}
	var a *store.Article
	if err == nil {
		a, err = s.db.Article(r.Context(), id)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}
