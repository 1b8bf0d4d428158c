package exchange

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Table is a tabular file read as text: its header as written and its rows, each with the row
// number a spreadsheet would show. HeaderRow is the header's own row number: 1, unless the
// file opens with a title (see findHeader).
type Table struct {
	Header    []string
	HeaderRow int
	Rows      []TableRow
}

// TableRow is one row of a Table. Langs, when set, holds the language of each cell's text
// (SPARQL results say it).
type TableRow struct {
	Num   int
	Cells []string
	Langs []string
}

// maxInput bounds what a reader accepts, so a hostile file cannot exhaust memory.
const maxInput = 1 << 30

// headerSearch is how many non-blank rows findHeader looks at for the header.
const headerSearch = 10

// ReadCSV reads a CSV file: UTF-8 with or without a byte-order mark (or UTF-16 with one, as
// spreadsheets save "Unicode text"), separated by commas, semicolons or tabs: the one with
// which one of the first rows reads as a header, else the one the first line uses most.
// Blank rows are skipped; rows above the header (a title) are left out.
func ReadCSV(r io.Reader) (*Table, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxInput))
	if err != nil {
		return nil, err
	}
	data = toUTF8(data)
	t := &Table{}
	if err := t.readCSV(data, csvComma(data), 0); err != nil {
		return nil, err
	}
	return t, t.finish()
}

// readCSV reads records separated by comma into t, at most limit non-blank ones (0: all).
func (t *Table) readCSV(data []byte, comma rune, limit int) error {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	for n := 1; limit == 0 || len(t.Rows) < limit; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return rowErr(pe.StartLine, "", "%v", pe.Err)
			}
			return rowErr(n, "", "%v", err)
		}
		line, _ := cr.FieldPos(0)
		t.add(line, rec, nil)
	}
	return nil
}

// csvComma picks the separator: the first of the one the first line uses most, comma,
// semicolon and tab with which one of the first rows reads as a header.
func csvComma(data []byte) rune {
	first := sniffComma(data)
	for _, c := range []rune{first, ',', ';', '\t'} {
		probe := &Table{}
		if probe.readCSV(data, c, headerSearch) == nil && probe.headerAt() >= 0 {
			return c
		}
	}
	return first
}

// add appends a row, skipping blank ones. The header is among them until finish picks it.
func (t *Table) add(num int, cells, langs []string) {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			t.Rows = append(t.Rows, TableRow{Num: num, Cells: cells, Langs: langs})
			return
		}
	}
}

// finish picks the header among the rows read (findHeader), drops the rows above it and
// checks that the text is UTF-8.
func (t *Table) finish() error {
	if t.Header == nil {
		if len(t.Rows) == 0 {
			return rowErr(1, "", "the file is empty: it needs a header row")
		}
		i := t.findHeader()
		t.Header, t.HeaderRow = t.Rows[i].Cells, t.Rows[i].Num
		t.Rows = t.Rows[i+1:]
	}
	for i, c := range t.Header {
		if !utf8.ValidString(c) {
			return rowErr(t.HeaderRow, fmt.Sprintf("#%d", i+1), "the text is not UTF-8; save the file as UTF-8")
		}
	}
	for _, r := range t.Rows {
		for i, c := range r.Cells {
			if !utf8.ValidString(c) {
				return rowErr(r.Num, t.colName(i), "the text is not UTF-8; save the file as UTF-8")
			}
		}
	}
	return nil
}

// findHeader returns the index of the header among the first non-blank rows: offices put a
// title (often merged across the columns) and a blank row or a note above it. The header is
// the first row that names a column for each of the two cities; failing that, the row that
// names the most known columns; failing that, the first row.
func (t *Table) findHeader() int {
	if i := t.headerAt(); i >= 0 {
		return i
	}
	best, most := 0, 0
	for i := range min(len(t.Rows), headerSearch) {
		if n := knownColumns(t.Rows[i].Cells); n > most {
			best, most = i, n
		}
	}
	return best
}

// headerAt returns the index of the first of the first rows that names both cities, or -1.
func (t *Table) headerAt() int {
	for i := range min(len(t.Rows), headerSearch) {
		cols, _ := mapHeader(t.Rows[i].Cells, t.Rows[i].Num)
		if len(missingSides(cols)) == 0 {
			return i
		}
	}
	return -1
}

