package exchange

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"regexp"

	"github.com/twinning/twinning/internal/dataset"
	"github.com/twinning/twinning/internal/twin"
)

// Record types of the JSON Lines format (dataset defines the format and its one decoder).
const (
	TypeCountry     = dataset.TypeCountry
	TypeCity        = dataset.TypeCity
	TypeAgreement   = dataset.TypeAgreement
	TypeNetwork     = dataset.TypeNetwork
	TypeInstitution = dataset.TypeInstitution
	TypePerson      = dataset.TypePerson
	TypeLink        = dataset.TypeLink
	TypeActivity    = dataset.TypeActivity
	TypeProposal    = dataset.TypeProposal
	TypeDomain      = dataset.TypeDomain
)

// Types lists the record types in the order an export writes them, each after the records
// it refers to.
var Types = []string{TypeDomain, TypeCountry, TypeCity, TypeInstitution, TypePerson, TypeAgreement, TypeLink, TypeNetwork, TypeActivity, TypeProposal}

// ReadJSONL reads JSON Lines records (gzip-compressed or not) with dataset.Decode and calls fn
// for each in order, stopping at the first error. A line that is not a record of a known type
// is a *RowError with its line number (and the field, when one is at fault).
func ReadJSONL(r io.Reader, fn func(dataset.Record) error) error {
	err := dataset.Decode(r, fn)
	if le, ok := err.(*dataset.LineError); ok {
		return &RowError{Row: le.Line, Column: le.Field, Msg: le.Msg}
	}
	return err
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
