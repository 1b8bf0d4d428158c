package exchange

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/twinning/twinning/internal/twin"
)

// tabular imports agreement rows (CSV, XLSX, Wikidata query results) inside one transaction.
// It reads every row first, matching or planning each city and agreement in memory, and only
// when no row has a problem writes what changed: new cities, changed cities, new agreements,
// changed agreements.
type tabular struct {
	*session
	cities *cityIndex
	pairs  map[[2]int]*agreementEntry
	agrs   []*agreementEntry
}

// agreementEntry is one agreement the import touched, as read (orig, nil when new) and as it
// will be written (rec).
type agreementEntry struct {
	rec    *twin.Agreement
	orig   *twin.Agreement
	a, b   *cityEntry
	row    int
	detail []string
}

func (s *session) importRows(ctx context.Context, rows []*Row) error {
	x := &tabular{session: s, cities: newCityIndex(s.t, s.db), pairs: map[[2]int]*agreementEntry{}}
	s.progress("rows", 0, len(rows))
	for i, r := range rows {
		if err := x.row(ctx, r); err != nil {
			return err
		}
		s.progress("rows", i+1, len(rows))
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	if len(s.rep.Errors) > 0 {
		return nil
	}
	return x.flush(ctx)
}

// row matches or plans the row's two cities and their agreement. Problems go to the report.
func (x *tabular) row(ctx context.Context, r *Row) error {
	var ends [2]*cityEntry
	for i, side := range []string{cityA, cityB} {
		e, err := x.city(ctx, r, side, &r.Cities[i])
		if err != nil {
			return err
		}
		if e == nil {
			return nil
		}
		ends[i] = e
	}
	if r.Bad {
		return nil
	}
	if ends[0] == ends[1] {
		if r.Wikidata {
			// Wikidata has items twinned with themselves; a query result is no place to fix them.
			x.act(Action{Row: r.Num, Op: OpIgnore, Kind: TypeAgreement, Label: label(ends[0].rec), Detail: "a city twinned with itself"})
			x.rep.count(OpIgnore, TypeAgreement)
			return nil
		}
		x.fail(rowErr(r.Num, r.col(cityB), "both sides are the same city, %s", label(ends[0].rec)))
		return nil
	}
	return x.agreement(ctx, r, ends)
}

// city finds the row's city, merging what the row says into it, or plans a new one.
func (x *tabular) city(ctx context.Context, r *Row, side string, cell *CityCell) (*cityEntry, error) {
	want := &twin.City{Wikidata: cell.Wikidata, Names: twin.Names{}, Country: cell.Country, Lat: cell.Lat, Lon: cell.Lon, Population: cell.Population}
	want.ID = cell.ID
	for l, n := range cell.Names {
		want.Names[l] = n
	}
	if cell.Name != "" {
		if cell.NameLang != "" {
			if _, ok := want.Names[cell.NameLang]; !ok {
				want.Names[cell.NameLang] = cell.Name
			}
		} else {
			want.Aliases = []string{cell.Name}
		}
	}
	e, err := x.cities.find(ctx, want)
	if err != nil {
		return nil, err
	}
	if e != nil {
		e.named = true
		want.ID = 0
		if err := mergeCity(e, want); err != nil {
			return nil, err
		}
		x.cities.reindex(e)
		return e, nil
	}
	if cell.badCountry {
		return nil, nil
	}
	if cell.Country == "" && cell.Wikidata == "" {
		what := cell.Name
		if what == "" {
			what = cell.Wikidata
		}
		if what == "" {
			what = fmt.Sprint(cell.ID)
		}
		x.fail(rowErr(r.Num, r.col(side+sideCountry), "the city «%s» is not in the registry: give its country (or Wikidata id) to add it", what))
		return nil, nil
	}
	// A new city: the name without a language takes the language of its script.
	want.ID, want.Aliases = 0, nil
	if cell.Name != "" && cell.NameLang == "" {
		lang := scriptLang(cell.Name)
		if r.Wikidata {
			lang = "und"
		}
		if _, ok := want.Names[lang]; !ok {
			want.Names[lang] = cell.Name
		} else if want.Names[lang] != cell.Name {
			want.Aliases = []string{cell.Name}
		}
	}
	if len(want.Names) == 0 {
		want.Names["und"] = cell.Wikidata
	}
	want.Sources = []twin.Source{x.src}
	if err := want.Validate(); err != nil {
		x.fieldErrors(r, side, err)
		return nil, nil
	}
	return x.cities.add(want, r.Num, side), nil
}

// agreement finds the agreement between the two cities, merging the row into it, or plans
// a new one.
func (x *tabular) agreement(ctx context.Context, r *Row, ends [2]*cityEntry) error {
	key := [2]int{min(ends[0].n, ends[1].n), max(ends[0].n, ends[1].n)}
	e, ok := x.pairs[key]
	if !ok && ends[0].rec.ID != 0 && ends[1].rec.ID != 0 {
		as, err := x.t.AgreementsBetweenTx(ctx, ends[0].rec.ID, ends[1].rec.ID)
		if err != nil {
			return err
		}
		if len(as) > 0 {
			orig := *as[0]
			e = &agreementEntry{rec: as[0], orig: &orig, a: ends[0], b: ends[1], row: r.Num}
			x.pairs[key] = e
			x.agrs = append(x.agrs, e)
			ok = true
		}
	}
	in := &twin.Agreement{Kind: r.Kind, Status: r.Status, Proposed: r.Proposed, Signed: r.Signed, Ended: r.Ended,
		Domains: r.Domains, Notes: r.Note}
	for _, u := range r.URLs {
		in.Sources = append(in.Sources, twin.Source{URL: u})
	}
	if !ok {
		in.Cities = []string{"", ""}
		if in.Kind == "" {
			in.Kind = twin.KindSister
		}
		if in.Status == "" {
			in.Status = defaultStatus(r)
		}
		in.Sources = append(in.Sources, x.src)
		check := *in
		check.Cities = []string{"a", "b"}
		if err := check.Validate(x.known); err != nil {
			x.fieldErrors(r, "", err)
			return nil
		}
		e = &agreementEntry{rec: in, a: ends[0], b: ends[1], row: r.Num}
		x.pairs[key] = e
		x.agrs = append(x.agrs, e)
		x.act(Action{Row: r.Num, Op: OpCreate, Kind: TypeAgreement, Label: pairLabel(e)})
		return nil
	}
	src := x.src
	src.Note = fmt.Sprintf("row %d", r.Num)
	merged, changed, err := mergeAgreement(e.rec, in, src)
	if err != nil {
		return err
	}
	if len(changed) == 0 {
		if e.orig != nil {
			x.act(Action{Row: r.Num, Op: OpSkip, Kind: TypeAgreement, ID: e.rec.ID, Label: pairLabel(e)})
		}
		return nil
	}
	e.rec = merged
	e.detail = appendAll(e.detail, changed)
	return nil
}

// defaultStatus is the status of a new agreement whose row does not say: the latest stage
// its dates show, else signed (registries list twinned towns).
func defaultStatus(r *Row) string {
	switch {
	case r.Ended != nil:
		return twin.StatusEnded
	case r.Signed == nil && r.Proposed != nil:
		return twin.StatusProposed
	}
	return twin.StatusSigned
}

// flush writes the planned records: new cities, changed cities, new agreements, changed
// agreements.
func (x *tabular) flush(ctx context.Context) error {
	var newCities, changedCities []*cityEntry
	for _, e := range x.cities.entries {
		switch {
		case !e.named:
			// Read only to match names against (a country's cities): not the file's.
		case e.orig == nil:
			newCities = append(newCities, e)
		case !sameRecord(e.orig, e.rec):
			changedCities = append(changedCities, e)
		default:
			x.rep.count(OpSkip, TypeCity)
		}
	}
	var newAgrs, changedAgrs []*agreementEntry
	for _, e := range x.agrs {
		switch {
		case e.orig == nil:
			newAgrs = append(newAgrs, e)
		case !sameRecord(e.orig, e.rec):
			changedAgrs = append(changedAgrs, e)
		default:
			x.rep.count(OpSkip, TypeAgreement)
		}
	}
	total := len(newCities) + len(changedCities) + len(newAgrs) + len(changedAgrs)
	done := 0
	step := func() error {
		done++
		x.progress("written", done, total)
		return ctx.Err()
	}
	x.progress("written", 0, total)
	for _, e := range newCities {
		c, err := x.db.Cities.CreateTx(ctx, x.t, e.rec)
		if err != nil {
			return x.storeErr(e.row, e.side, err)
		}
		e.rec = c
		x.rep.count(OpCreate, TypeCity)
		x.act(Action{Row: e.row, Op: OpCreate, Kind: TypeCity, ID: c.ID, Label: label(c)})
		if err := step(); err != nil {
			return err
		}
	}
	for _, e := range changedCities {
		rec := e.rec
		c, err := x.db.Cities.UpdateTx(ctx, x.t, e.orig.ID, e.orig.Version, func(c *twin.City) error { *c = *rec; return nil })
		if err != nil {
			return x.storeErr(e.row, e.side, err)
		}
		x.rep.count(OpChange, TypeCity)
		x.act(Action{Row: e.row, Op: OpChange, Kind: TypeCity, ID: c.ID, Label: label(c), Detail: strings.Join(e.detail, ", ")})
		if err := step(); err != nil {
			return err
		}
	}
	for _, e := range newAgrs {
		e.rec.Cities = []string{e.a.rec.Ref(), e.b.rec.Ref()}
		a, err := x.db.Agreements.CreateTx(ctx, x.t, e.rec)
		if err != nil {
			return x.storeErr(e.row, "", err)
		}
		x.rep.count(OpCreate, TypeAgreement)
		e.rec = a
		if err := step(); err != nil {
			return err
		}
	}
	for _, e := range changedAgrs {
		rec := e.rec
		a, err := x.db.Agreements.UpdateTx(ctx, x.t, e.orig.ID, e.orig.Version, func(a *twin.Agreement) error { *a = *rec; return nil })
		if err != nil {
			return x.storeErr(e.row, "", err)
		}
		x.rep.count(OpChange, TypeAgreement)
		x.act(Action{Row: e.row, Op: OpChange, Kind: TypeAgreement, ID: a.ID, Label: pairLabel(e), Detail: strings.Join(e.detail, ", ")})
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// fieldErrors reports a validation error of the row's city (side) or agreement (side "") as
// errors on the columns that hold the fields at fault.
func (x *tabular) fieldErrors(r *Row, side string, err error) {
	fields := twin.ErrorFields(err)
	if fields == nil {
		x.fail(rowErr(r.Num, "", "%v", err))
		return
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		x.fail(rowErr(r.Num, r.col(columnOf(side, k)), "%s", fieldMessage(fields[k])))
	}
}

// storeErr turns an error of a write into the report's error at the row that planned the
// record, and stops the import.
func (x *session) storeErr(row int, side string, err error) error {
	return x.storeErrAt(row, func(field string) string { return columnOf(side, field) }, err)
}

// storeErrAt is storeErr with the mapping of fields to columns given.
func (x *session) storeErrAt(row int, column func(string) string, err error) error {
	code := twin.ErrorCode(err)
	if code == twin.EINTERNAL {
		return fmt.Errorf("row %d: %w", row, err)
	}
	fields := twin.ErrorFields(err)
	if len(fields) == 0 {
		x.fail(rowErr(row, "", "%v", err))
	}
	if code != twin.EINVALID {
		// A constraint the database enforced: on PostgreSQL the transaction is over.
		return x.rep.Errors
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		x.fail(rowErr(row, column(k), "%s", fieldMessage(fields[k])))
	}
	return nil
}

// columnOf maps a record's field to the column that fills it.
func columnOf(side, field string) string {
	base, _, _ := strings.Cut(field, "[")
	base, _, _ = strings.Cut(base, ".")
	if side != "" {
		switch base {
		case "names", "aliases":
			return side
		case "lat", "lon", "population", "country", "wikidata":
			return side + "_" + base
		}
		return side
	}
	switch base {
	case "cities":
		return cityB
	case "kind", "status", "signed", "proposed", "ended", "domains", "note":
		return base
	case "notes":
		return colNote
	case "sources":
		return colSourceURL
	}
	return base
}

// fieldMessage says a field problem in English.
func fieldMessage(fe twin.FieldError) string {
	v := fe.Params["value"]
	switch fe.Key {
	case twin.KeyRequired:
		return "a value is required"
	case twin.KeyInvalidCode:
		return fmt.Sprintf("«%v» is not an ISO 3166 country code", v)
	case twin.KeyInvalidQID:
		return fmt.Sprintf("«%v» is not a Wikidata id", v)
	case twin.KeyUnknownDomain:
		return fmt.Sprintf("«%v» is not a known cooperation domain", v)
	case twin.KeyDateOrder:
		return "the dates are out of order"
	case twin.KeyInvalidChoice:
		return fmt.Sprintf("«%v» is not one of %v", v, fe.Params["choices"])
	case twin.KeyUnknownCity:
		return fmt.Sprintf("the city «%v» is not in the registry", v)
	case twin.KeyUnknownRecord:
		return fmt.Sprintf("record %v is not in the registry", v)
	case twin.KeySameCity:
		return "both sides are the same city"
	case twin.KeyRange:
		return fmt.Sprintf("out of range (%v to %v)", fe.Params["min"], fe.Params["max"])
	}
	if v != nil {
		return fmt.Sprintf("%s («%v»)", fe.Key, v)
	}
	return fe.Key
}

func label(c *twin.City) string {
	s := c.Names.Pick("en")
	if c.Country != "" {
		s += " (" + c.Country + ")"
	}
	return s
}

func pairLabel(e *agreementEntry) string { return label(e.a.rec) + " — " + label(e.b.rec) }
