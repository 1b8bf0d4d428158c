package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/twinning/twinning/internal/twin"
)

// Scope is what a record touches: the cities and institutions whose editors may change it.
type Scope struct {
	Cities       []int64
	Institutions []int64
}

// Guard decides whether the writer of a transaction may do action ("create", "update",
// "delete") to a record of kind that touches sc. The tables call it inside the write's
// transaction, with the references read there, for the record as it was and as it will be.
type Guard func(kind, action string, sc Scope) error

type guardKey struct{}

// WithGuard returns a context whose writes are checked by g.
func WithGuard(ctx context.Context, g Guard) context.Context {
	return context.WithValue(ctx, guardKey{}, g)
}

func (tb *Table[T]) guard(ctx context.Context, q querier, lock bool, action string, rec *T) error {
	g, _ := ctx.Value(guardKey{}).(Guard)
	if g == nil {
		return nil
	}
	return g(string(tb.kind), action, tb.db.scopeOf(ctx, q, lock, rec))
}

// Scope returns what rec (a *twin.City, *twin.Agreement, ...) touches, read from the registry
// as it is now. Unresolvable references add nothing, so a bad reference can only narrow what
// an editor may do.
func (db *DB) Scope(ctx context.Context, rec any) Scope {
	return db.scopeOf(ctx, dbq{db}, false, rec)
}

// refs reads the records a write refers to: through a transaction (and, on PostgreSQL, locking
// them against change until it commits, lock) or through the reader pool.
type refs struct {
	db   *DB
	q    querier
	lock bool
}

func (rf refs) row(ctx context.Context, table string, id int64) *sql.Row {
	q := "SELECT " + selectCols + " FROM " + table + " WHERE id = ? AND deleted IS NULL"
	if rf.lock && rf.db.d.name == "postgres" {
		// Another transaction may not change or delete what this write relies on before it
		// commits (SQLite's single writer serializes writes already).
		q += " FOR SHARE"
	}
	return rf.q.QueryRowContext(ctx, rf.db.d.rebind(q), id)
}

func refGet[T any](ctx context.Context, rf refs, tb *Table[T], id int64) (*T, error) {
	rec, err := tb.scan(rf.row(ctx, tb.table(), id))
	if err == sql.ErrNoRows {
		return nil, twin.Errorf(twin.ENOTFOUND, "%s %d not found", tb.kind, id)
	}
	return rec, err
}

func (rf refs) agreement(ctx context.Context, id int64) (*twin.Agreement, error) {
	return refGet(ctx, rf, rf.db.Agreements, id)
}

func (rf refs) institution(ctx context.Context, id int64) (*twin.Institution, error) {
	return refGet(ctx, rf, rf.db.Institutions, id)
}

func (rf refs) link(ctx context.Context, id int64) (*twin.Link, error) {
	return refGet(ctx, rf, rf.db.Links, id)
}

func (rf refs) network(ctx context.Context, id int64) (*twin.Network, error) {
	return refGet(ctx, rf, rf.db.Networks, id)
}

func (rf refs) city(ctx context.Context, ref string) (*twin.City, error) {
	return rf.db.cityByRef(ctx, rf.q, ref)
}

