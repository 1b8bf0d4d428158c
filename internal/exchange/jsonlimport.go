package exchange

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/dataset"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// jsonlImport imports the registry format, record by record in file order (each record after
// those it refers to, as exports write them). Records keep their ids where the registry has
// the id free; references are rewritten when a record was matched to one with another id.
//
// Matching: a city as in tabular imports; an agreement by its unordered city pair; an
// institution by city and name; a person or a network by name; a link by its institutions and
// agreement; an activity by what it is under, kind, start and title; a proposal by agreement
// and title. A record the file created earlier is never matched by name, so a file's two
// namesakes stay two.
type jsonlImport struct {
	*session
	cities    *cityIndex
	cityRefs  map[string]string
	ids       map[string]map[int64]int64
	kinds     map[string]*kindIndex
	created   map[string]map[int64]bool
	countries map[string]twin.Country
	explicit  bool
}

// kindIndex is the registry's records of one type as they were before the import, by
// natural key, and every record by id.
type kindIndex struct {
	byKey map[string][]int64
	byID  map[int64]any
}

func (s *session) importJSONL(ctx context.Context, data []byte, countries []twin.Country) error {
	x := &jsonlImport{session: s, cities: newCityIndex(s.t, s.db), cityRefs: map[string]string{},
		ids: map[string]map[int64]int64{}, kinds: map[string]*kindIndex{}, created: map[string]map[int64]bool{},
		countries: map[string]twin.Country{}}
	for _, c := range countries {
		x.countries[c.Code] = c
	}
	total := bytes.Count(data, []byte("\n"))
	if len(data) > 0 && data[len(data)-1] != '\n' {
		total++
	}
	s.progress("rows", 0, total)
	err := ReadJSONL(bytes.NewReader(data), func(r dataset.Record) error {
		s.rep.Rows++
		if err := x.record(ctx, r); err != nil {
			return err
		}
		s.progress("rows", r.Line, total)
		return ctx.Err()
	})
	if re, ok := err.(*RowError); ok {
		s.fail(re)
		return nil
	}
	if err != nil || len(s.rep.Errors) > 0 {
		return err
	}
	if x.explicit {
		return s.t.FixSequences(ctx)
	}
	return nil
}

func (x *jsonlImport) record(ctx context.Context, r dataset.Record) error {
	switch r.Type {
	case TypeDomain:
		added, err := x.t.PutDomain(ctx, *r.Domain)
		if err != nil {
			return x.storeErrAt(r.Line, recordColumn, err)
		}
		if !added {
			x.rep.count(OpSkip, TypeDomain)
			return nil
		}
		x.rep.count(OpCreate, TypeDomain)
		x.act(Action{Row: r.Line, Op: OpCreate, Kind: TypeDomain, Label: r.Domain.Code})
		return nil
	case TypeCountry:
		return x.country(ctx, r.Line, *r.Country)
	case TypeCity:
		return x.city(ctx, r.Line, r.City)
	case TypeAgreement:
		return x.agreement(ctx, r.Line, r.Agreement)
	case TypeInstitution:
		in := r.Institution
		in.City = x.cityRef(in.City)
		cityID := x.cityID(ctx, in.City)
		key := func(v *twin.Institution) []string {
			return prefixed(strconv.FormatInt(v.CityID, 10)+"|", nameKeys(v.Names, v.Aliases))
		}
		in.CityID = cityID
		return upsert(ctx, x, r.Line, TypeInstitution, x.db.Institutions, in, key, in.Names.Pick("en"))
	case TypePerson:
		p := r.Person
		for i := range p.Titles {
			p.Titles[i].City = x.cityRef(p.Titles[i].City)
			p.Titles[i].Institution = x.id(TypeInstitution, p.Titles[i].Institution)
		}
		key := func(v *twin.Person) []string { return nameKeys(v.Names, v.Aliases) }
		return upsert(ctx, x, r.Line, TypePerson, x.db.People, p, key, p.Names.Pick("en"))
	case TypeLink:
		l := r.Link
		for i := range l.Institutions {
			l.Institutions[i] = x.id(TypeInstitution, l.Institutions[i])
		}
		l.Agreement = x.id(TypeAgreement, l.Agreement)
		key := func(v *twin.Link) []string {
			if len(v.Institutions) != 2 {
				return nil
			}
			a, b := min(v.Institutions[0], v.Institutions[1]), max(v.Institutions[0], v.Institutions[1])
			return []string{fmt.Sprintf("%d|%d|%d", a, b, v.Agreement)}
		}
		return upsert(ctx, x, r.Line, TypeLink, x.db.Links, l, key, "")
	case TypeNetwork:
		n := r.Network
		for i := range n.Members {
			n.Members[i].City = x.cityRef(n.Members[i].City)
		}
		key := func(v *twin.Network) []string { return nameKeys(v.Names, nil) }
		return upsert(ctx, x, r.Line, TypeNetwork, x.db.Networks, n, key, n.Names.Pick("en"))
	case TypeActivity:
		a := r.Activity
		a.Agreement, a.Link, a.Network = x.id(TypeAgreement, a.Agreement), x.id(TypeLink, a.Link), x.id(TypeNetwork, a.Network)
		for i := range a.Institutions {
			a.Institutions[i] = x.id(TypeInstitution, a.Institutions[i])
		}
		a.Place = x.cityRef(a.Place)
		if len(a.Participants) > 0 {
			ps := make(map[string]int, len(a.Participants))
			for ref, n := range a.Participants {
				ps[x.cityRef(ref)] = n
			}
			a.Participants = ps
		}
		key := func(v *twin.Activity) []string {
			start := ""
			if v.Start != nil {
				start = string(v.Start.Calendar) + v.Start.Value
			}
			return prefixed(fmt.Sprintf("%d|%d|%d|%s|%s|", v.Agreement, v.Link, v.Network, v.Kind, start), nameKeys(v.Title, nil))
		}
		return upsert(ctx, x, r.Line, TypeActivity, x.db.Activities, a, key, a.Title.Pick("en"))
	case TypeProposal:
		p := r.Proposal
		p.Agreement = x.id(TypeAgreement, p.Agreement)
		for i := range p.Cities {
			p.Cities[i] = x.cityRef(p.Cities[i])
		}
		key := func(v *twin.Proposal) []string {
			return prefixed(strconv.FormatInt(v.Agreement, 10)+"|", nameKeys(v.Title, nil))
		}
		return upsert(ctx, x, r.Line, TypeProposal, x.db.Proposals, p, key, p.Title.Pick("en"))
	}
	return nil
}

