package dataset

import (
	"bufio"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The files Build reads, relative to its source directory.
const (
	fileCrawlRelations = "sister_cities/wikidata_p190_crawl_2016_relations.tsv"
	fileCrawlNames     = "sister_cities/wikidata_p190_crawl_2016_names.tsv"
	fileQuery2021      = "sister_cities/wikidata_p190_query_2021-11.csv"
	fileGexf2022       = "sister_cities/wikidata_p190_cities_2022-01.gexf"
	fileHekmanRaw      = "sister_cities/hekman_twin_cities_raw.csv"
	fileHekmanGeo      = "sister_cities/hekman_twin_cities_geocoded.csv"
	fileEU2017         = "sister_cities/eu_sistercities_wikidata_2017.tsv"
	fileIsfahan        = "sister_cities/isfahan_sister_cities_facts.tsv"
	fileNaturalEarth   = "gazetteer/ne_10m_populated_places_multilingual.csv"
	dirCountries       = "gazetteer/i18n-iso-countries"
)

// point is a coordinate; ok is false when the source gave none.
type point struct {
	lat, lon float64
	ok       bool
}

// edge is a directed P190 statement: a lists b.
type edge struct{ a, b string }

// wikidataNode is what one Wikidata extract says about an item.
type wikidataNode struct {
	label   string
	country string // a country name, as the extract writes it
	at      point
	pop     int64
}

// wikidataSet is one Wikidata extract: its statements and what it says about the items.
type wikidataSet struct {
	edges    []edge
	nodes    map[string]*wikidataNode
	subjects map[string]bool // items the extract looked up as subjects (for one-sidedness)
	directed bool
}

func (w *wikidataSet) node(q string) *wikidataNode {
	n := w.nodes[q]
	if n == nil {
		n = &wikidataNode{}
		w.nodes[q] = n
	}
	return n
}

// openTable opens a delimited file with a header row and returns its rows as maps.
func readTable(path string, comma rune) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReader(f))
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.Comment = '#'
	if comma == '\t' {
		r.LazyQuotes = true
	}
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	var rows []map[string]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		m := make(map[string]string, len(head))
		for i, h := range head {
			if i < len(rec) {
				m[h] = strings.TrimSpace(rec[i])
			}
		}
		rows = append(rows, m)
	}
	return rows, nil
}

// readLines returns the tab-separated fields of every non-empty line of path.
func readLines(path string) ([][]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out [][]string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimRight(l, "\r"); strings.TrimSpace(l) != "" {
			out = append(out, strings.Split(l, "\t"))
		}
	}
	return out, nil
}

// readCrawl2016 reads L3viathan's directed P190 crawl and its labels.
func readCrawl2016(src string) (*wikidataSet, error) {
	w := &wikidataSet{nodes: map[string]*wikidataNode{}, subjects: map[string]bool{}, directed: true}
	rel, err := readLines(filepath.Join(src, fileCrawlRelations))
	if err != nil {
		return nil, err
	}
	for _, f := range rel {
		if len(f) < 2 || !isQ(f[0]) || !isQ(f[1]) {
			continue
		}
		w.edges = append(w.edges, edge{f[0], f[1]})
		w.node(f[0])
		w.node(f[1])
		// The crawl followed P190 from every item it met, so every item is a subject.
		w.subjects[f[0]], w.subjects[f[1]] = true, true
	}
	names, err := readLines(filepath.Join(src, fileCrawlNames))
	if err != nil {
		return nil, err
	}
	for _, f := range names {
		if len(f) >= 2 && w.nodes[f[0]] != nil && !isQ(f[1]) {
			w.nodes[f[0]].label = strings.TrimSpace(f[1])
		}
	}
	return w, nil
}

