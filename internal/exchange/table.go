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
// number a spreadsheet would show (the header is row 1).
type Table struct {
	Header []string
	Rows   []TableRow
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

// ReadCSV reads a CSV file: UTF-8 with or without a byte-order mark (or UTF-16 with one, as
// spreadsheets save "Unicode text"), separated by commas, semicolons or tabs, whichever the
// header line uses most. Blank rows are skipped.
func ReadCSV(r io.Reader) (*Table, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxInput))
	if err != nil {
		return nil, err
	}
	data = toUTF8(data)
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = sniffComma(data)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	t := &Table{}
	for n := 1; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, rowErr(pe.StartLine, "", "%v", pe.Err)
			}
			return nil, rowErr(n, "", "%v", err)
		}
		line, _ := cr.FieldPos(0)
		if err := t.add(line, rec, nil); err != nil {
			return nil, err
		}
	}
	return t, t.check()
}

// add appends a row (the header first), skipping blank ones and checking the text is UTF-8.
func (t *Table) add(num int, cells, langs []string) error {
	blank := true
	for i, c := range cells {
		if !utf8.ValidString(c) {
			return rowErr(num, t.colName(i), "the text is not UTF-8; save the file as UTF-8")
		}
		if strings.TrimSpace(c) != "" {
			blank = false
		}
	}
	if blank {
		return nil
	}
	if t.Header == nil {
		t.Header = cells
		return nil
	}
	t.Rows = append(t.Rows, TableRow{Num: num, Cells: cells, Langs: langs})
	return nil
}

func (t *Table) colName(i int) string {
	if i < len(t.Header) {
		return strings.TrimSpace(t.Header[i])
	}
	return fmt.Sprintf("#%d", i+1)
}

func (t *Table) check() error {
	if t.Header == nil {
		return rowErr(1, "", "the file is empty: it needs a header row")
	}
	return nil
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
// a date cell is its serial day number, which the date columns understand.
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
		if err := t.add(n, cells, nil); err != nil {
			return nil, err
		}
	}
	if err := rows.Error(); err != nil {
		return nil, rowErr(0, "", "reading sheet %q: %v", sheets[0], err)
	}
	return t, t.check()
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
	t := &Table{Header: res.Head.Vars}
	for i, b := range res.Results.Bindings {
		cells := make([]string, len(t.Header))
		langs := make([]string, len(t.Header))
		for j, v := range t.Header {
			cells[j], langs[j] = b[v].Value, b[v].Lang
		}
		if err := t.add(i+2, cells, langs); err != nil {
			return nil, err
		}
	}
	return t, nil
}
