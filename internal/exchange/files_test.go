package exchange

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// checkICS parses an iCalendar stream as strictly as RFC 5545 asks and returns its events'
// properties (name → unfolded value, parameters included in the name), or fails the test:
// CRLF line ends, lines of at most 75 octets, content lines of the right shape, components
// properly nested, a VCALENDAR with VERSION 2.0, PRODID and at least one component, events
// with exactly one UID, DTSTAMP and DTSTART and an end after the start, unique UIDs, GEO of
// two decimals in range, TEXT values with ; and , escaped, timezones with an observance.
func checkICS(t *testing.T, s string) []map[string]string {
	t.Helper()
	if !strings.HasSuffix(s, "\r\n") || strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\n") || strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\r") {
		t.Fatal("not every line ends in CRLF")
	}
	for _, l := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("a line of %d octets: %q", len(l), l)
		}
	}
	lines := strings.Split(strings.TrimSuffix(strings.ReplaceAll(s, "\r\n ", ""), "\r\n"), "\r\n")
	contentLine := regexp.MustCompile(`^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*))*):(.*)$`)
	type comp struct {
		name  string
		props map[string][]string
		subs  []string
	}
	var stack []*comp
	var events []map[string]string
	uids := map[string]bool{}
	for i, l := range lines {
		m := contentLine.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("line %d is not a content line: %q", i+1, l)
		}
		name, params, value := strings.ToUpper(m[1]), m[2], m[3]
		switch name {
		case "BEGIN":
			if len(stack) == 0 && value != "VCALENDAR" || len(stack) > 0 && value == "VCALENDAR" {
				t.Fatalf("line %d: BEGIN:%s out of place", i+1, value)
			}
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.subs = append(top.subs, value)
			}
			stack = append(stack, &comp{name: value, props: map[string][]string{}})
			continue
		case "END":
			if len(stack) == 0 || stack[len(stack)-1].name != value {
				t.Fatalf("line %d: END:%s does not close the open component", i+1, value)
			}
			c := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			one := func(p string) {
				if len(c.props[p]) != 1 {
					t.Errorf("%s has %d %s", c.name, len(c.props[p]), p)
				}
			}
			switch c.name {
			case "VCALENDAR":
				one("VERSION")
				one("PRODID")
				if len(c.props["VERSION"]) == 1 && c.props["VERSION"][0] != "2.0" {
					t.Errorf("VERSION:%s", c.props["VERSION"][0])
				}
				if len(c.subs) == 0 {
					t.Error("a VCALENDAR without a component (RFC 5545 §3.4 wants one at least)")
				}
			case "VEVENT":
				one("UID")
				one("DTSTAMP")
				one("DTSTART")
				ev := map[string]string{}
				for k, v := range c.props {
					ev[k] = v[0]
				}
				if uid := ev["UID"]; uids[uid] {
					t.Errorf("UID %s twice", uid)
				} else {
					uids[uid] = true
				}
				if !regexp.MustCompile(`^\d{8}T\d{6}Z$`).MatchString(ev["DTSTAMP"]) {
					t.Errorf("DTSTAMP %q is not a UTC date-time", ev["DTSTAMP"])
				}
				start, err1 := time.Parse("20060102", ev["DTSTART;VALUE=DATE"])
				end, err2 := time.Parse("20060102", ev["DTEND;VALUE=DATE"])
				if err1 != nil || err2 != nil || !end.After(start) {
					t.Errorf("DTSTART %q, DTEND %q", ev["DTSTART;VALUE=DATE"], ev["DTEND;VALUE=DATE"])
				}
				if g, ok := ev["GEO"]; ok {
					lat, lon, ok := strings.Cut(g, ";")
					la, err1 := strconv.ParseFloat(lat, 64)
					lo, err2 := strconv.ParseFloat(lon, 64)
					if !ok || err1 != nil || err2 != nil || math.Abs(la) > 90 || math.Abs(lo) > 180 {
						t.Errorf("GEO:%s", g)
					}
				}
				events = append(events, ev)
			case "VTIMEZONE":
				one("TZID")
				if len(c.subs) == 0 {
					t.Error("a VTIMEZONE without STANDARD or DAYLIGHT")
				}
			case "STANDARD", "DAYLIGHT":
				one("DTSTART")
				one("TZOFFSETFROM")
				one("TZOFFSETTO")
			}
			continue
		}
		if len(stack) == 0 {
			t.Fatalf("line %d outside VCALENDAR: %q", i+1, l)
		}
		base := name
		switch base {
		case "SUMMARY", "DESCRIPTION", "LOCATION", "CATEGORIES", "X-WR-CALNAME":
			unescaped := regexp.MustCompile(`(^|[^\\])(\\\\)*[;,]`)
			if base != "CATEGORIES" && unescaped.MatchString(value) {
				t.Errorf("%s has an unescaped ; or ,: %q", base, value)
			}
		}
		top := stack[len(stack)-1]
		top.props[name+params] = append(top.props[name+params], value)
		if name+params != name {
			top.props[name] = append(top.props[name], value)
		}
	}
	if len(stack) != 0 {
		t.Fatalf("%s is not closed", stack[len(stack)-1].name)
	}
	return events
}

