package exchange

import (
	"bufio"
	"encoding/json"
	"io"

	"github.com/twinning/twinning/internal/twin"
)

type geoFeature struct {
	Type       string         `json:"type"`
	ID         string         `json:"id"`
	Geometry   geoGeometry    `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

type geoGeometry struct {
	Type        string `json:"type"`
	Coordinates any    `json:"coordinates"`
}

// WriteGeoJSON writes d as an RFC 7946 FeatureCollection: each city with coordinates as a
// Point ([lon, lat], WGS 84) with its names, Wikidata id, country and population, and each
// agreement whose two cities have coordinates as a LineString from the first city to the
// second with its kind, status and dates. Records without coordinates are left out. One
// feature a line, so that the file diffs well.
func WriteGeoJSON(w io.Writer, d *Data) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(`{"type":"FeatureCollection","features":[`)
	first := true
	put := func(f geoFeature) error {
		b, err := json.Marshal(f)
		if err != nil {
			return err
		}
		if !first {
			bw.WriteByte(',')
		}
		first = false
		bw.WriteString("\n")
		_, err = bw.Write(b)
		return err
	}
	cities := d.cityIndex()
	for _, c := range d.Cities {
		if c.Lat == nil || c.Lon == nil {
			continue
		}
		props := map[string]any{"record": TypeCity, "id": c.ID, "ref": c.Ref(), "name": c.Names.Pick("en"), "names": c.Names, "country": c.Country}
		if c.Wikidata != "" {
			props["wikidata"] = c.Wikidata
		}
		if c.Population > 0 {
			props["population"] = c.Population
		}
		if err := put(geoFeature{Type: "Feature", ID: "city-" + itoa(c.ID), Geometry: geoGeometry{"Point", []float64{*c.Lon, *c.Lat}}, Properties: props}); err != nil {
			return err
		}
	}
	for _, a := range d.Agreements {
		if len(a.CityIDs) != 2 {
			continue
		}
		x, y := cities[a.CityIDs[0]], cities[a.CityIDs[1]]
		if x == nil || y == nil || x.Lat == nil || y.Lat == nil || x.Lon == nil || y.Lon == nil {
			continue
		}
		props := map[string]any{"record": TypeAgreement, "id": a.ID, "cities": a.Cities, "kind": a.Kind, "status": a.Status,
			"names": []string{x.Names.Pick("en"), y.Names.Pick("en")}}
		for k, p := range map[string]*twin.PartialDate{"signed": a.Signed, "proposed": a.Proposed, "ended": a.Ended} {
			if p != nil {
				props[k] = p
			}
		}
		if len(a.Domains) > 0 {
			props["domains"] = a.Domains
		}
		line := [][]float64{{*x.Lon, *x.Lat}, {*y.Lon, *y.Lat}}
		if err := put(geoFeature{Type: "Feature", ID: "agreement-" + itoa(a.ID), Geometry: geoGeometry{"LineString", line}, Properties: props}); err != nil {
			return err
		}
	}
	bw.WriteString("\n]}\n")
	return bw.Flush()
}
