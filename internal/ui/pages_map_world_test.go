package ui

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/dataset"
)

// worldSource is world-atlas 2.0.2's countries-110m.json (TopoJSON, ISC; geometry from Natural
// Earth, public domain) in the source data beside the repository; TWINNING_MAP_SRC names
// another copy.
const worldSource = "../../../shared/data/map/countries-110m.json"

// TestWorldMap draws static/world.svg, the world under every page's map, from world-atlas in
// the Equal Earth projection the pages use (projectEqualEarth), and checks that the committed
// map is what the projection draws. The map is committed and the source data is not, so the
// test skips without it. To change the map:
//
//	TWINNING_MAP_WRITE=1 go test -run TestWorldMap ./internal/ui
func TestWorldMap(t *testing.T) {
	t.Parallel()
	src := cmp.Or(os.Getenv("TWINNING_MAP_SRC"), worldSource)
	b, err := os.ReadFile(src)
	if err != nil {
		t.Skipf("the world map's source is not here (%v)", err)
	}
	fs, err := dataset.ReadTopoJSON(b, "countries")
	if err != nil {
		t.Fatal(err)
	}
	var svg bytes.Buffer
	if err := drawWorld(&svg, fs); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("TWINNING_MAP_WRITE") == "1" {
		if err := os.WriteFile("static/world.svg", svg.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	old, err := os.ReadFile("static/world.svg")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(old, svg.Bytes()) {
		t.Errorf("static/world.svg is not what the projection draws (%d bytes, drawn %d): run TWINNING_MAP_WRITE=1 go test -run TestWorldMap ./internal/ui", len(old), svg.Len())
	}
}

// drawWorld writes the countries as one SVG group of paths in the pages' map frame.
func drawWorld(out io.Writer, fs []dataset.Feature) error {
	num := func(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }
	w := bufio.NewWriter(out)
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="%s %s %s %s" width="%s" height="%s">`+"\n",
		num(-mapHalfW), num(-mapHalfH), num(2*mapHalfW), num(2*mapHalfH), num(2*mapHalfW), num(2*mapHalfH))
	fmt.Fprintln(w, `<!-- world-atlas 2.0.2 (ISC), geometry from Natural Earth (public domain); Equal Earth projection -->`)
	fmt.Fprintln(w, `<g fill="#dfe6e3" stroke="#ffffff" stroke-width="0.35" stroke-linejoin="round">`)
	for _, f := range fs {
		var d strings.Builder
		for _, poly := range f.Polygons {
			for _, pts := range poly {
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
						x, y := projectEqualEarth(p[0], p[1])
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
	return w.Flush()
}
