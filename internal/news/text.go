package news

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/url"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/twinning/twinning/internal/persian"
)

// PlainText turns a title or short HTML fragment into one line of text: tags dropped,
// entities decoded, white space collapsed.
func PlainText(s string) string {
	if strings.ContainsAny(s, "<&") {
		s = HTMLText(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// blockTags end a paragraph in the text taken from HTML.
var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Blockquote: true, atom.Tr: true, atom.Section: true,
	atom.Article: true, atom.Header: true, atom.Footer: true, atom.Pre: true, atom.Table: true, atom.Ul: true, atom.Ol: true,
}

// HTMLText is the text of an HTML fragment, one paragraph a line; scripts and styles left out.
func HTMLText(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	para := func() {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
	}
	for {
		switch z.Next() {
		case html.ErrorToken:
			return tidy(b.String())
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if a == atom.Script || a == atom.Style || a == atom.Noscript {
				skip++
			}
			if blockTags[a] {
				para()
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if (a == atom.Script || a == atom.Style || a == atom.Noscript) && skip > 0 {
				skip--
			}
			if blockTags[a] {
				para()
			}
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		}
	}
}

// tidy collapses the white space of each line and drops empty lines.
func tidy(s string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.Join(strings.Fields(line), " "); line != "" {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// trackingParams are query parameters that say who sent the reader, not what the page is.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "yclid": true, "mc_cid": true, "mc_eid": true,
	"igshid": true, "ref_src": true, "_ga": true, "cmpid": true, "ncid": true,
}

// CanonicalURL is the form of an article's URL it is recorded under: the host in lower case,
// no fragment, no default port, no tracking parameters (utm_*, fbclid, ...), the remaining
// parameters in order.
func CanonicalURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return strings.TrimSpace(raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	if p := u.Port(); p == "80" && u.Scheme == "http" || p == "443" && u.Scheme == "https" {
		u.Host = u.Hostname()
	}
	u.Fragment, u.RawFragment = "", ""
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			if strings.HasPrefix(strings.ToLower(k), "utm_") || trackingParams[strings.ToLower(k)] {
				q.Del(k)
			}
		}
		u.RawQuery = q.Encode()
	}
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String()
}

// TextHash is the hash an article's text is grouped by: the text folded the way search
// folds it (Arabic and Persian letter variants, digits, ZWNJ, kashida, case), then reduced to
// its letters and digits, so that two agencies' copies of one story with different spacing
// or punctuation hash alike.
func TextHash(text string) string {
	f := persian.Fold(text)
	var b strings.Builder
	for _, r := range f {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:16])
}

// canonicalLink finds the page's <link rel="canonical" href>, resolved against base.
func canonicalLink(page []byte, base *url.URL) string {
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			if z.Err() == io.EOF {
				return ""
			}
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, has := z.TagName()
			switch atom.Lookup(name) {
			case atom.Body:
				return ""
			case atom.Link:
				var rel, href string
				for has {
					var k, v []byte
					k, v, has = z.TagAttr()
					switch string(k) {
					case "rel":
						rel = strings.ToLower(string(v))
					case "href":
						href = string(v)
					}
				}
				if rel == "canonical" && href != "" {
					if u := resolve(base, href); u != nil && (u.Scheme == "http" || u.Scheme == "https") {
						return u.String()
					}
				}
			}
		}
	}
}
