package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/twinning/twinning/internal/twin"
)

// Bulk loads. The bundled world (some 26,000 cities and 35,000 agreements, 600,000 rows of
// search terms) goes into an empty registry on the first start. Created one by one, each record
// costs a few queries to resolve its references, a statement per row and an index kept sorted
// row by row. A bulk load does the same work in bulk: the records are validated and their
// search terms and documents computed apart from the database (Prepare, safe from many
// goroutines at once), references resolve against the cities of the load itself, in memory,
// and the rows go in many to a statement (SQLite) or by COPY (PostgreSQL), in one transaction.
// What the registry then holds is what creating each record would have left: the same
// documents, columns and search terms. Like the quiet writes it replaces, a bulk load writes no
// audit entries: loaded records have no history until they first change.
//
// The search table's secondary indexes are dropped in the load's transaction and built again
// by EnsureSearchIndexes once it has committed (the caller may serve meanwhile: searches
// answer the same, only slower).

// Prepared is a record made ready for a bulk load by Bulk.Prepare.
type Prepared struct {
	kind      string
	country   *twin.Country
	city      *twin.City
	agreement *twin.Agreement
	network   *twin.Network
	doc       []byte     // the document, as CreateTx would store it (refs as given)
	terms     []weighted // the search terms, capped, one per term, weight with its boost
}

// Kind names the prepared record's kind: "country", "city", "agreement" or "network".
func (p *Prepared) Kind() string { return p.kind }

// Bulk is a bulk load in progress; see BulkLoad.
type Bulk struct {
	db     *DB
	t      *Tx
	conn   *sql.Conn
	ctx    context.Context
	known  func(string) bool
	byQID  map[string]int64 // Wikidata id → id of the cities of this load
	ref    map[int64]string // city id → its ref (Wikidata id, or the id)
	nextID map[string]int64 // per table, the id a record without one gets
	rows   map[string]*bulkRows
	order  []string // tables in the order their rows must reach the database
	counts map[string]int
	flush  func(table string, r *bulkRows) error
}

// bulkRows are rows of one table waiting to be written.
type bulkRows struct {
	cols []string
	vals [][]any
}

// bulkCols are the columns a bulk load writes, per table.
var bulkCols = map[string][]string{
	"cities":          {"id", "version", "doc", "created", "updated", "wikidata", "country"},
	"agreements":      {"id", "version", "doc", "created", "updated", "city_a", "city_b", "kind", "status"},
	"networks":        {"id", "version", "doc", "created", "updated", "kind"},
	"network_members": {"network_id", "city_id"},
	"search_terms":    {"term", "kind", "id", "weight"},
}

// sqliteBulkRows is how many rows one SQLite INSERT carries: well under SQLite's limit on
// bound parameters for every table.
const sqliteBulkRows = 200

// pgBulkRows is how many rows a PostgreSQL COPY carries.
const pgBulkRows = 20000

