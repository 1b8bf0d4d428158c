package exchange

import (
	"bufio"
	"encoding/xml"
	"io"
	"strconv"
)

// graphmlKeys are the GraphML attributes declared: id, for, name, type.
var graphmlKeys = [][4]string{
	{"name", "node", "name", "string"},
	{"name_fa", "node", "name_fa", "string"},
	{"wikidata", "node", "wikidata", "string"},
	{"country", "node", "country", "string"},
	{"lat", "node", "lat", "double"},
	{"lon", "node", "lon", "double"},
	{"population", "node", "population", "long"},
	{"kind", "edge", "kind", "string"},
	{"status", "edge", "status", "string"},
	{"signed", "edge", "signed", "string"},
	{"signed_calendar", "edge", "signed_calendar", "string"},
	{"signed_start", "edge", "signed_start", "string"},
}

// WriteGraphML writes d as a GraphML graph: cities as nodes (c<id>) with their names,
// Wikidata id, country, coordinates and population; agreements as undirected edges
// (a<id>) with kind, status and signing date. Agreements whose cities are not in d are left
// out, so every edge has its two nodes.
func WriteGraphML(w io.Writer, d *Data) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(xml.Header)
	bw.WriteString(`<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">` + "\n")
	for _, k := range graphmlKeys {
		bw.WriteString(`  <key id="` + k[0] + `" for="` + k[1] + `" attr.name="` + k[2] + `" attr.type="` + k[3] + `"/>` + "\n")
	}
	bw.WriteString(`  <graph id="twinning" edgedefault="undirected">` + "\n")
	data := func(key, val string) {
		if val == "" {
			return
		}
		bw.WriteString(`      <data key="` + key + `">`)
		xml.EscapeText(bw, []byte(val))
		bw.WriteString("</data>\n")
	}
	cities := d.cityIndex()
	for _, c := range d.Cities {
		bw.WriteString(`    <node id="c` + itoa(c.ID) + `">` + "\n")
		data("name", c.Names.Pick("en"))
		data("name_fa", c.Names["fa"])
		data("wikidata", c.Wikidata)
		data("country", c.Country)
		data("lat", fmtFloat(c.Lat))
		data("lon", fmtFloat(c.Lon))
		if c.Population > 0 {
			data("population", itoa(c.Population))
		}
		bw.WriteString("    </node>\n")
	}
	for _, a := range d.Agreements {
		if len(a.CityIDs) != 2 || cities[a.CityIDs[0]] == nil || cities[a.CityIDs[1]] == nil {
			continue
		}
		bw.WriteString(`    <edge id="a` + itoa(a.ID) + `" source="c` + itoa(a.CityIDs[0]) + `" target="c` + itoa(a.CityIDs[1]) + `">` + "\n")
		data("kind", a.Kind)
		data("status", a.Status)
		if a.Signed != nil {
			data("signed", a.Signed.Value)
			data("signed_calendar", string(a.Signed.Calendar))
			data("signed_start", a.Signed.Start)
		}
		bw.WriteString("    </edge>\n")
	}
	bw.WriteString("  </graph>\n</graphml>\n")
	return bw.Flush()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
