package auth

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// MaxUpload is the largest document accepted (an MoU scan).
const MaxUpload = 20 << 20

// Upload types CheckUpload knows.
const (
	TypePDF  = "application/pdf"
	TypePNG  = "image/png"
	TypeJPEG = "image/jpeg"
	TypeWebP = "image/webp"
)

// Upload errors.
var (
	ErrUploadEmpty = errors.New("auth: the upload is empty")
	ErrUploadSize  = fmt.Errorf("auth: the upload is over %d bytes", MaxUpload)
	ErrUploadType  = errors.New("auth: the upload's content is not of an allowed type")
)

var magics = []struct {
	mime   string
	offset int
	magic  []byte
}{
	{TypePDF, 0, []byte("%PDF-")},
	{TypePNG, 0, []byte("\x89PNG\r\n\x1a\n")},
	{TypeJPEG, 0, []byte{0xFF, 0xD8, 0xFF}},
	{TypeWebP, 8, []byte("WEBP")},
}

// CheckUpload returns the MIME type of data judged by its content — never by its name or the
// client's word — and refuses it when it is empty, larger than MaxUpload, or not one of allowed
// (PDF, PNG, JPEG and WebP when allowed is empty). The magic number and http.DetectContentType
// must agree, so a polyglot that sniffs as HTML is refused.
func CheckUpload(data []byte, allowed ...string) (mime string, err error) {
	switch {
	case len(data) == 0:
		return "", ErrUploadEmpty
	case len(data) > MaxUpload:
		return "", ErrUploadSize
	}
	if len(allowed) == 0 {
		allowed = []string{TypePDF, TypePNG, TypeJPEG, TypeWebP}
	}
	for _, m := range magics {
		if len(data) < m.offset+len(m.magic) || !bytes.Equal(data[m.offset:m.offset+len(m.magic)], m.magic) {
			continue
		}
		if m.mime == TypeWebP && !bytes.HasPrefix(data, []byte("RIFF")) {
			continue
		}
		sniffed, _, _ := strings.Cut(http.DetectContentType(data), ";")
		if sniffed != m.mime || !slices.Contains(allowed, m.mime) {
			return "", ErrUploadType
		}
		return m.mime, nil
	}
	return "", ErrUploadType
}
