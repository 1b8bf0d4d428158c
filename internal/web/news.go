package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// News monitoring: the feeds admins watch (internal/news polls them in the background) and
// the reviewers' inbox of articles with a twinning signal, each opening the review page of
// pages_extract.go with the article filled in.

type feedInput struct {
	URL  string `json:"url"`
	Lang string `json:"lang,omitempty"` // fa (default) or en
}

// mayReview is whether the principal reviews news: reviewers and admins.
func mayReview(p *auth.Principal) bool {
	return p != nil && (p.Role() == auth.RoleAdmin || auth.MayAttempt(p, auth.SubjectExtract, auth.ActAccept))
}

func (s *Server) requireReviewer(r *http.Request) error {
	p, err := s.authenticate(r)
	if err == nil && !mayReview(p) {
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
	if fs == nil {
		fs = []*store.Feed{}
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
	f, err := s.db.AddFeed(r.Context(), in.URL, in.Lang)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/feeds/"+strconv.FormatInt(f.ID, 10))
	writeJSON(w, http.StatusCreated, f)
	return nil
}

func (s *Server) removeFeed(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(r.Context(), r.PathValue("id"))
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
			p := twin.Problems{}
			p.Add("limit", twin.KeyRange, map[string]any{"min": 1, "max": 500})
			return p.Err()
		}
		q.Limit = n
	}
	as, err := s.db.Inbox(r.Context(), q)
	if err != nil {
		return err
	}
	if as == nil {
		as = []*store.Article{}
	}
	writeJSON(w, http.StatusOK, newList(as, ""))
	return nil
}

func (s *Server) dismissArticle(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(r.Context(), r.PathValue("id"))
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

// The pages.

type inboxView struct {
	Items     []inboxItem
	Dismissed bool
	Done      string
	Lang      string
}

type inboxItem struct {
	A       *store.Article
	Reasons []string
	Feed    string
	Date    string
	Excerpt string
}

type feedsView struct {
	Feeds  []*store.Feed
	URL    string
	Lang   string
	Errors map[string]string
	Done   string
}

func (s *Server) inboxPage(r *http.Request, p *page) error {
	who, _ := s.who(r)
	if !mayReview(who) {
		return twin.Errorf(twin.EFORBIDDEN, "for reviewers")
	}
	return s.renderInbox(r, p, "")
}

func (s *Server) renderInbox(r *http.Request, p *page, done string) error {
	v := &inboxView{Dismissed: r.URL.Query().Get("dismissed") == "true", Done: done, Lang: p.Lang}
	as, err := s.db.Inbox(r.Context(), store.InboxQuery{Dismissed: v.Dismissed})
	if err != nil {
		return err
	}
	feeds, err := s.db.Feeds(r.Context())
	if err != nil {
		return err
	}
	feedName := map[int64]string{}
	for _, f := range feeds {
		feedName[f.ID] = f.Title
		if f.Title == "" {
			feedName[f.ID] = f.URL
		}
	}
	for _, a := range as {
		it := inboxItem{A: a, Feed: feedName[a.FeedID], Excerpt: excerpt(a.Text, 280)}
		if t, err := time.Parse("2006-01-02", a.Published); err == nil {
			it.Date = calendar.Format(calendar.FromTime(t, calendar.Home(p.Lang), calendar.Day), p.Lang)
		}
		for _, rs := range a.Reasons {
			it.Reasons = append(it.Reasons, reasonText(p.Lang, rs))
		}
		v.Items = append(v.Items, it)
	}
	p.tmpl, p.Data, p.Section = "inbox", v, "staff"
	p.Title = i18n.T(p.Lang, "news.inbox_title", nil)
	return nil
}

// reasonText says in the reader's language what an article would add.
func reasonText(lang string, r store.Reason) string {
	pair := strings.Join(r.Names, " – ")
	if pair == "" {
		pair = strings.Join(r.Cities, " – ")
	}
	params := map[string]any{"pair": pair}
	if r.Status != "" {
		params["status"] = i18n.T(lang, "status."+r.Status, nil)
	}
	if r.Was != "" {
		params["was"] = i18n.T(lang, "status."+r.Was, nil)
	}
	if r.Kind != "" {
		params["kind"] = i18n.T(lang, "extract.event."+r.Kind, nil)
	}
	return i18n.T(lang, "news.reason."+r.Signal, params)
}

func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func (s *Server) inboxDismissPage(r *http.Request, p *page) error {
	who, _ := s.who(r)
	if !mayReview(who) {
		return twin.Errorf(twin.EFORBIDDEN, "for reviewers")
	}
	id, err := parseID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	ctx := twin.WithActor(r.Context(), who.Name())
	if err := s.db.DismissArticle(ctx, id); err != nil {
		return err
	}
	p.redirect("/staff/inbox")
	return nil
}

func (s *Server) feedsPage(r *http.Request, p *page) error {
	if err := s.pageAdmin(r); err != nil {
		return err
	}
	return s.renderFeeds(r, p, &feedsView{Lang: "fa", Errors: map[string]string{}}, http.StatusOK)
}

func (s *Server) pageAdmin(r *http.Request) error {
	who, _ := s.who(r)
	if who == nil || who.Role() != auth.RoleAdmin {
		return twin.Errorf(twin.EFORBIDDEN, "for admins")
	}
	return nil
}

func (s *Server) renderFeeds(r *http.Request, p *page, v *feedsView, status int) error {
	fs, err := s.db.Feeds(r.Context())
	if err != nil {
		return err
	}
	v.Feeds = fs
	p.tmpl, p.Data, p.Section, p.status = "feeds", v, "staff", status
	p.Title = i18n.T(p.Lang, "news.feeds_title", nil)
	if len(v.Errors) > 0 {
		p.Title = i18n.T(p.Lang, "form.errors_title", nil) + " " + p.Title
	}
	return nil
}

func (s *Server) feedsAddPage(r *http.Request, p *page) error {
	if err := s.pageAdmin(r); err != nil {
		return err
	}
	who, _ := s.who(r)
	v := &feedsView{URL: strings.TrimSpace(r.PostFormValue("url")), Lang: r.PostFormValue("lang"), Errors: map[string]string{}}
	f, err := s.db.AddFeed(twin.WithActor(r.Context(), who.Name()), v.URL, v.Lang)
	if err != nil {
		te, ok := err.(*twin.Error)
		if !ok || len(te.Fields) == 0 {
			return err
		}
		for field, fe := range te.Fields {
			v.Errors[field] = i18n.T(p.Lang, "field."+fe.Key, fe.Params)
		}
		return s.renderFeeds(r, p, v, http.StatusUnprocessableEntity)
	}
	return s.renderFeeds(r, p, &feedsView{Lang: v.Lang, Errors: map[string]string{}, Done: i18n.T(p.Lang, "news.feed_added", map[string]any{"url": f.URL})}, http.StatusOK)
}

func (s *Server) feedsRemovePage(r *http.Request, p *page) error {
	if err := s.pageAdmin(r); err != nil {
		return err
	}
	who, _ := s.who(r)
	id, err := parseID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	f, err := s.db.FeedByRef(r.Context(), strconv.FormatInt(id, 10))
	if err != nil {
		return err
	}
	if err := s.db.RemoveFeed(twin.WithActor(r.Context(), who.Name()), id); err != nil {
		return err
	}
	return s.renderFeeds(r, p, &feedsView{Lang: f.Lang, Errors: map[string]string{}, Done: i18n.T(p.Lang, "news.feed_removed", map[string]any{"url": f.URL})}, http.StatusOK)
}
