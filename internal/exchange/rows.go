package exchange

import (
	"strings"

	"github.com/twinning/twinning/internal/twin"
)

// Row is one agreement row of a tabular file, read and checked.
type Row struct {
	Num      int
	Cities   [2]CityCell
	Kind     string // "" when the file does not say
	Status   string // "" when the file does not say
	Proposed *twin.PartialDate
	Signed   *twin.PartialDate
	Ended    *twin.PartialDate
	Domains  []string
	URLs     []string
	Note     twin.Names
	// Wikidata is set for rows of Wikidata query results.
	Wikidata bool
	// Bad is set when a cell has a problem: the import still looks the row's cities up, to
	// report every problem at once, but plans nothing for it.
	Bad  bool
	cols map[string]string // canonical column → header as written, for messages
}

// CityCell is what a row says about one of its two cities.
type CityCell struct {
	Name       string     // the name in the city_a column, whose language the file may not say
	NameLang   string     // its language when the file says it (SPARQL results do)
	Names      twin.Names // names from the per-language columns
	Country    string
	Wikidata   string
	ID         int64
	Lat, Lon   *float64
	Population int64
	// badCountry is set when the country cell has a problem already reported.
	badCountry bool
}

// col names a column for a message: as the file wrote it, or by its canonical name.
func (r *Row) col(name string) string {
	if h, ok := r.cols[name]; ok {
		return h
	}
	return name
}

// ParseTable reads the rows of a tabular file (CSV, XLSX or Wikidata query results) into
// agreement rows, checking every cell against v. It returns every problem it finds; rows with
// problems are marked Bad.
func ParseTable(t *Table, v *Vocab) ([]*Row, Errors) {
	hr := max(t.HeaderRow, 1)
	cols, errs := mapHeader(t.Header, hr)
	byName := map[string]string{}
	wikidata := false
	for i, c := range cols {
		if c.name != "" {
			byName[c.name+"/"+c.lang] = strings.TrimSpace(t.Header[i])
			wikidata = wikidata || c.wikidata
		}
	}
	if missing := missingSides(cols); len(missing) > 0 {
		errs = append(errs, rowErr(hr, "", "the header names no column for %s: a file needs city_a and city_b (or «شهر الف» and «شهر ب»), or their Wikidata ids", strings.Join(missing, " and ")))
		return nil, errs
	}
	colNames := map[string]string{}
	for k, h := range byName {
		colNames[strings.TrimSuffix(k, "/")] = h
	}
	var rows []*Row
	for _, tr := range t.Rows {
		r := &Row{Num: tr.Num, Wikidata: wikidata, cols: colNames}
		cells := map[string]string{}
		langs := map[string]string{}
		for i, c := range cols {
			if c.name == "" || i >= len(tr.Cells) {
				continue
			}
			val := strings.TrimSpace(tr.Cells[i])
			if val == "" {
				continue
			}
			if c.lang != "" {
				side := strings.TrimSuffix(c.name, "_name")
				cells[side+"_name_"+c.lang] = val
				continue
			}
			cells[c.name] = val
			if tr.Langs != nil {
				langs[c.name] = tr.Langs[i]
			}
		}
		rowErrs := r.parse(cells, langs, v)
		errs = append(errs, rowErrs...)
		r.Bad = len(rowErrs) > 0
		rows = append(rows, r)
	}
	return rows, errs
}

