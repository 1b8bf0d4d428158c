package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"github.com/twinning/twinning/internal/twin"
)

// knownDomainTx is knownDomain seeing, too, the domains a transaction has added.
func (db *DB) knownDomainTx(ctx context.Context, t *Tx) func(string) bool {
	known := db.knownDomain(ctx)
	return func(code string) bool { return t.domains[code] || known(code) }
}

// PutDomain adds a domain to the vocabulary inside the transaction (imports), leaving an
// existing one as it is; it reports whether it added one.
func (t *Tx) PutDomain(ctx context.Context, d twin.Domain) (bool, error) {
	p := twin.Problems{}
	if !validCode(d.Code) {
		p.Add("code", twin.KeyInvalidChoice, map[string]any{"value": d.Code, "choices": "a-z, 0-9, _"})
	}
	if len(d.Names) == 0 {
		p.Add("names", twin.KeyRequired, nil)
	}
	if err := p.Err(); err != nil {
		return false, err
	}
	if t.domains[d.Code] || t.db.knownDomain(ctx)(d.Code) {
		return false, nil
	}
	doc, _ := json.Marshal(d)
	if _, err := t.exec(ctx, "INSERT INTO domains (code, doc) VALUES (?, ?)", d.Code, string(doc)); err != nil {
		return false, err
	}
	if t.domains == nil {
		t.domains = map[string]bool{}
	}
	t.domains[d.Code] = true
	return true, nil
}

// CustomDomains lists the installation's own domains, beyond the built-in vocabulary.
func (db *DB) CustomDomains(ctx context.Context) ([]twin.Domain, error) {
	all, err := db.Domains(ctx)
	if err != nil {
		return nil, err
	}
	return all[len(twin.DefaultDomains):], nil
}

// knownDomain returns a check of domain codes against the vocabulary: the built-in domains and
// those stored in the database.
func (db *DB) knownDomain(ctx context.Context) func(string) bool {
	return func(code string) bool {
		for _, d := range twin.DefaultDomains {
			if d.Code == code {
				return true
			}
		}
		if _, ok := db.domains.Load(code); ok {
			return true
		}
		var doc string
		if err := db.queryRow(ctx, "SELECT doc FROM domains WHERE code = ?", code).Scan(&doc); err != nil {
			return false
		}
		var d twin.Domain
		if json.Unmarshal([]byte(doc), &d) == nil {
			db.domains.Store(code, d)
		}
		return true
	}
}

