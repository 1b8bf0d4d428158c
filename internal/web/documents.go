package web

import (
	"errors"
	"github.com/twinning/twinning/internal/httpx"
	"io"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/language"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/twin"
)

// documentKinds are the kinds of file an agreement keeps.
var documentKinds = []string{"mou", "scan", "translation", "other"}

// documentUpload is the JSON form of an upload, for scripts: the bytes in base64. Browsers and
// larger files use multipart/form-data with the same field names and the file in "file".
type documentUpload struct {
	Name string `json:"name"`
	Kind string `json:"kind,omitempty"`
	Lang string `json:"lang,omitempty"`
	Data []byte `json:"data"`
}

// readUpload reads an upload from a multipart form or a JSON body and checks its content.
func (s *Server) readUpload(w http.ResponseWriter, r *http.Request) (twin.Document, []byte, error) {
	var up documentUpload
	p := twin.Problems{}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if err := readMultipart(r, p, &up); err != nil {
			return twin.Document{}, nil, err
		}
	} else {
		b, err := readBody(w, r)
		if err != nil {
			return twin.Document{}, nil, err
		}
		if err := decodeStrict(b, &up); err != nil {
			return twin.Document{}, nil, err
		}
	}
	d := twin.Document{Name: cleanFileName(up.Name), Kind: up.Kind, Lang: up.Lang}
	if d.Kind == "" {
		d.Kind = "other"
	}
	if !contains(documentKinds, d.Kind) {
		p.Add("kind", twin.KeyInvalidChoice, map[string]any{"value": d.Kind, "choices": strings.Join(documentKinds, ", ")})
	}
	if d.Lang != "" {
		if _, err := language.Parse(d.Lang); err != nil {
			p.Add("lang", twin.KeyInvalidLang, map[string]any{"value": d.Lang})
		}
	}
	if d.Name == "" {
		p.Add("name", twin.KeyRequired, nil)
	}
	d.Type = uploadType(p, up.Data)
	return d, up.Data, p.Err()
}

// uploadType is the media type of an uploaded file, checked by its content; what is wrong with
// it is added to p.
func uploadType(p twin.Problems, data []byte) string {
	mime, err := auth.CheckUpload(data)
	switch {
	case errors.Is(err, auth.ErrUploadEmpty):
		p.Add("file", twin.KeyRequired, nil)
	case errors.Is(err, auth.ErrUploadSize):
		p.Add("file", "upload_size", map[string]any{"max": auth.MaxUpload >> 20})
	case err != nil:
		p.Add("file", "upload_type", nil)
	}
	return mime
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// cleanFileName keeps a file name's last element, without controls, at most 200 characters.
func cleanFileName(n string) string {
	n = path.Base(strings.ReplaceAll(strings.TrimSpace(n), `\`, "/"))
	if n == "." || n == "/" {
		return ""
	}
	n = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) && r != '\u200c' {
			return -1
		}
		return r
	}, n)
	if r := []rune(n); len(r) > 200 {
		n = string(r[:200])
	}
	return n
}

// uploadDocument answers POST /api/v1/agreements/{id}/documents.
func (s *Server) uploadDocument(w http.ResponseWriter, r *http.Request) error {
	a, d, err := s.acceptUpload(w, r)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/documents/"+strconv.FormatInt(d.ID, 10))
	_ = a
	writeJSON(w, http.StatusCreated, d)
	return nil
}

// acceptUpload checks who uploads what to which agreement, then stores it.
func (s *Server) acceptUpload(w http.ResponseWriter, r *http.Request) (*twin.Agreement, twin.Document, error) {
	id, err := httpx.ParseID(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, twin.Document{}, err
	}
	a, err := s.db.Agreements.Get(r.Context(), id)
	if err != nil {
		return nil, twin.Document{}, err
	}
	if err := s.authorize(r, "agreement", auth.ActUpdate, a); err != nil {
		return nil, twin.Document{}, err
	}
	d, data, err := s.readUpload(w, r)
	if err != nil {
		return nil, twin.Document{}, err
	}
	d, err = s.db.AddDocument(r.Context(), a.ID, d, data)
	return a, d, err
}

// downloadDocument answers GET /api/v1/documents/{id} with the file, as an attachment.
func (s *Server) downloadDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ParseID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	d, _, data, err := s.db.Document(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", d.Type)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(d.Name))
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Header().Set("ETag", `"`+d.SHA256+`"`)
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Write(data)
	return nil
}

// deleteDocument answers DELETE /api/v1/documents/{id}.
func (s *Server) deleteDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ParseID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	_, agreement, _, err := s.db.Document(r.Context(), id)
	if err != nil {
		return err
	}
	a, err := s.db.Agreements.Get(r.Context(), agreement)
	if err == nil {
		err = s.authorize(r, "agreement", auth.ActUpdate, a)
	}
	if err == nil {
		err = s.db.RemoveDocument(r.Context(), id)
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// readMultipart reads an upload form's fields and file into up.
func readMultipart(r *http.Request, p twin.Problems, up *documentUpload) error {
	if err := r.ParseMultipartForm(auth.MaxUpload); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			p.Add("file", "upload_size", map[string]any{"max": auth.MaxUpload >> 20})
			return p.Err()
		}
		return twin.Errorf(twin.EBADJSON, "bad multipart form: %v", err)
	}
	up.Name, up.Kind, up.Lang = r.FormValue("name"), r.FormValue("kind"), r.FormValue("lang")
	f, hdr, err := r.FormFile("file")
	if err != nil {
		p.Add("file", twin.KeyRequired, nil)
		return p.Err()
	}
	defer f.Close()
	if up.Name == "" {
		up.Name = hdr.Filename
	}
	up.Data, err = io.ReadAll(io.LimitReader(f, auth.MaxUpload+1))
	return err
}