// readQuery2021 reads the 2021 SPARQL result. Rows repeat per population or coordinate
// statement; the largest population and the first coordinate win.
func readQuery2021(src string) (*wikidataSet, error) {
	rows, err := readTable(filepath.Join(src, fileQuery2021), ',')
	if err != nil {
		return nil, err
	}
	w := &wikidataSet{nodes: map[string]*wikidataNode{}, subjects: map[string]bool{}, directed: true}
	seen := map[edge]bool{}
	for _, r := range rows {
		a, b := qFromURL(r["city"]), qFromURL(r["sister"])
		if a == "" || b == "" {
			continue
		}
		w.subjects[a] = true
		if e := (edge{a, b}); !seen[e] {
			seen[e] = true
			w.edges = append(w.edges, e)
		}
		for _, side := range []struct{ q, label, pop, at string }{
			{a, r["cityLabel"], r["city_population"], r["city_coordinate_location"]},
			{b, r["sisterLabel"], r["sister_population"], r["sister_coordinate_location"]},
		} {
			n := w.node(side.q)
			if n.label == "" && !isQ(side.label) {
				n.label = side.label
			}
			if p, err := strconv.ParseFloat(side.pop, 64); err == nil && int64(p) > n.pop {
				n.pop = int64(p)
			}
			if !n.at.ok {
				n.at = parseWKTPoint(side.at)
			}
		}
	}
	return w, nil
}

// parseWKTPoint reads "Point(lon lat)".
func parseWKTPoint(s string) point {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "Point(") || !strings.HasSuffix(s, ")") {
		return point{}
	}
	f := strings.Fields(s[len("Point(") : len(s)-1])
	if len(f) != 2 {
		return point{}
	}
	return mkPoint(f[1], f[0])
}

// mkPoint parses a latitude and longitude, rejecting out-of-range values.
func mkPoint(lat, lon string) point {
	la, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
	lo, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
	if err1 != nil || err2 != nil || la < -90 || la > 90 || lo < -180 || lo > 180 || (la == 0 && lo == 0) {
		return point{}
	}
	return point{la, lo, true}
}

type gexfDoc struct {
	Nodes []struct {
		ID    string `xml:"id,attr"`
		Label string `xml:"label,attr"`
		Attrs []struct {
			For   string `xml:"for,attr"`
			Value string `xml:"value,attr"`
		} `xml:"attvalues>attvalue"`
	} `xml:"graph>nodes>node"`
	Edges []struct {
		Source string `xml:"source,attr"`
		Target string `xml:"target,attr"`
	} `xml:"graph>edges>edge"`
}

// readGexf2022 reads the cleaned undirected 2022 graph (attribute ids: 1 lon, 2 lat, 3 pop,
// 4 country).
func readGexf2022(src string) (*wikidataSet, error) {
	b, err := os.ReadFile(filepath.Join(src, fileGexf2022))
	if err != nil {
		return nil, err
	}
	var doc gexfDoc
	if err := xml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", fileGexf2022, err)
	}
	w := &wikidataSet{nodes: map[string]*wikidataNode{}, subjects: map[string]bool{}}
	for _, n := range doc.Nodes {
		if !isQ(n.ID) {
			continue
		}
		nd := w.node(n.ID)
		if !isQ(n.Label) {
			nd.label = strings.TrimSpace(n.Label)
		}
		var lat, lon string
		for _, a := range n.Attrs {
			switch a.For {
			case "1":
				lon = a.Value
			case "2":
				lat = a.Value
			case "3":
				nd.pop, _ = strconv.ParseInt(a.Value, 10, 64)
			case "4":
				nd.country = a.Value
			}
		}
		nd.at = mkPoint(lat, lon)
	}
	for _, e := range doc.Edges {
		if isQ(e.Source) && isQ(e.Target) {
			w.edges = append(w.edges, edge{e.Source, e.Target})
			w.node(e.Source)
			w.node(e.Target)
		}
	}
	return w, nil
}

// listRow is one pair from a list without Wikidata ids (Hekman, EU 2017).
type listRow struct {
	a, b listPlace
}

// listPlace is a city as a list names it.
type listPlace struct {
	name, country string
	at            point
	pop           int64
}

// readHekman reads the Wikipedia scrape: pairs from the raw file, coordinates from the
// geocoded one (which lacks the rows whose cities Nominatim did not find).
func readHekman(src string) ([]listRow, error) {
	geo, err := readTable(filepath.Join(src, fileHekmanGeo), ',')
	if err != nil {
		return nil, err
	}
	at := map[[2]string]point{}
	for _, r := range geo {
		for _, i := range []string{"1", "2"} {
			k := [2]string{r["city"+i], r["country"+i]}
			if _, ok := at[k]; !ok {
				at[k] = mkPoint(r["lat"+i], r["lng"+i])
			}
		}
	}
	raw, err := readTable(filepath.Join(src, fileHekmanRaw), ',')
	if err != nil {
		return nil, err
	}
	out := make([]listRow, 0, len(raw))
	for _, r := range raw {
		out = append(out, listRow{
			a: listPlace{name: r["city1"], country: r["country1"], at: at[[2]string{r["city1"], r["country1"]}]},
			b: listPlace{name: r["city2"], country: r["country2"], at: at[[2]string{r["city2"], r["country2"]}]},
		})
	}
	return out, nil
}