func (db *DB) scopeOf(ctx context.Context, q querier, lock bool, rec any) Scope {
	rf := refs{db, q, lock}
	var sc Scope
	addCityID := func(id int64) {
		if id != 0 && !slices.Contains(sc.Cities, id) {
			sc.Cities = append(sc.Cities, id)
		}
	}
	addCity := func(refs ...string) {
		for _, ref := range refs {
			if ref == "" {
				continue
			}
			if c, err := rf.city(ctx, ref); err == nil {
				addCityID(c.ID)
			}
		}
	}
	addInst := func(withCity bool, ids ...int64) {
		for _, id := range ids {
			if id == 0 {
				continue
			}
			if !slices.Contains(sc.Institutions, id) {
				sc.Institutions = append(sc.Institutions, id)
			}
			if withCity {
				if in, err := rf.institution(ctx, id); err == nil {
					addCityID(in.CityID)
				}
			}
		}
	}
	addAgreement := func(id int64) {
		if id == 0 {
			return
		}
		if a, err := rf.agreement(ctx, id); err == nil {
			for _, c := range a.CityIDs {
				addCityID(c)
			}
		}
	}
	switch v := rec.(type) {
	case *twin.City:
		addCityID(v.ID)
	case *twin.Agreement:
		addCity(v.Cities...)
	case *twin.Institution:
		addCity(v.City)
		addInst(false, v.ID)
	case *twin.Link:
		addInst(true, v.Institutions...)
		addAgreement(v.Agreement)
	case *twin.Activity:
		addAgreement(v.Agreement)
		if v.Link != 0 {
			if l, err := rf.link(ctx, v.Link); err == nil {
				addInst(true, l.Institutions...)
				addAgreement(l.Agreement)
			}
		}
		// The activity's own institutions lie in those cities (the store checks it), so they
		// add no city: naming one's institution does not reach an agreement.
		addInst(false, v.Institutions...)
	case *twin.Person:
		for _, t := range v.Titles {
			addCity(t.City)
			addInst(true, t.Institution)
		}
	case *twin.Proposal:
		addAgreement(v.Agreement)
		addCity(v.Cities...)
	case *twin.Network:
		for _, m := range v.Members {
			addCity(m.City)
		}
	}
	return sc
}

// Field error keys of the cross-reference checks.
const (
	keyOutside   = "outside_partnership" // an institution, a place or a city outside the partnership's cities
	keyLinkAgr   = "link_agreement"      // an activity's link belongs to another agreement
	keyTwoSides  = "two_sides"           // a link under an agreement joins one institution of each city
	keyNotInCity = "institution_city"    // a title's institution lies in another city
	keyInUse     = "in_use"              // a reference others rely on cannot move
)

// checkLink checks that a link's institutions lie one in each of its agreement's cities.
func (db *DB) checkLink(ctx context.Context, t *Tx, l *twin.Link, p twin.Problems) error {
	rf := refs{db, txq{t}, true}
	cities := make([]int64, len(l.Institutions))
	for i, id := range l.Institutions {
		in, err := rf.institution(ctx, id)
		if err != nil {
			if twin.ErrorCode(err) != twin.ENOTFOUND {
				return err
			}
			p.Add(fmt.Sprintf("institutions[%d]", i), twin.KeyUnknownRecord, map[string]any{"value": id})
			continue
		}
		cities[i] = in.CityID
	}
	if l.Agreement == 0 {
		return nil
	}
	a, err := rf.agreement(ctx, l.Agreement)
	if err != nil {
		if twin.ErrorCode(err) != twin.ENOTFOUND {
			return err
		}
		p.Add("agreement", twin.KeyUnknownRecord, map[string]any{"value": l.Agreement})
		return nil
	}
	outside := false
	for i, c := range cities {
		if c != 0 && !slices.Contains(a.CityIDs, c) {
			p.Add(fmt.Sprintf("institutions[%d]", i), keyOutside, map[string]any{"value": l.Institutions[i]})
			outside = true
		}
	}
	if !outside && len(cities) == 2 && cities[0] != 0 && cities[0] == cities[1] {
		p.Add("institutions", keyTwoSides, nil)
	}
	return nil
}

