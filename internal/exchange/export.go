package exchange

import (
	"fmt"
	"io"
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
	switch format {
	case FormatCSV:
		return WriteCSV(w, d)
	case FormatJSONL:
		return WriteJSONL(w, d)
	case FormatGeoJSON:
		return WriteGeoJSON(w, d)
	case FormatGraphML:
		return WriteGraphML(w, d)
	case FormatICS:
		return WriteICS(w, d, lang)
	}
	return fmt.Errorf("unknown export format %q (want csv, jsonl, geojson, graphml or ics)", format)
}