// BulkLoad runs fn with a bulk load into a registry without cities, agreements or networks, in
// one transaction with the given settings: all of it is committed, or nothing. fn prepares
// records (Bulk.Prepare, from any goroutines) and writes them in order (Bulk.Write, from one
// goroutine at a time): countries and cities before what refers to them. It returns how many
// records of each kind were written.
func (db *DB) BulkLoad(ctx context.Context, settings map[string]string, fn func(*Bulk) error) (counts map[string]int, err error) {
	defer wrap(&err, "BulkLoad")
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return nil, translate(err)
	}
	defer conn.Close()
	if db.d.name == "sqlite" {
		// The connection is the server's one writer: what is set for the load is set back
		// after it, or the connection is not used again.
		restore := func(pragma string) {
			if _, err := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA "+pragma); err != nil {
				conn.Raw(func(any) error { return driver.ErrBadConn })
			}
		}
		for _, p := range []struct{ load, after string }{
			// The load's pages are copied into the database file by the next checkpoint, not
			// by this commit: the server answers first.
			{"wal_autocheckpoint = 0", "wal_autocheckpoint = 1000"},
			// Every reference of the load is resolved against the load's own cities before
			// its row is written, so the engine's check would only look each city up again:
			// in a page cache far smaller than the cities, a read back from the log for every
			// agreement.
			{"foreign_keys = OFF", "foreign_keys = ON"},
			// Statement journals in memory.
			{"temp_store = MEMORY", "temp_store = DEFAULT"},
		} {
			if _, err := conn.ExecContext(ctx, "PRAGMA "+p.load); err != nil {
				return nil, err
			}
			defer restore(p.after)
		}
	}
	defer func() { db.health.note(err, db.Now()) }()
	stx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, translate(err)
	}
	t := &Tx{tx: stx, db: db, now: db.Now(), actor: twin.ActorFrom(ctx)}
	b := &Bulk{db: db, t: t, conn: conn, ctx: ctx, known: db.knownDomainTx(ctx, t),
		byQID: map[string]int64{}, ref: map[int64]string{}, nextID: map[string]int64{},
		rows: map[string]*bulkRows{}, counts: map[string]int{},
		order: []string{"cities", "agreements", "networks", "network_members", "search_terms"}}
	for table, cols := range bulkCols {
		b.rows[table] = &bulkRows{cols: cols}
	}
	if db.d.name == "postgres" {
		b.flush = b.copyRows
	} else {
		b.flush = b.insertRows
	}
	err = b.run(fn, settings)
	if err != nil {
		stx.Rollback()
		if ctx.Err() != nil {
			return nil, ctx.Err() // what failed, failed for it (PostgreSQL closes the connection)
		}
		return nil, translate(err)
	}
	if err := stx.Commit(); err != nil {
		return nil, translate(err)
	}
	if db.OnChange != nil && len(t.changed) > 0 {
		db.OnChange(t.changed)
	}
	return b.counts, nil
}

func (b *Bulk) run(fn func(*Bulk) error, settings map[string]string) error {
	ctx, t := b.ctx, b.t
	for _, table := range []string{"cities", "agreements", "networks"} {
		var n int64
		if err := t.queryRow(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return twin.Errorf(twin.ECONFLICT, "a bulk load needs a registry without %s; this one has %d", table, n)
		}
	}
	for _, idx := range searchIndexes {
		if _, err := t.tx.ExecContext(ctx, "DROP INDEX IF EXISTS "+idx.name); err != nil {
			return err
		}
	}
	t.stmts = nil                                                              // statements prepared against the old schema
	b.nextID["cities"], b.nextID["agreements"], b.nextID["networks"] = 1, 1, 1 // the tables are empty
	if err := fn(b); err != nil {
		return err
	}
	for _, table := range b.order {
		if err := b.flushTable(table); err != nil {
			return err
		}
	}
	if err := t.FixSequences(ctx); err != nil {
		return err
	}
	for k, v := range settings {
		if err := t.SetSetting(ctx, k, v); err != nil {
			return err
		}
	}
	return nil
}

