package registry

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// write stores the plan in one transaction: agreements first (activities need their ids),
// then institutions, people and activities. A record whose plan changes nothing is left alone.
// A problem the store finds rolls everything back and is reported under the fact's ref.
func (ac *acceptance) write() ([]Applied, twin.Problems, error) {
	var applied []Applied
	var failedRefs []string
	put := func(refs []string, kind string, id int64, action string, claim bool) {
		for _, r := range refs {
			applied = append(applied, Applied{Ref: r, Kind: kind, ID: id, Action: action, Claim: claim})
		}
	}
	// save runs one create or update and names the facts an error belongs to.
	save := func(refs []string, err error) error {
		if err != nil {
			failedRefs = refs
		}
		return err
	}
	action := func(version int64, changed bool) string {
		switch {
		case version == 0:
			return "created"
		case changed:
			return "updated"
		}
		return "unchanged"
	}
	err := ac.r.db.Write(ac.ctx, func(t *store.Tx) error {
		applied = nil
		for _, w := range ac.ags {
			refs := append(slices.Clone(w.refs), w.domainOf...)
			changed := w.version == 0 || !sameJSON(w.orig, w.rec)
			if err := save(refs, writeRec(ac.ctx, t, ac.r.db.Agreements, w.rec, w.version, changed)); err != nil {
				return err
			}
			put(w.refs, "agreement", w.rec.ID, action(w.version, changed), w.claim)
			put(w.domainOf, "agreement", w.rec.ID, action(w.version, changed), false)
		}
		for _, w := range ac.insts {
			changed := w.version == 0 || !sameJSON(w.orig, w.rec)
			if err := save(w.refs, writeRec(ac.ctx, t, ac.r.db.Institutions, w.rec, w.version, changed)); err != nil {
				return err
			}
			put(w.refs, "institution", w.rec.ID, action(w.version, changed), false)
		}
		for _, w := range ac.people {
			for k, iw := range w.inst {
				if iw != nil && k < len(w.rec.Titles) && w.rec.Titles[k].Institution == 0 {
					w.rec.Titles[k].Institution = iw.rec.ID
				}
			}
			changed := w.version == 0 || !sameJSON(w.orig, w.rec)
			if err := save(w.refs, writeRec(ac.ctx, t, ac.r.db.People, w.rec, w.version, changed)); err != nil {
				return err
			}
			put(w.refs, "person", w.rec.ID, action(w.version, changed), false)
		}
		for _, w := range ac.acts {
			if w.rec.Agreement == 0 {
				w.rec.Agreement = w.ag.rec.ID
			}
			changed := w.version == 0 || !sameJSON(w.orig, w.rec)
			if err := save(w.refs, writeRec(ac.ctx, t, ac.r.db.Activities, w.rec, w.version, changed)); err != nil {
				return err
			}
			put(w.refs, "activity", w.rec.ID, action(w.version, changed), false)
		}
		return nil
	})
	if err == nil {
		return applied, nil, nil
	}
	p := twin.Problems{}
	switch twin.ErrorCode(err) {
	case twin.EINVALID:
		for field, fe := range twin.ErrorFields(err) {
			for _, r := range failedRefs {
				p.Add(r+"."+field, fe.Key, fe.Params)
			}
		}
		if len(p) == 0 {
			for _, r := range failedRefs {
				p.Add(r, "invalid", nil)
			}
		}
	case twin.EPRECONDITION:
		for _, r := range failedRefs {
			p.Add(r, "extract_changed_meanwhile", nil)
		}
	default:
		return nil, nil, err
	}
	return nil, p, nil
}

// writeRec creates rec (version 0) or replaces the stored record with it when changed.
func writeRec[T any](ctx context.Context, t *store.Tx, tb *store.Table[T], rec *T, version int64, changed bool) error {
	if version == 0 {
		out, err := tb.CreateTx(ctx, t, rec)
		if err == nil {
			*rec = *out
		}
		return err
	}
	if !changed {
		return nil
	}
	next := clone(rec)
	out, err := tb.UpdateTx(ctx, t, any(rec).(twin.Record).GetMeta().ID, version, func(cur *T) error {
		*cur = *next
		return nil
	})
	if err == nil {
		*rec = *out
	}
	return err
}

func clone[T any](v *T) *T {
	b, _ := json.Marshal(v)
	out := new(T)
	json.Unmarshal(b, out)
	return out
}

func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
