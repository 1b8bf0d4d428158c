package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/twinning/twinning/internal/twin"
)

// Citizens' proposals beyond the generic table: the private follow key (only its digest is
// kept), supports counted one per account or browser with the address each came from, and the
// abuse limits' counters. The rules (who may, how many) are internal/twin's; this file keeps
// them in the database so that every server sharing it counts the same.

// proposalTable stores citizens' proposals: their cities (within their agreement's, when
// they name one), the side tables of the public lists (proposalSide), the supporters counted
// on read; a status moves only through twin.Proposal.Move.
func (db *DB) proposalTable() *Table[twin.Proposal] {
	return &Table[twin.Proposal]{db: db, kind: twin.KindProposal, cols: []string{"agreement_id", "status"},
		prepare: func(ctx context.Context, t *Tx, pr *twin.Proposal) ([]any, error) {
			pr.Supporters = 0 // counted from the supports on every read, never stored
			p, err := problemsOf(pr.Validate(db.knownDomainTx(ctx, t)))
			if err != nil {
				return nil, err
			}
			// A proposal tied to an agreement names only that agreement's cities.
			var agreementCities []int64
			if pr.Agreement != 0 {
				a, err := refs{db, txq{t}, true}.agreement(ctx, pr.Agreement)
				if err != nil {
					if twin.ErrorCode(err) != twin.ENOTFOUND {
						return nil, err
					}
					p.Add("agreement", twin.KeyUnknownRecord, map[string]any{"value": pr.Agreement})
				} else {
					agreementCities = a.CityIDs
				}
			}
			for i, ref := range pr.Cities {
				c, err := db.cityByRef(ctx, txq{t}, ref)
				if err != nil {
					if twin.ErrorCode(err) != twin.ENOTFOUND {
						return nil, err
					}
					p.Add(fmt.Sprintf("cities[%d]", i), twin.KeyUnknownCity, map[string]any{"value": ref})
					continue
				}
				if agreementCities != nil && !slices.Contains(agreementCities, c.ID) {
					p.Add(fmt.Sprintf("cities[%d]", i), keyOutside, map[string]any{"value": ref})
				}
				pr.Cities[i] = c.Ref()
			}
			if err := p.Err(); err != nil {
				return nil, err
			}
			if len(pr.History) == 0 {
				pr.History = []twin.ProposalEvent{{Status: pr.Status, At: t.now.UTC()}}
			}
			return []any{nullID(pr.Agreement), pr.Status}, nil
		},
		after: db.proposalSide,
		hydrate: func(ctx context.Context, q querier, prs []*twin.Proposal) error {
			return hydrateSupporters(ctx, q, db.d, prs)
		},
		filters: map[string]string{twin.FilterAgreement: "agreement_id = ?", twin.FilterStatus: "status = ?",
			twin.FilterStatuses: "status IN (?)", twin.FilterCity: "id IN (SELECT proposal_id FROM proposal_cities WHERE city_id = ?)",
			twin.FilterDomain: "id IN (SELECT proposal_id FROM proposal_domains WHERE domain = ?)"},
		transition: func(_ context.Context, _ *Tx, before, after *twin.Proposal) error {
			// A status moves only through twin.Proposal.Move, which records the move.
			if n := len(after.History); after.Status != before.Status && (n != len(before.History)+1 || after.History[n-1].Status != after.Status) {
				p := twin.Problems{}
				p.Add("status", twin.KeyProposalMove, map[string]any{"from": before.Status, "to": after.Status})
				return p.Err()
			}
			return nil
		},
		terms: func(p *twin.Proposal) []weighted { return append(titleTerms(p.Title), textTerms(p.Body)...) },
	}
}

