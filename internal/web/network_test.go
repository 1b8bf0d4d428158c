package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/intel"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/store/storetest"
)

// newIntelServer is newTestServer with the graph loaded and kept current on writes.
func newIntelServer(t *testing.T) *httptest.Server {
	t.Helper()
	s := newIntelApp(t, storetest.Open(t))
	ts := httptest.NewServer(specChecked(t, s))
	t.Cleanup(func() { ts.Close(); s.Close() })
	return ts
}

// newIntelApp is the application on db with the graph loaded from it and kept current on
// its writes, for tests that set the server up further or serve it their own way.
func newIntelApp(t *testing.T, db *store.DB) *Server {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	in, err := intel.New(context.Background(), db, log)
	if err != nil {
		t.Fatal(err)
	}
	db.OnChange = in.Changed
	return New(Options{DB: db, Log: log, AdminToken: testToken, Intel: in})
}

func TestNetworkAPI(t *testing.T) {
	t.Parallel()
	ts := newIntelServer(t)
	city := func(fa, en, country, qid string) string {
		return `{"names":{"fa":"` + fa + `","en":"` + en + `"},"country":"` + country + `","lat":30,"lon":50,"wikidata":"` + qid + `"}`
	}
	pair := func(a, b, status, extra string) string {
		return `{"cities":["` + a + `","` + b + `"],"status":"` + status + `"` + extra + `}`
	}
	setup := []call{
		{method: "POST", path: "/api/v1/cities", body: city("اصفهان", "Isfahan", "IR", "Q42053"), status: 201},
		{method: "POST", path: "/api/v1/cities", body: city("سمرقند", "Samarkand", "UZ", "Q5753"), status: 201},
		{method: "POST", path: "/api/v1/cities", body: city("شیآن", "Xi'an", "CN", "Q5826"), status: 201},
		{method: "POST", path: "/api/v1/cities", body: city("لاهور", "Lahore", "PK", "Q11739"), status: 201},
		{method: "POST", path: "/api/v1/cities", body: city("پورتو", "Porto", "PT", "Q36433"), status: 201},
		{method: "POST", path: "/api/v1/cities", body: city("بخارا", "Bukhara", "UZ", "Q182059"), status: 201},
		{method: "POST", path: "/api/v1/agreements", body: pair("Q42053", "Q5826", "signed", `,"signed":{"calendar":"gregorian","value":"1989-05-07"},"domains":["culture","tourism"]`), status: 201},
		{method: "POST", path: "/api/v1/agreements", body: pair("Q42053", "Q11739", "signed", ""), status: 201},
		{method: "POST", path: "/api/v1/agreements", body: pair("Q5753", "Q5826", "signed", ""), status: 201},
		{method: "POST", path: "/api/v1/agreements", body: pair("Q5753", "Q11739", "signed", ""), status: 201},
		{method: "POST", path: "/api/v1/agreements", body: pair("Q5753", "Q182059", "signed", ""), status: 201},
		{method: "POST", path: "/api/v1/agreements", body: pair("Q42053", "Q36433", "proposed", `,"next_step":{"en":"send the draft MoU"},"owner":"international office"`), status: 201},
		{method: "POST", path: "/api/v1/activities", body: `{"agreement":1,"kind":"festival","title":{"fa":"هفته فرهنگی شیآن"},"start":{"calendar":"gregorian","value":"2009"},"domains":["culture"]}`, status: 201},
	}
	runCalls(t, ts, setup)
	runCalls(t, ts, []call{
		{name: "path through a cousin", method: "GET", path: "/api/v1/graph/path?from=Q42053&to=Q182059", status: 200,
			contains: []string{`"found":true`, `"length":3`, `"wikidata":"Q5826"`, `"wikidata":"Q11739"`}},
		{name: "path unknown city", method: "GET", path: "/api/v1/graph/path?from=Q42053&to=Q1", status: 400, contains: []string{`"to"`}},
		{name: "cousins", method: "GET", path: "/api/v1/cities/Q42053/cousins", status: 200, contains: []string{`"wikidata":"Q5753"`}},
		{name: "suggestions", method: "GET", path: "/api/v1/cities/Q42053/suggestions", headers: map[string]string{"Accept-Language": "fa"}, status: 200,
			contains: []string{`"wikidata":"Q5753"`, `"code":"cousins"`, "شریک"}},
		{name: "attention", method: "GET", path: "/api/v1/cities/Q42053/attention", status: 200,
			contains: []string{`"state":"dormant"`, `"delivered":["culture"]`, `"missing":["tourism"]`}},
		{name: "pipeline", method: "GET", path: "/api/v1/cities/Q42053/pipeline", status: 200, contains: []string{"Q36433", "send the draft MoU", "international office"}, absent: []string{"Q5826"}},
		{name: "neighbourhood", method: "GET", path: "/api/v1/cities/Q42053/neighbourhood?depth=2", status: 200, contains: []string{`"center":1`, `"depth":2`}},
		{name: "neighbourhood svg", method: "GET", path: "/api/v1/cities/Q42053/neighbourhood?format=svg", headers: map[string]string{"Accept-Language": "fa"}, status: 200, contains: []string{"<svg", "اصفهان", `direction="rtl"`}},
		{name: "triangles", method: "GET", path: "/api/v1/cities/Q5753/triangles", status: 200, contains: []string{`"items":[]`}},
		{name: "cliques", method: "GET", path: "/api/v1/graph/cliques?min=3", status: 200, contains: []string{`"items":[]`}},
		{name: "stats", method: "GET", path: "/api/v1/graph/stats", status: 200, contains: []string{`"cities":6`, `"agreements":6`, `"components":1`}},
		{name: "communities", method: "GET", path: "/api/v1/graph/communities?city=Q42053", status: 200, contains: []string{`"members":[`}},
		{name: "communities needs a city", method: "GET", path: "/api/v1/graph/communities", status: 400},
		// The test's cities all stand at one point: the lines would have no length, and the
		// file says so instead of drawing them.
		{name: "export geojson", method: "GET", path: "/api/v1/export?format=geojson", status: 200, contains: []string{`"FeatureCollection"`, `"Point"`, `"summary"`, `"n":6`, `share their coordinates`}, absent: []string{`"LineString"`}},
		{name: "export neighbourhood jsonl", method: "GET", path: "/api/v1/export?format=jsonl&city=Q42053", status: 200, contains: []string{`"type":"city"`}},
		{name: "export bad format", method: "GET", path: "/api/v1/export?format=pdf", status: 400},
	})
	// The graph follows writes: a new agreement shortens the chain at once.
	runCalls(t, ts, []call{{method: "POST", path: "/api/v1/agreements", body: pair("Q42053", "Q182059", "signed", ""), status: 201}})
	_, body := do(t, ts, call{method: "GET", path: "/api/v1/graph/path?from=Q42053&to=Q182059"})
	var p pathAnswer
	if err := json.Unmarshal([]byte(body), &p); err != nil || p.Length != 1 {
		t.Fatalf("after the new agreement, path = %s", body)
	}
	// Vitality shows on the agreement with translated reasons.
	_, body = do(t, ts, call{method: "GET", path: "/api/v1/agreements/1", headers: map[string]string{"Accept-Language": "fa"}})
	if !strings.Contains(body, `"vitality":{"state":"dormant"`) || !strings.Contains(body, "آخرین فعالیت") {
		t.Errorf("agreement vitality: %s", body)
	}
}

