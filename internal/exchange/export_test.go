package exchange

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestExportGolden writes the fixture in every format and compares with testdata/fixture.*.
func TestExportGolden(t *testing.T) {
	t.Parallel()
	for _, format := range ExportFormats {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, format, fixture(), "fa"); err != nil {
				t.Fatal(err)
			}
			golden(t, "fixture."+format, buf.Bytes())
		})
	}
}

// TestExportFromStore: what Gather reads from the store exports like the fixture it was
// loaded from (timestamps aside, which the store sets).
func TestExportFromStore(t *testing.T) {
	t.Parallel()
	db := openTest(t)
	load(t, db, fixture())
	d, err := Gather(context.Background(), db, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{FormatCSV, FormatJSONL, FormatGeoJSON, FormatGraphML} {
		var got, want bytes.Buffer
		if err := Write(&got, format, d, "fa"); err != nil {
			t.Fatal(err)
		}
		Write(&want, format, fixture(), "fa")
		if got.String() != want.String() {
			t.Errorf("%s from the store differs:\n%s", format, firstDiff(want.String(), got.String()))
		}
	}
}

func TestGeoJSONShape(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteGeoJSON(&buf, fixture()); err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Type     string `json:"type"`
		CRS      any    `json:"crs"`
		Features []struct {
			Type     string `json:"type"`
			Geometry struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(buf.Bytes(), &fc); err != nil {
		t.Fatal(err)
	}
	if fc.Type != "FeatureCollection" || fc.CRS != nil {
		t.Fatalf("type %q crs %v", fc.Type, fc.CRS)
	}
	// Khiva has no coordinates: neither it nor its agreement appears.
	kinds := map[string]int{}
	for _, f := range fc.Features {
		kinds[f.Geometry.Type]++
		if f.Properties["record"] == "city" && f.Properties["ref"] == "Q42053" && string(f.Geometry.Coordinates) != "[51.666,32.6539]" {
			t.Errorf("Isfahan is at %s, want [lon, lat]", f.Geometry.Coordinates)
		}
	}
	if kinds["Point"] != 3 || kinds["LineString"] != 2 {
		t.Errorf("features = %v", kinds)
	}
	var sum struct {
		Summary ExportReport `json:"summary"`
	}
	json.Unmarshal(buf.Bytes(), &sum)
	if sum.Summary.Written[TypeCity] != 3 || sum.Summary.Left(TypeCity) != 1 || sum.Summary.Left(TypeAgreement) != 1 {
		t.Errorf("summary = %+v", sum.Summary)
	}
}

func TestGraphMLShape(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteGraphML(&buf, fixture()); err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(&buf)
	keys, nodes, edges := map[string]bool{}, 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		attr := func(n string) string {
			for _, a := range se.Attr {
				if a.Name.Local == n {
					return a.Value
				}
			}
			return ""
		}
		switch se.Name.Local {
		case "key":
			keys[attr("id")] = true
		case "graph":
			if attr("edgedefault") != "undirected" {
				t.Error("the graph is not undirected")
			}
		case "node":
			nodes++
		case "edge":
			edges++
		case "data":
			if !keys[attr("key")] {
				t.Errorf("data key %q is not declared", attr("key"))
			}
		}
	}
	if nodes != 4 || edges != 3 {
		t.Errorf("%d nodes, %d edges", nodes, edges)
	}
}

func TestICSShape(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteICS(&buf, fixture(), "fa"); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	if strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\n") || !strings.HasSuffix(s, "END:VCALENDAR\r\n") {
		t.Fatal("lines do not all end in CRLF")
	}
	for _, l := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if len(l) > 75 || !utf8.ValidString(l) {
			t.Errorf("line of %d octets (or split UTF-8): %q", len(l), l)
		}
	}
	unfolded := strings.ReplaceAll(s, "\r\n ", "")
	for _, want := range []string{
		"UID:activity-1.0123456789abcdef@twinning", "DTSTART;VALUE=DATE:20211001", "DTEND;VALUE=DATE:20211101",
		"LOCATION;LANGUAGE=fa:اصفهان، ایران", "GEO:32.6539;51.666",
		// 1401 (Jalali) starts 2022-03-21; 1402-02-15 is 2023-05-05, so the end is the 6th.
		"UID:activity-2.0123456789abcdef@twinning", "DTSTART;VALUE=DATE:20220321", "DTEND;VALUE=DATE:20230506",
		"SUMMARY;LANGUAGE=fa:جشنواره بین‌المللی فیلم کودک و نوجوان\\, اصفهان\\; سی و",
		"DESCRIPTION;LANGUAGE=fa:دعوت از فیلم‌سازان\\nسمرقند", "SUMMARY;LANGUAGE=en:Student exchange",
	} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("no %q in\n%s", want, unfolded)
		}
	}
	if strings.Contains(s, "activity-3@") {
		t.Error("an activity without a date became an event")
	}
}

func TestICSFolding(t *testing.T) {
	t.Parallel()
	for _, s := range []string{strings.Repeat("a", 200), strings.Repeat("ش", 100), "X:" + strings.Repeat("😀", 40)} {
		var buf bytes.Buffer
		w := bufioWriter(&buf)
		writeFolded(w, s)
		w.Flush()
		lines := strings.Split(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n")
		var back strings.Builder
		for i, l := range lines {
			if len(l) > 75 || !utf8.ValidString(l) {
				t.Errorf("line %d: %d octets", i, len(l))
			}
			if i > 0 {
				l = strings.TrimPrefix(l, " ")
			}
			back.WriteString(l)
		}
		if back.String() != s {
			t.Errorf("unfolding does not give the line back")
		}
	}
}

// TestGatherNeighbourhood: one city's neighbourhood holds its partners up to the depth, the
// agreements between them and what hangs on those, and imports on its own.
func TestGatherNeighbourhood(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	load(t, db, fixture())
	for _, tc := range []struct {
		ref               string
		depth             int
		cities, agreement int
	}{{"Q36433", 1, 2, 1}, {"Q36433", 2, 3, 2}, {"Q36433", 3, 4, 3}, {"4", 1, 2, 1}} {
		d, err := Gather(ctx, db, tc.ref, tc.depth)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Cities) != tc.cities || len(d.Agreements) != tc.agreement {
			t.Errorf("%s depth %d: %d cities, %d agreements", tc.ref, tc.depth, len(d.Cities), len(d.Agreements))
		}
		var buf bytes.Buffer
		WriteJSONL(&buf, d)
		if _, err := Import(ctx, openTest(t), &buf, Options{Format: FormatJSONL}); err != nil {
			t.Errorf("%s depth %d does not import on its own: %v", tc.ref, tc.depth, err)
		}
	}
	if _, err := Gather(ctx, db, "Q1", 1); err == nil {
		t.Error("an unknown city gathered")
	}
}
