package web

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/twin"
)

// FuzzAPIBodies sends arbitrary bodies to every collection's create route and to PATCH: bad
// input must get a 4xx, never a 500 (go test -fuzz FuzzAPIBodies ./internal/web).
func FuzzAPIBodies(f *testing.F) {
	for _, s := range []string{isfahan, samarkand, agreement, `{}`, `[]`, `null`, `{"cities":[1,2]}`, `{"signed":{"calendar":"jalali","value":"۱۴۰۳-۱۲-۳۰"}}`,
		`{"names":{"fa":"\u202eevil"},"country":"IR"}`, `{"start":{"calendar":"hijri","value":"1446-13"}}`, `{"lat":1e400}`, `{"names":{"":"x"}}`,
		`{"institutions":[0,0]}`, `{"participants":{"Q1":-1}}`, `{"title":{"fa":"x"},"kind":"event","agreement":1}`} {
		f.Add(s)
	}
	ts, _ := newTestServer(f)
	for _, c := range []call{{method: "POST", path: "/api/v1/cities", body: isfahan}, {method: "POST", path: "/api/v1/cities", body: samarkand}, {method: "POST", path: "/api/v1/agreements", body: agreement}} {
		do(f, ts, c)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, k := range twin.Kinds {
			p := k.Plural()
			for _, m := range []struct{ method, path string }{{"POST", "/api/v1/" + p}, {"PATCH", "/api/v1/" + p + "/1"}} {
				req, _ := http.NewRequest(m.method, ts.URL+m.path, strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+testToken)
				req.Header.Set("If-Match", `"1"`)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode >= 500 {
					t.Fatalf("%s %s with %q: %d %s", m.method, m.path, body, resp.StatusCode, b)
				}
			}
		}
	})
}
