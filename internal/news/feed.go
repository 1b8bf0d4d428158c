// Package news watches news feeds for the registry: it reads RSS 2.0, Atom 1.0 and RSS 1.0
// (RDF) as publishers really write them, fetches politely (conditional GET, a pace per host,
// back-off, time-outs, size caps), takes each article's main text from the feed or from its
// page, records each article once (canonical URL, hash of the normalized text) and ranks those
// with a twinning signal for the reviewers' inbox. The web handlers and the command line only
// call it; the store keeps feeds and articles.
package news

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html/charset"
)

// Feed is a parsed feed, whatever its format.
type Feed struct {
	Format string // rss, atom, rdf
	Title  string
	Site   string // the site's home page, absolute
	Items  []Item
}

// Item is one entry of a feed. Links are absolute; Title is plain text; Content and Summary
// are HTML as the feed gave them.
type Item struct {
	GUID      string
	Link      string
	Title     string
	Published time.Time // zero when the feed gives no date it can be read from
	Content   string    // content:encoded, atom:content
	Summary   string    // description, atom:summary
}

// Key is what identifies the item across polls: its guid, else its link, else its title.
func (it Item) Key() string {
	switch {
	case it.GUID != "":
		return it.GUID
	case it.Link != "":
		return it.Link
	}
	return "title:" + it.Title
}

// node is any XML element, kept whole: the three formats are read from one tree, the way
// publishers mix them (atom:link in RSS, content:encoded in RDF, dc:date everywhere).
type node struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Text     string     `xml:",chardata"`
	Inner    string     `xml:",innerxml"`
	Children []node     `xml:",any"`
}

const (
	nsAtom    = "http://www.w3.org/2005/Atom"
	nsRSS1    = "http://purl.org/rss/1.0/"
	nsDC      = "http://purl.org/dc/elements/1.1/"
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsRDF     = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
)

func (n *node) attr(local string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// child returns the first child named local in one of spaces ("" is no namespace; no
// spaces means any).
func (n *node) child(local string, spaces ...string) *node {
	for i := range n.Children {
		c := &n.Children[i]
		if c.XMLName.Local != local {
			continue
		}
		if len(spaces) == 0 {
			return c
		}
		for _, s := range spaces {
			if c.XMLName.Space == s {
				return c
			}
		}
	}
	return nil
}

func (n *node) text(local string, spaces ...string) string {
	if c := n.child(local, spaces...); c != nil {
		return strings.TrimSpace(c.Text)
	}
	return ""
}

// ErrNotFeed is returned for a document that is XML but no feed (an HTML page, say).
var ErrNotFeed = errors.New("not an RSS, Atom or RDF feed")

// Parse reads a feed in any of the three formats. base is the feed's own URL: relative links
// are resolved against the site's link, or the feed's URL when the site gives none. The
// declared encoding is honoured (windows-1256, ISO-8859-1, ...); HTML entities are accepted.
func Parse(data []byte, base string) (*Feed, error) {
	data = bytes.TrimLeft(data, "\ufeff \t\r\n")
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		rr, err := charset.NewReaderLabel(label, r)
		if err != nil {
			return nil, fmt.Errorf("unknown encoding %q", label)
		}
		return rr, nil
	}
	var root node
	if err := d.Decode(&root); err != nil {
		return nil, fmt.Errorf("reading the feed: %w", err)
	}
	baseURL, err := url.Parse(base)
	if err != nil {
		baseURL = &url.URL{}
	}
	switch {
	case root.XMLName.Local == "rss":
		ch := root.child("channel")
		if ch == nil {
			return nil, ErrNotFeed
		}
		return parseRSS(ch, ch.Children, baseURL, "rss"), nil
	case root.XMLName.Local == "feed":
		return parseAtom(&root, baseURL), nil
	case root.XMLName.Local == "RDF":
		ch := root.child("channel")
		if ch == nil {
			ch = &node{}
		}
		// RSS 1.0 keeps its items beside the channel, not inside.
		return parseRSS(ch, root.Children, baseURL, "rdf"), nil
	}
	return nil, ErrNotFeed
}

