package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// TestServerOwnedFields checks the one rule for the fields the server owns, on POST and PATCH:
// left out or sent back as they are, they pass; any other value is refused with read_only and
// nothing changes. An agreement's documents cannot be forged or hidden.
func TestServerOwnedFields(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	doc := f.fresh("document")
	agr := fmt.Sprintf("/api/v1/agreements/%d", f.ab)
	refused := func(role, method, path, body, ifMatch, field string) {
		t.Helper()
		hdr := map[string]string{}
		if ifMatch != "" {
			hdr["If-Match"] = ifMatch
		}
		before := f.snapshot()
		status, answer := f.call(role, method, path, body, hdr)
		if status != http.StatusBadRequest || !strings.Contains(answer, `"`+field+`":{"key":"read_only"}`) {
			t.Errorf("%s %s %s as %s = %d, want 400 with %s read_only: %s", method, path, body, role, status, field, answer)
		}
		if after := f.snapshot(); after != before {
			t.Errorf("%s %s %s changed the registry", method, path, body)
		}
	}
	v := `"` + f.version("agreement", f.ab) + `"`
	forged := `{"documents":[{"id":1,"name":"Official MoU (signed).pdf","kind":"mou","type":"application/pdf","size":9,"sha256":"00"}]}`
	refused(cityIn, "PATCH", agr, forged, v, "documents")
	refused(cityIn, "PATCH", agr, `{"documents":null}`, v, "documents")
	refused(adminToken, "PATCH", agr, `{"documents":[]}`, v, "documents")
	refused(cityIn, "PATCH", agr, `{"claims":[{"source":{"dataset":"mine"},"status":"signed"}]}`, v, "claims")
	refused(cityIn, "PATCH", agr, fmt.Sprintf(`{"city_ids":[%d,%d]}`, f.a.ID, f.c.ID), v, "city_ids")
	refused(cityIn, "PATCH", agr, `{"version":99}`, v, "version")
	refused(cityIn, "PATCH", agr, `{"id":999}`, v, "id")
	refused(cityIn, "PATCH", agr, `{"created":"2000-01-01T00:00:00Z"}`, v, "created")
	newAgreement := `{"cities":["Q42053","Q36433"],"kind":"cooperation","status":"proposed",`
	refused(cityIn, "POST", "/api/v1/agreements", newAgreement+forged[1:], "", "documents")
	refused(cityIn, "POST", "/api/v1/agreements", newAgreement+`"claims":[{"source":{"dataset":"x"},"status":"signed"}]}`, "", "claims")
	refused(cityIn, "POST", "/api/v1/agreements", newAgreement+`"id":4242}`, "", "id")
	refused(cityIn, "PATCH", fmt.Sprintf("/api/v1/institutions/%d", f.i1), fmt.Sprintf(`{"city_id":%d}`, f.c.ID), `"1"`, "city_id")
	refused(cityIn, "POST", "/api/v1/activities", fmt.Sprintf(`{"agreement":%d,"kind":"visit","title":{"en":"x"},"confirmations":[{"city":"Q5753","user":"x","at":"2024-01-01T00:00:00Z"}]}`, f.ab), "", "confirmations")
	refused(adminToken, "POST", "/api/v1/networks", fmt.Sprintf(`{"names":{"en":"N"},"kind":"city_network","members":[{"city":"Q42053","city_id":%d}]}`, f.b.ID), "", "members[0].city_id")
	refused(cityIn, "POST", "/api/v1/cities", `{"id":31337,"names":{"en":"Forged"},"country":"IR"}`, "", "id")

	// The document is still there, and still listed.
	if status, _ := f.call(anonymous, "GET", fmt.Sprintf("/api/v1/documents/%d", doc), "", nil); status != 200 {
		t.Errorf("the document: %d", status)
	}
	// A record read with GET goes back whole, vitality and all, with a change of its own.
	_, got := f.call(cityIn, "GET", agr, "", nil)
	var m map[string]any
	if err := json.Unmarshal([]byte(got), &m); err != nil {
		t.Fatal(err)
	}
	if m["documents"] == nil || m["city_ids"] == nil {
		t.Fatalf("the agreement as read lacks a server-owned field: %s", got)
	}
	m["notes"] = map[string]string{"en": "sent back whole"}
	m["vitality"] = map[string]any{"state": "active", "reasons": []any{}} // computed: dropped
	whole, _ := json.Marshal(m)
	status, answer := f.call(cityIn, "PATCH", agr, string(whole), map[string]string{"If-Match": v})
	if status != 200 || !strings.Contains(answer, "sent back whole") || !strings.Contains(answer, fmt.Sprintf(`"id":%d,"name":"mou`, doc)) {
		t.Errorf("a GET→PATCH round trip = %d: %s", status, answer)
	}
	// A POST may carry empty server-owned fields, and the computed ones, without effect.
	status, answer = f.call(cityIn, "POST", "/api/v1/agreements", newAgreement+`"id":0,"documents":[],"vitality":{"state":"active","reasons":[]}}`, nil)
	if status != 201 || strings.Contains(answer, `"state":"active"`) {
		t.Errorf("a POST with empty server-owned fields = %d: %s", status, answer)
	}
}

