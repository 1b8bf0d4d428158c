package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"

	"github.com/twinning/twinning/internal/twin"
)

func (db *DB) initTables() {
	db.Cities = &Table[twin.City]{db: db, kind: "city", name: "cities", cols: []string{"wikidata", "country"},
		prepare: func(ctx context.Context, t *Tx, c *twin.City) ([]any, error) {
			if err := c.Validate(); err != nil {
				return nil, err
			}
			var qid any
			if c.Wikidata != "" {
				qid = c.Wikidata
			}
			return []any{qid, c.Country}, nil
		},
		filters: map[string]string{twin.FilterCountry: "country = ?", twin.FilterWikidata: "wikidata = ?"},
		terms:   func(c *twin.City) []weighted { return nameTerms(c.Names, c.Aliases) },
		boost:   func(c *twin.City) int { return PopulationBoost(c.Population) },
	}
	db.Agreements = &Table[twin.Agreement]{db: db, kind: "agreement", name: "agreements", cols: []string{"city_a", "city_b", "kind", "status"},
		prepare: func(ctx context.Context, t *Tx, a *twin.Agreement) ([]any, error) {
			p := twin.Problems{}
			if err := a.Validate(db.knownDomainTx(ctx, t)); err != nil {
				p = twin.Problems(twin.ErrorFields(err))
			}
			if len(a.Cities) == 2 && p["cities"].Key == "" {
				a.CityIDs = make([]int64, 2)
				for i, ref := range a.Cities {
					if ref == "" {
						continue
					}
					id, canon, err := db.cityIDByRef(ctx, t, ref)
					if err != nil {
						if twin.ErrorCode(err) != twin.ENOTFOUND {
							return nil, err
						}
						p.Add(fmt.Sprintf("cities[%d]", i), twin.KeyUnknownCity, map[string]any{"value": ref})
						continue
					}
					a.CityIDs[i], a.Cities[i] = id, canon
				}
				if a.CityIDs[0] != 0 && a.CityIDs[0] == a.CityIDs[1] {
					p.Add("cities", twin.KeySameCity, nil)
				}
			}
			for i, pa := range a.Parties {
				if pa.Person != 0 && !db.exists(ctx, t, "people", pa.Person) {
					p.Add(fmt.Sprintf("parties[%d].person", i), twin.KeyUnknownRecord, map[string]any{"value": pa.Person})
				}
				if pa.Institution != 0 && !db.exists(ctx, t, "institutions", pa.Institution) {
					p.Add(fmt.Sprintf("parties[%d].institution", i), twin.KeyUnknownRecord, map[string]any{"value": pa.Institution})
				}
			}
			if err := p.Err(); err != nil {
				return nil, err
			}
			a.Vitality = nil // computed on read, never stored
			return []any{a.CityIDs[0], a.CityIDs[1], a.Kind, a.Status}, nil
		},
		transition: func(ctx context.Context, t *Tx, before, after *twin.Agreement) error {
			p := twin.Problems{}
			if !twin.CanMove(before.Status, after.Status) {
				p.Add("status", twin.KeyStatusMove, map[string]any{"from": before.Status, "to": after.Status})
			}
			// The links and activities under an agreement lie in its two cities: while there
			// are any, the cities stay.
			if !sameSet(before.CityIDs, after.CityIDs) {
				used, err := db.inUse(ctx, t, "links", "agreement_id = ?", after.ID)
				if err == nil && !used {
					used, err = db.inUse(ctx, t, "activities", "agreement_id = ?", after.ID)
				}
				if err != nil {
					return err
				}
				if used {
					p.Add("cities", keyInUse, nil)
				}
			}
			return p.Err()
		},
		filters: map[string]string{twin.FilterCity: "(city_a = ? OR city_b = ?)", twin.FilterStatus: "status = ?", twin.FilterKind: "kind = ?"},
		terms: func(a *twin.Agreement) []weighted {
			return append(titleTerms(a.Title), textTerms(a.Notes)...)
		},
		hydrate: db.hydrateAgreements,
	}
	db.Institutions = &Table[twin.Institution]{db: db, kind: "institution", name: "institutions", cols: []string{"city_id", "type"},
		prepare: func(ctx context.Context, t *Tx, in *twin.Institution) ([]any, error) {
			err := in.Validate()
			p := twin.Problems(twin.ErrorFields(err))
			if err != nil && p == nil {
				return nil, err
			}
			if p == nil {
				p = twin.Problems{}
			}
			if in.City != "" {
				c, err := db.cityByRef(ctx, txq{t}, in.City)
				if err != nil {
					if twin.ErrorCode(err) != twin.ENOTFOUND {
						return nil, err
					}
					p.Add("city", twin.KeyUnknownCity, map[string]any{"value": in.City})
				} else {
					in.CityID, in.City = c.ID, c.Ref()
				}
			}
			if err := p.Err(); err != nil {
				return nil, err
			}
			return []any{in.CityID, in.Type}, nil
		},
		filters: map[string]string{twin.FilterCity: "city_id = ?", twin.FilterType: "type = ?"},
		transition: func(ctx context.Context, t *Tx, before, after *twin.Institution) error {
			// Links and activities hold an institution to its city's partnerships.
			if before.CityID == after.CityID {
				return nil
			}
			used, err := db.inUse(ctx, t, "links", "inst_a = ? OR inst_b = ?", after.ID, after.ID)
			if err == nil && !used {
				used, err = db.inUse(ctx, t, "activities", db.d.jsonHasID("institutions"), db.d.jsonIDArg(after.ID))
			}
			if err != nil {
				return err
			}
			if used {
				p := twin.Problems{}
				p.Add("city", keyInUse, nil)
				return p.Err()
			}
			return nil
		},
		terms: func(in *twin.Institution) []weighted { return nameTerms(in.Names, in.Aliases) },
	}
	db.Links = &Table[twin.Link]{db: db, kind: "link", name: "links", cols: []string{"inst_a", "inst_b", "agreement_id", "status"},
		prepare: func(ctx context.Context, t *Tx, l *twin.Link) ([]any, error) {
			err := l.Validate(db.knownDomainTx(ctx, t))
			p := twin.Problems(twin.ErrorFields(err))
			if err != nil && p == nil {
				return nil, err
			}
			if p == nil {
				p = twin.Problems{}
			}
			if p["institutions"].Key == "" {
				if err := db.checkLink(ctx, t, l, p); err != nil {
					return nil, err
				}
			}
			if err := p.Err(); err != nil {
				return nil, err
			}
			return []any{l.Institutions[0], l.Institutions[1], nullID(l.Agreement), l.Status}, nil
		},
		filters: map[string]string{twin.FilterAgreement: "agreement_id = ?", twin.FilterInstitution: "(inst_a = ? OR inst_b = ?)", twin.FilterStatus: "status = ?"},
		transition: func(ctx context.Context, t *Tx, before, after *twin.Link) error {
			// An activity under a link lies in the link's partnership: while there are any,
			// the link keeps its institutions and its agreement.
			if sameSet(before.Institutions, after.Institutions) && before.Agreement == after.Agreement {
				return nil
			}
			used, err := db.inUse(ctx, t, "activities", "link_id = ?", after.ID)
			if err != nil {
				return err
			}
			if used {
				p := twin.Problems{}
				if before.Agreement != after.Agreement {
					p.Add("agreement", keyInUse, nil)
				} else {
					p.Add("institutions", keyInUse, nil)
				}
				return p.Err()
			}
			return nil
		},
		terms: func(l *twin.Link) []weighted { return textTerms(l.Notes) },
	}
	db.Activities = &Table[twin.Activity]{db: db, kind: "activity", name: "activities", cols: []string{"agreement_id", "link_id", "network_id", "kind", "start_date"},
		prepare: func(ctx context.Context, t *Tx, a *twin.Activity) ([]any, error) {
			err := a.Validate(db.knownDomainTx(ctx, t))
			p := twin.Problems(twin.ErrorFields(err))
			if err != nil && p == nil {
				return nil, err
			}
			if p == nil {
				p = twin.Problems{}
			}
			if err := db.checkActivity(ctx, t, a, p); err != nil {
				return nil, err
			}
			if err := p.Err(); err != nil {
				return nil, err
			}
			var start any
			if a.Start != nil {
				start = a.Start.Start
			}
			return []any{nullID(a.Agreement), nullID(a.Link), nullID(a.Network), a.Kind, start}, nil
		},
		filters: map[string]string{twin.FilterAgreement: "agreement_id = ?", twin.FilterNetwork: "network_id = ?",
			twin.FilterCity: "agreement_id IN (SELECT id FROM agreements WHERE city_a = ? OR city_b = ?)", twin.FilterKind: "kind = ?"},
		terms: func(a *twin.Activity) []weighted {
			return append(titleTerms(a.Title), textTerms(a.Description)...)
		},
	}
	db.People = &Table[twin.Person]{db: db, kind: "person", name: "people",
		prepare: func(ctx context.Context, t *Tx, pe *twin.Person) ([]any, error) {
			err := pe.Validate()
			p := twin.Problems(twin.ErrorFields(err))
			if err != nil && p == nil {
				return nil, err
			}
			if p == nil {
				p = twin.Problems{}
			}
			// A title's institution exists and lies in the title's city.
			rf := refs{db, txq{t}, true}
			for i, ti := range pe.Titles {
				f := fmt.Sprintf("titles[%d]", i)
				var city *twin.City
				if ti.City != "" {
					c, err := rf.city(ctx, ti.City)
					if err != nil {
						if twin.ErrorCode(err) != twin.ENOTFOUND {
							return nil, err
						}
						p.Add(f+".city", twin.KeyUnknownCity, map[string]any{"value": ti.City})
					} else {
						city, pe.Titles[i].City = c, c.Ref()
					}
				}
				if ti.Institution != 0 {
					in, err := rf.institution(ctx, ti.Institution)
					switch {
					case twin.ErrorCode(err) == twin.ENOTFOUND:
						p.Add(f+".institution", twin.KeyUnknownRecord, map[string]any{"value": ti.Institution})
					case err != nil:
						return nil, err
					case city != nil && in.CityID != city.ID:
						p.Add(f+".institution", keyNotInCity, map[string]any{"value": ti.Institution})
					}
				}
			}
			return nil, p.Err()
		},
		terms: func(p *twin.Person) []weighted {
			ts := nameTerms(p.Names, p.Aliases)
			for _, t := range p.Titles {
				ts = append(ts, textTerms(t.Title)...)
			}
			return ts
		},
	}
	db.Networks = &Table[twin.Network]{db: db, kind: "network", name: "networks", cols: []string{"kind"},
		prepare: func(ctx context.Context, t *Tx, n *twin.Network) ([]any, error) {
			err := n.Validate()
			p := twin.Problems(twin.ErrorFields(err))
			if err != nil && p == nil {
				return nil, err
			}
			if p == nil {
				p = twin.Problems{}
			}
			for i := range n.Members {
				c, err := db.cityByRef(ctx, txq{t}, n.Members[i].City)
				if err != nil {
					if twin.ErrorCode(err) != twin.ENOTFOUND {
						return nil, err
					}
					p.Add(fmt.Sprintf("members[%d].city", i), twin.KeyUnknownCity, map[string]any{"value": n.Members[i].City})
					continue
				}
				n.Members[i].CityID, n.Members[i].City = c.ID, c.Ref()
			}
			if err := p.Err(); err != nil {
				return nil, err
			}
			return []any{n.Kind}, nil
		},
		after: func(ctx context.Context, t *Tx, n *twin.Network) error {
			if _, err := t.exec(ctx, "DELETE FROM network_members WHERE network_id = ?", n.ID); err != nil {
				return err
			}
			seen := map[int64]bool{}
			for _, m := range n.Members {
				if seen[m.CityID] {
					continue
				}
				seen[m.CityID] = true
				if _, err := t.exec(ctx, "INSERT INTO network_members (network_id, city_id) VALUES (?, ?)", n.ID, m.CityID); err != nil {
					return err
				}
			}
			return nil
		},
		filters: map[string]string{twin.FilterCity: "id IN (SELECT network_id FROM network_members WHERE city_id = ?)", twin.FilterKind: "kind = ?"},
		terms:   func(n *twin.Network) []weighted { return append(nameTerms(n.Names, nil), textTerms(n.Description)...) },
	}
	db.Proposals = &Table[twin.Proposal]{db: db, kind: "proposal", name: "proposals", cols: []string{"agreement_id", "status"},
		prepare: func(ctx context.Context, t *Tx, pr *twin.Proposal) ([]any, error) {
			pr.Supporters = 0 // counted from the supports on every read, never stored
			err := pr.Validate(db.knownDomainTx(ctx, t))
			p := twin.Problems(twin.ErrorFields(err))
			if err != nil && p == nil {
				return nil, err
			}
			if p == nil {
				p = twin.Problems{}
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

// cityByRef finds a live city by Wikidata id or internal id.
func (db *DB) cityByRef(ctx context.Context, q querier, ref string) (*twin.City, error) {
	var row *sql.Row
	switch {
	case twin.IsQID(ref):
		row = q.QueryRowContext(ctx, db.d.rebind("SELECT "+selectCols+" FROM cities WHERE wikidata = ? AND deleted IS NULL"), twin.NormalizeQID(ref))
	default:
		id, err := strconv.ParseInt(ref, 10, 64)
		if err != nil {
			return nil, twin.Errorf(twin.ENOTFOUND, "city %q not found", ref)
		}
		row = q.QueryRowContext(ctx, db.d.rebind("SELECT "+selectCols+" FROM cities WHERE id = ? AND deleted IS NULL"), id)
	}
	c, err := db.Cities.scan(row)
	if err == sql.ErrNoRows {
		return nil, twin.Errorf(twin.ENOTFOUND, "city %q not found", ref)
	}
	return c, err
}

// cityIDByRef resolves a city ref to its id and canonical ref without reading the record.
func (db *DB) cityIDByRef(ctx context.Context, t *Tx, ref string) (int64, string, error) {
	var id int64
	var qid sql.NullString
	var err error
	if twin.IsQID(ref) {
		err = t.queryRow(ctx, "SELECT id, wikidata FROM cities WHERE wikidata = ? AND deleted IS NULL", twin.NormalizeQID(ref)).Scan(&id, &qid)
	} else if n, perr := strconv.ParseInt(ref, 10, 64); perr == nil {
		err = t.queryRow(ctx, "SELECT id, wikidata FROM cities WHERE id = ? AND deleted IS NULL", n).Scan(&id, &qid)
	} else {
		err = sql.ErrNoRows
	}
	if err == sql.ErrNoRows {
		return 0, "", twin.Errorf(twin.ENOTFOUND, "city %q not found", ref)
	}
	if err != nil {
		return 0, "", err
	}
	if qid.Valid && qid.String != "" {
		return id, qid.String, nil
	}
	return id, strconv.FormatInt(id, 10), nil
}

// City finds a live city by its Wikidata id or internal id.
func (db *DB) City(ctx context.Context, ref string) (c *twin.City, err error) {
	defer wrap(&err, "City(%q)", ref)
	return db.cityByRef(ctx, dbq{db}, ref)
}

// hydrateAgreements fills the cities' current refs from their ids.
func (db *DB) hydrateAgreements(ctx context.Context, q querier, as []*twin.Agreement) error {
	var ids []int64
	for _, a := range as {
		ids = append(ids, a.CityIDs...)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	refs, err := db.cityRefs(ctx, ids)
	if err != nil {
		return err
	}
	for _, a := range as {
		for i, id := range a.CityIDs {
			if r, ok := refs[id]; ok && i < len(a.Cities) {
				a.Cities[i] = r
			}
		}
	}
	return nil
}

// cityRefs maps city ids to their refs (Wikidata id or internal id).
func (db *DB) cityRefs(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	for chunk := range chunks(ids, 500) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := db.query(ctx, "SELECT id, wikidata FROM cities WHERE id IN ("+placeholders(len(chunk))+")", args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var qid sql.NullString
			if err := rows.Scan(&id, &qid); err != nil {
				rows.Close()
				return nil, err
			}
			if qid.Valid && qid.String != "" {
				out[id] = qid.String
			} else {
				out[id] = strconv.FormatInt(id, 10)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
