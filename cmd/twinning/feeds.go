package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/twinning/twinning/internal/news"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

func init() {
	register(verb{name: "feeds", summary: "News feeds the registry watches: add, list, remove, poll", run: runFeeds})
}

const feedsUsage = `add URL [--lang fa|en] [--no-check]
       twinning feeds list
       twinning feeds remove ID|URL
       twinning feeds poll

add watches an RSS 2.0, Atom or RSS 1.0 feed (--lang is its language, fa by default). The
address is read once first: a feed is added with its title; a news site's page is searched for
the feed it declares (several are listed to choose from); anything else, or a host that does
not answer, is refused with the reason. --no-check adds the address as given, unread (a host
that is down at the moment), to be read at the next poll. serve polls every feed on a schedule (--feed-interval). poll reads every feed once now and
prints what it found: articles with a twinning signal go to the reviewers' inbox
(/fa/staff/inbox), ranked by what they would add.`

func runFeeds(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "feeds", feedsUsage)
	dsn := dbFlag(fs, e)
	lang := fs.String("lang", "fa", "the feed's language: fa or en (add)")
	publicURL := fs.String("public-url", e.getenv("TWINNING_PUBLIC_URL"), "this registry's public address, named in the User-Agent (add, poll; env TWINNING_PUBLIC_URL)")
	noCheck := fs.Bool("no-check", false, "add the address as given without reading it now (add)")
	pos, db, ctx, err := subcommandAsUser(ctx, e, fs, dsn, args, map[string]int{"add": 2, "list": 1, "remove": 2, "poll": 1})
	if err != nil {
		return err
	}
	defer db.Close()
	switch pos[0] {
	case "add":
		return feedsAdd(ctx, e, db, pos[1], *lang, *publicURL, !*noCheck)
	case "list":
		return feedsList(ctx, e, db)
	case "remove":
		return feedsRemove(ctx, e, db, pos[1])
	case "poll":
		return feedsPoll(ctx, e, db, *publicURL)
	}
	return nil
}

// newsFetcher reads feeds and their pages, its User-Agent naming this version and the
// registry's public address.
func newsFetcher(publicURL string) *news.Fetcher {
	return news.NewFetcher(news.UserAgent(shortVersion(), publicURL))
}

// feedsAdd watches the feed at rawURL, read first when check is set, and says what it added.
func feedsAdd(ctx context.Context, e *env, db *store.DB, rawURL, lang, publicURL string, check bool) error {
	fetch := newsFetcher(publicURL)
	f, err := news.AddFeed(ctx, db, fetch, rawURL, lang, check)
	if err != nil {
		return feedAddError(e, err)
	}
	fmt.Fprintf(e.stdout, "feed %d: %s (%s)", f.ID, f.URL, f.Lang)
	if f.Title != "" {
		fmt.Fprintf(e.stdout, " %q", f.Title)
	}
	fmt.Fprintln(e.stdout, "; it is read at the next poll")
	return nil
}

// feedsList prints the watched feeds as a table, with when each was and will be polled.
func feedsList(ctx context.Context, e *env, db *store.DB) error {
	feeds, err := db.Feeds(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tLANG\tURL\tTITLE\tLAST POLL\tNEXT POLL\tLAST ERROR")
	for _, f := range feeds {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", f.ID, f.Lang, f.URL, dash(f.Title), when(f.LastPoll), when(f.NextPoll), dash(f.LastError))
	}
	return tw.Flush()
}

// feedsRemove stops watching the feed ref names (its id or address); its articles stay.
func feedsRemove(ctx context.Context, e *env, db *store.DB, ref string) error {
	f, err := db.FeedByRef(ctx, ref)
	if err != nil {
		return fmt.Errorf("no feed %q", ref)
	}
	if err := db.RemoveFeed(ctx, f.ID); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "feed %d removed: %s (its articles stay)\n", f.ID, f.URL)
	return nil
}

// feedsPoll reads every feed once now and prints what it found.
func feedsPoll(ctx context.Context, e *env, db *store.DB, publicURL string) error {
	p := &news.Poller{DB: db, Fetch: newsFetcher(publicURL)}
	rep, err := p.Poll(ctx, true)
	if rep != nil {
		printPoll(e, rep)
	}
	if err != nil {
		return err
	}
	// A script polling on its own schedule learns from the exit status that a feed failed.
	if n := failedFeeds(rep); n > 0 {
		return fmt.Errorf("%d of %d feeds could not be read", n, len(rep.Feeds))
	}
	return nil
}

// feedAddError says why a feed was not added: the feeds a page names, to choose from, or
// the reason an address could not be read.
func feedAddError(e *env, err error) error {
	fe, ok := twin.ErrorFields(err)["url"]
	if !ok {
		return fmt.Errorf("%s", describe(err))
	}
	switch fe.Key {
	case news.KeyFeedSeveral:
		fmt.Fprintf(e.stdout, "%v names several feeds; add the one to watch:\n", fe.Params["value"])
		cands, _ := fe.Params["candidates"].([]news.Candidate)
		for _, c := range cands {
			fmt.Fprintf(e.stdout, "  twinning feeds add %s", c.URL)
			if c.Title != "" {
				fmt.Fprintf(e.stdout, "    # %s", c.Title)
			}
			fmt.Fprintln(e.stdout)
		}
		return fmt.Errorf("%v names %d feeds: nothing added", fe.Params["value"], len(cands))
	case news.KeyFeedNone:
		return fmt.Errorf("%v is neither an RSS, Atom or RSS 1.0 feed nor a page that names one: nothing added", fe.Params["value"])
	case news.KeyFeedUnreachable:
		return fmt.Errorf("%v could not be read (%v): nothing added; --no-check adds it to be read at the next poll", fe.Params["value"], fe.Params["reason"])
	}
	return fmt.Errorf("%s", describe(err))
}

// failedFeeds counts the feeds of a poll that could not be read at all.
func failedFeeds(rep *news.Report) int {
	n := 0
	for _, fr := range rep.Feeds {
		if fr.Err != "" && fr.Items == 0 {
			n++
		}
	}
	return n
}

func printPoll(e *env, rep *news.Report) {
	if len(rep.Feeds) == 0 {
		fmt.Fprintln(e.stdout, "no feeds: add one with twinning feeds add URL")
	}
	for _, fr := range rep.Feeds {
		switch {
		case fr.Err != "" && fr.Items == 0:
			fmt.Fprintf(e.stdout, "%s: failed (%s); next try %s\n", fr.Feed.URL, fr.Err, when(fr.Feed.NextPoll))
			continue
		case fr.NotModified:
			fmt.Fprintf(e.stdout, "%s: not modified\n", fr.Feed.URL)
			continue
		}
		fmt.Fprintf(e.stdout, "%s: %d items, %d new, %d read before", fr.Feed.URL, fr.Items, len(fr.New), fr.Known)
		if fr.Failed > 0 {
			fmt.Fprintf(e.stdout, ", %d not read (tried again next poll)", fr.Failed)
		}
		fmt.Fprintln(e.stdout)
		for _, a := range fr.New {
			label := "seen"
			if a.Signal > store.SignalNone {
				label = a.SignalName
			}
			fmt.Fprintf(e.stdout, "  %-13s %s  %s  %s\n", label, dash(a.Published), a.Title, a.URL)
		}
	}
}

// shortVersion is the version for the User-Agent: the module version without the commit.
func shortVersion() string {
	v, _, _ := strings.Cut(buildVersion(), ",")
	return strings.ReplaceAll(strings.TrimSpace(v), " ", "-")
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}