// proposalSide writes the cities and domains a proposal concerns into their side tables, for
// the public lists' filters: its own cities and its agreement's two.
func (db *DB) proposalSide(ctx context.Context, t *Tx, pr *twin.Proposal) error {
	if _, err := t.exec(ctx, "DELETE FROM proposal_cities WHERE proposal_id = ?", pr.ID); err != nil {
		return err
	}
	if _, err := t.exec(ctx, "DELETE FROM proposal_domains WHERE proposal_id = ?", pr.ID); err != nil {
		return err
	}
	ids := map[int64]bool{}
	for _, ref := range pr.Cities {
		if c, err := db.cityByRef(ctx, txq{t}, ref); err == nil {
			ids[c.ID] = true
		}
	}
	if pr.Agreement != 0 {
		var a, b int64
		if err := t.queryRow(ctx, "SELECT city_a, city_b FROM agreements WHERE id = ?", pr.Agreement).Scan(&a, &b); err == nil {
			ids[a], ids[b] = true, true
		}
	}
	for id := range ids {
		if _, err := t.exec(ctx, "INSERT INTO proposal_cities (proposal_id, city_id) VALUES (?, ?)", pr.ID, id); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for _, d := range pr.Domains {
		if seen[d] {
			continue
		}
		seen[d] = true
		if _, err := t.exec(ctx, "INSERT INTO proposal_domains (proposal_id, domain) VALUES (?, ?)", pr.ID, d); err != nil {
			return err
		}
	}
	return nil
}

// hydrateSupporters fills each proposal's count of supporters from its supports.
func hydrateSupporters(ctx context.Context, q querier, d dialect, prs []*twin.Proposal) error {
	byID := make(map[int64]*twin.Proposal, len(prs))
	args := make([]any, 0, len(prs))
	for _, pr := range prs {
		pr.Supporters = 0
		if _, ok := byID[pr.ID]; !ok {
			byID[pr.ID] = pr
			args = append(args, pr.ID)
		}
	}
	for chunk := range chunks(args, 500) {
		rows, err := q.QueryContext(ctx, d.rebind("SELECT proposal_id, COUNT(*) FROM proposal_supports WHERE proposal_id IN ("+placeholders(len(chunk))+") GROUP BY proposal_id"), chunk...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return err
			}
			byID[id].Supporters = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// SubmitProposal stores a citizen's proposal with the digest of its follow key, in one
// transaction. With a limit, the proposal counts against it for subject (an address's
// digest), and is refused over it: only proposals that would be stored count.
func (db *DB) SubmitProposal(ctx context.Context, pr *twin.Proposal, keyDigest string, limit *twin.Limit, subject string) (out *twin.Proposal, err error) {
	defer wrap(&err, "SubmitProposal")
	err = db.Write(ctx, func(t *Tx) error {
		pr.Submitted(t.now)
		// Two cities with an agreement between them name that partnership.
		if pr.Agreement == 0 && len(pr.Cities) == 2 {
			a, errA := db.cityByRef(ctx, txq{t}, pr.Cities[0])
			b, errB := db.cityByRef(ctx, txq{t}, pr.Cities[1])
			if errA == nil && errB == nil {
				var id int64
				if t.queryRow(ctx, "SELECT id FROM agreements WHERE deleted IS NULL AND ((city_a = ? AND city_b = ?) OR (city_a = ? AND city_b = ?)) ORDER BY id LIMIT 1", a.ID, b.ID, b.ID, a.ID).Scan(&id) == nil {
					pr.Agreement = id
				}
			}
		}
		if out, err = db.Proposals.CreateTx(ctx, t, pr); err != nil {
			return err
		}
		if limit != nil {
			if err := db.throttle(ctx, t, *limit, subject); err != nil {
				return err
			}
		}
		_, err = t.exec(ctx, "INSERT INTO proposal_keys (proposal_id, digest) VALUES (?, ?)", out.ID, keyDigest)
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.Proposals.Get(ctx, out.ID)
}

// ProposalKeyMatches reports whether keyDigest is the digest of proposal id's follow key.
func (db *DB) ProposalKeyMatches(ctx context.Context, id int64, keyDigest string) bool {
	if keyDigest == "" {
		return false
	}
	var got string
	if err := db.queryRow(ctx, "SELECT digest FROM proposal_keys WHERE proposal_id = ?", id).Scan(&got); err != nil {
		return false
	}
	return got == keyDigest
}

// ModerateProposal moves proposal id to status with the moderator's reason (version 0 skips
// the version check).
func (db *DB) ModerateProposal(ctx context.Context, id, version int64, status, reason string) (*twin.Proposal, error) {
	return db.Proposals.Update(ctx, id, version, func(pr *twin.Proposal) error {
		return pr.Move(status, reason, db.Now())
	})
}

// Support records supporter's support of proposal id, coming from address (a digest), and
// returns the count of supporters. A second support by the same supporter changes nothing
// (added is false). Only a public proposal may be supported. An anonymous support gives the
// digest of its address, and an address gives at most perAddress of them to one proposal;
// accounts give none ("") and perAddress 0.
func (db *DB) Support(ctx context.Context, id int64, supporter, address string, perAddress int) (count int, added bool, err error) {
	defer wrap(&err, "Support(%d)", id)
	err = db.Write(ctx, func(t *Tx) error {
		var status string
		if err := t.queryRow(ctx, "SELECT status FROM proposals WHERE id = ? AND deleted IS NULL", id).Scan(&status); err != nil {
			return twin.Errorf(twin.ENOTFOUND, "proposal %d not found", id)
		}
		if !twin.ProposalIsPublic(status) {
			return twin.Errorf(twin.ENOTFOUND, "proposal %d is not published", id)
		}
		var one int
		switch err := t.queryRow(ctx, "SELECT 1 FROM proposal_supports WHERE proposal_id = ? AND supporter = ?", id, supporter).Scan(&one); {
		case err == nil: // supported already
		case err != sql.ErrNoRows:
			return err
		default:
			if perAddress > 0 {
				var n int
				if err := t.queryRow(ctx, "SELECT COUNT(*) FROM proposal_supports WHERE proposal_id = ? AND address = ?", id, address).Scan(&n); err != nil {
					return err
				}
				if n >= perAddress {
					return twin.Limited(twin.LimitSupportOne, 0) // counted for good: waiting does not help
				}
			}
			if _, err := t.exec(ctx, "INSERT INTO proposal_supports (proposal_id, supporter, address, at) VALUES (?, ?, ?, ?)", id, supporter, address, ts(t.now)); err != nil {
				return err
			}
			added = true
			// Not a change of the record (no version, no audit entry), but of what its readers
			// see: those who keep answers (the anonymous readers' cache) are told at once.
			t.changed = append(t.changed, Changed{"proposal", id})
		}
		return t.queryRow(ctx, "SELECT COUNT(*) FROM proposal_supports WHERE proposal_id = ?", id).Scan(&count)
	})
	return count, added, err
}

// Supports reports which of the proposals ids supporter supports.
func (db *DB) Supports(ctx context.Context, supporter string, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if supporter == "" || len(ids) == 0 {
		return out, nil
	}
	args := []any{supporter}
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := db.query(ctx, "SELECT proposal_id FROM proposal_supports WHERE supporter = ? AND proposal_id IN ("+placeholders(len(ids))+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// Throttle counts one more attempt of subject (a digest of a client address) under limit l, or
// refuses it with a twin.ELIMITED error when the window already holds l.Max attempts. The
// counters live in the database, so that every server sharing it counts together.
func (db *DB) Throttle(ctx context.Context, l twin.Limit, subject string) error {
	return db.Write(ctx, func(t *Tx) error { return db.throttle(ctx, t, l, subject) })
}

func (db *DB) throttle(ctx context.Context, t *Tx, l twin.Limit, subject string) error {
	since := ts(t.now.Add(-l.Window))
	if _, err := t.exec(ctx, "DELETE FROM throttle WHERE bucket = ? AND at < ?", l.Bucket, since); err != nil {
		return err
	}
	var n int
	if err := t.queryRow(ctx, "SELECT COUNT(*) FROM throttle WHERE bucket = ? AND subject = ? AND at >= ?", l.Bucket, subject, since).Scan(&n); err != nil {
		return err
	}
	if n >= l.Max {
		// The subject may try again when its oldest attempt in the window leaves it.
		var oldest string
		if err := t.queryRow(ctx, "SELECT MIN(at) FROM throttle WHERE bucket = ? AND subject = ? AND at >= ?", l.Bucket, subject, since).Scan(&oldest); err != nil {
			return err
		}
		return twin.Limited(l, max(parseTS(oldest).Add(l.Window).Sub(t.now), time.Second))
	}
	_, err := t.exec(ctx, "INSERT INTO throttle (bucket, subject, at) VALUES (?, ?, ?)", l.Bucket, subject, ts(t.now))
	return err
}

// ProposalCounts counts the live proposals in each status.
func (db *DB) ProposalCounts(ctx context.Context) (map[string]int, error) {
	rows, err := db.query(ctx, "SELECT status, COUNT(*) FROM proposals WHERE deleted IS NULL GROUP BY status")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[strings.TrimSpace(s)] = n
	}
	return out, rows.Err()
}
