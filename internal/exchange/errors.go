package exchange

import (
	"fmt"
	"sort"
	"strings"
)

// RowError is one problem of an input file, where it is: the row (a spreadsheet row, the
// header being row 1; a line for JSON Lines) and, where it applies, the column as the file
// names it.
type RowError struct {
	Row    int
	Column string
	Msg    string
}

// Error implements error: `row 14, column "signed": «1404/12/30» does not exist in the Jalali calendar`.
func (e *RowError) Error() string {
	var b strings.Builder
	if e.Row > 0 {
		fmt.Fprintf(&b, "row %d", e.Row)
	}
	if e.Column != "" {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "column %q", e.Column)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem an import found, in row order. An import with errors writes nothing.
type Errors []*RowError

// Error implements error with the first problems, one a line.
func (es Errors) Error() string {
	const show = 20
	var b strings.Builder
	for i, e := range es {
		if i == show {
			fmt.Fprintf(&b, "\n... and %d more", len(es)-show)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

func (es Errors) sort() {
	sort.SliceStable(es, func(i, j int) bool { return es[i].Row < es[j].Row })
}

func rowErr(row int, col, format string, args ...any) *RowError {
	return &RowError{Row: row, Column: col, Msg: fmt.Sprintf(format, args...)}
}