// Prepare validates rec (a *twin.Country, *twin.City, *twin.Agreement or *twin.Network) as
// creating it would, and computes its search terms and document. It changes rec as Validate
// does and is safe to call from many goroutines at once.
func (b *Bulk) Prepare(rec any) (p *Prepared, err error) {
	switch r := rec.(type) {
	case *twin.Country:
		if !twin.ValidCountry(r.Code) {
			pr := twin.Problems{}
			pr.Add("code", twin.KeyInvalidCode, map[string]any{"value": r.Code})
			return nil, pr.Err()
		}
		return &Prepared{kind: "country", country: r}, nil
	case *twin.City:
		if err := r.Validate(); err != nil {
			return nil, err
		}
		p = &Prepared{kind: "city", city: r, terms: bulkTerms(b.db.Cities, r)}
	case *twin.Agreement:
		if err := r.Validate(b.known); err != nil {
			return nil, err
		}
		r.Vitality = nil // computed on read, never stored
		p = &Prepared{kind: "agreement", agreement: r, terms: bulkTerms(b.db.Agreements, r)}
	case *twin.Network:
		if err := r.Validate(); err != nil {
			return nil, err
		}
		p = &Prepared{kind: "network", network: r, terms: bulkTerms(b.db.Networks, r)}
	default:
		return nil, fmt.Errorf("a bulk load takes countries, cities, agreements and networks, not %T", rec)
	}
	if meta := p.meta(); meta.ID != 0 {
		// Most documents are final here; Write marshals again what it had to change.
		meta.Version, meta.Created, meta.Updated = 1, b.t.now, b.t.now
		if p.doc, err = json.Marshal(rec); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (p *Prepared) meta() *twin.Meta {
	switch {
	case p.city != nil:
		return &p.city.Meta
	case p.agreement != nil:
		return &p.agreement.Meta
	case p.network != nil:
		return &p.network.Meta
	}
	return &twin.Meta{}
}

func (p *Prepared) record() any {
	switch {
	case p.city != nil:
		return p.city
	case p.agreement != nil:
		return p.agreement
	case p.network != nil:
		return p.network
	}
	return p.country
}

// bulkTerms are the record's rows of the search index, as Tx.index writes them.
func bulkTerms[T any](tb *Table[T], rec *T) []weighted {
	if tb.terms == nil {
		return nil
	}
	boost := 0
	if tb.boost != nil {
		boost = tb.boost(rec)
	}
	terms := tb.terms(rec)
	best := make(map[string]int, len(terms))
	order := make([]string, 0, len(terms))
	for _, w := range terms {
		term, ok := capTerm(w.term)
		if !ok {
			continue
		}
		old, seen := best[term]
		if !seen {
			order = append(order, term)
		}
		if !seen || w.weight > old {
			best[term] = w.weight
		}
	}
	out := make([]weighted, len(order))
	for i, term := range order {
		out[i] = weighted{term, best[term]*1000 + boost}
	}
	return out
}

// Write writes a prepared record: its references resolve against the cities written before it
// in this load (and, for an agreement's parties, the registry). Records must be written in
// order, one at a time.
func (b *Bulk) Write(p *Prepared) error {
	var err error
	switch p.kind {
	case "country":
		err = b.t.PutCountry(b.ctx, *p.country)
	case "city":
		err = b.writeCity(p)
	case "agreement":
		err = b.writeAgreement(p)
	case "network":
		err = b.writeNetwork(p)
	}
	if err != nil {
		return err
	}
	b.counts[p.kind]++
	return nil
}

// Count is how many records of kind were written so far.
func (b *Bulk) Count(kind string) int { return b.counts[kind] }

// id gives the record its id (the next free one when it has none) and returns whether the
// document must be marshalled again.
func (b *Bulk) id(table string, m *twin.Meta) (int64, bool) {
	stale := false
	if m.ID == 0 {
		m.ID = b.nextID[table]
		m.Version, m.Created, m.Updated = 1, b.t.now, b.t.now
		stale = true
	}
	b.nextID[table] = max(b.nextID[table], m.ID+1)
	return m.ID, stale
}

func (b *Bulk) document(p *Prepared, stale bool) (string, error) {
	if stale || p.doc == nil {
		doc, err := json.Marshal(p.record())
		if err != nil {
			return "", err
		}
		p.doc = doc
	}
	return string(p.doc), nil
}

func (b *Bulk) writeCity(p *Prepared) error {
	c := p.city
	id, stale := b.id("cities", &c.Meta)
	if _, dup := b.ref[id]; dup {
		return twin.Errorf(twin.ECONFLICT, "city %d is in the load twice", id)
	}
	var qid any
	ref := strconv.FormatInt(id, 10)
	if c.Wikidata != "" {
		if other, dup := b.byQID[c.Wikidata]; dup {
			return twin.Errorf(twin.ECONFLICT, "cities %d and %d are both %s", other, id, c.Wikidata)
		}
		b.byQID[c.Wikidata] = id
		qid, ref = c.Wikidata, c.Wikidata
	}
	b.ref[id] = ref
	doc, err := b.document(p, stale)
	if err != nil {
		return err
	}
	now := ts(b.t.now)
	if err := b.add("cities", id, int64(1), doc, now, now, qid, c.Country); err != nil {
		return err
	}
	return b.written("city", id, p.terms)
}

// cityID resolves a city ref against the cities of this load, as cityIDByRef does against the
// registry.
func (b *Bulk) cityID(ref string) (int64, string, bool) {
	if twin.IsQID(ref) {
		id, ok := b.byQID[twin.NormalizeQID(ref)]
		return id, b.ref[id], ok
	}
	id, err := strconv.ParseInt(ref, 10, 64)
	if err != nil {
		return 0, "", false
	}
	canon, ok := b.ref[id]
	return id, canon, ok
}

func (b *Bulk) writeAgreement(p *Prepared) error {
	a := p.agreement
	pr := twin.Problems{}
	stale := false
	if len(a.Cities) == 2 {
		ids := make([]int64, 2)
		for i, ref := range a.Cities {
			if ref == "" {
				continue
			}
			id, canon, ok := b.cityID(ref)
			if !ok {
				pr.Add(fmt.Sprintf("cities[%d]", i), twin.KeyUnknownCity, map[string]any{"value": ref})
				continue
			}
			ids[i] = id
			if canon != a.Cities[i] {
				a.Cities[i], stale = canon, true
			}
		}
		if ids[0] != 0 && ids[0] == ids[1] {
			pr.Add("cities", twin.KeySameCity, nil)
		}
		if len(a.CityIDs) != 2 || a.CityIDs[0] != ids[0] || a.CityIDs[1] != ids[1] {
			a.CityIDs, stale = ids, true
		}
	}
	b.db.checkParties(b.ctx, b.t, a, pr)
	if err := pr.Err(); err != nil {
		return err
	}
	id, restale := b.id("agreements", &a.Meta)
	doc, err := b.document(p, stale || restale)
	if err != nil {
		return err
	}
	now := ts(b.t.now)
	if err := b.add("agreements", id, int64(1), doc, now, now, a.CityIDs[0], a.CityIDs[1], a.Kind, a.Status); err != nil {
		return err
	}
	return b.written("agreement", id, p.terms)
}

func (b *Bulk) writeNetwork(p *Prepared) error {
	n := p.network
	pr := twin.Problems{}
	stale := false
	for i := range n.Members {
		id, canon, ok := b.cityID(n.Members[i].City)
		if !ok {
			pr.Add(fmt.Sprintf("members[%d].city", i), twin.KeyUnknownCity, map[string]any{"value": n.Members[i].City})
			continue
		}
		if n.Members[i].CityID != id || n.Members[i].City != canon {
			n.Members[i].CityID, n.Members[i].City, stale = id, canon, true
		}
	}
	if err := pr.Err(); err != nil {
		return err
	}
	id, restale := b.id("networks", &n.Meta)
	doc, err := b.document(p, stale || restale)
	if err != nil {
		return err
	}
	now := ts(b.t.now)
	if err := b.add("networks", id, int64(1), doc, now, now, n.Kind); err != nil {
		return err
	}
	seen := map[int64]bool{}
	for _, m := range n.Members {
		if !seen[m.CityID] {
			seen[m.CityID] = true
			if err := b.add("network_members", id, m.CityID); err != nil {
				return err
			}
		}
	}
	return b.written("network", id, p.terms)
}

// written queues the record's search terms and notes the change, as Table.written does.
func (b *Bulk) written(kind string, id int64, terms []weighted) error {
	for _, w := range terms {
		// The weight as an int64, which database/sql passes on as it is (an int it converts).
		if err := b.add("search_terms", w.term, kind, id, int64(w.weight)); err != nil {
			return err
		}
	}
	b.t.changed = append(b.t.changed, Changed{kind, id})
	return nil
}

// bulkRefers lists the tables whose rows a table's rows refer to.
var bulkRefers = map[string][]string{
	"agreements":      {"cities"},
	"network_members": {"cities", "networks"},
}

// add queues a row; a full queue is written, after the queues of the tables it refers to.
func (b *Bulk) add(table string, vals ...any) error {
	r := b.rows[table]
	r.vals = append(r.vals, vals)
	limit := sqliteBulkRows
	if b.db.d.name == "postgres" {
		limit = pgBulkRows
	}
	if len(r.vals) < limit {
		return nil
	}
	for _, t := range bulkRefers[table] {
		if err := b.flushTable(t); err != nil {
			return err
		}
	}
	return b.flushTable(table)
}

func (b *Bulk) flushTable(table string) error {
	r := b.rows[table]
	if len(r.vals) == 0 {
		return nil
	}
	if err := b.flush(table, r); err != nil {
		return fmt.Errorf("writing %s: %w", table, err)
	}
	r.vals = r.vals[:0]
	return b.ctx.Err()
}

// insertRows writes rows with multi-row INSERTs, through the transaction's prepared statements.
// OR FAIL: a failing statement need not undo its own first rows (the whole load is undone), so
// SQLite keeps no statement journal for it.
func (b *Bulk) insertRows(table string, r *bulkRows) error {
	var q strings.Builder
	q.WriteString("INSERT OR FAIL INTO " + table + " (" + strings.Join(r.cols, ", ") + ") VALUES ")
	one := "(" + placeholders(len(r.cols)) + ")"
	for i := range r.vals {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(one)
	}
	args := make([]any, 0, len(r.vals)*len(r.cols))
	for _, v := range r.vals {
		args = append(args, v...)
	}
	_, err := b.t.exec(b.ctx, q.String(), args...)
	return err
}

// copyRows writes rows with PostgreSQL's COPY, on the load's connection and so in its
// transaction.
func (b *Bulk) copyRows(table string, r *bulkRows) error {
	return b.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("COPY needs a pgx connection, not %T", dc)
		}
		_, err := c.Conn().CopyFrom(b.ctx, pgx.Identifier{table}, r.cols, pgx.CopyFromRows(r.vals))
		return err
	})
}

