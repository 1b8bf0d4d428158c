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
	l := &writeLog{}
	err := ac.r.db.Write(ac.ctx, func(t *store.Tx) error {
		l.applied = nil
		for _, w := range ac.ags {
			refs := append(slices.Clone(w.refs), w.domainOf...)
			changed := changes(w.version, w.orig, w.rec)
			if err := l.save(refs, writeRec(ac.ctx, t, ac.r.db.Agreements, w.rec, w.version, changed)); err != nil {
				return err
			}
			l.put(w.refs, "agreement", w.rec.ID, writeAction(w.version, changed), w.claim)
			l.put(w.domainOf, "agreement", w.rec.ID, writeAction(w.version, changed), false)
		}
		for _, w := range ac.insts {
			changed := changes(w.version, w.orig, w.rec)
			if err := l.save(w.refs, writeRec(ac.ctx, t, ac.r.db.Institutions, w.rec, w.version, changed)); err != nil {
				return err
			}
			l.put(w.refs, "institution", w.rec.ID, writeAction(w.version, changed), false)
		}
		for _, w := range ac.people {
			w.linkTitles()
			changed := changes(w.version, w.orig, w.rec)
			if err := l.save(w.refs, writeRec(ac.ctx, t, ac.r.db.People, w.rec, w.version, changed)); err != nil {
				return err
			}
			l.put(w.refs, "person", w.rec.ID, writeAction(w.version, changed), false)
		}
		for _, w := range ac.acts {
			if w.rec.Agreement == 0 {
				w.rec.Agreement = w.ag.rec.ID
			}
			changed := changes(w.version, w.orig, w.rec)
			if err := l.save(w.refs, writeRec(ac.ctx, t, ac.r.db.Activities, w.rec, w.version, changed)); err != nil {
				return err
			}
			l.put(w.refs, "activity", w.rec.ID, writeAction(w.version, changed), false)
		}
		return nil
	})
	if err == nil {
		return l.applied, nil, nil
	}
	p, err := writeProblems(err, l.failedRefs)
	if err != nil {
		return nil, nil, err
	}
	return nil, p, nil
}

// changes reports whether writing rec, planned from orig at version (0: to create), changes
// the registry.
func changes(version int64, orig, rec any) bool {
	return version == 0 || !twin.SameJSON(orig, rec)
}

// linkTitles gives each of the person's titles without an institution the id of the
// institution planned with it, written by now.
func (w *personWork) linkTitles() {
	for k, iw := range w.inst {
		if iw != nil && k < len(w.rec.Titles) && w.rec.Titles[k].Institution == 0 {
			w.rec.Titles[k].Institution = iw.rec.ID
		}
	}
}

// writeLog is what a write did: each fact's record and action, and the facts of the create
// or update that failed.
type writeLog struct {
	applied    []Applied
	failedRefs []string
}

// put records the action taken on record id for each of refs.
func (l *writeLog) put(refs []string, kind string, id int64, action string, claim bool) {
	for _, r := range refs {
		l.applied = append(l.applied, Applied{Ref: r, Kind: kind, ID: id, Action: action, Claim: claim})
	}
}

// save runs one create or update and names the facts an error belongs to.
func (l *writeLog) save(refs []string, err error) error {
	if err != nil {
		l.failedRefs = refs
	}
	return err
}

// writeAction names what writeRec did: created, updated or unchanged.
func writeAction(version int64, changed bool) string {
	switch {
	case version == 0:
		return "created"
	case changed:
		return "updated"
	}
	return "unchanged"
}

// writeProblems turns the store's refusal of a write into problems under the refs of the
// failed facts: an invalid field, or a record changed meanwhile. Any other error is returned.
func writeProblems(err error, failedRefs []string) (twin.Problems, error) {
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
		return nil, err
	}
	return p, nil
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
