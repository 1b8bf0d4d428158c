package store

import (
	"database/sql"
	"errors"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/twinning/twinning/internal/twin"
)

// translate turns the drivers' errors into domain errors where they mean something to a user:
// no rows is not-found, a unique violation is a conflict, a foreign-key violation is invalid
// input. Everything else passes through for the operator's log.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var te *twin.Error
	if errors.As(err, &te) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return twin.Errorf(twin.ENOTFOUND, "not found")
	}
	// A full disk or database: SQLite's SQLITE_FULL (13, also when max_page_count is reached),
	// PostgreSQL's disk_full (53100), or the system's ENOSPC.
	var coded interface{ Code() int }
	if errors.Is(err, syscall.ENOSPC) || errors.As(err, &coded) && coded.Code()&0xff == 13 {
		return &twin.Error{Code: twin.ESTORAGE, Message: "storage full: " + err.Error()}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return twin.Errorf(twin.ECONFLICT, "already exists: %s", pe.ConstraintName)
		case "23503":
			return twin.Errorf(twin.EINVALID, "refers to a record that does not exist")
		case "53100":
			return &twin.Error{Code: twin.ESTORAGE, Message: "storage full: " + err.Error()}
		}
		return err
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "UNIQUE constraint failed"):
		return twin.Errorf(twin.ECONFLICT, "already exists: %s", msg[strings.Index(msg, "UNIQUE"):])
	case strings.Contains(msg, "FOREIGN KEY constraint failed"):
		return twin.Errorf(twin.EINVALID, "refers to a record that does not exist")
	}
	return err
}
