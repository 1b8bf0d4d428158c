package exchange

import (
	"bytes"
	"errors"
	"testing"

	"github.com/twinning/twinning/internal/dataset"
)

// checkErr fails unless err is nil or a *RowError; rowed says whether it must name a row.
func checkErr(t *testing.T, err error, rowed bool) {
	t.Helper()
	if err == nil {
		return
	}
	var re *RowError
	if !errors.As(err, &re) {
		t.Fatalf("error %T without a row: %v", err, err)
	}
	if rowed && re.Row <= 0 {
		t.Fatalf("error without a row: %v", err)
	}
}

// checkTable parses a table read from fuzzed input: every problem names its row.
func checkTable(t *testing.T, tbl *Table) {
	t.Helper()
	rows, errs := ParseTable(tbl, DefaultVocab())
	for _, e := range errs {
		if e.Row <= 0 || e.Msg == "" {
			t.Fatalf("problem without a row: %v", e)
		}
		if e.Row > 1 && e.Column == "" {
			t.Fatalf("cell problem without a column: %v", e)
		}
	}
	for _, r := range rows {
		if r.Num <= 1 {
			t.Fatalf("row number %d", r.Num)
		}
	}
}

var csvSeeds = []string{
	"city_a,city_a_country,city_b,city_b_country,signed\nIsfahan,IR,Samarkand,UZ,1400/04/30\n",
	"\uFEFFشهر الف;کشور الف;شهر ب;کشور ب;تاریخ امضا;حوزه‌ها\nاصفهان;IR;سمرقند;UZ;۱۴۰۴/۱۲/۳۰;گردشگری، فرهنگ\n",
	"city\tcityLabel\tsister\tsisterLabel\tsister_coordinate_location\nQ1\tA\tQ2\tB\tPoint(1 2)\n",
	"city_a,city_b,\"quoted\nheader\"\n\"a\"\"b\",c,d\n",
	"city_a,city_a_lat,city_a_lon,city_b,signed_calendar,signed,city_a_population\nX,91,0,Y,hijri,1450-13,1.234.567\n",
}

func FuzzReadCSV(f *testing.F) {
	for _, s := range csvSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte{0xFF, 0xFE, 'c', 0, 'i', 0, '\n', 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		tbl, err := ReadCSV(bytes.NewReader(b))
		checkErr(t, err, true)
		if err == nil {
			checkTable(t, tbl)
		}
	})
}

func FuzzReadXLSX(f *testing.F) {
	f.Add(xlsxFile(f, [][]any{{"شهر الف", "کشور الف", "شهر ب", "کشور ب", "تاریخ امضا"}, {"Isfahan", "IR", "Samarkand", "UZ", 44398}}))
	f.Add(xlsxFile(f, [][]any{{}, {"city_a", "city_b"}, {"a", "b"}, {}, {"c", 12.5}}))
	f.Add([]byte("PK\x03\x04 not a zip"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tbl, err := ReadXLSX(bytes.NewReader(b))
		checkErr(t, err, false)
		if err == nil {
			checkTable(t, tbl)
		}
	})
}

func FuzzReadJSONL(f *testing.F) {
	var buf bytes.Buffer
	WriteJSONL(&buf, fixture())
	f.Add(buf.Bytes())
	f.Add([]byte(`{"type":"city","record":{"id":"x"}}` + "\n"))
	f.Add([]byte(`{"type":"planet","record":{}}`))
	f.Add([]byte("\n\n{\"type\":\"agreement\",\"record\":{\"signed\":{\"calendar\":1}}}\n"))
	f.Add([]byte{0x1f, 0x8b, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		n := 0
		err := ReadJSONL(bytes.NewReader(b), func(r dataset.Record) error {
			n++
			if r.Line <= 0 {
				t.Fatalf("record without a line: %+v", r)
			}
			return nil
		})
		checkErr(t, err, true)
	})
}
