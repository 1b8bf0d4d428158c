package dataset

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
)

// The country shapes the project ships (world-atlas 2.0.2, TopoJSON of Natural Earth 1:50m).
const fileCountries50m = "map/countries-50m.json"

// outsideKM: a city farther than this from its country's shape is outside it (the 1:50m
// outline cuts coasts and leaves out small islands, so a margin is needed).
const outsideKM = 25

// shapeNoID gives a country to the features world-atlas leaves without an ISO id.
var shapeNoID = map[string]string{"Somaliland": "SO", "Kosovo": "XK", "N. Cyprus": "CY"}

// ring is a closed polygon ring of (lon, lat).
type ring [][2]float64

// shape is one country's polygons (outer ring first, then holes) and their bounding box.
type shape struct {
	code     string
	polys    [][]ring
	min, max [2]float64
}

// shapes holds the countries' shapes by ISO code.
type shapes struct {
	all    []*shape
	byCode map[string][]*shape
}

// loadShapes reads countries-50m.json; numeric ids map to alpha-2 through
// i18n-iso-countries' codes.json.
func loadShapes(src string) (*shapes, error) {
	if _, err := os.Stat(filepath.Join(src, fileCountries50m)); errors.Is(err, fs.ErrNotExist) {
		// A source tree without the map (the test fixture): no shape tests.
		return &shapes{byCode: map[string][]*shape{}}, nil
	}
	codes := map[string]string{}
	b, err := os.ReadFile(filepath.Join(src, dirCountries, "codes.json"))
	if err != nil {
		return nil, err
	}
	var rows [][]string
	if err := json.Unmarshal(b, &rows); err != nil {
		return nil, fmt.Errorf("codes.json: %w", err)
	}
	for _, r := range rows {
		if len(r) >= 3 {
			codes[r[2]] = r[0]
		}
	}
	b, err = os.ReadFile(filepath.Join(src, fileCountries50m))
	if err != nil {
		return nil, err
	}
	features, err := ReadTopoJSON(b, "countries")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", fileCountries50m, err)
	}
	s := &shapes{byCode: map[string][]*shape{}}
	for _, f := range features {
		code := codes[f.ID]
		if f.ID == "" {
			code = shapeNoID[f.Name]
		}
		if code == "" {
			continue
		}
		sh := &shape{code: code, min: [2]float64{180, 90}, max: [2]float64{-180, -90}}
		for _, p := range f.Polygons {
			var rs []ring
			for _, r := range p {
				// A ring cut at the antimeridian (Chukotka) jumps from +180 to -180:
				// unwrap it east of 180, and test points there at lon+360.
				for i := 1; i < len(r); i++ {
					if math.Abs(r[i][0]-r[i-1][0]) > 180 {
						for j := range r {
							if r[j][0] < 0 {
								r[j][0] += 360
							}
						}
						break
					}
				}
				for _, pt := range r {
					sh.min = [2]float64{math.Min(sh.min[0], pt[0]), math.Min(sh.min[1], pt[1])}
					sh.max = [2]float64{math.Max(sh.max[0], pt[0]), math.Max(sh.max[1], pt[1])}
				}
				rs = append(rs, r)
			}
			sh.polys = append(sh.polys, rs)
		}
		s.all = append(s.all, sh)
		s.byCode[code] = append(s.byCode[code], sh)
	}
	return s, nil
}

// contains reports whether (lon, lat) lies inside the shape (even-odd over its rings).
func (sh *shape) contains(at point) bool {
	if sh.code == "AQ" && at.lat < -60 {
		return true // Antarctica's ring runs round the pole, which ray casting cannot test
	}
	if sh.max[0] > 180 && at.lon < 0 && sh.containsXY(at.lon+360, at.lat) {
		return true
	}
	return sh.containsXY(at.lon, at.lat)
}

func (sh *shape) containsXY(x, y float64) bool {
	if x < sh.min[0] || x > sh.max[0] || y < sh.min[1] || y > sh.max[1] {
		return false
	}
	for _, poly := range sh.polys {
		in := false
		for _, r := range poly {
			for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
				a, b := r[i], r[j]
				if (a[1] > y) != (b[1] > y) && x < (b[0]-a[0])*(y-a[1])/(b[1]-a[1])+a[0] {
					in = !in
				}
			}
		}
		if in {
			return true
		}
	}
	return false
}

// distKM is the distance from at to the shape's outline (0 inside), on an equirectangular
// approximation around at, which is close enough within a few hundred kilometres.
func (sh *shape) distKM(at point, limit float64) float64 {
	if sh.contains(at) {
		return 0
	}
	if sh.max[0] > 180 && at.lon < 0 {
		return math.Min(sh.distXY(point{at.lat, at.lon + 360, true}, limit), sh.distXY(at, limit))
	}
	return sh.distXY(at, limit)
}

func (sh *shape) distXY(at point, limit float64) float64 {
	const kmPerDeg = 111.195
	cosLat := math.Cos(at.lat * math.Pi / 180)
	// Skip shapes whose box is farther than limit.
	dx := math.Max(0, math.Max(sh.min[0]-at.lon, at.lon-sh.max[0])) * kmPerDeg * cosLat
	dy := math.Max(0, math.Max(sh.min[1]-at.lat, at.lat-sh.max[1])) * kmPerDeg
	if math.Hypot(dx, dy) > limit {
		return math.Inf(1)
	}
	best := math.Inf(1)
	for _, poly := range sh.polys {
		for _, r := range poly {
			for i := 1; i < len(r); i++ {
				ax, ay := (r[i-1][0]-at.lon)*kmPerDeg*cosLat, (r[i-1][1]-at.lat)*kmPerDeg
				bx, by := (r[i][0]-at.lon)*kmPerDeg*cosLat, (r[i][1]-at.lat)*kmPerDeg
				best = math.Min(best, segDist(ax, ay, bx, by))
			}
		}
	}
	return best
}

// segDist is the distance from the origin to the segment a–b.
func segDist(ax, ay, bx, by float64) float64 {
	vx, vy := bx-ax, by-ay
	l := vx*vx + vy*vy
	t := 0.0
	if l > 0 {
		t = math.Max(0, math.Min(1, -(ax*vx+ay*vy)/l))
	}
	return math.Hypot(ax+t*vx, ay+t*vy)
}

// within returns the country whose shape contains at, or "".
func (s *shapes) within(at point) string {
	for _, sh := range s.all {
		if sh.contains(at) {
			return sh.code
		}
	}
	return ""
}

// distTo is the distance from at to code's shape (0 inside; +Inf beyond limit or when the
// shapes have no such country).
func (s *shapes) distTo(at point, code string, limit float64) float64 {
	best := math.Inf(1)
	for _, sh := range s.byCode[code] {
		best = math.Min(best, sh.distKM(at, limit))
	}
	return best
}

// nearest returns the country whose shape is nearest to at within limit, and its distance.
func (s *shapes) nearest(at point, limit float64) (string, float64) {
	code, best := "", math.Inf(1)
	for _, sh := range s.all {
		if d := sh.distKM(at, limit); d < best {
			code, best = sh.code, d
		}
	}
	if best > limit {
		return "", best
	}
	return code, best
}
