package web

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

func TestDocumentsAPI(t *testing.T) {
	t.Parallel()
	ts, _ := newTestServer(t)
	runCalls(t, ts, []call{
		{method: "POST", path: "/api/v1/cities", body: isfahan, status: 201},
		{method: "POST", path: "/api/v1/cities", body: samarkand, status: 201},
		{method: "POST", path: "/api/v1/agreements", body: agreement, status: 201},
	})
	pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\n")
	upload := func(name string, content []byte, auth bool) (*http.Response, string) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		mw.WriteField("kind", "mou")
		mw.WriteField("lang", "fa")
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(content)
		mw.Close()
		req, _ := http.NewRequest("POST", ts.URL+"/api/v1/agreements/1/documents", &b)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Accept-Language", "fa")
		if auth {
			req.Header.Set("Authorization", "Bearer "+testToken)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, string(body)
	}
	resp, body := upload(`C:\scans\تفاهم‌نامه.pdf`, pdf, true)
	if resp.StatusCode != 201 || !strings.Contains(body, `"name":"تفاهم‌نامه.pdf"`) || !strings.Contains(body, `"type":"application/pdf"`) {
		t.Fatalf("upload = %d %s", resp.StatusCode, body)
	}
	if resp, body := upload("evil.pdf", []byte("<html><script>alert(1)</script></html>"), true); resp.StatusCode != 400 || !strings.Contains(body, `"file"`) {
		t.Errorf("HTML named .pdf = %d %s", resp.StatusCode, body)
	}
	if resp, _ := upload("x.pdf", pdf, false); resp.StatusCode != 401 {
		t.Errorf("anonymous upload = %d", resp.StatusCode)
	}
	runCalls(t, ts, []call{
		{name: "listed on the agreement, version moved", method: "GET", path: "/api/v1/agreements/1", status: 200, contains: []string{`"documents":[{"id":1`, `"version":2`}},
		{name: "JSON upload", method: "POST", path: "/api/v1/agreements/1/documents", body: `{"name":"scan.png","kind":"scan","data":"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="}`, status: 201, contains: []string{`"type":"image/png"`}},
		{name: "bad kind", method: "POST", path: "/api/v1/agreements/1/documents", body: `{"name":"a.pdf","kind":"novel","data":"JVBERi0xLjQK"}`, status: 400, contains: []string{`"kind"`}},
		{name: "no agreement", method: "POST", path: "/api/v1/agreements/99/documents", body: `{"name":"a.pdf","data":"JVBERi0xLjQK"}`, status: 404},
		{name: "history says who", method: "GET", path: "/api/v1/agreements/1/history", status: 200, contains: []string{"تفاهم‌نامه.pdf"}},
	})
	resp2, err := http.Get(ts.URL + "/api/v1/documents/1")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp2.Body)
	resp2.Body.Close()
	if !bytes.Equal(got, pdf) || resp2.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(resp2.Header.Get("Content-Disposition"), "attachment;") {
		t.Errorf("download = %q %v", got, resp2.Header)
	}
	runCalls(t, ts, []call{
		{name: "remove", method: "DELETE", path: "/api/v1/documents/1", status: 204},
		{name: "gone", method: "GET", path: "/api/v1/documents/1", status: 404},
	})
}
