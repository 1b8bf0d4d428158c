package registry

import (
	"slices"
	"strings"

	"github.com/twinning/twinning/internal/extract"
	"github.com/twinning/twinning/internal/persian"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

func (ac *acceptance) institution(ref string, i int, v map[string]string) error {
	f := ac.res.Institutions[i]
	name, typ := v["name"], v["type"]
	if name == "" {
		ac.problems.Add(ref+".name", twin.KeyRequired, nil)
	}
	if !slices.Contains(twin.InstitutionTypes, typ) {
		ac.problems.Add(ref+".type", twin.KeyInvalidChoice, map[string]any{"value": typ, "choices": strings.Join(twin.InstitutionTypes, ", ")})
	}
	c, err := ac.needCity(ref+".city", v["city"])
	if err != nil || c == nil || name == "" {
		return err
	}
	src := articleSource(ac.res, f.Evidence)
	key := persian.NameKey(name)
	for _, w := range ac.insts {
		if w.key == key && w.rec.CityID == c.ID {
			addSource(&w.rec.Sources, src)
			w.refs = append(w.refs, ref)
			return nil
		}
	}
	ex, err := ac.existingInstitution(name, c)
	if err != nil {
		return err
	}
	var w *instWork
	if ex != nil {
		w = &instWork{rec: clone(ex), version: ex.Version, orig: ex, key: key}
	} else {
		w = &instWork{rec: &twin.Institution{Names: twin.Names{ac.res.Lang: name}, Aliases: articleSpellings(name, f.Name, f.Aliases), Type: typ, City: c.Ref(), CityID: c.ID}, key: key}
	}
	addSource(&w.rec.Sources, src)
	w.refs = append(w.refs, ref)
	ac.insts = append(ac.insts, w)
	return nil
}

// existingNamed is the first record of kind found by searching name whose names or aliases
// have name's NameKey and that passes also (nil: any), or nil.
func existingNamed[T any](ac *acceptance, tb *store.Table[T], kind, name string, names func(*T) (twin.Names, []string), also func(*T) bool) (*T, error) {
	hits, err := ac.r.db.Search(ac.ctx, name, []string{kind}, 50)
	if err != nil || len(hits) == 0 {
		return nil, err
	}
	recs, err := tb.ByIDs(ac.ctx, store.HitIDs(hits))
	if err != nil {
		return nil, err
	}
	key := persian.NameKey(name)
	for _, rec := range recs {
		if n, aliases := names(rec); (also == nil || also(rec)) && namedAs(n, aliases, key) {
			return rec, nil
		}
	}
	return nil, nil
}

// existingInstitution is the registry's institution of that name (by NameKey, names and
// aliases) in city c, or nil.
func (ac *acceptance) existingInstitution(name string, c *twin.City) (*twin.Institution, error) {
	return existingNamed(ac, ac.r.db.Institutions, "institution", name, func(in *twin.Institution) (twin.Names, []string) { return in.Names, in.Aliases },
		func(in *twin.Institution) bool { return in.CityID == c.ID })
}

// articleSpellings are the article's spellings of a proposed name (extract
// restores half-spaces the article stripped) to keep as aliases when the
// reviewer accepted the proposed name as it was.
func articleSpellings(accepted, proposed string, aliases []string) []string {
	if accepted != proposed {
		return nil
	}
	var out []string
	for _, a := range aliases {
		if a != accepted {
			out = append(out, a)
		}
	}
	return out
}

func namedAs(n twin.Names, aliases []string, key string) bool {
	for _, v := range n {
		if persian.NameKey(v) == key {
			return true
		}
	}
	for _, a := range aliases {
		if persian.NameKey(a) == key {
			return true
		}
	}
	return false
}

func (ac *acceptance) person(ref string, i int, v map[string]string) error {
	f := ac.res.People[i]
	name, title := v["name"], v["title"]
	if name == "" {
		ac.problems.Add(ref+".name", twin.KeyRequired, nil)
	}
	var c *twin.City
	if v["city"] != "" {
		var err error
		if c, err = ac.needCity(ref+".city", v["city"]); err != nil {
			return err
		}
		if c == nil {
			return nil
		}
	}
	if name == "" {
		return nil
	}
	src := articleSource(ac.res, f.Evidence)
	key := persian.NameKey(name)
	var w *personWork
	for _, pw := range ac.people {
		if namedAs(pw.rec.Names, pw.rec.Aliases, key) {
			w = pw
		}
	}
	if w == nil {
		ex, err := ac.existingPerson(name)
		if err != nil {
			return err
		}
		if ex != nil {
			w = &personWork{rec: clone(ex), version: ex.Version, orig: ex}
		} else {
			w = &personWork{rec: &twin.Person{Names: twin.Names{ac.res.Lang: name}, Aliases: articleSpellings(name, f.Name, f.Aliases)}}
		}
		w.inst = make([]*instWork, len(w.rec.Titles))
		ac.people = append(ac.people, w)
	}
	if title != "" {
		ac.addTitle(w, f, title, c)
	}
	addSource(&w.rec.Sources, src)
	w.refs = append(w.refs, ref)
	return nil
}

// addTitle gives the person the title the article names, in city c when there is one, with
// the institution planned under the article's organization; a title the person holds in that
// city already (by NameKey) is not added again.
func (ac *acceptance) addTitle(w *personWork, f extract.Person, title string, c *twin.City) {
	t := twin.Title{Title: twin.Names{ac.res.Lang: title}, Role: f.Role}
	if c != nil {
		t.City = c.Ref()
	}
	var iw *instWork
	if f.Organization != "" {
		ok := persian.NameKey(f.Organization)
		for _, x := range ac.insts {
			if x.key == ok {
				iw = x
			}
		}
	}
	dup := false
	for _, have := range w.rec.Titles {
		if persian.NameKey(have.Title.Pick(ac.res.Lang)) == persian.NameKey(title) && have.City == t.City {
			dup = true
		}
	}
	if !dup {
		w.rec.Titles = append(w.rec.Titles, t)
		w.inst = append(w.inst, iw)
	}
}

// existingPerson is the registry's person of that name (by NameKey, names and aliases), or nil.
func (ac *acceptance) existingPerson(name string) (*twin.Person, error) {
	return existingNamed(ac, ac.r.db.People, "person", name, func(p *twin.Person) (twin.Names, []string) { return p.Names, p.Aliases }, nil)
}

func (ac *acceptance) event(ref string, i int, v map[string]string) error {
	f := ac.res.Events[i]
	kind, title := v["kind"], v["title"]
	if !slices.Contains(twin.ActivityKinds, kind) {
		ac.problems.Add(ref+".kind", twin.KeyInvalidChoice, map[string]any{"value": kind, "choices": strings.Join(twin.ActivityKinds, ", ")})
	}
	if title == "" {
		ac.problems.Add(ref+".title", twin.KeyRequired, nil)
	}
	date := ac.readDate(ref+".date", v["date_calendar"], v["date"])
	ag, err := ac.eventAgreement(ref, v["agreement"])
	if err != nil || ag == nil {
		return err
	}
	if kind == "" || title == "" || !slices.Contains(twin.ActivityKinds, kind) {
		return nil
	}
	src := articleSource(ac.res, f.Evidence)
	key := persian.NameKey(title)
	same := func(x *twin.Activity) bool {
		return x.Kind == kind && namedAs(x.Title, nil, key) && (x.Start == nil) == (date == nil) && (date == nil || x.Start.Start == date.Start)
	}
	for _, w := range ac.acts {
		if w.ag == ag && same(w.rec) {
			addSource(&w.rec.Sources, src)
			w.refs = append(w.refs, ref)
			return nil
		}
	}
	var w *actWork
	if ag.version != 0 {
		pg, err := ac.r.db.Activities.List(ac.ctx, twin.Filter{Limit: 1000}.With(twin.FilterAgreement, ag.rec.ID))
		if err != nil {
			return err
		}
		for _, x := range pg.Items {
			if same(x) {
				w = &actWork{rec: clone(x), version: x.Version, orig: x, ag: ag}
				break
			}
		}
	}
	if w == nil {
		w = &actWork{rec: &twin.Activity{Kind: kind, Title: twin.Names{ac.res.Lang: title}, Start: date}, ag: ag}
	}
	addSource(&w.rec.Sources, src)
	w.refs = append(w.refs, ref)
	ac.acts = append(ac.acts, w)
	return nil
}

// eventAgreement is the agreement an event's "agreement" value names as "city|city", planned
// or in the registry; when there is none it adds a problem and returns nil.
func (ac *acceptance) eventAgreement(ref, pair string) (*agWork, error) {
	a, b, ok := strings.Cut(pair, "|")
	if !ok || a == "" || b == "" {
		ac.problems.Add(ref+".agreement", "extract_no_agreement", nil)
		return nil, nil
	}
	ca, err := ac.needCity(ref+".agreement", a)
	if err != nil {
		return nil, err
	}
	cb, err := ac.needCity(ref+".agreement", b)
	if err != nil || ca == nil || cb == nil {
		return nil, err
	}
	ag, err := ac.agreementBetween(ca, cb)
	if err != nil {
		return nil, err
	}
	if ag == nil {
		ac.problems.Add(ref+".agreement", "extract_no_agreement", nil)
		return nil, nil
	}
	return ag, nil
}
