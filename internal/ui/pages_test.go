package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/store/storetest"
	"github.com/twinning/twinning/internal/twin"
)

// TestStylesheetLogical keeps physical directions out of the stylesheet: Persian pages are
// right-to-left, and only logical properties lay out both directions.
func TestStylesheetLogical(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	css := regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllStringFunc(string(b), func(c string) string {
		return strings.Repeat("\n", strings.Count(c, "\n"))
	})
	for i, line := range strings.Split(css, "\n") {
		if regexp.MustCompile(`(?i)\b(left|right)\b`).MatchString(line) {
			t.Errorf("app.css:%d uses a physical direction: %s", i+1, strings.TrimSpace(line))
		}
	}
}

// TestTemplateKeys checks that every message a template or form names exists in every catalog.
func TestTemplateKeys(t *testing.T) {
	t.Parallel()
	var keys []string
	files, _ := filepath.Glob("templates/*.html")
	re := regexp.MustCompile(`\{\{-?\s*(?:t|n)\s+"([a-z0-9_.]+)"`)
	for _, fn := range files {
		b, _ := os.ReadFile(fn)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			keys = append(keys, m[1])
		}
	}
	add := func(prefix string, vs []string) {
		for _, v := range vs {
			keys = append(keys, prefix+v)
		}
	}
	add("status.", twin.AgreementStatuses)
	add("kind.", twin.AgreementKinds)
	var kinds, plurals []string
	for _, k := range twin.Kinds {
		kinds, plurals = append(kinds, string(k)), append(plurals, k.Plural())
	}
	add("kind.", kinds)
	add("activity.kind.", twin.ActivityKinds)
	add("itype.", twin.InstitutionTypes)
	add("linkstatus.", twin.LinkStatuses)
	add("direction.", twin.Directions)
	add("pstatus.", twin.ProposalStatuses)
	add("vitality.state.", []string{"active", "cooling", "dormant", "unknown"})
	add("life.", []string{"proposed", "negotiating", "signed", "rejected"})
	add("life.after.", twin.AgreementStatuses)
	add("timeline.", []string{"proposed", "signed", "ended"})
	add("calendar.", []string{"jalali", "gregorian", "hijri"})
	add("history.action.", []string{"create", "update", "delete", "restore"})
	add("staff.kind.", plurals)
	add("staff.new.", kinds)
	for _, sp := range formSpecs {
		for _, f := range sp.Fields {
			keys = append(keys, f.Label)
			if f.Hint != "" {
				keys = append(keys, f.Hint)
			}
			for _, c := range f.Choices {
				keys = append(keys, f.Prefix+c)
			}
		}
		for _, g := range sp.Repeats {
			keys = append(keys, g.Label)
			for _, f := range g.Fields {
				keys = append(keys, f.Label)
				for _, c := range f.Choices {
					keys = append(keys, f.Prefix+c)
				}
			}
		}
	}
	for _, lang := range i18n.Langs {
		for _, k := range keys {
			if !i18n.Has(lang, k) && !i18n.Has(lang, k+".other") {
				t.Errorf("%s catalog lacks %q", lang, k)
			}
		}
	}
}

// TestDirectionText: a direction names the cities, «اصفهان ← سمرقند» / "Isfahan → Samarkand".
func TestDirectionText(t *testing.T) {
	isf, sam := twin.Names{"fa": "اصفهان", "en": "Isfahan"}, twin.Names{"fa": "سمرقند", "en": "Samarkand"}
	strip := strings.NewReplacer("\u2068", "", "\u2069", "")
	for _, c := range []struct{ dir, lang, want string }{
		{"a_to_b", "fa", "اصفهان ← سمرقند"},
		{"a_to_b", "en", "Isfahan → Samarkand"},
		{"b_to_a", "en", "Samarkand → Isfahan"},
		{"b_to_a", "fa", "سمرقند ← اصفهان"},
		{"both", "en", "Isfahan ↔ Samarkand (both ways)"},
	} {
		if got := strip.Replace(directionText(c.dir, isf, sam, c.lang)); got != c.want {
			t.Errorf("%s %s = %q, want %q", c.dir, c.lang, got, c.want)
		}
	}
}

// TestSourceNotesTranslated: every note the bundled dataset writes has its message in both
// catalogs.
func TestSourceNotesTranslated(t *testing.T) {
	for note, key := range sourceNotes {
		for _, lang := range []string{"fa", "en"} {
			if !i18n.Has(lang, key) {
				t.Errorf("%s lacks %s (for %q)", lang, key, note)
			}
		}
	}
}

// TestStaffOrder checks that the workspace lists every kind of record once, and edits each.
func TestStaffOrder(t *testing.T) {
	t.Parallel()
	if len(StaffOrder) != len(twin.Kinds) {
		t.Errorf("StaffOrder lists %d kinds, the registry has %d", len(StaffOrder), len(twin.Kinds))
	}
	kinds := (&Pages{db: storetest.Open(t)}).staffKinds()
	for _, k := range twin.Kinds {
		if !slices.Contains(StaffOrder, k) {
			t.Errorf("StaffOrder leaves out %s", k)
		}
		if sk, ok := kinds[k.Plural()]; !ok || sk.Kind != k || len(sk.spec.Fields) == 0 {
			t.Errorf("the workspace has no form for %s", k)
		}
	}
}

// TestProgramDatasetsNamed: the sources the program itself writes (a fact accepted from a
// news article is sourced "news", registry/facts.go) are named in every language, never
// shown by their code.
func TestProgramDatasetsNamed(t *testing.T) {
	for _, lang := range i18n.Langs {
		name := sourceFuncs(lang)["dataset"].(func(string) string)("news")
		if name == "news" || name == "" {
			t.Errorf("%s: the news dataset is shown as %q", lang, name)
		}
	}
}

// TestOwnCitiesNotAlarming: a city editor's own cities, offered beside a city field, are not
// drawn like the ambiguity a reader must resolve (the dashed red box of .candidates).
func TestOwnCitiesNotAlarming(t *testing.T) {
	b, err := os.ReadFile("static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`\.candidates\.yours\s*\{([^}]*)\}`).FindStringSubmatch(string(b))
	if m == nil {
		t.Fatal("app.css has no rule of its own for .candidates.yours")
	}
	if strings.Contains(m[1], "#b42318") || strings.Contains(m[1], "#fdf2f1") || !strings.Contains(m[1], "border") || !strings.Contains(m[1], "background") {
		t.Errorf(".candidates.yours keeps the alarm's look: %s", m[1])
	}
}

// A confidence reads with the percent sign of the page's digits: «۷۳٪» in Persian, "73%" in
// English and Russian.
func TestPercentSign(t *testing.T) {
	t.Parallel()
	for lang, want := range map[string]string{"fa": "۷۳٪", "en": "73%", "ru": "73%"} {
		if got := percent(lang, 0.734); got != want {
			t.Errorf("percent(%s) = %q, want %q", lang, got, want)
		}
	}
}
