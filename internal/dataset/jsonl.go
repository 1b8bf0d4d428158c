package dataset

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"

	jsonv2 "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"

	"github.com/twinning/twinning/internal/twin"
)

// Record types of the JSON Lines format: the kinds of stored record (twin.Kind) and two more,
// the countries and the domains of the vocabulary. The bundle holds countries, cities,
// agreements and networks; exports and imports hold every type.
const (
	TypeCountry     = "country"
	TypeDomain      = "domain"
	TypeCity        = string(twin.KindCity)
	TypeAgreement   = string(twin.KindAgreement)
	TypeNetwork     = string(twin.KindNetwork)
	TypeInstitution = string(twin.KindInstitution)
	TypePerson      = string(twin.KindPerson)
	TypeLink        = string(twin.KindLink)
	TypeActivity    = string(twin.KindActivity)
	TypeProposal    = string(twin.KindProposal)
)

// Record is one line of the JSON Lines format, {"type":"city","record":{...}}: exactly one of
// its pointers is set, as Type says.
type Record struct {
	Type        string
	Line        int
	Domain      *twin.Domain
	Country     *twin.Country
	City        *twin.City
	Agreement   *twin.Agreement
	Network     *twin.Network
	Institution *twin.Institution
	Person      *twin.Person
	Link        *twin.Link
	Activity    *twin.Activity
	Proposal    *twin.Proposal
}

// LineError is a line of input that is not a record of a known type: where it is and, when
// one field is at fault, which (a JSON path such as "record.population").
type LineError struct {
	Line  int
	Field string
	Msg   string
}

func (e *LineError) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("dataset: line %d, field %q: %s", e.Line, e.Field, e.Msg)
	}
	return fmt.Sprintf("dataset: line %d: %s", e.Line, e.Msg)
}

// MaxInput bounds what Decode reads, compressed and decompressed, so that a hostile file
// cannot exhaust memory; a line may hold up to 16 MiB.
const MaxInput = 1 << 30

// Decode reads JSON Lines records (gzip-compressed or not; a byte-order mark and blank lines
// are allowed) from r and calls fn for each in order, stopping at the first error: fn's, or a
// *LineError for a line that is not a record of a known type.
func Decode(r io.Reader, fn func(Record) error) error {
	return DecodeTypes(r, nil, fn)
}

// DecodeTypes is Decode for the records of the given types only (all when types is empty): a
// line in the builder's shape whose type is not among them is passed over undecoded (a
// gazetteer needs the bundle's cities and countries, not its 35,000 agreements); any other
// line is decoded and checked as Decode does.
func DecodeTypes(r io.Reader, types []string, fn func(Record) error) error {
	br := bufio.NewReaderSize(io.LimitReader(r, MaxInput), 1<<16)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return &LineError{Line: 1, Msg: "bad gzip data: " + err.Error()}
		}
		defer zr.Close()
		br = bufio.NewReaderSize(io.LimitReader(zr, MaxInput), 1<<16)
	}
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<24)
	n := 0
	for sc.Scan() {
		n++
		b := bytes.TrimSpace(sc.Bytes())
		if n == 1 {
			b = bytes.TrimPrefix(b, []byte("\uFEFF"))
		}
		if len(b) == 0 || len(types) > 0 && !wanted(b, types) {
			continue
		}
		rec, err := decodeFast(b)
		if err != nil {
			err.Line = n
			return err
		}
		rec.Line = n
		if err := fn(rec); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return &LineError{Line: n + 1, Msg: err.Error()}
	}
	return nil
}

// wanted reports whether line b may hold a record of one of types: it is not in the builder's
// shape ({"type":"…","record":…}), or its type is one of them.
func wanted(b []byte, types []string) bool {
	rest, ok := bytes.CutPrefix(b, []byte(`{"type":"`))
	if !ok {
		return true
	}
	i := bytes.IndexByte(rest, '"')
	if i < 0 || !bytes.HasPrefix(rest[i+1:], []byte(`,"record":`)) {
		return true
	}
	for _, t := range types {
		if string(rest[:i]) == t {
			return true
		}
	}
	return false
}

