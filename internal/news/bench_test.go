package news

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkParse reads an RSS 2.0 feed of 100 Persian full-text items (about 1 MB).
func BenchmarkParse(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Agency</title><link>https://agency.example/</link>`)
	for i := range 100 {
		fmt.Fprintf(&sb, `<item><title>خبر %d</title><link>/news/%d</link><guid>g%d</guid><pubDate>Wed, 1 May 2024 09:30 +0330</pubDate><content:encoded><![CDATA[<p>%s</p>]]></content:encoded></item>`,
			i, i, i, strings.Repeat(faFiller+" ", 60))
	}
	sb.WriteString(`</channel></rss>`)
	doc := []byte(sb.String())
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		f, err := Parse(doc, "https://agency.example/rss")
		if err != nil || len(f.Items) != 100 {
			b.Fatal(err)
		}
	}
}