// EnsureSearchIndexes builds the search table's secondary indexes when they are missing: after
// a bulk load, or when building them was interrupted. It reports whether it built any. Until
// they exist searches answer the same, only slower.
func (db *DB) EnsureSearchIndexes(ctx context.Context) (built bool, err error) {
	defer wrap(&err, "EnsureSearchIndexes")
	// Two servers started together build them once.
	unlock, err := db.Lock(ctx, "search-indexes")
	if err != nil {
		return false, err
	}
	defer unlock()
	q := "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'search_terms'"
	if db.d.name == "postgres" {
		q = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'search_terms'"
	}
	rows, err := db.query(ctx, q)
	if err != nil {
		return false, err
	}
	have := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return false, err
		}
		have[name] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, err
	}
	if db.d.name == "sqlite" && len(have) < len(searchIndexes) {
		// After a bulk load the log holds the whole load, which the first commit to follow
		// would copy into the database file before it returns: the indexes are committed
		// first, and the copy is left to the next write after them.
		if _, err := db.w.ExecContext(ctx, "PRAGMA wal_autocheckpoint = 0"); err != nil {
			return false, err
		}
		defer db.w.ExecContext(context.WithoutCancel(ctx), "PRAGMA wal_autocheckpoint = 1000")
	}
	// One at a time, each in its own transaction, the key first: with it alone searches are
	// fast again, and the writer is held for one index at a time.
	for _, idx := range searchIndexes {
		if have[idx.name] {
			continue
		}
		if idx.name == "search_terms_key" {
			done := make(chan struct{})
			db.keyBuilding.Store(&done)
			defer func() {
				if db.keyBuilding.CompareAndSwap(&done, nil) {
					close(done)
				}
			}()
		}
		err = db.WriteQuiet(ctx, func(t *Tx) error {
			if db.d.name == "postgres" {
				// Sorting 600,000 terms in memory rather than in temporary files (this
				// transaction only).
				if _, err := t.tx.ExecContext(ctx, "SET LOCAL maintenance_work_mem = '128MB'"); err != nil {
					return err
				}
			}
			if db.d.name == "sqlite" && runtime.GOMAXPROCS(0) > 1 {
				// The sort that builds the index on every core (SQLite's own threads, on this
				// connection only for this statement).
				if _, err := t.tx.ExecContext(ctx, fmt.Sprintf("PRAGMA threads = %d", runtime.GOMAXPROCS(0))); err != nil {
					return err
				}
				defer t.tx.ExecContext(context.WithoutCancel(ctx), "PRAGMA threads = 0")
			}
			_, err := t.tx.ExecContext(ctx, strings.Replace(idx.sql, " INDEX ", " INDEX IF NOT EXISTS ", 1))
			return err
		})
		if err != nil {
			return built, err
		}
		built = true
		if p := db.keyBuilding.Load(); idx.name == "search_terms_key" && p != nil && db.keyBuilding.CompareAndSwap(p, nil) {
			close(*p) // searches go on now
		}
	}
	return built, nil
}
