package graph

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The shared data folder sits beside the repository on development
// machines; a clean clone (CI) may lack it, and then these tests skip.
func sharedData(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("TWINNING_SHARED_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data")
	}
	if _, err := os.Stat(filepath.Join(dir, "sister_cities")); err != nil {
		tb.Skipf("real data not found at %s (set TWINNING_SHARED_DATA): %v", dir, err)
	}
	return dir
}

// worldEdges is the union of the 2016 crawl and the 2021 query, with
// Q-numbers as ids.
func worldEdges(tb testing.TB) []Edge {
	dir := filepath.Join(sharedData(tb), "sister_cities")
	f, err := os.Open(filepath.Join(dir, "wikidata_p190_crawl_2016_relations.tsv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	edges, err := LoadEdgesTSV(f)
	if err != nil {
		tb.Fatal(err)
	}
	rows := readCSV(tb, filepath.Join(dir, "wikidata_p190_query_2021-11.csv"))
	for _, r := range rows {
		a, errA := ParseCityID(r["city"])
		b, errB := ParseCityID(r["sister"])
		if errA == nil && errB == nil {
			edges = append(edges, Edge{A: a, B: b})
		}
	}
	return canonical(edges)
}

func readCSV(tb testing.TB, path string) []map[string]string {
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		tb.Fatal(err)
	}
	var out []map[string]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			tb.Fatal(err)
		}
		m := map[string]string{}
		for i, h := range head {
			if i < len(rec) {
				m[h] = rec[i]
			}
		}
		out = append(out, m)
	}
}

type worldCity struct {
	lat, lon float64
	hasCoord bool
	pop      int64
	country  string
}

// Regional organisations by member country, as the caller would supply.
var regionalOrgs = map[string][]string{
	"EU":       strings.Fields("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"),
	"ECO":      strings.Fields("AF AZ IR KZ KG PK TJ TR TM UZ"),
	"ASEAN":    strings.Fields("BN KH ID LA MY MM PH SG TH VN"),
	"CIS":      strings.Fields("AM AZ BY KZ KG MD RU TJ UZ"),
	"GCC":      strings.Fields("BH KW OM QA SA AE"),
	"MERCOSUR": strings.Fields("AR BR PY UY"),
}

// worldFeatures joins Natural Earth (coordinates, population, ISO
// country), the 2021 query (coordinates, population) and the 2022 graph
// (country names mapped to ISO codes) on Q-numbers.
func worldFeatures(tb testing.TB) (Features, int) {
	dir := sharedData(tb)
	cities := map[int64]*worldCity{}
	get := func(id int64) *worldCity {
		c := cities[id]
		if c == nil {
			c = &worldCity{}
			cities[id] = c
		}
		return c
	}
	for _, r := range readCSV(tb, filepath.Join(dir, "gazetteer", "ne_10m_populated_places_multilingual.csv")) {
		id, err := ParseCityID(r["WIKIDATAID"])
		if err != nil {
			continue
		}
		c := get(id)
		c.lat, _ = strconv.ParseFloat(r["LATITUDE"], 64)
		c.lon, _ = strconv.ParseFloat(r["LONGITUDE"], 64)
		c.hasCoord = true
		c.pop, _ = strconv.ParseInt(r["POP_MAX"], 10, 64)
		if iso := r["ISO_A2"]; len(iso) == 2 {
			c.country = iso
		}
	}
	point := regexp.MustCompile(`Point\(([-0-9.eE]+) ([-0-9.eE]+)\)`)
	for _, r := range readCSV(tb, filepath.Join(dir, "sister_cities", "wikidata_p190_query_2021-11.csv")) {
		for _, side := range [][3]string{{"city", "city_population", "city_coordinate_location"}, {"sister", "sister_population", "sister_coordinate_location"}} {
			id, err := ParseCityID(r[side[0]])
			if err != nil {
				continue
			}
			c := get(id)
			if p, err := strconv.ParseFloat(r[side[1]], 64); err == nil && c.pop == 0 {
				c.pop = int64(p)
			}
			if m := point.FindStringSubmatch(r[side[2]]); m != nil && !c.hasCoord {
				c.lon, _ = strconv.ParseFloat(m[1], 64)
				c.lat, _ = strconv.ParseFloat(m[2], 64)
				c.hasCoord = true
			}
		}
	}
	isoByName := countryCodes(tb, filepath.Join(dir, "gazetteer", "i18n-iso-countries", "en.json"))
	gexf, err := os.ReadFile(filepath.Join(dir, "sister_cities", "wikidata_p190_cities_2022-01.gexf"))
	if err == nil {
		node := regexp.MustCompile(`(?s)<node id="(Q\d+)".*?<attvalue for="4" value="([^"]*)"`)
		for _, m := range node.FindAllSubmatch(gexf, -1) {
			id, _ := ParseCityID(string(m[1]))
			if iso := isoByName[strings.ToLower(string(m[2]))]; iso != "" && get(id).country == "" {
				get(id).country = iso
			}
		}
	}
	orgsOf := map[string][]string{}
	for org, members := range regionalOrgs {
		for _, m := range members {
			orgsOf[m] = append(orgsOf[m], org)
		}
	}
	f := Features{
		Coordinates: func(id int64) (float64, float64, bool) {
			c := cities[id]
			if c == nil || !c.hasCoord {
				return 0, 0, false
			}
			return c.lat, c.lon, true
		},
		Population: func(id int64) (int64, bool) {
			c := cities[id]
			return cityPop(c), c != nil && c.pop > 0
		},
		Country: func(id int64) string {
			if c := cities[id]; c != nil {
				return c.country
			}
			return ""
		},
		Orgs: func(id int64) []string {
			if c := cities[id]; c != nil {
				return orgsOf[c.country]
			}
			return nil
		},
	}
	return f, len(cities)
}

func cityPop(c *worldCity) int64 {
	if c == nil {
		return 0
	}
	return c.pop
}

func countryCodes(tb testing.TB, path string) map[string]string {
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Logf("no country names: %v", err)
		return nil
	}
	var doc struct {
		Countries map[string]json.RawMessage `json:"countries"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		tb.Fatal(err)
	}
	out := map[string]string{"united states of america": "US", "people's republic of china": "CN",
		"kingdom of the netherlands": "NL", "russia": "RU", "south korea": "KR", "czech republic": "CZ",
		"state of palestine": "PS", "turkey": "TR", "iran": "IR", "taiwan": "TW"}
	for code, raw := range doc.Countries {
		var one string
		var many []string
		if json.Unmarshal(raw, &one) == nil {
			many = []string{one}
		} else if json.Unmarshal(raw, &many) != nil {
			continue
		}
		for _, n := range many {
			if _, ok := out[strings.ToLower(n)]; !ok {
				out[strings.ToLower(n)] = code
			}
		}
	}
	return out
}
