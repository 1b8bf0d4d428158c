package ui

import (
	"testing"

	"github.com/twinning/twinning/internal/i18n"
)

// Every page's template parses, with the layout and the shared parts, in every language (they
// are parsed when first rendered, so a broken one would otherwise wait for its first reader).
func TestPageTemplatesParse(t *testing.T) {
	names := pages.names()
	if len(names) < 20 {
		t.Fatalf("only %d pages: %v", len(names), names)
	}
	for _, lang := range i18n.Langs {
		for _, name := range names {
			tm, err := pages.get(lang, name)
			if err != nil || tm == nil || tm.Lookup("layout.html") == nil {
				t.Errorf("%s %s: %v", lang, name, err)
			}
		}
	}
	if tm, err := pages.get("fa", "no-such-page"); tm != nil || err != nil {
		t.Errorf("a page that does not exist: %v %v", tm, err)
	}
}