func prefixed(prefix string, keys []string) []string {
	for i := range keys {
		keys[i] = prefix + keys[i]
	}
	return keys
}

// cityRef rewrites a city ref of the file to the registry's ref of that city.
func (x *jsonlImport) cityRef(ref string) string {
	if r, ok := x.cityRefs[ref]; ok {
		return r
	}
	return ref
}

// cityID resolves a (rewritten) city ref to an internal id, or 0.
func (x *jsonlImport) cityID(ctx context.Context, ref string) int64 {
	if ref == "" {
		return 0
	}
	c, err := x.t.CityByRefTx(ctx, ref)
	if err != nil {
		return 0
	}
	return c.ID
}

// id rewrites a record id of the file to the registry's id of that record.
func (x *jsonlImport) id(typ string, id int64) int64 {
	if id == 0 {
		return 0
	}
	if n, ok := x.ids[typ][id]; ok {
		return n
	}
	return id
}

func (x *jsonlImport) mapID(typ string, from, to int64) {
	if from == 0 {
		return
	}
	if x.ids[typ] == nil {
		x.ids[typ] = map[int64]int64{}
	}
	x.ids[typ][from] = to
}

func (x *jsonlImport) country(ctx context.Context, line int, c twin.Country) error {
	c.Code = strings.ToUpper(strings.TrimSpace(c.Code))
	old, ok := x.countries[c.Code]
	if ok {
		merged := old
		merged.Names = twin.Names{}
		for l, n := range old.Names {
			merged.Names[l] = n
		}
		for l, n := range c.Names {
			if merged.Names[l] == "" {
				merged.Names[l] = n
			}
		}
		merged.Orgs = slices.Clone(old.Orgs)
		for _, o := range c.Orgs {
			merged.Orgs = appendNew(merged.Orgs, o)
		}
		if twin.SameJSON(old, merged) {
			x.rep.count(OpSkip, TypeCountry)
			return nil
		}
		c = merged
	}
	if err := x.t.PutCountry(ctx, c); err != nil {
		return x.storeErrAt(line, recordColumn, err)
	}
	x.countries[c.Code] = c
	op := OpCreate
	if ok {
		op = OpChange
	}
	x.rep.count(op, TypeCountry)
	x.act(Action{Row: line, Op: op, Kind: TypeCountry, Label: c.Code})
	return nil
}

