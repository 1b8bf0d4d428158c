package exchange

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"

	"github.com/twinning/twinning/internal/twin"
)

// Record types of the JSON Lines format: the bundled dataset's four (country, city, agreement,
// network) and the rest of the registry.
const (
	TypeCountry     = "country"
	TypeCity        = "city"
	TypeAgreement   = "agreement"
	TypeNetwork     = "network"
	TypeInstitution = "institution"
	TypePerson      = "person"
	TypeLink        = "link"
	TypeActivity    = "activity"
	TypeProposal    = "proposal"
	TypeDomain      = "domain"
)

// Types lists the record types in the order an export writes them, each after the records
// it refers to.
var Types = []string{TypeDomain, TypeCountry, TypeCity, TypeInstitution, TypePerson, TypeAgreement, TypeLink, TypeNetwork, TypeActivity, TypeProposal}

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

// ReadJSONL reads JSON Lines records (gzip-compressed or not) and calls fn for each in order,
// stopping at the first error. A line that is not a record of a known type is a *RowError
// with its line number (and the field, when one is at fault).
func ReadJSONL(r io.Reader, fn func(Record) error) error {
	br := bufio.NewReaderSize(io.LimitReader(r, maxInput), 1<<16)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return rowErr(1, "", "bad gzip data: %v", err)
		}
		defer zr.Close()
		br = bufio.NewReaderSize(io.LimitReader(zr, maxInput), 1<<16)
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
		if len(b) == 0 {
			continue
		}
		rec, err := decodeRecord(b)
		if err != nil {
			err.Row = n
			return err
		}
		rec.Line = n
		if err := fn(rec); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return rowErr(n+1, "", "%v", err)
	}
	return nil
}

func decodeRecord(b []byte) (Record, *RowError) {
	var l struct {
		Type   string          `json:"type"`
		Record json.RawMessage `json:"record"`
	}
	if err := json.Unmarshal(b, &l); err != nil {
		return Record{}, jsonErr("", err)
	}
	rec := Record{Type: l.Type}
	var v any
	switch l.Type {
	case TypeDomain:
		rec.Domain = &twin.Domain{}
		v = rec.Domain
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
	case TypeInstitution:
		rec.Institution = &twin.Institution{}
		v = rec.Institution
	case TypePerson:
		rec.Person = &twin.Person{}
		v = rec.Person
	case TypeLink:
		rec.Link = &twin.Link{}
		v = rec.Link
	case TypeActivity:
		rec.Activity = &twin.Activity{}
		v = rec.Activity
	case TypeProposal:
		rec.Proposal = &twin.Proposal{}
		v = rec.Proposal
	default:
		return rec, &RowError{Column: "type", Msg: fmt.Sprintf("unknown record type %q", l.Type)}
	}
	if len(l.Record) == 0 || string(l.Record) == "null" {
		return rec, &RowError{Column: "record", Msg: "the record is missing"}
	}
	if err := json.Unmarshal(l.Record, v); err != nil {
		return rec, jsonErr("record.", err)
	}
	return rec, nil
}

var jsonOffset = regexp.MustCompile(` at offset \d+`)

// jsonErr turns a decoding error into a RowError naming the field at fault.
func jsonErr(prefix string, err error) *RowError {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return &RowError{Column: prefix + te.Field, Msg: fmt.Sprintf("a JSON %s cannot be a %s", te.Value, te.Type)}
	}
	return &RowError{Msg: "not a JSON record: " + jsonOffset.ReplaceAllString(err.Error(), "")}
}

// WriteJSONL writes every record of d as JSON Lines, in the order of Types and by id within
// a type. Records keep their ids; versions and timestamps, which belong to one database, are
// left out, so that a registry exported, imported into an empty database and exported again
// gives the same bytes.
func WriteJSONL(w io.Writer, d *Data) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	put := func(typ string, rec any) error {
		b, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		b = stripVersion(b)
		bw.WriteString(`{"type":"`)
		bw.WriteString(typ)
		bw.WriteString(`","record":`)
		bw.Write(b)
		_, err = bw.WriteString("}\n")
		return err
	}
	for _, dm := range d.Domains {
		if err := put(TypeDomain, dm); err != nil {
			return err
		}
	}
	for _, c := range d.Countries {
		if err := put(TypeCountry, c); err != nil {
			return err
		}
	}
	if err := putAll(put, TypeCity, d.Cities); err != nil {
		return err
	}
	if err := putAll(put, TypeInstitution, d.Institutions); err != nil {
		return err
	}
	if err := putAll(put, TypePerson, d.People); err != nil {
		return err
	}
	if err := putAll(put, TypeAgreement, d.Agreements); err != nil {
		return err
	}
	if err := putAll(put, TypeLink, d.Links); err != nil {
		return err
	}
	if err := putAll(put, TypeNetwork, d.Networks); err != nil {
		return err
	}
	if err := putAll(put, TypeActivity, d.Activities); err != nil {
		return err
	}
	if err := putAll(put, TypeProposal, d.Proposals); err != nil {
		return err
	}
	return bw.Flush()
}

func putAll[T any, P interface {
	*T
	twin.Record
}](put func(string, any) error, typ string, recs []P) error {
	for _, r := range recs {
		c := *r
		m := P(&c).GetMeta()
		m.Created, m.Updated = zeroTime, zeroTime
		if a, ok := any(&c).(*twin.Agreement); ok {
			a.Vitality = nil
		}
		if err := put(typ, &c); err != nil {
			return err
		}
	}
	return nil
}

var versionField = regexp.MustCompile(`^\{"id":-?\d+,"version":-?\d+,`)

// stripVersion removes the version that follows the id at the start of a record's JSON
// (twin.Meta comes first in every record type).
func stripVersion(b []byte) []byte {
	loc := versionField.FindIndex(b)
	if loc == nil {
		return b
	}
	i := bytes.Index(b, []byte(`,"version":`))
	return append(b[:i+1:i+1], b[bytes.IndexByte(b[i+1:], ',')+i+2:]...)
}
