package store

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/twinning/twinning/internal/twin"
)

// TestFiltersDeclared: each table has an SQL condition for every filter its kind declares in
// twin.Filters, and for nothing else: the declaration the API's list routes are built from is
// what the store implements.
func TestFiltersDeclared(t *testing.T) {
	t.Parallel()
	db := &DB{}
	db.initTables()
	tables := map[twin.Kind]map[string]string{
		db.Cities.kind: db.Cities.filters, db.Agreements.kind: db.Agreements.filters, db.Institutions.kind: db.Institutions.filters,
		db.Links.kind: db.Links.filters, db.Activities.kind: db.Activities.filters, db.People.kind: db.People.filters,
		db.Networks.kind: db.Networks.filters, db.Proposals.kind: db.Proposals.filters,
	}
	if got, want := slices.Sorted(maps.Keys(tables)), slices.Sorted(maps.Keys(twin.Filters)); !slices.Equal(got, want) {
		t.Fatalf("tables %v, kinds with declared filters %v", got, want)
	}
	for kind, conds := range tables {
		var declared []string
		for _, d := range twin.Filters[kind] {
			declared = append(declared, d.Name)
		}
		if got := slices.Sorted(maps.Keys(conds)); !slices.Equal(got, slices.Sorted(slices.Values(declared))) {
			t.Errorf("%s: the store filters by %v, the kind declares %v", kind, got, declared)
		}
	}
}

// TestUnsupportedFiltersRefused: a list narrowed by a filter its kind does not have is refused
// with a field error naming the filters it has, for every kind and every filter of the others;
// a value outside the filter's choices too. Nothing is silently ignored.
func TestUnsupportedFiltersRefused(t *testing.T) {
	t.Parallel()
	db := openTest(t)
	ctx := context.Background()
	lists := map[twin.Kind]func(twin.Filter) error{
		twin.KindCity:        func(f twin.Filter) error { _, err := db.Cities.List(ctx, f); return err },
		twin.KindAgreement:   func(f twin.Filter) error { _, err := db.Agreements.List(ctx, f); return err },
		twin.KindInstitution: func(f twin.Filter) error { _, err := db.Institutions.List(ctx, f); return err },
		twin.KindLink:        func(f twin.Filter) error { _, err := db.Links.List(ctx, f); return err },
		twin.KindActivity:    func(f twin.Filter) error { _, err := db.Activities.List(ctx, f); return err },
		twin.KindPerson:      func(f twin.Filter) error { _, err := db.People.List(ctx, f); return err },
		twin.KindNetwork:     func(f twin.Filter) error { _, err := db.Networks.List(ctx, f); return err },
		twin.KindProposal:    func(f twin.Filter) error { _, err := db.Proposals.List(ctx, f); return err },
	}
	all := map[string]twin.FilterDef{}
	for _, defs := range twin.Filters {
		for _, d := range defs {
			all[d.Name] = d
		}
	}
	for kind, list := range lists {
		for name, d := range all {
			var v any = "x"
			switch {
			case d.Ref != "":
				v = int64(1)
			case d.Internal:
				v = []string{"x"}
			}
			err := list(twin.Filter{}.With(name, v))
			if _, has := twin.FilterOf(kind, name); has {
				if err != nil && !(d.Choices != nil && twin.ErrorFields(err)[name].Key == twin.KeyInvalidChoice) {
					t.Errorf("%s by %s: %v", kind, name, err)
				}
				continue
			}
			fe := twin.ErrorFields(err)[name]
			if twin.ErrorCode(err) != twin.EINVALID || fe.Key != "unknown_filter" || fe.Params["known"] == "" {
				t.Errorf("%s narrowed by %s: %v, want an unknown_filter field error", kind, name, err)
			}
		}
	}
	if err := lists["agreement"](twin.Filter{}.With(twin.FilterStatus, "happy")); twin.ErrorFields(err)["status"].Key != twin.KeyInvalidChoice {
		t.Errorf("an agreement status outside the list: %v", err)
	}
	// A filter given a value of the wrong Go type is a mistake of ours, not the client's.
	if err := lists["agreement"](twin.Filter{}.With(twin.FilterCity, "Q42053")); twin.ErrorCode(err) != twin.EINTERNAL {
		t.Errorf("a city filter given a string: %v, want internal", err)
	}
}