func recordColumn(field string) string { return "record." + field }

func (x *jsonlImport) city(ctx context.Context, line int, c *twin.City) error {
	fileID, fileRef := c.ID, c.Ref()
	want := *c
	want.Wikidata = twin.NormalizeQID(want.Wikidata)
	e, err := x.cities.find(ctx, &want)
	if err != nil {
		return err
	}
	if e != nil {
		want.ID = 0
		if err := mergeCity(e, &want); err != nil {
			return err
		}
		if sameRecord(e.orig, e.rec) {
			x.rep.count(OpSkip, TypeCity)
		} else {
			rec := e.rec
			up, err := x.db.Cities.UpdateTx(ctx, x.t, e.orig.ID, e.orig.Version, func(c *twin.City) error { *c = *rec; return nil })
			if err != nil {
				return x.storeErrAt(line, recordColumn, err)
			}
			orig := *up
			e.rec, e.orig, e.keys = up, &orig, nil
			x.cities.reindex(e)
			x.rep.count(OpChange, TypeCity)
			x.act(Action{Row: line, Op: OpChange, Kind: TypeCity, ID: up.ID, Label: label(up), Detail: strings.Join(e.detail, ", ")})
		}
	} else {
		c.Version, c.Created, c.Updated = 0, zeroTime, zeroTime
		if c.ID, err = x.freeID(ctx, x.db.Cities, c.ID); err != nil {
			return err
		}
		created, err := x.db.Cities.CreateTx(ctx, x.t, c)
		if err != nil {
			return x.storeErrAt(line, recordColumn, err)
		}
		orig := *created
		e = x.cities.add(created, line, "")
		e.orig, e.created = &orig, true
		x.rep.count(OpCreate, TypeCity)
		x.act(Action{Row: line, Op: OpCreate, Kind: TypeCity, ID: created.ID, Label: label(created)})
	}
	x.cityRefs[fileRef] = e.rec.Ref()
	if fileID != 0 {
		x.cityRefs[strconv.FormatInt(fileID, 10)] = e.rec.Ref()
	}
	return nil
}

// freeID keeps a file's id when the registry has no row with it, else lets the database choose.
func (x *jsonlImport) freeID(ctx context.Context, taken interface {
	IDTakenTx(context.Context, *store.Tx, int64) (bool, error)
}, id int64) (int64, error) {
	if id <= 0 {
		return 0, nil
	}
	t, err := taken.IDTakenTx(ctx, x.t, id)
	if err != nil || t {
		return 0, err
	}
	x.explicit = true
	return id, nil
}

func (x *jsonlImport) agreement(ctx context.Context, line int, a *twin.Agreement) error {
	var ids [2]int64
	for i := range a.Cities {
		a.Cities[i] = x.cityRef(a.Cities[i])
		if i < 2 {
			if ids[i] = x.cityID(ctx, a.Cities[i]); ids[i] == 0 {
				x.fail(rowErr(line, fmt.Sprintf("record.cities[%d]", i), "the city «%s» is not in the registry", a.Cities[i]))
			}
		}
	}
	for i := range a.Parties {
		a.Parties[i].Person = x.id(TypePerson, a.Parties[i].Person)
		a.Parties[i].Institution = x.id(TypeInstitution, a.Parties[i].Institution)
		a.Parties[i].City = x.cityRef(a.Parties[i].City)
	}
	if len(a.Cities) != 2 || ids[0] == 0 || ids[1] == 0 {
		if len(a.Cities) != 2 {
			x.fail(rowErr(line, "record.cities", "an agreement is between two cities"))
		}
		return nil
	}
	find := func() (*twin.Agreement, error) {
		as, err := x.t.AgreementsBetweenTx(ctx, ids[0], ids[1])
		if err != nil {
			return nil, err
		}
		for _, e := range as {
			if !x.created[TypeAgreement][e.ID] {
				return e, nil
			}
		}
		return nil, nil
	}
	return write(ctx, x, line, TypeAgreement, x.db.Agreements, a, find, strings.Join(a.Cities, " — "))
}

