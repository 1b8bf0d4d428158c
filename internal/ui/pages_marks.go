package ui

import (
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/i18n"
)

// The article of a review, cut into pieces with the evidence of every fact marked.

// span is the evidence of one fact in the article.
type span struct {
	start, end int
	fact, kind string
	label      string
}

// markArticle cuts the article into plain and marked pieces at every evidence boundary; a
// piece covered by several facts is marked for the innermost (shortest) one and lists all in
// its title. It returns, for every fact, the id of the piece where its evidence begins.
func markArticle(text string, spans []span) ([]segment, map[string]string) {
	points := []int{0, len(text)}
	var ok []span
	for _, sp := range spans {
		if sp.start < 0 || sp.end > len(text) || sp.start >= sp.end {
			continue
		}
		ok = append(ok, sp)
		points = append(points, sp.start, sp.end)
	}
	sort.Ints(points)
	points = slices.Compact(points)
	anchors := map[string]string{}
	var segs []segment
	for k := 0; k+1 < len(points); k++ {
		a, b := points[k], points[k+1]
		var cover []span
		for _, sp := range ok {
			if sp.start <= a && sp.end >= b {
				cover = append(cover, sp)
			}
		}
		seg := segment{Text: text[a:b]}
		if len(cover) > 0 {
			markSegment(&seg, a, cover, anchors)
		}
		segs = append(segs, seg)
	}
	return segs, anchors
}

// markSegment marks the piece starting at a for the innermost of the spans that cover it, and
// anchors there the facts whose evidence begins there.
func markSegment(seg *segment, a int, cover []span, anchors map[string]string) {
	inner := cover[0]
	var titles []string
	for _, sp := range cover {
		if sp.end-sp.start < inner.end-inner.start {
			inner = sp
		}
		if !slices.Contains(titles, sp.label) {
			titles = append(titles, sp.label)
		}
	}
	seg.Mark, seg.Href, seg.Title = true, "#f-"+inner.fact, strings.Join(titles, " · ")
	seg.Class = "ev ev-" + inner.kind
	if len(cover) > 1 {
		seg.Class += " ev-multi"
	}
	for _, sp := range cover {
		if _, done := anchors[sp.fact]; !done && sp.start == a {
			if seg.ID == "" {
				seg.ID = "ev-" + sp.fact
			}
			anchors[sp.fact] = seg.ID
		}
	}
}

// percent says a confidence in [0, 1] as a percentage in lang's digits.
func percent(lang string, c float64) string {
	sign := "%"
	if i18n.Digits(lang, "0") != "0" {
		sign = "٪" // the Arabic percent sign beside Persian or Arabic-Indic digits
	}
	return i18n.Digits(lang, strconv.Itoa(int(math.Round(c*100)))) + sign
}
