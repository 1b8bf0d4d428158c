//go:build ignore

// pages_mapgen draws static/world.svg, the world map under every page's map, from world-atlas
// 2.0.2 (countries-110m.json, TopoJSON, ISC; geometry from Natural Earth, public domain) in
// the Equal Earth projection the pages use (see projectEqualEarth in pages_map.go). Its output
// is committed; run it again only to change the map:
//
//	go run pages_mapgen.go ../../../shared/data/map/countries-110m.json > static/world.svg
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

type topology struct {
	Transform struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][2]float64 `json:"arcs"`
	Objects map[string]struct {
		Geometries []struct {
			Type       string          `json:"type"`
			Arcs       json.RawMessage `json:"arcs"`
			ID         string          `json:"id"`
			Properties struct {
				Name string `json:"name"`
			} `json:"properties"`
		} `json:"geometries"`
	} `json:"objects"`
}

// Keep these three in step with pages_map.go.
const (
	mapScale = 150.0
	// The frame: Equal Earth spans x ±2.7064·scale, y ±1.3173·scale.
	mapHalfW = 406.0
	mapHalfH = 198.0
)

func project(lon, lat float64) (float64, float64) {
	const a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
	m := math.Sqrt(3) / 2
	l, p := lon*math.Pi/180, lat*math.Pi/180
	t := math.Asin(m * math.Sin(p))
	t2 := t * t
	t6 := t2 * t2 * t2
	x := 2 * math.Sqrt(3) * l * math.Cos(t) / (3 * (a1 + 3*a2*t2 + t6*(7*a3+9*a4*t2)))
	y := t * (a1 + a2*t2 + t6*(a3+a4*t2))
	return x * mapScale, -y * mapScale
}

func main() {
	b, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	var tp topology
	if err := json.Unmarshal(b, &tp); err != nil {
		panic(err)
	}
	// Decode the delta-encoded, quantized arcs into longitude/latitude.
	arcs := make([][][2]float64, len(tp.Arcs))
	for i, arc := range tp.Arcs {
		var x, y float64
		for _, p := range arc {
			x, y = x+p[0], y+p[1]
			arcs[i] = append(arcs[i], [2]float64{x*tp.Transform.Scale[0] + tp.Transform.Translate[0], y*tp.Transform.Scale[1] + tp.Transform.Translate[1]})
		}
	}
	ring := func(idx []int) [][2]float64 {
		var pts [][2]float64
		for _, a := range idx {
			var seg [][2]float64
			if a >= 0 {
				seg = arcs[a]
			} else {
				src := arcs[^a]
				for j := len(src) - 1; j >= 0; j-- {
					seg = append(seg, src[j])
				}
			}
			if len(pts) > 0 {
				seg = seg[1:]
			}
			pts = append(pts, seg...)
		}
		return pts
	}
	num := func(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="%s %s %s %s" width="%s" height="%s">`+"\n",
		num(-mapHalfW), num(-mapHalfH), num(2*mapHalfW), num(2*mapHalfH), num(2*mapHalfW), num(2*mapHalfH))
	fmt.Fprintln(w, `<!-- world-atlas 2.0.2 (ISC), geometry from Natural Earth (public domain); Equal Earth projection -->`)
	fmt.Fprintln(w, `<g fill="#dfe6e3" stroke="#ffffff" stroke-width="0.35" stroke-linejoin="round">`)
	for _, g := range tp.Objects["countries"].Geometries {
		var polys [][][]int
		switch g.Type {
		case "Polygon":
			var p [][]int
			json.Unmarshal(g.Arcs, &p)
			polys = [][][]int{p}
		case "MultiPolygon":
			json.Unmarshal(g.Arcs, &polys)
		default:
			continue
		}
		var d strings.Builder
		for _, poly := range polys {
			for _, r := range poly {
				pts := ring(r)
				// Rings that cross the antimeridian are unwrapped to run continuously past ±180°
				// and drawn a second time a world away; the frame clips what falls outside.
				minLon, maxLon := 0.0, 0.0
				for i := 1; i < len(pts); i++ {
					for pts[i][0]-pts[i-1][0] > 180 {
						pts[i][0] -= 360
					}
					for pts[i][0]-pts[i-1][0] < -180 {
						pts[i][0] += 360
					}
					minLon, maxLon = math.Min(minLon, pts[i][0]), math.Max(maxLon, pts[i][0])
				}
				copies := [][][2]float64{pts}
				for _, shift := range []float64{-360, 360} {
					if (shift < 0 && maxLon > 180) || (shift > 0 && minLon < -180) {
						c := make([][2]float64, len(pts))
						for i, p := range pts {
							c[i] = [2]float64{p[0] + shift, p[1]}
						}
						copies = append(copies, c)
					}
				}
				for _, pts := range copies {
					var lastX, lastY string
					for i, p := range pts {
						x, y := project(p[0], p[1])
						sx, sy := num(x), num(y)
						if i > 0 && sx == lastX && sy == lastY {
							continue
						}
						if i == 0 {
							d.WriteString("M")
						} else {
							d.WriteString("L")
						}
						d.WriteString(sx + " " + sy)
						lastX, lastY = sx, sy
					}
					d.WriteString("Z")
				}
			}
		}
		fmt.Fprintf(w, "<path d=\"%s\"/>\n", d.String())
	}
	fmt.Fprintln(w, "</g>\n</svg>")
}