// readEU2017 reads the 2017 EU Wikidata runs.
func readEU2017(src string) ([]listRow, error) {
	rows, err := readTable(filepath.Join(src, fileEU2017), '\t')
	if err != nil {
		return nil, err
	}
	out := make([]listRow, 0, len(rows))
	for _, r := range rows {
		pa, _ := strconv.ParseInt(r["originpopulation"], 10, 64)
		pb, _ := strconv.ParseInt(r["destinationpopulation"], 10, 64)
		out = append(out, listRow{
			a: listPlace{name: r["origincityLabel"], country: r["origincountry"], at: mkPoint(r["originlat"], r["originlong"]), pop: pa},
			b: listPlace{name: r["sistercityLabel"], country: r["destination_countryLabel"], at: mkPoint(r["destinationlat"], r["destinationlong"]), pop: pb},
		})
	}
	return out, nil
}

// isfahanRow is one line of the municipality's table.
type isfahanRow struct {
	cityQ, partnerEN, partnerCountry, partnerQ, date, status, nameFA, nameAR, note string
	sources                                                                        []string
}

// readIsfahan reads isfahan_sister_cities_facts.tsv and the "# S1 = url (comment)" lines
// under it.
func readIsfahan(src string) ([]isfahanRow, map[string]sourceRef, error) {
	path := filepath.Join(src, fileIsfahan)
	lines, err := readLines(path)
	if err != nil {
		return nil, nil, err
	}
	refs := map[string]sourceRef{}
	var rows []isfahanRow
	for i, f := range lines {
		if strings.HasPrefix(f[0], "#") {
			parseSourceRef(strings.Join(f, " "), refs)
			continue
		}
		if i == 0 || len(f) < 7 {
			continue
		}
		get := func(j int) string {
			if j < len(f) {
				return strings.TrimSpace(f[j])
			}
			return ""
		}
		r := isfahanRow{cityQ: get(1), partnerEN: get(2), partnerCountry: get(3), partnerQ: get(4),
			date: get(5), status: get(6), nameFA: get(8), nameAR: get(9), note: get(10)}
		for _, s := range strings.Split(get(7), ";") {
			if s = strings.TrimSpace(s); s != "" {
				r.sources = append(r.sources, s)
			}
		}
		rows = append(rows, r)
	}
	return rows, refs, nil
}

// sourceRef is one of the S1..S4 references of the Isfahan table.
type sourceRef struct {
	url, title, date string
}

// parseSourceRef reads "# S2 = https://... (2021-06-11; quotes ...)".
func parseSourceRef(line string, refs map[string]sourceRef) {
	line = strings.TrimSpace(strings.TrimPrefix(line, "#"))
	key, rest, ok := strings.Cut(line, "=")
	key = strings.TrimSpace(key)
	if !ok || len(key) < 2 || key[0] != 'S' {
		return
	}
	rest = strings.TrimSpace(rest)
	url, comment, _ := strings.Cut(rest, " ")
	comment = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(comment), "("), ")")
	ref := sourceRef{url: url, title: comment}
	if len(comment) >= 10 && comment[4] == '-' && comment[7] == '-' {
		ref.date = comment[:10]
	} else if len(comment) >= 7 && comment[4] == '-' && (len(comment) == 7 || comment[7] == ';') {
		ref.date = comment[:7]
	}
	refs[key] = ref
}

// qFromURL turns "http://www.wikidata.org/entity/Q216" into "Q216".
func qFromURL(s string) string {
	s = s[strings.LastIndexByte(s, '/')+1:]
	if isQ(s) {
		return s
	}
	return ""
}

// isQ reports whether s is a Wikidata item id.
func isQ(s string) bool {
	if len(s) < 2 || s[0] != 'Q' {
		return false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
