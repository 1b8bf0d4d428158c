package web

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/twin"
)

// listKinds are the list routes of the record kinds.
var listKinds = func() map[string]twin.Kind {
	m := map[string]twin.Kind{}
	for _, k := range twin.Kinds {
		m["/api/v1/"+k.Plural()] = k
	}
	return m
}()

// TestListFiltersDocumented: each kind's list route takes, and the OpenAPI document lists,
// exactly the filters the kind declares (twin.Filters) beside the cursor (and the cities' q).
func TestListFiltersDocumented(t *testing.T) {
	t.Parallel()
	_, db := newTestServer(t)
	s := New(Options{DB: db})
	doc := s.openAPIDoc()
	paths := doc["paths"].(map[string]map[string]any)
	for kind := range twin.Filters {
		if !slices.Contains(slices.Collect(maps.Values(listKinds)), kind) {
			t.Errorf("kind %s declares filters but has no list route here", kind)
		}
	}
	for path, kind := range listKinds {
		want := twin.FilterNames(kind)
		if kind == twin.KindCity {
			want = append(want, "q")
		}
		want = append(want, "after", "limit")
		op, _ := paths[path]["get"].(map[string]any)
		var got []string
		params, _ := op["parameters"].([]any)
		for _, p := range params {
			if m := p.(map[string]any); m["in"] == "query" {
				got = append(got, m["name"].(string))
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("GET %s documents the query parameters %v, want %v", path, got, want)
		}
	}
}

// TestListFiltersRefused: a list request with a filter its kind does not have (one another
// kind has) is refused, 400 with a field error naming the parameter, in the reader's language;
// the filters it has are accepted.
func TestListFiltersRefused(t *testing.T) {
	t.Parallel()
	ts, _ := newTestServer(t)
	runCalls(t, ts, []call{
		{method: "POST", path: "/api/v1/cities", body: isfahan, status: 201},
		{method: "POST", path: "/api/v1/cities", body: samarkand, status: 201},
	})
	names := map[string]twin.FilterDef{}
	for _, defs := range twin.Filters {
		for _, d := range defs {
			if !d.Internal {
				names[d.Name] = d
			}
		}
	}
	for path, kind := range listKinds {
		for name, d := range names {
			own, has := twin.FilterOf(kind, name)
			if has {
				d = own
			}
			value := "1"
			if d.Choices != nil {
				value = d.Choices[0]
			}
			for _, lang := range []string{"en", "fa", "ru"} {
				resp, body := do(t, ts, call{method: "GET", path: path + "?" + name + "=" + value, headers: map[string]string{"Accept-Language": lang}})
				if has {
					if resp.StatusCode != 200 {
						t.Errorf("GET %s?%s=%s = %d, want 200: %s", path, name, value, resp.StatusCode, clip(body))
					}
					break
				}
				var e errorBody
				json.Unmarshal([]byte(body), &e)
				msg := e.Error.Fields[name]
				if resp.StatusCode != 400 || msg == "" || resp.Header.Get("Content-Language") != lang {
					t.Errorf("GET %s?%s=%s in %s = %d %s, want 400 with a field error in that language", path, name, value, lang, resp.StatusCode, clip(body))
				}
				if lang == "fa" && !strings.ContainsRune(msg, 'ا') {
					t.Errorf("the field error in Persian: %q", msg)
				}
			}
		}
	}
}
