package store

import (
	"strconv"
	"strings"
)

// dialect is every difference between SQLite and PostgreSQL the store relies on, in one place.
type dialect struct {
	name string
	// dollar placeholders ($1, $2) instead of ?
	dollar bool
	// fixSequences is run after rows were inserted with explicit ids (imports), so that the next
	// generated id follows them.
	fixSequences func(table string) string
	// migrations is the folder of embedded migrations.
	migrations string
	// cacheStmts keeps prepared statements: SQLite parses every statement it is given, while
	// pgx already caches PostgreSQL's prepared statements itself.
	cacheStmts bool
}

var sqlite = dialect{
	name:       "sqlite",
	migrations: "migrations/sqlite",
	cacheStmts: true,
}

var postgres = dialect{
	name:       "postgres",
	dollar:     true,
	migrations: "migrations/postgres",
	fixSequences: func(table string) string {
		return "SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM " + table + "), 1))"
	},
}

// rebind turns ? placeholders into $n for PostgreSQL. The store's SQL has no ? inside literals.
func (d dialect) rebind(q string) string {
	if !d.dollar || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// jsonHasID is a condition true when the JSON array at the top-level key of a row's doc holds
// the id given as the one argument jsonIDArg makes.
func (d dialect) jsonHasID(key string) string {
	if d.name == "postgres" {
		return "doc->'" + key + "' @> ?::jsonb"
	}
	return "EXISTS (SELECT 1 FROM json_each(doc, '$." + key + "') WHERE value = ?)"
}

func (d dialect) jsonIDArg(id int64) any {
	if d.name == "postgres" {
		return "[" + strconv.FormatInt(id, 10) + "]"
	}
	return id
}
