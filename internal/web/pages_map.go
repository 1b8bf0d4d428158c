package web

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Maps are drawn on the server as SVG: the world (static/world.svg, drawn once in the same
// projection by TestWorldMap, pages_map_world_test.go) is placed as an image under the dots and lines of the
// page, and the page frames the part of it that matters with the SVG viewBox. No tiles, no
// script, nothing fetched from elsewhere.

// The world frame in projected units; static/world.svg is drawn in it (TestWorldMap).
const (
	mapScale = 150.0
	mapHalfW = 406.0
	mapHalfH = 198.0
)

// projectEqualEarth maps longitude and latitude (degrees) to the page's map units, y downwards.
func projectEqualEarth(lon, lat float64) (x, y float64) {
	const a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
	m := math.Sqrt(3) / 2
	l, p := lon*math.Pi/180, lat*math.Pi/180
	t := math.Asin(m * math.Sin(p))
	t2 := t * t
	t6 := t2 * t2 * t2
	x = 2 * math.Sqrt(3) * l * math.Cos(t) / (3 * (a1 + 3*a2*t2 + t6*(7*a3+9*a4*t2)))
	y = t * (a1 + a2*t2 + t6*(a3+a4*t2))
	return x * mapScale, -y * mapScale
}

// mapView is one map on a page.
type mapView struct {
	ViewBox string
	Label   string // what the map shows, for screen readers
	Dots    []mapDot
	Lines   []mapLine
	// Stroke and Font are the line width and label size in map units, scaled to the frame so
	// that they look the same at any zoom.
	Stroke, Font, Halo float64
}

type mapDot struct {
	X, Y, R float64
	Name    string
	URL     string
	Class   string
	Label   bool
	LabelY  float64
}

type mapLine struct {
	D     string
	Class string
}

// mapPoint is a place to draw, before projection.
type mapPoint struct {
	Lon, Lat float64
	Name     string
	URL      string
	Class    string
	Weight   float64 // dot size: 0 for the default
	Label    bool
}

// newMap frames points and the lines between them (pairs of indexes into points). With frame
// false the whole world is shown (less the Antarctic). px is about how wide the map is shown, in
// CSS pixels, so that dots and labels come out the same size on a wide map and a narrow one.
func newMap(label string, points []mapPoint, lines [][2]int, lineClass []string, frame bool, px float64) *mapView {
	m := &mapView{Label: label}
	xs := make([]float64, len(points))
	ys := make([]float64, len(points))
	for i, p := range points {
		xs[i], ys[i] = projectEqualEarth(p.Lon, p.Lat)
	}
	minX, minY, w, h := -mapHalfW, -mapHalfH, 2*mapHalfW, 2*mapHalfH*0.86
	if frame && len(points) > 0 {
		minX, minY, w, h = fitFrame(xs, ys)
	}
	m.ViewBox = fmt.Sprintf("%.1f %.1f %.1f %.1f", minX, minY, w, h)
	k := w / px // map units per CSS pixel
	m.Stroke, m.Font, m.Halo = 1.5*k, 12.5*k, 3*k
	for i, ln := range lines {
		ax, ay, bx, by := xs[ln[0]], ys[ln[0]], xs[ln[1]], ys[ln[1]]
		// A gentle curve bowing to the north reads as a connection rather than a border.
		mx, my := (ax+bx)/2, (ay+by)/2
		dx, dy := bx-ax, by-ay
		nx, ny := -dy*0.18, dx*0.18
		if ny > 0 {
			nx, ny = -nx, -ny
		}
		cls := ""
		if i < len(lineClass) {
			cls = lineClass[i]
		}
		m.Lines = append(m.Lines, mapLine{D: fmt.Sprintf("M%.1f %.1fQ%.1f %.1f %.1f %.1f", ax, ay, mx+nx, my+ny, bx, by), Class: cls})
	}
	for i, p := range points {
		r := 4.5 * k
		if p.Weight > 0 {
			r = (1.2 + 0.75*math.Sqrt(p.Weight)) * k
		}
		m.Dots = append(m.Dots, mapDot{X: xs[i], Y: ys[i], R: r, Name: p.Name, URL: p.URL, Class: p.Class, Label: p.Label, LabelY: ys[i] - r - 3*k})
	}
	m.placeLabels()
	// Big dots first, so small ones stay clickable on top.
	sort.SliceStable(m.Dots, func(i, j int) bool { return m.Dots[i].R > m.Dots[j].R })
	return m
}

// placeLabels drops the labels that would overlap one already placed, the first points (the
// city the map is about) placing theirs first; a dropped label stays in the dot's tooltip.
func (m *mapView) placeLabels() {
	type box struct{ x0, y0, x1, y1 float64 }
	var placed []box
	for i := range m.Dots {
		d := &m.Dots[i]
		if !d.Label {
			continue
		}
		w := float64(len([]rune(d.Name))) * m.Font * 0.55
		b := box{d.X - w/2, d.LabelY - m.Font, d.X + w/2, d.LabelY + m.Font*0.25}
		for _, p := range placed {
			if b.x0 < p.x1 && p.x0 < b.x1 && b.y0 < p.y1 && p.y0 < b.y1 {
				d.Label = false
				break
			}
		}
		if d.Label {
			placed = append(placed, b)
		}
	}
}

// fitFrame returns a 2:1 frame around the points with a margin, at least about 20 degrees wide,
// kept inside the world.
func fitFrame(xs, ys []float64) (minX, minY, w, h float64) {
	x0, x1, y0, y1 := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i := range xs {
		x0, x1 = math.Min(x0, xs[i]), math.Max(x1, xs[i])
		y0, y1 = math.Min(y0, ys[i]), math.Max(y1, ys[i])
	}
	w, h = (x1-x0)*1.25+20, (y1-y0)*1.25+24
	w = math.Max(w, 90)
	if w < 2*h {
		w = 2 * h
	} else {
		h = w / 2
	}
	if w > 2*mapHalfW {
		w, h = 2*mapHalfW, mapHalfW
	}
	if h > 2*mapHalfH {
		h = 2 * mapHalfH
	}
	cx, cy := (x0+x1)/2, (y0+y1)/2
	minX = math.Max(-mapHalfW, math.Min(cx-w/2, mapHalfW-w))
	minY = math.Max(-mapHalfH, math.Min(cy-h/2, mapHalfH-h))
	return minX, minY, w, h
}

// barChart is a small SVG bar chart (counts by year, or by domain).
type barChart struct {
	Label      string
	W, H       float64
	Bars       []chartBar
	Horizontal bool
	Empty      bool
}

type chartBar struct {
	X, Y, W, H     float64
	Label, Value   string
	LX, LY, VX, VY float64
	Anchor         string
}

// yearChart draws counts per year as vertical bars; in a right-to-left page the years run from
// the right, as the reader reads.
func yearChart(label string, counts map[int]int, rtl bool, fmtLabel func(int) string, fmtNum func(int) string) *barChart {
	c := &barChart{Label: label, W: 600, H: 180}
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
	slot := c.W / float64(max(n, 8))
	bw := slot * 0.7
	for i := 0; i < n; i++ {
		y := lo + i
		v := counts[y]
		bh := 0.0
		if mx > 0 {
			bh = float64(v) / float64(mx) * 120
		}
		x := float64(i)*slot + (slot-bw)/2
		if rtl {
			x = c.W - float64(i+1)*slot + (slot-bw)/2
		}
		b := chartBar{X: x, Y: 145 - bh, W: bw, H: bh, Label: fmtLabel(y), Value: fmtNum(v), Anchor: "middle"}
		b.LX, b.LY = x+bw/2, 165
		b.VX, b.VY = x+bw/2, 140-bh
		if v == 0 {
			b.Value = ""
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}

// rankChart draws labelled counts as horizontal bars, the largest first.
func rankChart(label string, counts map[string]int, rtl bool, fmtLabel func(string) string, fmtNum func(int) string) *barChart {
	c := &barChart{Label: label, W: 600, Horizontal: true}
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
	const labelW, rowH = 190.0, 24.0
	for i, k := range keys {
		v := counts[k]
		bw := float64(v) / float64(mx) * (c.W - labelW - 50)
		y := float64(i)*rowH + 4
		b := chartBar{Y: y, H: rowH - 8, W: bw, Label: fmtLabel(k), Value: fmtNum(v), LY: y + rowH/2, VY: y + rowH/2}
		if rtl {
			b.X = c.W - labelW - bw
			// text-anchor "start" follows the page's direction: in RTL it is the right end.
			b.LX, b.Anchor = c.W, "start"
			b.VX = b.X - 6
		} else {
			b.X = labelW
			b.LX, b.Anchor = 0, "start"
			b.VX = b.X + bw + 6
		}
		c.Bars = append(c.Bars, b)
	}
	c.H = float64(len(keys))*rowH + 8
	return c
}

// truncate shortens s to n runes with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}