// Domains lists the vocabulary: built-in domains first, then the installation's own.
func (db *DB) Domains(ctx context.Context) (out []twin.Domain, err error) {
	defer wrap(&err, "Domains")
	out = append(out, twin.DefaultDomains...)
	rows, err := db.query(ctx, "SELECT doc FROM domains ORDER BY code")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var doc string
		var d twin.Domain
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(doc), &d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// AddDomain extends the vocabulary.
func (db *DB) AddDomain(ctx context.Context, d twin.Domain) (err error) {
	defer wrap(&err, "AddDomain(%q)", d.Code)
	p := twin.Problems{}
	if !validCode(d.Code) {
		p.Add("code", twin.KeyInvalidChoice, map[string]any{"value": d.Code, "choices": "a-z, 0-9, _"})
	}
	twin.CheckNames(p, "names", d.Names, twin.MaxName)
	if db.knownDomain(ctx)(d.Code) {
		return twin.Errorf(twin.ECONFLICT, "domain %q exists", d.Code)
	}
	if err := p.Err(); err != nil {
		return err
	}
	doc, _ := json.Marshal(d)
	return db.Write(ctx, func(t *Tx) error {
		_, err := t.exec(ctx, "INSERT INTO domains (code, doc) VALUES (?, ?)", d.Code, string(doc))
		return err
	})
}

func validCode(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// PutCountry stores or replaces a country.
func (t *Tx) PutCountry(ctx context.Context, c twin.Country) error {
	if !twin.ValidCountry(c.Code) {
		p := twin.Problems{}
		p.Add("code", twin.KeyInvalidCode, map[string]any{"value": c.Code})
		return p.Err()
	}
	doc, _ := json.Marshal(c)
	if _, err := t.exec(ctx, "DELETE FROM countries WHERE code = ?", c.Code); err != nil {
		return err
	}
	_, err := t.exec(ctx, "INSERT INTO countries (code, doc) VALUES (?, ?)", c.Code, string(doc))
	return err
}

// Countries lists every country, by code.
func (db *DB) Countries(ctx context.Context) (out []twin.Country, err error) {
	defer wrap(&err, "Countries")
	rows, err := db.query(ctx, "SELECT doc FROM countries ORDER BY code")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var doc string
		var c twin.Country
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(doc), &c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// history returns a record's changes, oldest first.
func (db *DB) history(ctx context.Context, kind string, id int64) (out []twin.Change, err error) {
	defer wrap(&err, "history(%s, %d)", kind, id)
	rows, err := db.query(ctx, "SELECT version, action, actor, at, before, after FROM changes WHERE kind = ? AND record_id = ? ORDER BY id", kind, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		c := twin.Change{Kind: kind, ID: id}
		var at string
		var before, after sql.NullString
		if err := rows.Scan(&c.Version, &c.Action, &c.Actor, &at, &before, &after); err != nil {
			return nil, err
		}
		c.At = parseTS(at)
		if before.Valid {
			c.Before = json.RawMessage(before.String)
		}
		if after.Valid {
			c.After = json.RawMessage(after.String)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Setting reads an installation setting ("" when unset).
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.queryRow(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return v, err
}

// SetSetting writes an installation setting.
func (t *Tx) SetSetting(ctx context.Context, key, value string) error {
	if _, err := t.exec(ctx, "DELETE FROM settings WHERE key = ?", key); err != nil {
		return err
	}
	_, err := t.exec(ctx, "INSERT INTO settings (key, value) VALUES (?, ?)", key, value)
	return err
}

// Partners lists a city's agreements with the partner city on the other side, signed first,
// then by partner name.
func (db *DB) Partners(ctx context.Context, cityID int64) (out []twin.Partner, err error) {
	defer wrap(&err, "Partners(%d)", cityID)
	as, err := db.Agreements.all(ctx, "city_a = ? OR city_b = ?", cityID, cityID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(as))
	for _, a := range as {
		other := a.CityIDs[0]
		if other == cityID {
			other = a.CityIDs[1]
		}
		ids = append(ids, other)
	}
	cities, err := db.Cities.ByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*twin.City{}
	for _, c := range cities {
		byID[c.ID] = c
	}
	for i, a := range as {
		if c := byID[ids[i]]; c != nil {
			out = append(out, twin.Partner{Agreement: a, City: c})
		}
	}
	rank := func(s string) int {
		for i, x := range twin.AgreementStatuses {
			if x == s {
				return map[int]int{2: 0, 0: 1, 1: 2, 3: 3, 4: 4, 5: 5}[i]
			}
		}
		return 9
	}
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := rank(out[i].Agreement.Status), rank(out[j].Agreement.Status)
		if ri != rj {
			return ri < rj
		}
		return out[i].City.Names.Pick("en") < out[j].City.Names.Pick("en")
	})
	return out, nil
}

// Edges returns every live agreement as a (city, city, agreement) triple, for the graph.
func (db *DB) Edges(ctx context.Context) (out [][3]int64, err error) {
	defer wrap(&err, "Edges")
	rows, err := db.query(ctx, "SELECT city_a, city_b, id FROM agreements WHERE deleted IS NULL AND status NOT IN ('rejected')")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var e [3]int64
		if err := rows.Scan(&e[0], &e[1], &e[2]); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Count returns how many live records of kind there are.
func (db *DB) Count(ctx context.Context, kind twin.Kind) (n int64, err error) {
	if !kind.Valid() {
		return 0, twin.Errorf(twin.EINVALID, "unknown kind %q", kind)
	}
	err = db.queryRow(ctx, "SELECT COUNT(*) FROM "+kind.Plural()+" WHERE deleted IS NULL").Scan(&n)
	return n, err
}

// FixSequences makes generated ids follow the highest id in each table, after rows were written
// with explicit ids (imports, the bundled dataset). SQLite needs nothing.
func (t *Tx) FixSequences(ctx context.Context) error {
	if t.db.d.fixSequences == nil {
		return nil
	}
	tables := []string{"documents", "changes"}
	for _, k := range twin.Kinds {
		tables = append(tables, k.Plural())
	}
	for _, table := range tables {
		if _, err := t.exec(ctx, t.db.d.fixSequences(table)); err != nil {
			return err
		}
	}
	return nil
}

// CityFact is what the graph's suggestions need to know of a city.
type CityFact struct {
	ID         int64
	Country    string
	Lat, Lon   float64
	HasCoord   bool
	Population int64
}

// CityFacts lists every live city's country, coordinates and population.
func (db *DB) CityFacts(ctx context.Context) (out []CityFact, err error) {
	defer wrap(&err, "CityFacts")
	return db.cityFacts(ctx, "SELECT "+db.factCols()+" FROM cities WHERE deleted IS NULL")
}

// factCols are the columns cityFacts reads: the facts are taken out of the documents by the
// database (on SQLite a third of the CPU of decoding every document).
func (db *DB) factCols() string {
	if db.d.name == "postgres" {
		return "id, country, (doc->>'lat')::float8, (doc->>'lon')::float8, (doc->>'population')::bigint"
	}
	return "id, country, json_extract(doc, '$.lat'), json_extract(doc, '$.lon'), json_extract(doc, '$.population')"
}

// CityFactsOf lists the facts of the live cities among ids.
func (db *DB) CityFactsOf(ctx context.Context, ids []int64) (out []CityFact, err error) {
	defer wrap(&err, "CityFactsOf")
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return db.cityFacts(ctx, "SELECT "+db.factCols()+" FROM cities WHERE deleted IS NULL AND id IN ("+placeholders(len(ids))+")", args...)
}

func (db *DB) cityFacts(ctx context.Context, q string, args ...any) (out []CityFact, err error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var f CityFact
		var lat, lon sql.NullFloat64
		var pop sql.NullInt64
		if err := rows.Scan(&f.ID, &f.Country, &lat, &lon, &pop); err != nil {
			return nil, err
		}
		if lat.Valid && lon.Valid {
			f.Lat, f.Lon, f.HasCoord = lat.Float64, lon.Float64, true
		}
		f.Population = pop.Int64
		out = append(out, f)
	}
	return out, rows.Err()
}

// ActivitiesOf lists the live activities under an agreement or its institution links.
func (db *DB) ActivitiesOf(ctx context.Context, agreement int64) ([]*twin.Activity, error) {
	return db.Activities.all(ctx, "agreement_id = ? OR link_id IN (SELECT id FROM links WHERE agreement_id = ? AND deleted IS NULL)", agreement, agreement)
}

// LinksOf lists the live institution links under an agreement.
func (db *DB) LinksOf(ctx context.Context, agreement int64) ([]*twin.Link, error) {
	return db.Links.all(ctx, "agreement_id = ?", agreement)
}

// Exec runs a statement outside the record tables (administration and tests).
func (db *DB) Exec(ctx context.Context, q string, args ...any) error {
	_, err := db.w.ExecContext(ctx, db.d.rebind(q), args...)
	return err
}

// Analyze refreshes the planner's statistics, after bulk loads.
func (db *DB) Analyze(ctx context.Context) error {
	_, err := db.w.ExecContext(ctx, "ANALYZE")
	return err
}

// LatestActivities lists the live activities with the latest start dates first (undated ones
// last), through the start-date index.
func (db *DB) LatestActivities(ctx context.Context, limit int) ([]*twin.Activity, error) {
	if limit <= 0 || limit > 1000 {
		limit = 20
	}
	recs, err := db.Activities.queryRecs(ctx, dbq{db}, "SELECT "+selectCols+" FROM activities WHERE deleted IS NULL ORDER BY start_date IS NULL, start_date DESC, id DESC LIMIT "+fmt.Sprint(limit))
	if err != nil {
		return nil, err
	}
	return recs, db.Activities.hydrateAll(ctx, dbq{db}, recs)
}

// ActivitiesBetween lists the live activities starting between two Gregorian dates
// (YYYY-MM-DD, inclusive), by start date.
func (db *DB) ActivitiesBetween(ctx context.Context, from, to string) ([]*twin.Activity, error) {
	return db.Activities.all(ctx, "start_date >= ? AND start_date <= ?", from, to)
}

// BackupTo writes a consistent copy of a SQLite registry to path (VACUUM INTO: one read
// transaction, so writers may go on meanwhile).
func (db *DB) BackupTo(ctx context.Context, path string) error {
	if db.d.name != "sqlite" {
		return fmt.Errorf("BackupTo is for SQLite; back up PostgreSQL with pg_dump")
	}
	_, err := db.w.ExecContext(ctx, "VACUUM INTO ?", path)
	return err
}

// CitiesVersion is a cheap fingerprint of the cities table: it changes when any city is
// created, changed, deleted or restored.
func (db *DB) CitiesVersion(ctx context.Context) (string, error) {
	var n int64
	var last sql.NullString
	err := db.queryRow(ctx, "SELECT COUNT(*), MAX(updated) FROM cities").Scan(&n, &last)
	return fmt.Sprintf("%d/%s", n, last.String), err
}

// DataVersion changes whenever any connection, of this process or another, has committed a
// change to the registry since the last call; what is derived from the data and kept in memory
// is dropped when it does. SQLite answers from PRAGMA data_version on a connection kept for it
// (microseconds), PostgreSQL from the write-ahead log's position (it moves with every write to
// the cluster, so it may change without a change to the registry, never the other way round).
func (db *DB) DataVersion(ctx context.Context) (string, error) {
	db.dvMu.Lock()
	defer db.dvMu.Unlock()
	if db.d.name != "sqlite" {
		var lsn string
		err := db.r.QueryRowContext(ctx, "SELECT pg_current_wal_lsn()::text").Scan(&lsn)
		return lsn, err
	}
	if db.dvConn == nil {
		c, err := db.r.Conn(ctx)
		if err != nil {
			return "", err
		}
		db.dvConn = c
	}
	var v int64
	if err := db.dvConn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		db.dvConn.Close()
		db.dvConn = nil
		return "", err
	}
	return fmt.Sprint(v), nil
}

// CityName is a city as other records mention it: its ids, country and names.
type CityName struct {
	ID       int64
	Wikidata string
	Country  string
	Names    twin.Names
}

// CityNames reads the names of live cities by id, without decoding the rest of their
// records (sources, aliases): what lists of cities mentioned elsewhere need.
func (db *DB) CityNames(ctx context.Context, ids []int64) (out map[int64]CityName, err error) {
	defer wrap(&err, "CityNames")
	out = make(map[int64]CityName, len(ids))
	for chunk := range chunks(ids, 500) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		if err := db.cityNamesWhere(ctx, "id IN ("+placeholders(len(chunk))+")", args, func(c CityName) { out[c.ID] = c }); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CityNamesByRef reads the names of live cities by ref (a Wikidata id or an internal id, as
// records that name cities hold them), in one query per 500 refs; the answer is keyed by the
// refs as given. A ref that names no live city is left out.
func (db *DB) CityNamesByRef(ctx context.Context, refs []string) (out map[string]CityName, err error) {
	defer wrap(&err, "CityNamesByRef")
	out = make(map[string]CityName, len(refs))
	for chunk := range chunks(refs, 500) {
		byQID, byID := map[string][]string{}, map[int64][]string{}
		var qids, ids []any
		for _, ref := range chunk {
			if twin.IsQID(ref) {
				q := twin.NormalizeQID(ref)
				if byQID[q] == nil {
					qids = append(qids, q)
				}
				byQID[q] = append(byQID[q], ref)
			} else if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
				if byID[id] == nil {
					ids = append(ids, id)
				}
				byID[id] = append(byID[id], ref)
			}
		}
		if len(qids)+len(ids) == 0 {
			continue
		}
		where := "wikidata IN (" + placeholders(len(qids)) + ") OR id IN (" + placeholders(len(ids)) + ")"
		switch {
		case len(ids) == 0:
			where = "wikidata IN (" + placeholders(len(qids)) + ")"
		case len(qids) == 0:
			where = "id IN (" + placeholders(len(ids)) + ")"
		}
		err := db.cityNamesWhere(ctx, where, append(qids, ids...), func(c CityName) {
			for _, ref := range byQID[c.Wikidata] {
				out[ref] = c
			}
			for _, ref := range byID[c.ID] {
				out[ref] = c
			}
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// cityNamesWhere reads the id, Wikidata id, country and names of the live cities that match
// where, giving each to found.
func (db *DB) cityNamesWhere(ctx context.Context, where string, args []any, found func(CityName)) error {
	names := "json_extract(doc, '$.names')"
	if db.d.name == "postgres" {
		names = "(doc->'names')::text"
	}
	rows, err := db.query(ctx, "SELECT id, COALESCE(wikidata, ''), country, "+names+" FROM cities WHERE deleted IS NULL AND ("+where+")", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c CityName
		var doc sql.NullString
		if err := rows.Scan(&c.ID, &c.Wikidata, &c.Country, &doc); err != nil {
			return err
		}
		if doc.Valid {
			if err := json.Unmarshal([]byte(doc.String), &c.Names); err != nil {
				return err
			}
		}
		found(c)
	}
	return rows.Err()
}