// TestICSStrict: the fixture's calendar, and a calendar with no dated activity, pass the
// strict reading; the empty one still holds a component.
func TestICSStrict(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteICS(&buf, fixture(), "fa"); err != nil {
		t.Fatal(err)
	}
	if evs := checkICS(t, buf.String()); len(evs) != 2 {
		t.Errorf("%d events", len(evs))
	}
	d := fixture()
	d.Activities = d.Activities[2:] // only the one without a date
	d.Focus = d.Cities[3]
	buf.Reset()
	rep, err := WriteReport(&buf, FormatICS, d, "en")
	if err != nil {
		t.Fatal(err)
	}
	if evs := checkICS(t, buf.String()); len(evs) != 0 {
		t.Errorf("%d events", len(evs))
	}
	if !strings.Contains(buf.String(), "BEGIN:VTIMEZONE\r\nTZID:UTC\r\n") || !strings.Contains(buf.String(), "X-WR-CALNAME:Twinning — Khiva\r\n") {
		t.Errorf("calendar:\n%s", buf.String())
	}
	if rep.Left(TypeActivity) != 1 || rep.String() != "wrote nothing; left out 1 activity without a date" {
		t.Errorf("report %q", rep)
	}
}

// TestICSFromStore: UIDs name the installation, so two registries holding the same records
// give different UIDs and one registry gives the same ones every time; an activity's place,
// named by Wikidata id, internal id or in words, or lying outside a neighbourhood, is its
// LOCATION, with GEO when the city has coordinates.
func TestICSFromStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := fixture()
	d.Activities[1].Place = "2" // Samarkand, by internal id
	d.Activities = append(d.Activities,
		&twin.Activity{Meta: twin.Meta{ID: 4}, Agreement: 2, Kind: "meeting", Title: twin.Names{"en": "Talks"}, Start: date("gregorian", "2024-05-02"), Place: "Q5753"},
		&twin.Activity{Meta: twin.Meta{ID: 5}, Agreement: 2, Kind: "meeting", Title: twin.Names{"en": "Fair"}, Start: date("gregorian", "2024-06-02"), Place: "Lisbon, the trade fair"})
	ics := func(db *store.DB, city string) (string, []map[string]string) {
		t.Helper()
		got, err := Gather(ctx, db, city, 1)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := WriteICS(&buf, got, "en"); err != nil {
			t.Fatal(err)
		}
		return buf.String(), checkICS(t, buf.String())
	}
	one, two := openTest(t), openTest(t)
	load(t, one, d)
	load(t, two, d)
	first, evs := ics(one, "")
	again, _ := ics(one, "")
	other, _ := ics(two, "")
	uid := regexp.MustCompile(`^activity-(\d+)\.([0-9a-f]{16})@twinning$`)
	inst := ""
	for _, ev := range evs {
		m := uid.FindStringSubmatch(ev["UID"])
		if m == nil || inst != "" && m[2] != inst {
			t.Fatalf("UID %q", ev["UID"])
		}
		inst = m[2]
	}
	if first != again {
		t.Error("two exports of one registry differ")
	}
	if strings.Contains(other, inst) || !strings.Contains(other, "UID:activity-1.") {
		t.Errorf("two installations share UIDs (%s):\n%s", inst, other)
	}
	loc := map[string]string{}
	for _, ev := range evs {
		loc[ev["SUMMARY;LANGUAGE=en"]] = ev["LOCATION"] + " @" + ev["GEO"]
	}
	for title, want := range map[string]string{
		"Student exchange": "Samarkand\\, Uzbekistan @39.6547;66.9758",
		"Talks":            "Samarkand\\, Uzbekistan @39.6547;66.9758",
		"Fair":             "Lisbon\\, the trade fair @",
	} {
		if loc[title] != want {
			t.Errorf("%s: LOCATION and GEO %q, want %q", title, loc[title], want)
		}
	}
	// Porto's neighbourhood holds Porto and Isfahan; the talks were held in Samarkand.
	_, evs = ics(one, "Q36433")
	if len(evs) != 2 || evs[0]["LOCATION"] != "Samarkand\\, Uzbekistan" || evs[0]["GEO"] != "39.6547;66.9758" {
		t.Errorf("neighbourhood events %v", evs)
	}
}