func (t *Table) colName(i int) string {
	if i < len(t.Header) {
		return strings.TrimSpace(t.Header[i])
	}
	return fmt.Sprintf("#%d", i+1)
}

// toUTF8 removes a UTF-8 byte-order mark, or decodes UTF-16 that starts with one.
func toUTF8(b []byte) []byte {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return b[3:]
	case len(b) >= 2 && (b[0] == 0xFF && b[1] == 0xFE || b[0] == 0xFE && b[1] == 0xFF):
		le := b[0] == 0xFF
		u := make([]uint16, 0, len(b)/2)
		for i := 2; i+1 < len(b); i += 2 {
			if le {
				u = append(u, uint16(b[i])|uint16(b[i+1])<<8)
			} else {
				u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
			}
		}
		return []byte(string(utf16.Decode(u)))
	}
	return b
}

// sniffComma picks the separator the first line uses most, outside quotes.
func sniffComma(b []byte) rune {
	line, _ := bufio.NewReader(bytes.NewReader(b)).ReadString('\n')
	counts := map[rune]int{}
	quoted := false
	for _, r := range line {
		switch r {
		case '"':
			quoted = !quoted
		case ',', ';', '\t':
			if !quoted {
				counts[r]++
			}
		}
	}
	best := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

// ReadXLSX reads the first sheet of an XLSX workbook. Cells come as stored, not as displayed:
// a date cell is its serial day number, which the date columns understand. Rows are numbered
// as the spreadsheet numbers them; a title above the header is left out (findHeader).
func ReadXLSX(r io.Reader) (t *Table, err error) {
	defer func() {
		if p := recover(); p != nil {
			t, err = nil, rowErr(0, "", "not a readable XLSX workbook (%v)", p)
		}
	}()
	f, err := excelize.OpenReader(io.LimitReader(r, maxInput), excelize.Options{RawCellValue: true, UnzipSizeLimit: maxInput, UnzipXMLSizeLimit: maxInput / 4})
	if err != nil {
		return nil, rowErr(0, "", "not a readable XLSX workbook: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, rowErr(0, "", "the workbook has no sheet")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, rowErr(0, "", "reading sheet %q: %v", sheets[0], err)
	}
	defer rows.Close()
	t = &Table{}
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, rowErr(n, "", "%v", err)
		}
		t.add(n, cells, nil)
	}
	if err := rows.Error(); err != nil {
		return nil, rowErr(0, "", "reading sheet %q: %v", sheets[0], err)
	}
	return t, t.finish()
}

// sparqlResult is the JSON form of a SPARQL SELECT result.
type sparqlResult struct {
	Head struct {
		Vars []string `json:"vars"`
	} `json:"head"`
	Results *struct {
		Bindings []map[string]struct {
			Type  string `json:"type"`
			Value string `json:"value"`
			Lang  string `json:"xml:lang"`
		} `json:"bindings"`
	} `json:"results"`
}

// ReadSPARQLJSON reads a SPARQL SELECT result in its JSON form as a table: the variables are
// the header, each binding a row (row n+1 for the n-th binding), literals keep their language.
func ReadSPARQLJSON(r io.Reader) (*Table, error) {
	var res sparqlResult
	dec := json.NewDecoder(io.LimitReader(r, maxInput))
	if err := dec.Decode(&res); err != nil {
		return nil, rowErr(0, "", "not a SPARQL JSON result: %v", err)
	}
	if len(res.Head.Vars) == 0 || res.Results == nil {
		return nil, rowErr(0, "", `not a SPARQL JSON result: no "head.vars" or "results.bindings"`)
	}
	t := &Table{Header: res.Head.Vars, HeaderRow: 1}
	for i, b := range res.Results.Bindings {
		cells := make([]string, len(t.Header))
		langs := make([]string, len(t.Header))
		for j, v := range t.Header {
			cells[j], langs[j] = b[v].Value, b[v].Lang
		}
		t.add(i+2, cells, langs)
	}
	return t, t.finish()
}