// upsert matches rec by id or natural key among the registry's records of its type as they
// were before the import, then merges or creates it.
func upsert[T any, P interface {
	*T
	twin.Record
}](ctx context.Context, x *jsonlImport, line int, typ string, tb *store.Table[T], rec P, keys func(P) []string, lbl string) error {
	idx, err := x.index(ctx, typ, tb, func(v any) []string { return keys(v.(P)) })
	if err != nil {
		return err
	}
	find := func() (P, error) {
		want := keys(rec)
		if id := rec.GetMeta().ID; id != 0 {
			if ex, ok := idx.byID[id].(P); ok && sharesKey(want, keys(ex)) {
				return ex, nil
			}
		}
		for _, k := range want {
			for _, id := range idx.byKey[k] {
				if ex, ok := idx.byID[id].(P); ok {
					return ex, nil
				}
			}
		}
		return nil, nil
	}
	return write(ctx, x, line, typ, tb, rec, find, lbl)
}

// index loads the registry's records of a type once.
func (x *jsonlImport) index(ctx context.Context, typ string, tb any, keys func(any) []string) (*kindIndex, error) {
	if idx, ok := x.kinds[typ]; ok {
		return idx, nil
	}
	idx := &kindIndex{byKey: map[string][]int64{}, byID: map[int64]any{}}
	var recs []any
	var err error
	switch t := tb.(type) {
	case *store.Table[twin.Institution]:
		recs, err = anyAll(t.AllTx(ctx, x.t))
	case *store.Table[twin.Person]:
		recs, err = anyAll(t.AllTx(ctx, x.t))
	case *store.Table[twin.Link]:
		recs, err = anyAll(t.AllTx(ctx, x.t))
	case *store.Table[twin.Network]:
		recs, err = anyAll(t.AllTx(ctx, x.t))
	case *store.Table[twin.Activity]:
		recs, err = anyAll(t.AllTx(ctx, x.t))
	case *store.Table[twin.Proposal]:
		recs, err = anyAll(t.AllTx(ctx, x.t))
	}
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		id := r.(twin.Record).GetMeta().ID
		idx.byID[id] = r
		for _, k := range keys(r) {
			idx.byKey[k] = append(idx.byKey[k], id)
		}
	}
	x.kinds[typ] = idx
	return idx, nil
}

func anyAll[T any](recs []*T, err error) ([]any, error) {
	out := make([]any, len(recs))
	for i, r := range recs {
		out[i] = r
	}
	return out, err
}

// write merges rec into the record find returns, or creates it, keeping its id when free.
func write[T any, P interface {
	*T
	twin.Record
}](ctx context.Context, x *jsonlImport, line int, typ string, tb *store.Table[T], rec P, find func() (P, error), lbl string) error {
	m := rec.GetMeta()
	fileID := m.ID
	ex, err := find()
	if err != nil {
		return err
	}
	if ex != nil {
		var merged P
		var changed []string
		if a, ok := any(ex).(*twin.Agreement); ok {
			src := x.src
			src.Note = fmt.Sprintf("line %d", line)
			var ma *twin.Agreement
			ma, changed, err = mergeAgreement(a, any(rec).(*twin.Agreement), src)
			merged = any(ma).(P)
		} else {
			merged, changed, err = merge(typ, ex, rec)
		}
		if err != nil {
			return err
		}
		id := ex.GetMeta().ID
		x.mapID(typ, fileID, id)
		if len(changed) == 0 || sameRecord((*T)(ex), (*T)(merged)) {
			x.rep.count(OpSkip, typ)
			return nil
		}
		up, err := tb.UpdateTx(ctx, x.t, id, ex.GetMeta().Version, func(v *T) error { *v = *(*T)(merged); return nil })
		if err != nil {
			return x.storeErrAt(line, recordColumn, err)
		}
		if idx := x.kinds[typ]; idx != nil {
			idx.byID[id] = P(up)
		}
		x.rep.count(OpChange, typ)
		x.act(Action{Row: line, Op: OpChange, Kind: typ, ID: id, Label: lbl, Detail: strings.Join(changed, ", ")})
		return nil
	}
	m.Version, m.Created, m.Updated = 0, zeroTime, zeroTime
	if m.ID, err = x.freeID(ctx, tb, m.ID); err != nil {
		return err
	}
	created, err := tb.CreateTx(ctx, x.t, (*T)(rec))
	if err != nil {
		return x.storeErrAt(line, recordColumn, err)
	}
	id := P(created).GetMeta().ID
	x.mapID(typ, fileID, id)
	if x.created[typ] == nil {
		x.created[typ] = map[int64]bool{}
	}
	x.created[typ][id] = true
	x.rep.count(OpCreate, typ)
	x.act(Action{Row: line, Op: OpCreate, Kind: typ, ID: id, Label: lbl})
	return nil
}
