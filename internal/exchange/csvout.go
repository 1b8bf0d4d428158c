package exchange

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/twin"
)

// csvLangs are the languages the CSV export gives a column per side.
var csvLangs = []string{"fa", "en"}

// csvHeader is the CSV export's header: the import's columns.
func csvHeader() []string {
	var h []string
	for _, side := range []string{cityA, cityB} {
		h = append(h, side)
		for _, l := range csvLangs {
			h = append(h, side+"_"+l)
		}
		for _, s := range sideCols[1:] {
			h = append(h, side+s)
		}
	}
	return append(h, agreementCols...)
}

// WriteCSV writes one row per agreement of d in the import's columns, so that the file
// imports back: names (the display name, then Persian and English), country, Wikidata id,
// internal id, coordinates and population of both cities, then kind, status, the dates as
// written with their calendars, domains, source URLs and the note. The file starts with a
// UTF-8 byte-order mark, which spreadsheets need to read Persian and the import skips.
func WriteCSV(w io.Writer, d *Data) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("\uFEFF")
	cw := csv.NewWriter(bw)
	if err := cw.Write(csvHeader()); err != nil {
		return err
	}
	cities := d.cityIndex()
	for _, a := range d.Agreements {
		var rec []string
		for i := 0; i < 2; i++ {
			rec = append(rec, cityCells(a, i, cities)...)
		}
		date := func(p *twin.PartialDate) []string {
			if p == nil {
				return []string{"", ""}
			}
			return []string{p.Value, string(p.Calendar)}
		}
		rec = append(rec, a.Kind, a.Status)
		rec = append(rec, date(a.Signed)...)
		rec = append(rec, date(a.Proposed)...)
		rec = append(rec, date(a.Ended)...)
		var urls []string
		for _, s := range a.Sources {
			if s.URL != "" {
				urls = appendNew(urls, s.URL)
			}
		}
		rec = append(rec, strings.Join(a.Domains, "; "), strings.Join(urls, " "), a.Notes.Pick("en"))
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

func cityCells(a *twin.Agreement, i int, cities map[int64]*twin.City) []string {
	var c *twin.City
	if i < len(a.CityIDs) {
		c = cities[a.CityIDs[i]]
	}
	if c == nil {
		ref := ""
		if i < len(a.Cities) {
			ref = a.Cities[i]
		}
		out := make([]string, 1+len(csvLangs)+len(sideCols)-1)
		if twin.IsQID(ref) {
			out[1+len(csvLangs)+1] = ref
		} else {
			out[1+len(csvLangs)+2] = ref
		}
		return out
	}
	out := []string{c.Names.Pick("en")}
	for _, l := range csvLangs {
		out = append(out, c.Names[l])
	}
	out = append(out, c.Country, c.Wikidata, strconv.FormatInt(c.ID, 10), fmtFloat(c.Lat), fmtFloat(c.Lon), "")
	if c.Population > 0 {
		out[len(out)-1] = strconv.FormatInt(c.Population, 10)
	}
	return out
}

func fmtFloat(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}