// TestInstitutionSuggestionsAPI: counterparts come ranked, each reason in the reader's
// language, each city as other records mention it.
func TestInstitutionSuggestionsAPI(t *testing.T) {
	t.Parallel()
	ts := newIntelServer(t)
	runCalls(t, ts, []call{
		{method: "POST", path: "/api/v1/cities", body: `{"names":{"fa":"اصفهان","en":"Isfahan"},"country":"IR","wikidata":"Q42053"}`, status: 201},
		{method: "POST", path: "/api/v1/cities", body: `{"names":{"fa":"سمرقند","en":"Samarkand"},"country":"UZ","wikidata":"Q5753"}`, status: 201},
		{method: "POST", path: "/api/v1/agreements", body: `{"cities":["Q42053","Q5753"],"status":"signed"}`, status: 201},
		{method: "POST", path: "/api/v1/institutions", body: `{"names":{"en":"University of Isfahan"},"type":"university","city":"Q42053"}`, status: 201},
		{method: "POST", path: "/api/v1/institutions", body: `{"names":{"en":"Registan Museum"},"type":"museum","city":"Q5753"}`, status: 201},
		{method: "POST", path: "/api/v1/institutions", body: `{"names":{"en":"Samarkand State University"},"type":"university","city":"Q5753"}`, status: 201},
	})
	_, body := do(t, ts, call{method: "GET", path: "/api/v1/institutions/1/suggestions", headers: map[string]string{"Accept-Language": "fa"}})
	var ans struct {
		Items []counterpart `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &ans); err != nil || len(ans.Items) != 2 {
		t.Fatalf("suggestions: %s", body)
	}
	first := ans.Items[0]
	if first.Institution.ID != 3 || first.Score != 3 || first.City.Ref != "Q5753" || first.City.Name != "سمرقند" ||
		len(first.Reasons) != 2 || first.Reasons[0].Text != "در سمرقند، شهر خواهرخواندهٔ امضاشده." || first.Reasons[1].Text != "نهادی از همان نوع." {
		t.Errorf("the first suggestion: %+v", first)
	}
	runCalls(t, ts, []call{{name: "an unknown institution", method: "GET", path: "/api/v1/institutions/99/suggestions", status: 404}})
}
