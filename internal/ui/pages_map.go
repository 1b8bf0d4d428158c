package ui

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/twinning/twinning/internal/twin"
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
	// Stroke is the line width in map units, scaled to the frame so that it looks the same at
	// any zoom.
	Stroke float64
	// Labels holds the dots' labels once for each width in labelWidths: the stylesheet shows
	// the set made for the map's width (a container query), so that a label is 12.5 CSS pixels
	// or a little more on a phone as on a desktop, where one set scaled with the map would
	// shrink to 4 pixels on a phone.
	Labels []labelSet

	left, right float64 // the frame's edges, in map units: labels are kept inside
}

// labelSet is the labels of a map drawn for maps at least Width CSS pixels wide.
type labelSet struct {
	Width      int
	Font, Halo float64
	Texts      []mapText
}

type mapText struct {
	X, Y     float64
	Name     string
	Translit bool // Name is a rule-made Persian transliteration
}

// labelWidths are the map widths (CSS pixels) each label set is made for, each about a third
// wider than the one before; keep in step with the container queries of app.css.
var labelWidths = []int{320, 420, 560, 740, 980}

type mapDot struct {
	X, Y, R float64
	Name    string
	URL     string
	Class   string
	Label   bool // the point asks for a label

	Translit bool // Name is the city's rule-made Persian transliteration
}

type mapLine struct {
	D     string
	Class string
}

// mapPoint is a place to draw, before projection.
type mapPoint struct {
	Lon, Lat float64
	Name     string
	Names    twin.Names // the record's names, to mark Name when it is a transliteration
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
	m.left, m.right = minX, minX+w
	k := w / px // map units per CSS pixel
	m.Stroke = 1.5 * k
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
		m.Dots = append(m.Dots, mapDot{X: xs[i], Y: ys[i], R: r, Name: p.Name, Translit: p.Names.Transliterated(p.Name), URL: p.URL, Class: p.Class, Label: p.Label})
	}
	for _, lw := range labelWidths {
		m.Labels = append(m.Labels, m.placeLabels(lw, w/float64(lw)))
	}
	// Big dots first, so small ones stay clickable on top.
	sort.SliceStable(m.Dots, func(i, j int) bool { return m.Dots[i].R > m.Dots[j].R })
	return m
}

// placeLabels lays the labels out for a map lw CSS pixels wide (k map units a pixel): a label
// that would overlap one already placed is dropped, the first points (the city the map is
// about) placing theirs first; a dropped label stays in the dot's tooltip.
func (m *mapView) placeLabels(lw int, k float64) labelSet {
	type box struct{ x0, y0, x1, y1 float64 }
	set := labelSet{Width: lw, Font: 12.5 * k, Halo: 3 * k}
	var placed []box
	for _, d := range m.Dots {
		if !d.Label {
			continue
		}
		y := d.Y - d.R - 3*k
		w := float64(len([]rune(d.Name))) * set.Font * 0.55
		// Centred over the dot, but moved in from the frame's edge rather than cut by it (with
		// a tenth more than the estimated width: Cyrillic and Latin capitals run wider).
		half := w*0.55 + set.Halo
		x := max(m.left+half, min(d.X, m.right-half))
		if 2*half > m.right-m.left {
			x = d.X // wider than the map: nothing to gain
		}
		b := box{x - w/2, y - set.Font, x + w/2, y + set.Font*0.25}
		if slices.ContainsFunc(placed, func(p box) bool { return b.x0 < p.x1 && p.x0 < b.x1 && b.y0 < p.y1 && p.y0 < b.y1 }) {
			continue
		}
		placed = append(placed, b)
		set.Texts = append(set.Texts, mapText{X: x, Y: y, Name: d.Name, Translit: d.Translit})
	}
	return set
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

// truncate shortens s to n runes with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}