// rssLink is the channel's or item's own link: the element without a namespace (or RSS 1.0's),
// not atom:link, whose text is empty.
func rssLink(n *node) string {
	for i := range n.Children {
		c := &n.Children[i]
		if c.XMLName.Local != "link" {
			continue
		}
		if c.XMLName.Space == "" || c.XMLName.Space == nsRSS1 {
			if t := strings.TrimSpace(c.Text); t != "" {
				return t
			}
			if h := c.attr("href"); h != "" {
				return h
			}
		}
	}
	// Some publishers give only atom:link rel=alternate.
	for i := range n.Children {
		c := &n.Children[i]
		if c.XMLName.Local == "link" && c.XMLName.Space == nsAtom && (c.attr("rel") == "" || c.attr("rel") == "alternate") {
			return c.attr("href")
		}
	}
	return ""
}

func parseRSS(ch *node, items []node, base *url.URL, format string) *Feed {
	f := &Feed{Format: format, Title: PlainText(ch.text("title", "", nsRSS1, nsDC))}
	siteBase := base
	if s := rssLink(ch); s != "" {
		if u := resolve(base, s); u != nil {
			f.Site, siteBase = u.String(), u
		}
	}
	for i := range items {
		n := &items[i]
		if n.XMLName.Local != "item" {
			continue
		}
		it := Item{Title: PlainText(n.text("title", "", nsRSS1, nsDC))}
		if l := rssLink(n); l != "" {
			if u := resolve(siteBase, l); u != nil {
				it.Link = u.String()
			}
		}
		if g := n.child("guid", ""); g != nil {
			it.GUID = strings.TrimSpace(g.Text)
			// A permalink guid (the default) is a link too; an item may have only that.
			if it.Link == "" && g.attr("isPermaLink") != "false" {
				if u := resolve(siteBase, it.GUID); u != nil && (u.Scheme == "http" || u.Scheme == "https") {
					it.Link = u.String()
				}
			}
		}
		if it.GUID == "" && format == "rdf" {
			it.GUID = n.attr("about")
		}
		for _, d := range []string{n.text("pubDate", ""), n.text("date", nsDC), n.text("published", nsAtom), n.text("updated", nsAtom)} {
			if t, ok := ParseDate(d); ok {
				it.Published = t
				break
			}
		}
		it.Content = n.text("encoded", nsContent)
		it.Summary = n.text("description", "", nsRSS1)
		f.Items = append(f.Items, it)
	}
	return f
}

// atomText is an Atom text construct as HTML: type="xhtml" carries markup as elements,
// "html" as escaped text, "text" as plain text.
func atomText(n *node) string {
	if n == nil {
		return ""
	}
	switch n.attr("type") {
	case "xhtml":
		return strings.TrimSpace(n.Inner)
	case "html", "text/html":
		return strings.TrimSpace(n.Text)
	}
	return htmlEscape(strings.TrimSpace(n.Text))
}

func atomLink(n *node, base *url.URL) string {
	var first string
	for i := range n.Children {
		c := &n.Children[i]
		if c.XMLName.Local != "link" {
			continue
		}
		h := c.attr("href")
		if h == "" {
			h = strings.TrimSpace(c.Text)
		}
		if h == "" {
			continue
		}
		if rel := c.attr("rel"); rel == "" || rel == "alternate" {
			if u := resolve(base, h); u != nil {
				return u.String()
			}
		}
		if first == "" && c.attr("rel") != "self" && c.attr("rel") != "enclosure" {
			first = h
		}
	}
	if u := resolve(base, first); first != "" && u != nil {
		return u.String()
	}
	return ""
}

func parseAtom(root *node, base *url.URL) *Feed {
	if b := root.attr("base"); b != "" {
		if u := resolve(base, b); u != nil {
			base = u
		}
	}
	f := &Feed{Format: "atom", Title: PlainText(atomText(root.child("title")))}
	f.Site = atomLink(root, base)
	for i := range root.Children {
		n := &root.Children[i]
		if n.XMLName.Local != "entry" {
			continue
		}
		eb := base
		if b := n.attr("base"); b != "" {
			if u := resolve(base, b); u != nil {
				eb = u
			}
		}
		it := Item{GUID: n.text("id"), Title: PlainText(atomText(n.child("title"))), Link: atomLink(n, eb)}
		for _, d := range []string{n.text("published"), n.text("updated"), n.text("issued"), n.text("date", nsDC)} {
			if t, ok := ParseDate(d); ok {
				it.Published = t
				break
			}
		}
		it.Content = atomText(n.child("content"))
		if it.Content == "" {
			it.Content = n.text("encoded", nsContent)
		}
		it.Summary = atomText(n.child("summary"))
		f.Items = append(f.Items, it)
	}
	return f
}

