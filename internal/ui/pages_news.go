package ui

import (
	"github.com/twinning/twinning/internal/httpx"
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
	Feeds   []*store.Feed
	URL     string
	Lang    string
	NoCheck bool
	Errors  map[string]string
	Done    string
	// Choices are the feeds the page at URL names, when it names several.
	Choices []store.FeedCandidate
}

// InboxPage lists the news articles waiting for review.
func (s *Pages) InboxPage(r *http.Request, p *Page) error {
	who, _ := s.Who(r)
	if !httpx.MayReview(who) {
		return twin.Errorf(twin.EFORBIDDEN, "for reviewers")
	}
	return s.renderInbox(r, p, "")
}

func (s *Pages) renderInbox(r *http.Request, p *Page, done string) error {
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

// InboxDismissPage takes an article out of the news inbox.
func (s *Pages) InboxDismissPage(r *http.Request, p *Page) error {
	who, _ := s.Who(r)
	if !httpx.MayReview(who) {
		return twin.Errorf(twin.EFORBIDDEN, "for reviewers")
	}
	id, err := httpx.ParseID(r.Context(), r.PathValue("id"))
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

// FeedsPage lists the news feeds read, for admins.
func (s *Pages) FeedsPage(r *http.Request, p *Page) error {
	if err := s.pageAdmin(r); err != nil {
		return err
	}
	return s.renderFeeds(r, p, &feedsView{Lang: "fa", Errors: map[string]string{}}, http.StatusOK)
}

func (s *Pages) pageAdmin(r *http.Request) error {
	who, _ := s.Who(r)
	if who == nil || who.Role() != auth.RoleAdmin {
		return twin.Errorf(twin.EFORBIDDEN, "for admins")
	}
	return nil
}

func (s *Pages) renderFeeds(r *http.Request, p *Page, v *feedsView, status int) error {
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

// FeedsAddPage adds a news feed.
func (s *Pages) FeedsAddPage(r *http.Request, p *Page) error {
	if err := s.pageAdmin(r); err != nil {
		return err
	}
	who, _ := s.Who(r)
	v := &feedsView{URL: strings.TrimSpace(r.PostFormValue("url")), Lang: r.PostFormValue("lang"), NoCheck: r.PostFormValue("nocheck") != "", Errors: map[string]string{}}
	if c := strings.TrimSpace(r.PostFormValue("choice")); c != "" {
		v.URL = c // one of the feeds a page named, chosen
	}
	f, err := s.AddFeed(twin.WithActor(r.Context(), who.Name()), v.URL, v.Lang, !v.NoCheck)
	if err != nil {
		te, ok := err.(*twin.Error)
		if !ok || len(te.Fields) == 0 {
			return err
		}
		for field, fe := range te.Fields {
			v.Errors[field] = i18n.T(p.Lang, "field."+fe.Key, fe.Params)
			// A page naming several feeds: they are offered as choices, what was typed kept.
			if cs, ok := fe.Params["candidates"].([]store.FeedCandidate); ok && field == "url" {
				v.Choices = cs
			}
		}
		return s.renderFeeds(r, p, v, http.StatusUnprocessableEntity)
	}
	return s.renderFeeds(r, p, &feedsView{Lang: v.Lang, Errors: map[string]string{}, Done: i18n.T(p.Lang, "news.feed_added", map[string]any{"url": f.URL})}, http.StatusOK)
}

// FeedsRemovePage removes a news feed.
func (s *Pages) FeedsRemovePage(r *http.Request, p *Page) error {
	if err := s.pageAdmin(r); err != nil {
		return err
	}
	who, _ := s.Who(r)
	id, err := httpx.ParseID(r.Context(), r.PathValue("id"))
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
