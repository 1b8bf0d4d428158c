package exchange

import (
	"bufio"
	"encoding/json"
	"io"
	"math"

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
// agreement whose two cities have coordinates as a line from the first city to the second
// with its kind, status and dates. A line is drawn the short way round: one that crosses the
// antimeridian is cut there into a MultiLineString (RFC 7946 §3.1.9). What cannot be drawn is
// left out and counted in the collection's "summary" member (and the ExportReport): cities
// without coordinates, agreements with such a city, agreements whose two cities share their
// coordinates (a line of no length). One feature a line, so that the file diffs well.
func WriteGeoJSON(w io.Writer, d *Data) error {
	_, err := writeGeoJSON(w, d)
	return err
}

func writeGeoJSON(w io.Writer, d *Data) (*ExportReport, error) {
	rep := &ExportReport{Format: FormatGeoJSON, Written: map[string]int{}}
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
			rep.omit(TypeCity, "without coordinates")
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
			return nil, err
		}
		rep.wrote(TypeCity)
	}
	for _, a := range d.Agreements {
		var x, y *twin.City
		if len(a.CityIDs) == 2 {
			x, y = cities[a.CityIDs[0]], cities[a.CityIDs[1]]
		}
		switch {
		case x == nil || y == nil:
			rep.omit(TypeAgreement, "with a city outside the export")
			continue
		case x.Lat == nil || y.Lat == nil || x.Lon == nil || y.Lon == nil:
			rep.omit(TypeAgreement, "with a city without coordinates")
			continue
		case *x.Lat == *y.Lat && *x.Lon == *y.Lon:
			rep.omit(TypeAgreement, "whose two cities share their coordinates")
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
		if err := put(geoFeature{Type: "Feature", ID: "agreement-" + itoa(a.ID), Geometry: geoLine(*x.Lon, *x.Lat, *y.Lon, *y.Lat), Properties: props}); err != nil {
			return nil, err
		}
		rep.wrote(TypeAgreement)
	}
	bw.WriteString("\n],\n\"summary\":")
	b, err := json.Marshal(struct {
		Written map[string]int `json:"written"`
		Omitted []Omission     `json:"omitted"`
	}{rep.Written, append([]Omission{}, rep.Omitted...)})
	if err != nil {
		return nil, err
	}
	bw.Write(b)
	bw.WriteString("}\n")
	return rep, bw.Flush()
}

// geoLine is the line from (lon1, lat1) to (lon2, lat2) the short way round: a LineString,
// or, when that way crosses the antimeridian, a MultiLineString of the two parts on either
// side, meeting it at the latitude where the straight line between the two points (in
// longitude and latitude, as RFC 7946 draws lines) meets it.
func geoLine(lon1, lat1, lon2, lat2 float64) geoGeometry {
	if math.Abs(lon2-lon1) <= 180 {
		return geoGeometry{"LineString", [][]float64{{lon1, lat1}, {lon2, lat2}}}
	}
	edge, unwrapped := 180.0, lon2+360
	if lon2 > lon1 {
		edge, unwrapped = -180, lon2-360
	}
	t := (edge - lon1) / (unwrapped - lon1)
	lat := math.Round((lat1+t*(lat2-lat1))*1e6) / 1e6
	switch {
	case lon1 == edge: // starts on the antimeridian: only the far side is drawn
		return geoGeometry{"LineString", [][]float64{{-edge, lat1}, {lon2, lat2}}}
	case lon2 == -edge: // ends on it
		return geoGeometry{"LineString", [][]float64{{lon1, lat1}, {edge, lat2}}}
	}
	return geoGeometry{"MultiLineString", [][][]float64{{{lon1, lat1}, {edge, lat}}, {{-edge, lat}, {lon2, lat2}}}}
}
