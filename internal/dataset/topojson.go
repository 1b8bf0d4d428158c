package dataset

import (
	"encoding/json"
	"fmt"
)

// Feature is one polygon geometry of a TopoJSON object: its id, its name and its polygons,
// each an outer ring of (longitude, latitude) points followed by its holes.
type Feature struct {
	ID       string
	Name     string
	Polygons [][][][2]float64
}

// ReadTopoJSON decodes the geometries of one object of a TopoJSON topology (world-atlas's
// "countries"): the quantized, delta-encoded arcs become longitude and latitude and every ring
// is joined from its arcs. Geometries other than Polygon and MultiPolygon are left out.
func ReadTopoJSON(b []byte, object string) ([]Feature, error) {
	var tp struct {
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
	if err := json.Unmarshal(b, &tp); err != nil {
		return nil, err
	}
	arcs := make([][][2]float64, len(tp.Arcs))
	for i, arc := range tp.Arcs {
		var x, y float64
		for _, p := range arc {
			x, y = x+p[0], y+p[1]
			arcs[i] = append(arcs[i], [2]float64{x*tp.Transform.Scale[0] + tp.Transform.Translate[0], y*tp.Transform.Scale[1] + tp.Transform.Translate[1]})
		}
	}
	// ring joins arcs; a negative index ^i is arc i reversed, and each arc after the first
	// starts where the previous one ended.
	ring := func(idx []int) ([][2]float64, error) {
		var r [][2]float64
		for _, a := range idx {
			if a >= len(arcs) || ^a >= len(arcs) {
				return nil, fmt.Errorf("arc %d of %d", a, len(arcs))
			}
			var seg [][2]float64
			if a >= 0 {
				seg = arcs[a]
			} else {
				src := arcs[^a]
				for j := len(src) - 1; j >= 0; j-- {
					seg = append(seg, src[j])
				}
			}
			if len(r) > 0 && len(seg) > 0 {
				seg = seg[1:]
			}
			r = append(r, seg...)
		}
		return r, nil
	}
	var out []Feature
	for _, g := range tp.Objects[object].Geometries {
		var polys [][][]int
		switch g.Type {
		case "Polygon":
			var p [][]int
			if err := json.Unmarshal(g.Arcs, &p); err != nil {
				return nil, err
			}
			polys = [][][]int{p}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &polys); err != nil {
				return nil, err
			}
		default:
			continue
		}
		f := Feature{ID: g.ID, Name: g.Properties.Name}
		for _, p := range polys {
			var rings [][][2]float64
			for _, idx := range p {
				r, err := ring(idx)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", g.ID, err)
				}
				rings = append(rings, r)
			}
			f.Polygons = append(f.Polygons, rings)
		}
		out = append(out, f)
	}
	return out, nil
}
