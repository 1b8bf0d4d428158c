package store

import (
	"context"
	"slices"

	"github.com/twinning/twinning/internal/twin"
)

// initTables makes the store of each kind of record; what differs between kinds (their
// columns, checks and search terms) is in the kind's own file.
func (db *DB) initTables() {
	db.Cities = db.cityTable()
	db.Agreements = db.agreementTable()
	db.Institutions = db.institutionTable()
	db.Links = db.linkTable()
	db.Activities = db.activityTable()
	db.People = db.personTable()
	db.Networks = db.networkTable()
	db.Proposals = db.proposalTable()
}

// problemsOf turns a record's validation error into problems that the write's own checks add
// to: the error's field problems, or none. An error that is not about fields is returned.
func problemsOf(err error) (twin.Problems, error) {
	p := twin.Problems(twin.ErrorFields(err))
	if err != nil && p == nil {
		return nil, err
	}
	if p == nil {
		p = twin.Problems{}
	}
	return p, nil
}

// sameSet reports whether a and b hold the same ids, in any order.
func sameSet(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// exists reports whether a live row with id is in table.
func (db *DB) exists(ctx context.Context, t *Tx, table string, id int64) bool {
	var one int
	err := t.queryRow(ctx, "SELECT 1 FROM "+table+" WHERE id = ? AND deleted IS NULL", id).Scan(&one)
	return err == nil
}