// partnership returns the cities an activity takes place between: its agreement's, its link's
// institutions' (and the link's agreement's), or, for an activity of a network alone, the
// network's members. Unknown references are recorded in p.
func (db *DB) partnership(ctx context.Context, rf refs, a *twin.Activity, p twin.Problems) ([]int64, error) {
	var cities []int64
	add := func(ids ...int64) {
		for _, id := range ids {
			if id != 0 && !slices.Contains(cities, id) {
				cities = append(cities, id)
			}
		}
	}
	var agr *twin.Agreement
	if a.Agreement != 0 {
		var err error
		if agr, err = rf.agreement(ctx, a.Agreement); err != nil {
			if twin.ErrorCode(err) != twin.ENOTFOUND {
				return nil, err
			}
			p.Add("agreement", twin.KeyUnknownRecord, map[string]any{"value": a.Agreement})
		} else {
			add(agr.CityIDs...)
		}
	}
	if a.Link != 0 {
		l, err := rf.link(ctx, a.Link)
		if err != nil {
			if twin.ErrorCode(err) != twin.ENOTFOUND {
				return nil, err
			}
			p.Add("link", twin.KeyUnknownRecord, map[string]any{"value": a.Link})
		} else {
			var linkCities []int64
			for _, id := range l.Institutions {
				if in, err := rf.institution(ctx, id); err == nil {
					linkCities = append(linkCities, in.CityID)
				}
			}
			switch {
			case agr == nil:
				add(linkCities...)
				if l.Agreement != 0 {
					if la, err := rf.agreement(ctx, l.Agreement); err == nil {
						add(la.CityIDs...)
					}
				}
			case l.Agreement != 0 && l.Agreement != agr.ID:
				p.Add("link", keyLinkAgr, map[string]any{"value": a.Link})
			case l.Agreement == 0:
				for _, c := range linkCities {
					if !slices.Contains(agr.CityIDs, c) {
						p.Add("link", keyLinkAgr, map[string]any{"value": a.Link})
						break
					}
				}
			}
		}
	}
	if a.Network != 0 {
		n, err := rf.network(ctx, a.Network)
		if err != nil {
			if twin.ErrorCode(err) != twin.ENOTFOUND {
				return nil, err
			}
			p.Add("network", twin.KeyUnknownRecord, map[string]any{"value": a.Network})
		} else if a.Agreement == 0 && a.Link == 0 {
			for _, m := range n.Members {
				add(m.CityID)
			}
		}
	}
	return cities, nil
}

// checkActivity checks that what an activity names lies in its partnership: its link under its
// agreement, its institutions and the cities of its participants in the partnership's cities;
// a place given as a city ref names a city of the registry. It canonicalizes those city refs.
func (db *DB) checkActivity(ctx context.Context, t *Tx, a *twin.Activity, p twin.Problems) error {
	rf := refs{db, txq{t}, true}
	cities, err := db.partnership(ctx, rf, a, p)
	if err != nil {
		return err
	}
	// With no cities known (a network without members) there is nothing to hold them to.
	inside := func(c int64) bool { return len(cities) == 0 || slices.Contains(cities, c) }
	for i, id := range a.Institutions {
		in, err := rf.institution(ctx, id)
		if err != nil {
			if twin.ErrorCode(err) != twin.ENOTFOUND {
				return err
			}
			p.Add(fmt.Sprintf("institutions[%d]", i), twin.KeyUnknownRecord, map[string]any{"value": id})
			continue
		}
		if !inside(in.CityID) {
			p.Add(fmt.Sprintf("institutions[%d]", i), keyOutside, map[string]any{"value": id})
		}
	}
	// The place is a city of the registry, named by its ref, or a place written as text ("Lisbon,
	// the trade fair"); it may lie outside the partnership (talks held in a third city), and it
	// puts the activity on no city's page.
	if a.Place != "" && (twin.IsQID(a.Place) || isDigits(a.Place)) {
		c, err := rf.city(ctx, a.Place)
		switch {
		case twin.ErrorCode(err) == twin.ENOTFOUND:
			p.Add("place", twin.KeyUnknownCity, map[string]any{"value": a.Place})
		case err != nil:
			return err
		default:
			a.Place = c.Ref()
		}
	}
	if len(a.Participants) > 0 {
		out := make(map[string]int, len(a.Participants))
		for ref, n := range a.Participants {
			c, err := rf.city(ctx, ref)
			switch {
			case twin.ErrorCode(err) == twin.ENOTFOUND:
				p.Add("participants."+ref, twin.KeyUnknownCity, map[string]any{"value": ref})
			case err != nil:
				return err
			case !inside(c.ID):
				p.Add("participants."+ref, keyOutside, map[string]any{"value": ref})
			default:
				out[c.Ref()] += n
			}
		}
		a.Participants = out
	}
	return nil
}

// inUse reports whether live rows of table refer to id through column.
func (db *DB) inUse(ctx context.Context, t *Tx, table, cond string, args ...any) (bool, error) {
	var one int
	err := t.queryRow(ctx, "SELECT 1 FROM "+table+" WHERE ("+cond+") AND deleted IS NULL LIMIT 1", args...).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
