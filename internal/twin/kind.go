package twin

// Kind names a kind of stored record. It is what the audit log, the search index, the change
// log that servers follow and authorization call the record ("agreement"), and it gives the
// kind's collection name: the path segment of its addresses (/api/v1/agreements,
// /fa/staff/agreements), its SQL table and the plural of its i18n keys.
//
// The JSON Lines format (dataset) writes these names as record types, beside "country" and
// "domain", which are not stored records.
type Kind string

// The kinds of stored record.
const (
	KindCity        Kind = "city"
	KindAgreement   Kind = "agreement"
	KindInstitution Kind = "institution"
	KindLink        Kind = "link"
	KindActivity    Kind = "activity"
	KindPerson      Kind = "person"
	KindNetwork     Kind = "network"
	KindProposal    Kind = "proposal"
)

// Kinds lists every kind, in the order the registry presents them (search's choices, the
// API document).
var Kinds = []Kind{KindCity, KindAgreement, KindInstitution, KindLink, KindActivity, KindPerson, KindNetwork, KindProposal}

var plurals = map[Kind]string{
	KindCity: "cities", KindAgreement: "agreements", KindInstitution: "institutions", KindLink: "links",
	KindActivity: "activities", KindPerson: "people", KindNetwork: "networks", KindProposal: "proposals",
}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	_, ok := plurals[k]
	return ok
}

// Plural is the kind's collection name: "cities" for KindCity, "people" for KindPerson; ""
// for a name that is not a kind.
func (k Kind) Plural() string { return plurals[k] }

// Key is the i18n key of the kind's name ("kind.city"); the plural's, where pages list kinds,
// is "staff.kind." + Plural().
func (k Kind) Key() string { return "kind." + string(k) }

// KindOfPlural returns the kind whose collection name is plural ("cities" → KindCity).
func KindOfPlural(plural string) (Kind, bool) {
	for k, p := range plurals {
		if p == plural {
			return k, true
		}
	}
	return "", false
}

// ParseKind returns the kind named s, and whether it is one.
func ParseKind(s string) (Kind, bool) {
	k := Kind(s)
	return k, k.Valid()
}
