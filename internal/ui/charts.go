package ui

import (
	"math"
	"sort"
)

// Charts are drawn in HTML: labels and values are text of the page, at the page's sizes on a
// phone as on a desktop (an SVG scaled to its box shrinks its text with it: 13 units became
// 7 pixels). Only the bars are drawn, each a small SVG sized by its attributes, which the
// page's Content-Security-Policy allows where an inline style would not be.

// barChart is a small bar chart: counts by year (vertical bars) or by domain (horizontal).
type barChart struct {
	Label      string
	Bars       []chartBar
	Horizontal bool
	Empty      bool
}

// chartBar is one bar: its label and value as shown, its length (a fraction of the longest),
// and whether its label (years between the labelled ones, when many) or its value (when there
// are too many bars for values) is kept for screen readers only.
type chartBar struct {
	Label, Value           string
	Frac                   float64
	QuietLabel, QuietValue bool
	RTL                    bool
}

// Height is a vertical bar's height in CSS pixels (of yearBarPx for the tallest).
func (b chartBar) Height() float64 { return math.Round(b.Frac*yearBarPx*10) / 10 }

// Length and Start place a horizontal bar in its 100-unit track, from the reader's start.
func (b chartBar) Length() float64 { return math.Round(b.Frac*1000) / 10 }

// Start is where a horizontal bar begins in its track, from the reader's start.
func (b chartBar) Start() float64 {
	if b.RTL {
		return 100 - b.Length()
	}
	return 0
}

const (
	yearBarPx     = 112 // the tallest bar of a year chart
	yearLabelsMax = 8   // labelled years at most: more would not fit a phone's width
	yearValuesMax = 12  // values over the bars at most
)

// yearChart draws counts per year as vertical bars, up to the last 30 years; in a
// right-to-left page the years run from the right, as the reader reads (the list's order, laid
// out in the page's direction). With many years, every k-th is labelled, counting back from
// the latest.
func yearChart(label string, counts map[int]int, rtl bool, fmtLabel func(int) string, fmtNum func(int) string) *barChart {
	c := &barChart{Label: label}
	if len(counts) == 0 {
		c.Empty = true
		return c
	}
	lo, hi := math.MaxInt, math.MinInt
	mx := 0
	for y, n := range counts {
		lo, hi, mx = min(lo, y), max(hi, y), max(mx, n)
	}
	if hi-lo > 29 {
		lo = hi - 29
	}
	n := hi - lo + 1
	every := (n + yearLabelsMax - 1) / yearLabelsMax
	for y := lo; y <= hi; y++ {
		v := counts[y]
		b := chartBar{Label: fmtLabel(y), Value: fmtNum(v), Frac: float64(v) / float64(mx), RTL: rtl,
			QuietLabel: (hi-y)%every != 0, QuietValue: n > yearValuesMax}
		if v == 0 {
			b.Value = ""
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}

// rankChart draws labelled counts as horizontal bars, the largest first (twelve at most).
func rankChart(label string, counts map[string]int, rtl bool, fmtLabel func(string) string, fmtNum func(int) string) *barChart {
	c := &barChart{Label: label, Horizontal: true}
	if len(counts) == 0 {
		c.Empty = true
		return c
	}
	keys := make([]string, 0, len(counts))
	mx := 0
	for k, n := range counts {
		keys = append(keys, k)
		mx = max(mx, n)
	}
	sort.Slice(keys, func(i, j int) bool {
		if counts[keys[i]] != counts[keys[j]] {
			return counts[keys[i]] > counts[keys[j]]
		}
		return keys[i] < keys[j]
	})
	if len(keys) > 12 {
		keys = keys[:12]
	}
	for _, k := range keys {
		v := counts[k]
		c.Bars = append(c.Bars, chartBar{Label: fmtLabel(k), Value: fmtNum(v), Frac: float64(v) / float64(mx), RTL: rtl})
	}
	return c
}