// TestIfMatchStrong checks that If-Match compares entity tags strongly (a weak tag never
// satisfies a PATCH or a DELETE) and that a list matches when any of its tags does.
func TestIfMatchStrong(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	id := f.fresh("agreement")
	path := fmt.Sprintf("/api/v1/agreements/%d", id)
	for _, c := range []struct {
		method, ifMatch string
		want            int
	}{
		{"PATCH", `W/"1"`, 412},
		{"DELETE", `W/"1"`, 412},
		{"PATCH", `"0", "15"`, 412},
		{"PATCH", `W/"1", "2"`, 412},
		{"PATCH", `1`, 412},
		{"PATCH", `"1`, 412},
		{"PATCH", `"7", "1"`, 200}, // now at version 2
		{"DELETE", `W/"2"`, 412},
		{"PATCH", `"1"`, 412},
		{"PATCH", `W/"9" , "2"`, 200}, // now at version 3
		{"DELETE", `"4","3"`, 204},
	} {
		before := f.version("agreement", id)
		body := ""
		if c.method == "PATCH" {
			body = `{"notes":{"en":"note"}}`
		}
		status, answer := f.call(cityIn, c.method, path, body, map[string]string{"If-Match": c.ifMatch})
		if status != c.want {
			t.Errorf("%s If-Match: %s = %d, want %d: %s", c.method, c.ifMatch, status, c.want, answer)
		}
		if status == 412 {
			if after := f.version("agreement", id); after != before {
				t.Errorf("%s If-Match: %s moved the version %s → %s", c.method, c.ifMatch, before, after)
			}
		}
	}
}

// TestInputBounds checks through the API that web addresses other than http(s) and oversized
// text are refused field by field, in the reader's language, and that nothing is stored.
func TestInputBounds(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	many := make([]string, 5000)
	for i := range many {
		many[i] = fmt.Sprintf(`"alias %d"`, i)
	}
	for _, c := range []struct {
		path, body, field, key string
	}{
		{"/api/v1/institutions", `{"names":{"en":"Museum"},"type":"museum","city":"Q42053","website":"javascript:alert(document.cookie)"}`, "website", "url_scheme"},
		{"/api/v1/institutions", `{"names":{"en":"Museum"},"type":"museum","city":"Q42053","sources":[{"url":"vbscript:msgbox"}]}`, "sources[0].url", "url_scheme"},
		{"/api/v1/activities", fmt.Sprintf(`{"agreement":%d,"kind":"event","title":{"en":"x"},"outputs":[{"kind":"video","url":"data:text/html,<script>alert(1)</script>"}]}`, f.ab), "outputs[0].url", "url_scheme"},
		{"/api/v1/people", `{"names":{"en":"X"},"contact":"javascript:alert(1)","titles":[{"title":{"en":"Mayor"},"city":"Q42053"}]}`, "contact", "contact_scheme"},
		{"/api/v1/cities", `{"names":{"en":"X"},"country":"IR","aliases":[` + strings.Join(many, ",") + `]}`, "aliases", "too_many"},
		{"/api/v1/cities", `{"names":{"en":"X"},"country":"IR","aliases":["` + strings.Repeat("a", 900_000) + `"]}`, "aliases[0]", "too_long"},
		{"/api/v1/cities", `{"names":{"en":"` + strings.Repeat("a", 301) + `"},"country":"IR"}`, "names.en", "too_long"},
		{"/api/v1/agreements", `{"cities":["Q42053","Q36433"],"status":"proposed","notes":{"fa":"` + strings.Repeat("ب", 20001) + `"}}`, "notes.fa", "too_long"},
	} {
		for _, lang := range []string{"en", "fa"} {
			before := f.snapshot()
			req, _ := http.NewRequest("POST", f.ts.URL+c.path, strings.NewReader(c.body))
			req.Header.Set("Authorization", "Bearer "+f.bearer[cityIn])
			req.Header.Set("Accept-Language", lang)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var b errorBody
			json.NewDecoder(resp.Body).Decode(&b)
			resp.Body.Close()
			msg := b.Error.Fields[c.field]
			if resp.StatusCode != 400 || b.Error.Details[c.field].Key != c.key || msg == "" || strings.HasPrefix(msg, "field.") {
				t.Errorf("POST %s (%s) = %d, want 400 with %s %s: %+v", c.path, lang, resp.StatusCode, c.field, c.key, b.Error)
			}
			if lang == "fa" && !strings.ContainsAny(msg, "ابپتسیمنوهکگ") {
				t.Errorf("the Persian message is not Persian: %q", msg)
			}
			if after := f.snapshot(); after != before {
				t.Errorf("POST %s stored something", c.path)
			}
		}
	}
}

// TestRefusalsLogged checks that a write refused for its scope or for a probing value is logged
// at WARN with who tried.
func TestRefusalsLogged(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	var buf bytes.Buffer
	f.srv.log = slog.New(slog.NewTextHandler(&buf, nil))
	agr := fmt.Sprintf("/api/v1/agreements/%d", f.ab)
	if status, _ := f.call(cityOut, "PATCH", agr, `{"notes":{"en":"x"}}`, map[string]string{"If-Match": `"1"`}); status != 403 {
		t.Fatalf("an editor elsewhere: %d", status)
	}
	if status, _ := f.call(cityIn, "PATCH", agr, `{"documents":[{"id":1,"name":"forged.pdf"}]}`, map[string]string{"If-Match": `"1"`}); status != 400 {
		t.Fatalf("documents typed in: %d", status)
	}
	if status, _ := f.call(cityIn, "POST", "/api/v1/institutions", `{"names":{"en":"M"},"type":"museum","city":"Q42053","website":"javascript:x"}`, nil); status != 400 {
		t.Fatalf("a script for a website: %d", status)
	}
	log := buf.String()
	for _, want := range []string{"level=WARN msg=\"write refused\" actor=city-out", "actor=city-in role=city method=PATCH", "problem=read_only", "problem=url_scheme"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q:\n%s", want, log)
		}
	}
}
