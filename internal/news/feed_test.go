package news

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

func TestParseRSSQuirks(t *testing.T) {
	t.Parallel()
	// RSS 2.0 as publishers write it: atom:link beside the channel's link, HTML and entities in
	// titles, relative links and guids, dates without seconds, with named and numeric zones.
	doc := `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <atom:link href="https://agency.example/rss" rel="self" type="application/rss+xml"/>
  <title>Agency &amp; Co</title>
  <link>https://agency.example/news/</link>
  <item>
    <title>&lt;b&gt;Isfahan&lt;/b&gt; &amp;nbsp;and   Samarkand</title>
    <link>/news/1?utm_source=rss</link>
    <guid isPermaLink="false">agency-1</guid>
    <pubDate>Tue, 3 Sep 2024 10:00 +0330</pubDate>
    <description><![CDATA[<p>Teaser</p>]]></description>
    <content:encoded><![CDATA[<p>First paragraph.</p><script>evil()</script><p>Second&nbsp;paragraph.</p>]]></content:encoded>
  </item>
  <item>
    <title><![CDATA[Only a <i>guid</i>]]></title>
    <guid>item2.html</guid>
    <dc:date>2024-09-03T12:30:00+04:30</dc:date>
  </item>
  <item>
    <title>Bad date</title>
    <link>https://agency.example/3</link>
    <pubDate>someday</pubDate>
  </item>
</channel>
</rss>`
	f, err := Parse([]byte(doc), "https://agency.example/rss")
	if err != nil {
		t.Fatal(err)
	}
	if f.Format != "rss" || f.Title != "Agency & Co" || f.Site != "https://agency.example/news/" || len(f.Items) != 3 {
		t.Fatalf("feed = %+v", f)
	}
	it := f.Items[0]
	if it.Title != "Isfahan and Samarkand" {
		t.Errorf("title with HTML = %q", it.Title)
	}
	if it.Link != "https://agency.example/news/1?utm_source=rss" || it.GUID != "agency-1" {
		t.Errorf("link %q guid %q", it.Link, it.GUID)
	}
	if want := time.Date(2024, 9, 3, 6, 30, 0, 0, time.UTC); !it.Published.Equal(want) {
		t.Errorf("published = %v, want %v", it.Published, want)
	}
	if got := HTMLText(it.Content); got != "First paragraph.\nSecond paragraph." {
		t.Errorf("content text = %q", got)
	}
	if it2 := f.Items[1]; it2.Link != "https://agency.example/news/item2.html" || it2.Title != "Only a guid" ||
		!it2.Published.Equal(time.Date(2024, 9, 3, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("item 2 = %+v", it2)
	}
	if !f.Items[2].Published.IsZero() {
		t.Errorf("an unreadable date must stay unknown, got %v", f.Items[2].Published)
	}
}

func TestParseAtomAndRDF(t *testing.T) {
	t.Parallel()
	atom := `<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://city.example/en/">
  <title type="html">City &lt;em&gt;news&lt;/em&gt;</title>
  <link rel="self" href="https://city.example/feed.atom"/>
  <link rel="alternate" href="/en/"/>
  <entry>
    <id>tag:city.example,2024:1</id>
    <title>Mayor visits</title>
    <link rel="alternate" type="text/html" href="news/mayor"/>
    <updated>2024-05-01T09:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Full <b>text</b>.</p></div></content>
  </entry>
</feed>`
	f, err := Parse([]byte(atom), "https://city.example/feed.atom")
	if err != nil {
		t.Fatal(err)
	}
	if f.Format != "atom" || f.Title != "City news" || f.Site != "https://city.example/en/" || len(f.Items) != 1 {
		t.Fatalf("atom = %+v", f)
	}
	if it := f.Items[0]; it.Link != "https://city.example/en/news/mayor" || it.GUID != "tag:city.example,2024:1" ||
		HTMLText(it.Content) != "Full text." || it.Published.IsZero() {
		t.Errorf("atom entry = %+v", it)
	}
	rdf := `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://old.example/"><title>Old</title><link>https://old.example/</link></channel>
  <item rdf:about="https://old.example/a"><title>A</title><link>https://old.example/a</link><dc:date>2024-01-02</dc:date><description>Short</description></item>
</rdf:RDF>`
	f, err = Parse([]byte(rdf), "https://old.example/rss")
	if err != nil {
		t.Fatal(err)
	}
	if f.Format != "rdf" || f.Title != "Old" || len(f.Items) != 1 || f.Items[0].Link != "https://old.example/a" ||
		f.Items[0].GUID != "https://old.example/a" || f.Items[0].Summary != "Short" || f.Items[0].Published.Format("2006-01-02") != "2024-01-02" {
		t.Fatalf("rdf = %+v", f)
	}
	if _, err := Parse([]byte("<html><body>not a feed</body></html>"), ""); err == nil {
		t.Error("an HTML page was read as a feed")
	}
	if _, err := Parse([]byte(`<rss><channel><item><title>cut`), ""); err == nil {
		t.Error("a truncated feed was read without error")
	}
}

func TestParseDeclaredEncodings(t *testing.T) {
	t.Parallel()
	fa := "خواهرخواندگي اصفهان و سمرقند" // Arabic yeh: what windows-1256 holds
	enc, err := charmap.Windows1256.NewEncoder().String(fa)
	if err != nil {
		t.Fatal(err)
	}
	doc := `<?xml version="1.0" encoding="windows-1256"?><rss version="2.0"><channel><title>` + enc + `</title></channel></rss>`
	f, err := Parse([]byte(doc), "")
	if err != nil {
		t.Fatal(err)
	}
	if f.Title != fa {
		t.Errorf("windows-1256 title = %q, want %q", f.Title, fa)
	}
	latin, _ := charmap.ISO8859_1.NewEncoder().String("Café de Malmö")
	doc = "\ufeff" + `<?xml version="1.0" encoding="ISO-8859-1"?><feed xmlns="http://www.w3.org/2005/Atom"><title>` + latin + `</title></feed>`
	if f, err = Parse([]byte(doc), ""); err != nil || f.Title != "Café de Malmö" {
		t.Errorf("ISO-8859-1 title = %+v, %v", f, err)
	}
	if !bytes.Contains([]byte(doc), []byte{0xe9}) {
		t.Fatal("the test document is not Latin-1")
	}
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	want := time.Date(2024, 9, 3, 10, 0, 0, 0, time.UTC)
	for _, s := range []string{
		"Tue, 03 Sep 2024 10:00:00 +0000", "Tue, 3 Sep 2024 10:00:00 GMT", "Tue, 03 Sep 2024 10:00 GMT",
		"Tue, 3 Sep 2024 13:30:00 +0330", "Tue, 3 Sep 2024 13:30:00 +03:30", "Tue, 3 Sep 2024 13:30:00 IRST",
		"Tue, 3 Sep 2024 06:00:00 EDT", "3 Sep 2024 10:00:00 +0000", "2024-09-03T10:00:00Z", "2024-09-03T13:30:00+03:30",
		"2024-09-03T10:00:00", "2024-09-03 10:00:00", "Mon, 03 Sep 2024 10:00:00 +0000" /* wrong weekday */, "  Tue,  03 Sep 2024 10:00:00 UT ",
	} {
		got, ok := ParseDate(s)
		if !ok || !got.Equal(want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	if got, ok := ParseDate("2024-09-03"); !ok || got.Format("2006-01-02") != "2024-09-03" {
		t.Errorf("date only = %v %v", got, ok)
	}
	for _, s := range []string{"", "yesterday", "۱۴۰۳/۰۶/۱۳"} {
		if _, ok := ParseDate(s); ok {
			t.Errorf("ParseDate(%q) read a date", s)
		}
	}
}

func TestCanonicalURLAndHash(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"HTTPS://Agency.Example:443/news/1?utm_source=rss&id=7&fbclid=x#comments": "https://agency.example/news/1?id=7",
		"http://agency.example":            "http://agency.example/",
		"https://agency.example/a?b=2&a=1": "https://agency.example/a?a=1&b=2",
	} {
		if got := CanonicalURL(in); got != want {
			t.Errorf("CanonicalURL(%q) = %q, want %q", in, got, want)
		}
	}
	// The same story with Arabic letters, a half-space lost, other punctuation and spacing.
	a := TextHash("تفاهم‌نامه خواهرخواندگی اصفهان و سمرقند امضا شد.")
	b := TextHash("تفاهمنامه  خواهرخواندگي اصفهان و سمرقند امضا شد!")
	c := TextHash("تفاهم‌نامه خواهرخواندگی اصفهان و بخارا امضا شد.")
	if a != b {
		t.Error("two spellings of one text hash apart")
	}
	if a == c {
		t.Error("two stories hash alike")
	}
	if got := PlainText("<p>A &amp; B</p>\n<p>C</p>"); got != "A & B C" {
		t.Errorf("PlainText = %q", got)
	}
	if !strings.HasPrefix(UserAgent("v1.2.0", "https://twinning.example"), "Twinning/v1.2.0 (+https://twinning.example)") {
		t.Error(UserAgent("v1.2.0", "https://twinning.example"))
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	iv := 30 * time.Minute
	if backoff(iv, 0) != iv || backoff(iv, 1) != time.Hour || backoff(iv, 3) != 4*time.Hour || backoff(iv, 30) != maxBackoff {
		t.Errorf("backoff = %v %v %v %v", backoff(iv, 0), backoff(iv, 1), backoff(iv, 3), backoff(iv, 30))
	}
}