// parse fills the row from its cells (canonical column → text).
func (r *Row) parse(cells, langs map[string]string, v *Vocab) Errors {
	var errs Errors
	bad := func(col string, err error) { errs = append(errs, rowErr(r.Num, r.col(col), "%v", err)) }
	for i, side := range []string{cityA, cityB} {
		c := &r.Cities[i]
		c.Names = twin.Names{}
		for k, val := range cells {
			if tag, ok := strings.CutPrefix(k, side+"_name_"); ok {
				c.Names[tag] = clean(val)
			}
		}
		if s := cells[side]; s != "" {
			c.Name, c.NameLang = clean(s), langs[side]
		}
		if s := cells[side+sideWikidata]; s != "" {
			q, err := parseQID(s)
			if err != nil {
				bad(side+sideWikidata, err)
			}
			c.Wikidata = q
		}
		if s := cells[side+sideID]; s != "" {
			id, err := parseInt(s)
			if err != nil || id <= 0 {
				bad(side+sideID, errorString("«"+s+"» is not a record id"))
			}
			c.ID = id
		}
		if c.Name == "" && len(c.Names) == 0 && c.Wikidata == "" && c.ID == 0 {
			bad(side, errorString("the city is missing: give its name, Wikidata id or id"))
		}
		if s := cells[side+sideCountry]; s != "" {
			code, err := v.country(s)
			if err != nil {
				bad(side+sideCountry, err)
				c.badCountry = true
			}
			c.Country = code
		}
		r.parseCoords(c, side, cells, bad)
		if s := cells[side+sidePopulation]; s != "" {
			n, err := parseInt(s)
			if err != nil || n < 0 {
				bad(side+sidePopulation, errorString("«"+s+"» is not a population"))
			}
			c.Population = n
		}
	}
	if s := cells[colKind]; s != "" {
		k, err := choice(kindWords, s, "kind of agreement", twin.AgreementKinds)
		if err != nil {
			bad(colKind, err)
		}
		r.Kind = k
	}
	if s := cells[colStatus]; s != "" {
		st, err := choice(statusWords, s, "status", twin.AgreementStatuses)
		if err != nil {
			bad(colStatus, err)
		}
		r.Status = st
	}
	for _, d := range []struct {
		col, calCol string
		dst         **twin.PartialDate
	}{{colSigned, colSignedCal, &r.Signed}, {colProposed, colProposedCal, &r.Proposed}, {colEnded, colEndedCal, &r.Ended}} {
		cal := ""
		if s := cells[d.calCol]; s != "" {
			c, err := choice(calendarWords, s, "calendar", []string{"jalali", "gregorian", "hijri"})
			if err != nil {
				bad(d.calCol, err)
			}
			cal = c
		}
		if s := cells[d.col]; s != "" {
			pd, err := parseDate(s, cal)
			if err != nil {
				bad(d.col, err)
			}
			*d.dst = pd
		}
	}
	if s := cells[colDomains]; s != "" {
		ds, err := v.domainList(s)
		if err != nil {
			bad(colDomains, err)
		}
		r.Domains = ds
	}
	if s := cells[colSourceURL]; s != "" {
		us, err := parseURLs(s)
		if err != nil {
			bad(colSourceURL, err)
		}
		r.URLs = us
	}
	if s := cells[colNote]; s != "" {
		s = clean(s)
		r.Note = twin.Names{scriptLang(s): s}
	}
	if r.Signed != nil && r.Proposed != nil && r.Signed.End < r.Proposed.Start {
		bad(colSigned, errorString("the agreement is signed before it was proposed"))
	}
	if r.Ended != nil && r.Signed != nil && r.Ended.End < r.Signed.Start {
		bad(colEnded, errorString("the agreement ends before it was signed"))
	}
	if len(errs) == 0 && r.sameCity() && !r.Wikidata {
		bad(cityB, errorString("both sides name the same city"))
	}
	return errs
}

func (r *Row) parseCoords(c *CityCell, side string, cells map[string]string, bad func(string, error)) {
	if s := cells[side+sideCoord]; s != "" {
		lat, lon, err := parseCoord(s)
		if err != nil {
			bad(side+sideCoord, err)
			return
		}
		c.Lat, c.Lon = &lat, &lon
	}
	la, lo := cells[side+sideLat], cells[side+sideLon]
	if la == "" && lo == "" {
		return
	}
	if la == "" || lo == "" {
		bad(side+sideLat, errorString("give both latitude and longitude"))
		return
	}
	lat, err := parseFloat(la)
	if err != nil || lat < -90 || lat > 90 {
		bad(side+sideLat, errorString("«"+la+"» is not a latitude (-90 to 90)"))
		return
	}
	lon, err := parseFloat(lo)
	if err != nil || lon < -180 || lon > 180 {
		bad(side+sideLon, errorString("«"+lo+"» is not a longitude (-180 to 180)"))
		return
	}
	c.Lat, c.Lon = &lat, &lon
}

func (r *Row) sameCity() bool {
	a, b := r.Cities[0], r.Cities[1]
	switch {
	case a.Wikidata != "" && b.Wikidata != "":
		return a.Wikidata == b.Wikidata
	case a.ID != 0 && b.ID != 0:
		return a.ID == b.ID
	case a.Wikidata == "" && b.Wikidata == "" && a.ID == 0 && b.ID == 0:
		return a.Country == b.Country && a.Name != "" && headerKey(a.Name) == headerKey(b.Name)
	}
	return false
}

type errorString string

func (e errorString) Error() string { return string(e) }
