package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"slices"

	"github.com/twinning/twinning/internal/twin"
)

// AddDocument stores a file under an agreement and lists it in the agreement's documents, in
// one transaction; the agreement's version moves on and the audit log records the change. The
// caller has checked the content (auth.CheckUpload) and set d.Type.
func (db *DB) AddDocument(ctx context.Context, agreement int64, d twin.Document, data []byte) (out twin.Document, err error) {
	defer wrap(&err, "AddDocument(%d)", agreement)
	sum := sha256.Sum256(data)
	d.SHA256, d.Size = hex.EncodeToString(sum[:]), int64(len(data))
	err = db.Write(ctx, func(t *Tx) error {
		if err := t.queryRow(ctx, "INSERT INTO documents (agreement_id, name, kind, lang, type, size, sha256, data, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			agreement, d.Name, d.Kind, d.Lang, d.Type, d.Size, d.SHA256, data, ts(t.now)).Scan(&d.ID); err != nil {
			return err
		}
		_, err := db.Agreements.UpdateTx(ctx, t, agreement, 0, func(a *twin.Agreement) error {
			a.Documents = append(a.Documents, d)
			return nil
		})
		return err
	})
	return d, err
}

// Document reads a live document's description, its agreement and its bytes.
func (db *DB) Document(ctx context.Context, id int64) (d twin.Document, agreement int64, data []byte, err error) {
	defer wrap(&err, "Document(%d)", id)
	err = db.queryRow(ctx, "SELECT id, agreement_id, name, kind, lang, type, size, sha256, data FROM documents WHERE id = ? AND deleted IS NULL", id).
		Scan(&d.ID, &agreement, &d.Name, &d.Kind, &d.Lang, &d.Type, &d.Size, &d.SHA256, &data)
	if err == sql.ErrNoRows {
		err = twin.Errorf(twin.ENOTFOUND, "document %d not found", id)
	}
	return d, agreement, data, err
}

// RemoveDocument deletes a document (softly: the bytes stay for an administrator) and takes it
// off its agreement's list.
func (db *DB) RemoveDocument(ctx context.Context, id int64) (err error) {
	defer wrap(&err, "RemoveDocument(%d)", id)
	return db.Write(ctx, func(t *Tx) error {
		var agreement int64
		if err := t.queryRow(ctx, "SELECT agreement_id FROM documents WHERE id = ? AND deleted IS NULL", id).Scan(&agreement); err != nil {
			if err == sql.ErrNoRows {
				return twin.Errorf(twin.ENOTFOUND, "document %d not found", id)
			}
			return err
		}
		if _, err := t.exec(ctx, "UPDATE documents SET deleted = ? WHERE id = ?", ts(t.now), id); err != nil {
			return err
		}
		_, err := db.Agreements.UpdateTx(ctx, t, agreement, 0, func(a *twin.Agreement) error {
			a.Documents = slices.DeleteFunc(a.Documents, func(d twin.Document) bool { return d.ID == id })
			return nil
		})
		return err
	})
}
