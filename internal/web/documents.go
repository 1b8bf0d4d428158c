package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/language"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/i18n"
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
		if err := r.ParseMultipartForm(auth.MaxUpload); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				p.Add("file", "upload_size", map[string]any{"max": auth.MaxUpload >> 20})
				return twin.Document{}, nil, p.Err()
			}
			return twin.Document{}, nil, twin.Errorf(twin.EBADJSON, "bad multipart form: %v", err)
		}
		up.Name, up.Kind, up.Lang = r.FormValue("name"), r.FormValue("kind"), r.FormValue("lang")
		f, hdr, err := r.FormFile("file")
		if err != nil {
			p.Add("file", twin.KeyRequired, nil)
			return twin.Document{}, nil, p.Err()
		}
		defer f.Close()
		if up.Name == "" {
			up.Name = hdr.Filename
		}
		if up.Data, err = io.ReadAll(io.LimitReader(f, auth.MaxUpload+1)); err != nil {
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
	mime, err := auth.CheckUpload(up.Data)
	switch {
	case errors.Is(err, auth.ErrUploadEmpty):
		p.Add("file", twin.KeyRequired, nil)
	case errors.Is(err, auth.ErrUploadSize):
		p.Add("file", "upload_size", map[string]any{"max": auth.MaxUpload >> 20})
	case err != nil:
		p.Add("file", "upload_type", nil)
	}
	d.Type = mime
	return d, up.Data, p.Err()
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
	id, err := parseID(r.Context(), r.PathValue("id"))
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
	id, err := parseID(r.Context(), r.PathValue("id"))
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
	id, err := parseID(r.Context(), r.PathValue("id"))
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

// uploadDocumentPage takes the agreement page's upload form and goes back to the page, with the
// problem shown there when the file was refused.
func (s *Server) uploadDocumentPage(w http.ResponseWriter, r *http.Request, lang string) {
	back := "/" + lang + "/agreements/" + r.PathValue("id")
	if _, ok := s.staffActor(r); !ok {
		http.Redirect(w, r, "/"+lang+"/signin?next="+url.QueryEscape(back), http.StatusSeeOther)
		return
	}
	if err := s.checkCSRF(r); err != nil {
		http.Error(w, i18n.T(lang, "error.forbidden", nil), http.StatusForbidden)
		return
	}
	actor, _ := s.staffActor(r)
	r = r.WithContext(twin.WithActor(r.Context(), actor))
	_, _, err := s.acceptUpload(w, r)
	if err != nil {
		msg := i18n.T(lang, "error."+twin.ErrorCode(err), nil)
		for _, fe := range twin.ErrorFields(err) {
			msg = i18n.T(lang, "field."+fe.Key, fe.Params)
			break
		}
		http.Redirect(w, r, back+"?upload_error="+url.QueryEscape(msg)+"#h-docs", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, back+"#h-docs", http.StatusSeeOther)
}
