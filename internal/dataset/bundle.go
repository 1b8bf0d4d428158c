package dataset

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"

	"github.com/twinning/twinning/internal/twin"
)

//go:generate go run gen.go --src ../../../shared/data --out world.jsonl.gz --stats STATS.md

//go:embed world.jsonl.gz
var bundle []byte

// Record types of the JSON Lines format.
const (
	TypeCountry   = "country"
	TypeCity      = "city"
	TypeAgreement = "agreement"
	TypeNetwork   = "network"
)

// Bundle returns the embedded world dataset as a stream of JSON Lines (decompressed).
func Bundle() io.Reader {
	zr, err := gzip.NewReader(bytes.NewReader(bundle))
	if err != nil {
		return errReader{fmt.Errorf("dataset: bundle: %w", err)}
	}
	return zr
}

// BundleVersion names the embedded bundle: the first 12 hex digits of the SHA-256 of its
// compressed bytes, so a loader can record which bundle it loaded.
func BundleVersion() string {
	sum := sha256.Sum256(bundle)
	return hex.EncodeToString(sum[:6])
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// Record is one line of the JSON Lines format: exactly one of its pointers is set, as Type says.
type Record struct {
	Type      string
	Line      int
	Country   *twin.Country
	City      *twin.City
	Agreement *twin.Agreement
	Network   *twin.Network
}

// Decode reads JSON Lines records (gzip-compressed or not) from r and calls fn for each in
// order, stopping at the first error. Lines of an unknown type are an error.
func Decode(r io.Reader, fn func(Record) error) error {
	br := bufio.NewReaderSize(r, 1<<16)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("dataset: %w", err)
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 1<<16)
	}
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<24)
	for n := 1; sc.Scan(); n++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		rec, err := DecodeLine(b)
		if err != nil {
			return fmt.Errorf("dataset: line %d: %w", n, err)
		}
		rec.Line = n
		if err := fn(rec); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("dataset: %w", err)
	}
	return nil
}

// DecodeLine decodes one line of the JSON Lines format (without its line number), for readers
// that decode lines on several goroutines.
func DecodeLine(b []byte) (Record, error) {
	// The builder writes every line as {"type":"…","record":{…}}: the record is cut out of
	// such a line and decoded once. Any other shape goes through the general decoder.
	if rest, ok := bytes.CutPrefix(b, []byte(`{"type":"`)); ok {
		if i := bytes.IndexByte(rest, '"'); i > 0 {
			if body, ok := bytes.CutPrefix(rest[i+1:], []byte(`,"record":`)); ok && len(body) > 1 && body[len(body)-1] == '}' {
				if rec, err := decodeRecord(string(rest[:i]), body[:len(body)-1]); err == nil {
					return rec, nil
				}
			}
		}
	}
	var l struct {
		Type   string          `json:"type"`
		Record json.RawMessage `json:"record"`
	}
	if err := json.Unmarshal(b, &l); err != nil {
		return Record{}, err
	}
	return decodeRecord(l.Type, l.Record)
}

func decodeRecord(typ string, raw []byte) (Record, error) {
	rec := Record{Type: typ}
	var v any
	switch typ {
	case TypeCountry:
		rec.Country = &twin.Country{}
		v = rec.Country
	case TypeCity:
		rec.City = &twin.City{}
		v = rec.City
	case TypeAgreement:
		rec.Agreement = &twin.Agreement{}
		v = rec.Agreement
	case TypeNetwork:
		rec.Network = &twin.Network{}
		v = rec.Network
	default:
		return rec, fmt.Errorf("unknown record type %q", typ)
	}
	return rec, json.Unmarshal(raw, v)
}