// DecodeLine decodes one line of the format (without its line number), for readers that
// decode lines on several goroutines (the first start's bulk load). The builder writes every
// line as {"type":"…","record":{…}}: such a line's record is cut out and decoded once, by the
// JSON v2 decoder with encoding/json's semantics (jsonv1.DefaultOptionsV1), which decodes the
// bundle to the same records in less than half the time; any other shape, and a record that
// decoder refuses, goes through the general decoder (and its errors).
func DecodeLine(b []byte) (Record, error) {
	rec, err := decodeFast(b)
	if err != nil {
		return rec, err
	}
	return rec, nil
}

// decodeFast is DecodeLine's work, for Decode too (a gazetteer built from the bundle reads it
// whole): the builder's shape by the JSON v2 decoder, anything else or a refused record by the
// general decoder, whose errors are the format's.
func decodeFast(b []byte) (Record, *LineError) {
	if rest, ok := bytes.CutPrefix(b, []byte(`{"type":"`)); ok {
		if i := bytes.IndexByte(rest, '"'); i > 0 {
			if body, ok := bytes.CutPrefix(rest[i+1:], []byte(`,"record":`)); ok && len(body) > 1 && body[len(body)-1] == '}' {
				if rec, v, err := recordOf(string(rest[:i])); err == nil && jsonv2.Unmarshal(body[:len(body)-1], v, jsonv1.DefaultOptionsV1()) == nil {
					return rec, nil
				}
			}
		}
	}
	return decodeLine(b)
}

func decodeLine(b []byte) (Record, *LineError) {
	var l struct {
		Type   string          `json:"type"`
		Record json.RawMessage `json:"record"`
	}
	if err := json.Unmarshal(b, &l); err != nil {
		return Record{}, jsonErr("", err)
	}
	rec, v, err := recordOf(l.Type)
	if err != nil {
		return rec, err
	}
	if len(l.Record) == 0 || string(l.Record) == "null" {
		return rec, &LineError{Field: "record", Msg: "the record is missing"}
	}
	if err := json.Unmarshal(l.Record, v); err != nil {
		return rec, jsonErr("record.", err)
	}
	return rec, nil
}

// recordOf returns a Record of the type with its pointer set to a new record, and that
// record for JSON to decode into.
func recordOf(typ string) (Record, any, *LineError) {
	rec := Record{Type: typ}
	var v any
	switch typ {
	case TypeDomain:
		v = into(&rec.Domain)
	case TypeCountry:
		v = into(&rec.Country)
	case TypeCity:
		v = into(&rec.City)
	case TypeAgreement:
		v = into(&rec.Agreement)
	case TypeNetwork:
		v = into(&rec.Network)
	case TypeInstitution:
		v = into(&rec.Institution)
	case TypePerson:
		v = into(&rec.Person)
	case TypeLink:
		v = into(&rec.Link)
	case TypeActivity:
		v = into(&rec.Activity)
	case TypeProposal:
		v = into(&rec.Proposal)
	default:
		return rec, nil, &LineError{Field: "type", Msg: fmt.Sprintf("unknown record type %q", typ)}
	}
	return rec, v, nil
}

// into sets *p to a new record and returns it, for JSON to decode into.
func into[T any](p **T) any {
	*p = new(T)
	return *p
}

var jsonOffset = regexp.MustCompile(` at offset \d+`)

// jsonErr turns a decoding error into a LineError naming the field at fault.
func jsonErr(prefix string, err error) *LineError {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return &LineError{Field: prefix + te.Field, Msg: fmt.Sprintf("a JSON %s cannot be a %s", te.Value, te.Type)}
	}
	return &LineError{Msg: "not a JSON record: " + jsonOffset.ReplaceAllString(err.Error(), "")}
}
