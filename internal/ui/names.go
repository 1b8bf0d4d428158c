package ui

import (
	"html/template"

	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/twin"
)

// nameBDI shows a record's name as chosen for the page (names.Pick) in a <bdi>. When the name
// is the city's rule-made Persian transliteration rather than a source's spelling, it is
// marked as the city page marks it: the transliteration's language tag, the class translit
// and a title saying what it is. Templates say {{namebdi .Name .City.Names}}.
func nameBDI(lang, name string, names twin.Names) template.HTML {
	esc := template.HTMLEscapeString(name)
	if !names.Transliterated(name) {
		return template.HTML("<bdi>" + esc + "</bdi>")
	}
	return template.HTML(`<bdi lang="` + twin.LangFATranslit + `" class="translit" title="` +
		template.HTMLEscapeString(i18n.T(lang, "name.transliterated", nil)) + `">` + esc + "</bdi>")
}
