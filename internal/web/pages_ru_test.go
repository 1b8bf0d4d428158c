package web

import (
	"encoding/json"
	"html"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/i18n"
)

// englishMessages are the English catalog's messages that Russian words differently, long
// enough (three words and more) that finding one on a page means an untranslated label.
func englishMessages(t *testing.T) []string {
	t.Helper()
	var en map[string]string
	b, err := os.ReadFile("../i18n/locales/en.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &en); err != nil {
		t.Fatal(err)
	}
	var out []string
	for k, v := range en {
		if strings.Contains(v, "{") || len(strings.Fields(v)) < 3 || i18n.T("ru", k, nil) == v {
			continue
		}
		out = append(out, v)
	}
	return out
}

var tagRE = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]*>`)

// englishRE matches what a page marks as English on purpose (the licences' attribution, as
// their licences word it).
var englishRE = regexp.MustCompile(`(?s)<(?:p|span|div|bdi)\s[^>]*\blang="en"[^>]*>.*?</(?:p|span|div|bdi)>`)

// TestRussianPages: the Russian pages are Russian: lang and dir, Russian labels, the
// Gregorian date as Russian writes it with the Jalali one beside, Russian counts, and no
// English message of the catalog anywhere in the text a reader sees.
func TestRussianPages(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	english := englishMessages(t)
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/ru/", []string{"Города, которые работают вместе", "Наиболее связанные города", `action="/ru/search"`}},
		{"/ru/cities/Q42053", []string{"Города-партнёры", "21 июля 2021 г.", "30 тир 1400", "Samarkand", "1\u00a0961\u00a0260", "Требует внимания", "Children&#39;s film festival"}},
		{"/ru/agreements/" + itoa(f.agreement.ID), []string{"Обещано и выполнено", "Археология", "Кино", "Не выполнено", "21 июля 2021 г."}},
		{"/ru/cities/Q42053/report", []string{"Отчёт о партнёрстве", "Печать"}},
		{"/ru/search?q=Samarkand", []string{"Результаты по запросу «Samarkand»"}},
		{"/ru/path?from=Q42053&to=Q5753", []string{"Связаны за 1 шаг."}},
		{"/ru/calendar", []string{"События"}},
		{"/ru/about", []string{"Откуда берутся данные"}},
		{"/ru/signin", []string{"Вход"}},
	} {
		resp, body := f.get(t, nil, tc.path)
		if resp.StatusCode != 200 {
			t.Errorf("%s: status %d", tc.path, resp.StatusCode)
			continue
		}
		mustContain(t, tc.path, body, append([]string{`<html lang="ru" dir="ltr">`}, tc.want...)...)
		visible := html.UnescapeString(tagRE.ReplaceAllString(englishRE.ReplaceAllString(body, " "), " "))
		for _, m := range english {
			if strings.Contains(visible, m) {
				t.Errorf("%s shows the English %q", tc.path, m)
			}
		}
		if strings.Contains(body, "21 July 2021") {
			t.Errorf("%s shows an English date", tc.path)
		}
	}
	// The language switcher offers Russian on the Persian and English pages.
	for _, p := range []string{"/fa/cities/Q42053", "/en/cities/Q42053"} {
		_, body := f.get(t, nil, p)
		mustContain(t, p, body, `href="/ru/cities/Q42053"`, "Русский")
	}
}

// TestRussianNegotiation: "/" takes a Russian reader to /ru/, and the API answers errors in
// Russian when asked.
func TestRussianNegotiation(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	req, _ := http.NewRequest("GET", f.ts.URL+"/", nil)
	req.Header.Set("Accept-Language", "uz-UZ, ru;q=0.8, en;q=0.5")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Request.URL.Path != "/ru/" {
		t.Errorf("a Russian reader went to %s", resp.Request.URL.Path)
	}
	req, _ = http.NewRequest("GET", f.ts.URL+"/api/v1/cities/Q999999", nil)
	req.Header.Set("Accept-Language", "ru")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e errorBody
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 404 || e.Error.Message != "Не найдено." {
		t.Errorf("the API's 404 in Russian: %d %q", resp.StatusCode, e.Error.Message)
	}
}
