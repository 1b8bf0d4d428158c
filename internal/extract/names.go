package extract

import (
	"strings"
	"sync"

	"github.com/twinning/twinning/internal/persian"
)

// Names as Persian writes them. Many sites strip the zero-width non-joiner
// (ZWNJ, the half-space) and stretch words with kashida: an accepted name
// «جشنواره بینالمللی فیلمهای کودکان» should be stored as «جشنواره
// بین‌المللی فیلم‌های کودکان». persianName restores the ZWNJ of every word
// the lexicon knows — the words written with one in ParsTwiNER's training
// split, shipped in the tagger's model — and of a known stem before a plural
// or comparative suffix («فیلمهای» → «فیلم‌های» because «فیلم‌ها» is known);
// Canonical has already dropped the kashida. The article's own spelling is
// kept as an alias by the callers.

// zwnjStems are the parts before the first ZWNJ of the lexicon's words.
var (
	zwnjStemsOnce sync.Once
	zwnjStems     map[string]bool
)

var zwnjSuffixes = []string{"هایی", "های", "ها", "ترین", "تر"}

func (tg *tagger) stems() map[string]bool {
	zwnjStemsOnce.Do(func() {
		zwnjStems = map[string]bool{}
		for _, v := range tg.zwnj {
			if stem, _, ok := strings.Cut(v, "\u200c"); ok && len(stem) > 2 {
				zwnjStems[stem] = true
			}
		}
	})
	return zwnjStems
}

// persianName returns name (already Canonical) with the half-spaces the
// lexicon knows restored. Latin text and words that already have a ZWNJ are
// left as they are.
func persianName(name string) string {
	tg := defaultTagger()
	if tg == nil || len(tg.zwnj) == 0 || !isArabicScript(strings.TrimLeft(name, "«\"( ")) {
		return name
	}
	words := strings.Split(name, " ")
	changed := false
	for i, w := range words {
		if w == "" || strings.ContainsRune(w, '\u200c') || !isArabicScript(w) {
			continue
		}
		if z, ok := tg.zwnj[persian.NameKey(w)]; ok && persian.NameKey(z) == persian.NameKey(w) {
			if z != w {
				words[i], changed = z, true
			}
			continue
		}
		for _, suf := range zwnjSuffixes {
			stem, ok := strings.CutSuffix(w, suf)
			if ok && stem != "" && !strings.HasSuffix(stem, "\u200c") && tg.stems()[stem] {
				words[i], changed = stem+"\u200c"+suf, true
				break
			}
		}
	}
	if !changed {
		return name
	}
	return strings.Join(words, " ")
}

// asWritten returns the alias list for a name restored from spelling: the
// article's spelling when it differs from the name.
func asWritten(name, written string) []string {
	if written == "" || written == name {
		return nil
	}
	return []string{written}
}

// mergeEvents makes one proposed event of the same event mentioned more
// than once: same kind and same title (by NameKey), or, for untitled events,
// same kind, same cities and no conflicting date. The first mention's
// evidence stays; the others are listed in Mentions.
func (ex *extractor) mergeEvents() {
	evs := ex.r.Events
	var out []Event
	for _, e := range evs {
		merged := false
		for k := range out {
			o := &out[k]
			if o.Kind != e.Kind || !sameEvent(o, &e) {
				continue
			}
			if len(o.Mentions) == 0 {
				o.Mentions = []Evidence{o.Evidence}
			}
			o.Mentions = append(o.Mentions, e.Evidence)
			for _, c := range e.Cities {
				o.Cities = appendNewStr(o.Cities, c)
			}
			if o.Date == nil {
				o.Date = e.Date
			}
			if o.Ordinal == 0 {
				o.Ordinal = e.Ordinal
			}
			if o.Title == "" {
				o.Title, o.Aliases = e.Title, e.Aliases
			}
			if o.Invitees == "" {
				o.Invitees = e.Invitees
			}
			o.Confidence = min(0.95, max(o.Confidence, e.Confidence)+0.05)
			merged = true
			break
		}
		if !merged {
			out = append(out, e)
		}
	}
	if out == nil {
		out = []Event{}
	}
	ex.r.Events = out
}

func sameEvent(a, b *Event) bool {
	if a.Date != nil && b.Date != nil && (a.Date.Start != b.Date.Start || a.Date.End != b.Date.End) {
		return false
	}
	if a.Ordinal != 0 && b.Ordinal != 0 && a.Ordinal != b.Ordinal {
		return false
	}
	if a.Title != "" && b.Title != "" {
		return persian.NameKey(a.Title) == persian.NameKey(b.Title)
	}
	if a.Title != "" || b.Title != "" {
		// a titled festival and an untitled mention of the same kind: one
		// event only when the untitled one names no other city
		return a.Kind == "festival" && subset(b.Cities, a.Cities) && subset(a.Cities, b.Cities)
	}
	return len(a.Cities) > 0 && subset(a.Cities, b.Cities) && subset(b.Cities, a.Cities)
}

func subset(a, b []string) bool {
	for _, x := range a {
		found := false
		for _, y := range b {
			found = found || x == y
		}
		if !found {
			return false
		}
	}
	return true
}