func resolve(base *url.URL, ref string) *url.URL {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil
	}
	u, err := url.Parse(ref)
	if err != nil {
		return nil
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	return u
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// dateLayouts are the date forms publishers write, tried in turn.
var dateLayouts = []string{
	time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 02 Jan 2006 15:04 -0700", "Mon, 2 Jan 2006 15:04 -0700", "Mon, 02 Jan 2006 15:04 MST", "Mon, 2 Jan 2006 15:04 MST",
	"Mon, 2 Jan 2006 15:04:05", "Mon, 02 Jan 2006 15:04:05", "Mon, 2 Jan 2006 15:04", "Mon, 2 Jan 2006",
	"2 Jan 2006 15:04:05 -0700", "02 Jan 2006 15:04:05 MST", "2 Jan 2006 15:04:05", "2 Jan 2006 15:04 -0700", "2 Jan 2006",
	"Monday, 02-Jan-06 15:04:05 MST", "Monday, 2 January 2006 15:04:05 -0700", "Mon, 2 January 2006 15:04:05 -0700",
	"Mon Jan 2 15:04:05 MST 2006", "Mon Jan 2 15:04:05 -0700 2006", time.ANSIC,
	time.RFC3339Nano, time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02T15:04Z07:00", "2006-01-02T15:04",
	"2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05 MST", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05", "2006-01-02 15:04",
	"2006-01-02", "2006/01/02 15:04:05", "2006/01/02", "January 2, 2006 15:04:05", "January 2, 2006", "Jan 2, 2006",
}

// zoneOffsets are the zone abbreviations publishers write, which Go reads only for the
// machine's own zone; Iran's and a few others are added.
var zoneOffsets = map[string]int{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
	"MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600, "IRST": 3*3600 + 1800, "IRDT": 4*3600 + 1800,
	"CET": 3600, "CEST": 2 * 3600, "BST": 3600, "EET": 2 * 3600, "EEST": 3 * 3600, "MSK": 3 * 3600, "UZT": 5 * 3600,
	"IST": 5*3600 + 1800, "JST": 9 * 3600, "AEST": 10 * 3600,
}

// ParseDate reads a feed date in any of the forms publishers use: RFC 1123/822 with or
// without seconds or weekday, numeric or named zones, RFC 3339, dates without a zone (taken
// as UTC). ok is false for anything else.
func ParseDate(s string) (time.Time, bool) {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return time.Time{}, false
	}
	s = strings.TrimSuffix(strings.ReplaceAll(s, ",,", ","), ".")
	// "Tue, 3 Sep 2024 10:00:00 +03:30" and "GMT+3:30" forms.
	if strings.HasSuffix(s, " UT") {
		s += "C"
	}
	s = strings.Replace(s, "GMT+", "+", 1)
	s = strings.Replace(s, "GMT-", "-", 1)
	try := func(s string) (time.Time, bool) {
		for _, l := range dateLayouts {
			if t, err := time.Parse(l, s); err == nil {
				if name, off := t.Zone(); off == 0 && name != "" && name != "UTC" {
					if o, known := zoneOffsets[strings.ToUpper(name)]; known {
						t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.FixedZone(name, o))
					}
				}
				return t.UTC(), true
			}
		}
		return time.Time{}, false
	}
	if t, ok := try(s); ok {
		return t, true
	}
	// A weekday that does not match the date, or a misspelt one: drop it.
	if i := strings.Index(s, ", "); i > 0 && i <= 10 {
		if t, ok := try(s[i+2:]); ok {
			return t, true
		}
	}
	// Numeric zones written with a colon in RFC 822 dates: "+03:30".
	if n := len(s); n > 6 && (s[n-6] == '+' || s[n-6] == '-') && s[n-3] == ':' {
		if t, ok := try(s[:n-3] + s[n-2:]); ok {
			return t, true
		}
	}
	return time.Time{}, false
}