// checkGeoJSON reads a FeatureCollection as strictly as RFC 7946 asks and returns its
// features by id: positions of two numbers within range, LineStrings of two distinct
// positions or more, no segment longer than 180° of longitude (a line crossing the
// antimeridian is cut), MultiLineString parts of two positions or more.
func checkGeoJSON(t *testing.T, b []byte) (map[string]geoFeature, ExportReport) {
	t.Helper()
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Type       string          `json:"type"`
			ID         string          `json:"id"`
			Geometry   json.RawMessage `json:"geometry"`
			Properties map[string]any  `json:"properties"`
		} `json:"features"`
		Summary ExportReport `json:"summary"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fc); err != nil || fc.Type != "FeatureCollection" {
		t.Fatalf("not a FeatureCollection: %v", err)
	}
	pos := func(p []float64) {
		if len(p) != 2 || math.Abs(p[0]) > 180 || math.Abs(p[1]) > 90 {
			t.Errorf("position %v", p)
		}
	}
	line := func(id string, ps [][]float64) {
		if len(ps) < 2 {
			t.Errorf("%s: a line of %d positions", id, len(ps))
		}
		distinct := false
		for i, p := range ps {
			pos(p)
			if i > 0 {
				distinct = distinct || p[0] != ps[0][0] || p[1] != ps[0][1]
				if math.Abs(p[0]-ps[i-1][0]) > 180 {
					t.Errorf("%s: a segment crosses the antimeridian uncut: %v", id, ps)
				}
			}
		}
		if !distinct {
			t.Errorf("%s: a line of no length", id)
		}
	}
	out := map[string]geoFeature{}
	for _, f := range fc.Features {
		var g struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		}
		if f.Type != "Feature" || json.Unmarshal(f.Geometry, &g) != nil {
			t.Fatalf("feature %s: %s", f.ID, f.Geometry)
		}
		var coords any
		switch g.Type {
		case "Point":
			var p []float64
			json.Unmarshal(g.Coordinates, &p)
			pos(p)
			coords = p
		case "LineString":
			var ps [][]float64
			json.Unmarshal(g.Coordinates, &ps)
			line(f.ID, ps)
			coords = ps
		case "MultiLineString":
			var ls [][][]float64
			json.Unmarshal(g.Coordinates, &ls)
			for _, ps := range ls {
				line(f.ID, ps)
			}
			coords = ls
		default:
			t.Errorf("feature %s: geometry %s", f.ID, g.Type)
		}
		out[f.ID] = geoFeature{Type: f.Type, ID: f.ID, Geometry: geoGeometry{g.Type, coords}, Properties: f.Properties}
	}
	return out, fc.Summary
}

// TestGeoJSONLines: a line the short way crosses the antimeridian is cut there; two cities at
// the same point draw no line; what is left out is counted in the file's summary.
func TestGeoJSONLines(t *testing.T) {
	t.Parallel()
	city := func(id int64, name string, lat, lon float64) *twin.City {
		return &twin.City{Meta: twin.Meta{ID: id}, Names: twin.Names{"en": name}, Country: "XX", Lat: fp(lat), Lon: fp(lon)}
	}
	agr := func(id, a, b int64) *twin.Agreement {
		return &twin.Agreement{Meta: twin.Meta{ID: id}, Cities: []string{itoa(a), itoa(b)}, CityIDs: []int64{a, b}, Kind: "sister", Status: "signed"}
	}
	d := &Data{
		Cities: []*twin.City{
			city(1, "Auckland", -36.85, 174.76), city(2, "Honolulu", 21.3, -157.85),
			city(3, "Suva", -18.14, 178.44), city(4, "Apia", -13.83, -171.76),
			city(5, "Old town", 10, 20), city(6, "Twin of old town", 10, 20),
			city(7, "Taveuni", -16.8, 180), city(8, "Anadyr", 64.73, 177.5),
			{Meta: twin.Meta{ID: 9}, Names: twin.Names{"en": "Nowhere"}, Country: "XX"},
		},
		Agreements: []*twin.Agreement{agr(1, 1, 2), agr(2, 4, 3), agr(3, 5, 6), agr(4, 7, 4), agr(5, 1, 8), agr(6, 1, 9), agr(7, 1, 5)},
	}
	var buf bytes.Buffer
	rep, err := WriteReport(&buf, FormatGeoJSON, d, "en")
	if err != nil {
		t.Fatal(err)
	}
	fs, sum := checkGeoJSON(t, buf.Bytes())
	want := map[string]string{
		// Auckland to Honolulu: 174.76 → 180 and -180 → -157.85, cut at the latitude where the
		// line meets the antimeridian: -36.85 + (5.24/27.39)·58.15.
		"agreement-1": "MultiLineString [[[174.76 -36.85] [180 -25.725283]] [[-180 -25.725283] [-157.85 21.3]]]",
		// Apia to Suva, westwards: -13.83 - (8.24/9.8)·4.31.
		"agreement-2": "MultiLineString [[[-171.76 -13.83] [-180 -17.453918]] [[180 -17.453918] [178.44 -18.14]]]",
		// From the antimeridian itself: drawn on the side it goes to.
		"agreement-4": "LineString [[-180 -16.8] [-171.76 -13.83]]",
		"agreement-5": "LineString [[174.76 -36.85] [177.5 64.73]]",
		"agreement-7": "LineString [[174.76 -36.85] [20 10]]",
	}
	for id, w := range want {
		f, ok := fs[id]
		if got := fmt.Sprint(f.Geometry.Type, " ", f.Geometry.Coordinates); !ok || got != w {
			t.Errorf("%s: %s, want %s", id, got, w)
		}
	}
	if _, ok := fs["agreement-3"]; ok {
		t.Error("a line of no length was drawn")
	}
	if len(fs) != 8+len(want) {
		t.Errorf("%d features", len(fs))
	}
	wantSum := "wrote 8 cities, 5 agreements; left out 1 city without coordinates, 1 agreement whose two cities share their coordinates, 1 agreement with a city without coordinates"
	if rep.String() != wantSum {
		t.Errorf("report %q", rep)
	}
	if sum.Format = rep.Format; fmt.Sprint(sum) != fmt.Sprint(*rep) {
		t.Errorf("the file's summary %+v differs from the report %+v", sum, *rep)
	}
}
