package exchange

import (
	"fmt"
	"io"
	"strings"

	"github.com/twinning/twinning/internal/i18n"
)

// Export formats.
const (
	FormatGeoJSON = "geojson"
	FormatGraphML = "graphml"
	FormatICS     = "ics"
)

// ExportFormats lists the formats Write accepts.
var ExportFormats = []string{FormatCSV, FormatJSONL, FormatGeoJSON, FormatGraphML, FormatICS}

// ContentType is the media type of an export format, for HTTP responses.
func ContentType(format string) string {
	switch format {
	case FormatCSV:
		return "text/csv; charset=utf-8"
	case FormatJSONL:
		return "application/jsonl; charset=utf-8"
	case FormatGeoJSON:
		return "application/geo+json"
	case FormatGraphML:
		return "application/graphml+xml; charset=utf-8"
	case FormatICS:
		return "text/calendar; charset=utf-8"
	}
	return "application/octet-stream"
}

// Write writes d in format; lang chooses the language of texts where one is chosen (ICS).
func Write(w io.Writer, format string, d *Data, lang string) error {
	_, err := WriteReport(w, format, d, lang)
	return err
}

// WriteReport is Write, also saying what the file holds and what it left out and why.
func WriteReport(w io.Writer, format string, d *Data, lang string) (*ExportReport, error) {
	switch format {
	case FormatCSV:
		rep := &ExportReport{Format: format, Written: map[string]int{TypeAgreement: len(d.Agreements)}}
		return rep, WriteCSV(w, d)
	case FormatJSONL:
		rep := &ExportReport{Format: format, Written: map[string]int{TypeDomain: len(d.Domains), TypeCountry: len(d.Countries),
			TypeCity: len(d.Cities), TypeInstitution: len(d.Institutions), TypePerson: len(d.People), TypeAgreement: len(d.Agreements),
			TypeLink: len(d.Links), TypeNetwork: len(d.Networks), TypeActivity: len(d.Activities), TypeProposal: len(d.Proposals)}}
		return rep, WriteJSONL(w, d)
	case FormatGeoJSON:
		return writeGeoJSON(w, d)
	case FormatGraphML:
		rep := &ExportReport{Format: format, Written: map[string]int{TypeCity: len(d.Cities)}}
		cities := d.cityIndex()
		for _, a := range d.Agreements {
			if len(a.CityIDs) == 2 && cities[a.CityIDs[0]] != nil && cities[a.CityIDs[1]] != nil {
				rep.wrote(TypeAgreement)
			} else {
				rep.omit(TypeAgreement, "with a city outside the export")
			}
		}
		return rep, WriteGraphML(w, d)
	case FormatICS:
		return writeICS(w, d, lang)
	}
	return nil, fmt.Errorf("unknown export format %q (want csv, jsonl, geojson, graphml or ics)", format)
}

// ExportReport is what an export wrote, by record type, and what it left out and why (a
// GeoJSON file holds only what has coordinates; a calendar only what has a date).
type ExportReport struct {
	Format  string         `json:"format"`
	Written map[string]int `json:"written"`
	Omitted []Omission     `json:"omitted,omitempty"`
}

// Omission counts the records of one type an export left out for one reason.
type Omission struct {
	Type   string `json:"type"`
	Reason string `json:"reason"`
	N      int    `json:"n"`
}

func (r *ExportReport) wrote(typ string) {
	if r.Written == nil {
		r.Written = map[string]int{}
	}
	r.Written[typ]++
}

func (r *ExportReport) omit(typ, reason string) {
	for i := range r.Omitted {
		if r.Omitted[i].Type == typ && r.Omitted[i].Reason == reason {
			r.Omitted[i].N++
			return
		}
	}
	r.Omitted = append(r.Omitted, Omission{Type: typ, Reason: reason, N: 1})
}

// Left is the number of records of type typ left out, for any reason.
func (r *ExportReport) Left(typ string) int {
	n := 0
	for _, o := range r.Omitted {
		if o.Type == typ {
			n += o.N
		}
	}
	return n
}

// String says it in a line: "wrote 25,516 cities, 35,901 agreements; left out 1,219 cities
// without coordinates, 9 agreements whose cities share coordinates".
func (r *ExportReport) String() string {
	var parts []string
	for _, t := range Types {
		if n := r.Written[t]; n > 0 {
			parts = append(parts, i18n.Number("en", int64(n))+" "+plural(t, n))
		}
	}
	if len(parts) == 0 {
		parts = []string{"nothing"}
	}
	s := "wrote " + strings.Join(parts, ", ")
	if len(r.Omitted) > 0 {
		var left []string
		for _, o := range r.Omitted {
			left = append(left, i18n.Number("en", int64(o.N))+" "+plural(o.Type, o.N)+" "+o.Reason)
		}
		s += "; left out " + strings.Join(left, ", ")
	}
	return s
}
