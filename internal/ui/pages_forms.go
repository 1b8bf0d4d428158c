package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/twin"
)

// Staff forms are described once per kind of record as a list of fields, each named by the JSON
// path of the value it edits ("names.fa", "cities[0]", "parties[1].date"). The same path names
// the HTML input, finds the value in the record's JSON, and matches the field errors the store
// returns (twin.Error.Fields is keyed by JSON path), so an error lands beside its field.

// formField is one input of a form.
type formField struct {
	Path     string
	Label    string // message key
	Kind     string // text, textarea, select, date, city, institution, number, int, domains, lines, url
	Choices  []string
	Prefix   string // message-key prefix of the choices' names
	Required bool
	OneOf    bool   // the first of a name's languages: one of them at least is required
	Hint     string // message key
}

// repeatGroup is a list of sub-records edited as rows (parties, sources, members...).
type repeatGroup struct {
	Path   string
	Label  string
	Fields []formField // paths relative to a row; "" for a list of plain values
	Blank  int         // empty rows offered beyond the filled ones
}

// formSpec describes the form of one kind of record.
type formSpec struct {
	Fields  []formField
	Repeats []repeatGroup
}

// langFields are the languages a form asks names and texts in: Persian, English and Russian,
// the working language of most partner cities in Central Asia and the Caucasus.
var langFields = []string{"fa", "en", "ru"}

func namesFields(path, label string, required bool, kind string) []formField {
	var fs []formField
	for i, l := range langFields {
		// A name or a title may be given in any of the languages (the record needs one):
		// none of them alone is marked required.
		fs = append(fs, formField{Path: path + "." + l, Label: label + "." + l, Kind: kind, OneOf: required && i == 0})
	}
	return fs
}

func concat(parts ...[]formField) []formField {
	var out []formField
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

var sourcesGroup = repeatGroup{Path: "sources", Label: "form.sources", Blank: 1, Fields: []formField{
	{Path: "url", Label: "form.source.url", Kind: "url"},
	{Path: "title", Label: "form.source.title", Kind: "text"},
	{Path: "dataset", Label: "form.source.dataset", Kind: "text"},
	{Path: "date", Label: "form.source.date", Kind: "code", Hint: "form.hint.iso_date"}, // read in Latin digits
}}

// formSpecs holds the form of every kind.
var formSpecs = map[twin.Kind]formSpec{
	twin.KindCity: {Fields: concat(namesFields("names", "form.name", true, "text"), []formField{
		{Path: "aliases", Label: "form.aliases", Kind: "lines", Hint: "form.hint.lines"},
		{Path: "wikidata", Label: "form.wikidata", Kind: "code", Hint: "form.hint.wikidata"},
		{Path: "country", Label: "form.country", Kind: "code", Required: true, Hint: "form.hint.country"},
		{Path: "lat", Label: "form.lat", Kind: "number"},
		{Path: "lon", Label: "form.lon", Kind: "number"},
		{Path: "population", Label: "form.population", Kind: "int"},
	}), Repeats: []repeatGroup{sourcesGroup}},
	twin.KindAgreement: {Fields: concat([]formField{
		{Path: "cities[0]", Label: "form.city_a", Kind: "city", Required: true, Hint: "form.hint.city"},
		{Path: "cities[1]", Label: "form.city_b", Kind: "city", Required: true, Hint: "form.hint.city"},
		{Path: "kind", Label: "form.kind", Kind: "select", Choices: twin.AgreementKinds, Prefix: "kind.", Required: true},
		{Path: "status", Label: "form.status", Kind: "select", Choices: twin.AgreementStatuses, Prefix: "status.", Required: true},
	}, namesFields("title", "form.title", false, "text"), []formField{
		{Path: "proposed", Label: "form.proposed", Kind: "date"},
		{Path: "signed", Label: "form.signed", Kind: "date"},
		{Path: "ended", Label: "form.ended", Kind: "date"},
		{Path: "domains", Label: "form.domains", Kind: "domains"},
	}, namesFields("notes", "form.notes", false, "textarea")), Repeats: []repeatGroup{
		{Path: "parties", Label: "form.parties", Blank: 1, Fields: []formField{
			{Path: "role", Label: "form.party.role", Kind: "select", Choices: []string{twin.RoleProposer, twin.RoleFacilitator, twin.RoleSignatory}, Prefix: "role."},
			{Path: "name.fa", Label: "form.name.fa", Kind: "text"},
			{Path: "name.en", Label: "form.name.en", Kind: "text"},
			{Path: "institution", Label: "form.party.institution", Kind: "institution"},
			{Path: "person", Label: "form.party.person", Kind: "person", Hint: "form.hint.person"},
			{Path: "date", Label: "form.date", Kind: "date"},
		}},
		{Path: "commitments", Label: "form.commitments", Blank: 1, Fields: []formField{
			{Path: "domain", Label: "form.domain", Kind: "domain"},
			{Path: "text.fa", Label: "form.text.fa", Kind: "text"},
			{Path: "text.en", Label: "form.text.en", Kind: "text"},
			{Path: "due", Label: "form.due", Kind: "date"},
		}},
		sourcesGroup,
	}},
	twin.KindInstitution: {Fields: concat(namesFields("names", "form.name", true, "text"), []formField{
		{Path: "aliases", Label: "form.aliases", Kind: "lines", Hint: "form.hint.lines"},
		{Path: "type", Label: "form.itype", Kind: "select", Choices: twin.InstitutionTypes, Prefix: "itype.", Required: true},
		{Path: "city", Label: "form.city", Kind: "city", Required: true, Hint: "form.hint.city"},
		{Path: "website", Label: "form.website", Kind: "url"},
	}), Repeats: []repeatGroup{sourcesGroup}},
	twin.KindLink: {Fields: concat([]formField{
		{Path: "institutions[0]", Label: "form.inst_a", Kind: "institution", Required: true, Hint: "form.hint.institution"},
		{Path: "institutions[1]", Label: "form.inst_b", Kind: "institution", Required: true, Hint: "form.hint.institution"},
		{Path: "agreement", Label: "form.agreement", Kind: "agreement", Hint: "form.hint.agreement"},
		{Path: "status", Label: "form.status", Kind: "select", Choices: twin.LinkStatuses, Prefix: "linkstatus.", Required: true},
		{Path: "domains", Label: "form.domains", Kind: "domains"},
		{Path: "started", Label: "form.started", Kind: "date"},
		{Path: "ended", Label: "form.ended", Kind: "date"},
	}, namesFields("notes", "form.notes", false, "textarea")), Repeats: []repeatGroup{sourcesGroup}},
	twin.KindActivity: {Fields: concat([]formField{
		{Path: "agreement", Label: "form.agreement", Kind: "agreement", Hint: "form.hint.agreement"},
		{Path: "link", Label: "form.link", Kind: "link", Hint: "form.hint.link"},
		{Path: "network", Label: "form.network", Kind: "network", Hint: "form.hint.network"},
		{Path: "kind", Label: "form.activity_kind", Kind: "select", Choices: twin.ActivityKinds, Prefix: "activity.kind.", Required: true},
	}, namesFields("title", "form.title", true, "text"), namesFields("description", "form.description", false, "textarea"), []formField{
		{Path: "start", Label: "form.start", Kind: "date"},
		{Path: "end", Label: "form.end", Kind: "date"},
		{Path: "direction", Label: "form.direction", Kind: "select", Choices: twin.Directions, Prefix: "direction."},
		{Path: "domains", Label: "form.domains", Kind: "domains"},
		{Path: "place", Label: "form.place", Kind: "city"},
		{Path: "participants", Label: "form.participants", Kind: "participants", Hint: "form.hint.participants"},
	}), Repeats: []repeatGroup{
		{Path: "institutions", Label: "form.institutions", Blank: 1, Fields: []formField{{Path: "", Label: "form.institution", Kind: "institution"}}},
		{Path: "outputs", Label: "form.outputs", Blank: 1, Fields: []formField{
			{Path: "kind", Label: "form.output_kind", Kind: "select", Choices: []string{"book", "music", "video", "digital", "film", "exhibition", "other"}, Prefix: "output."},
			{Path: "title.fa", Label: "form.title.fa", Kind: "text"},
			{Path: "title.en", Label: "form.title.en", Kind: "text"},
			{Path: "title.ru", Label: "form.title.ru", Kind: "text"},
			{Path: "url", Label: "form.source.url", Kind: "url"},
		}},
		sourcesGroup,
	}},
	twin.KindPerson: {Fields: concat(namesFields("names", "form.name", true, "text"), []formField{
		{Path: "aliases", Label: "form.aliases", Kind: "lines", Hint: "form.hint.lines"},
		{Path: "contact", Label: "form.contact", Kind: "text", Hint: "form.hint.private"},
	}), Repeats: []repeatGroup{
		{Path: "titles", Label: "form.titles", Blank: 1, Fields: []formField{
			{Path: "title.fa", Label: "form.title.fa", Kind: "text"},
			{Path: "title.en", Label: "form.title.en", Kind: "text"},
			{Path: "role", Label: "form.role", Kind: "text"},
			{Path: "city", Label: "form.city", Kind: "city"},
			{Path: "institution", Label: "form.institution", Kind: "institution"},
			{Path: "from", Label: "form.from", Kind: "date"},
			{Path: "to", Label: "form.to", Kind: "date"},
		}},
		sourcesGroup,
	}},
	twin.KindNetwork: {Fields: concat(namesFields("names", "form.name", true, "text"), []formField{
		{Path: "kind", Label: "form.network_kind", Kind: "select", Choices: []string{"regional_org", "city_network", "association"}, Prefix: "netkind.", Required: true},
	}, namesFields("description", "form.description", false, "textarea"), []formField{
		{Path: "website", Label: "form.website", Kind: "url"},
		{Path: "countries", Label: "form.countries", Kind: "lines", Hint: "form.hint.countries"},
	}), Repeats: []repeatGroup{
		{Path: "members", Label: "form.members", Blank: 2, Fields: []formField{
			{Path: "city", Label: "form.city", Kind: "city"},
			{Path: "role", Label: "form.role", Kind: "text"},
			{Path: "joined", Label: "form.joined", Kind: "date"},
		}},
		sourcesGroup,
	}},
	twin.KindProposal: {Fields: concat(namesFields("title", "form.title", true, "text"), namesFields("body", "form.body", false, "textarea"), []formField{
		{Path: "agreement", Label: "form.agreement", Kind: "agreement", Hint: "form.hint.agreement"},
		{Path: "domains", Label: "form.domains", Kind: "domains"},
		{Path: "proposer", Label: "form.proposer", Kind: "text"},
		{Path: "contact", Label: "form.contact", Kind: "text", Hint: "form.hint.private"},
		{Path: "status", Label: "form.status", Kind: "select", Choices: twin.ProposalStatuses, Prefix: "pstatus.", Required: true},
		{Path: "supporters", Label: "form.supporters", Kind: "int"},
	}), Repeats: []repeatGroup{
		{Path: "cities", Label: "form.cities", Blank: 2, Fields: []formField{{Path: "", Label: "form.city", Kind: "city"}}},
	}},
}

// rowPath is the path of a field in row i of a repeat group.
func rowPath(g repeatGroup, i int, f formField) string {
	p := g.Path + "[" + strconv.Itoa(i) + "]"
	if f.Path != "" {
		p += "." + f.Path
	}
	return p
}

// governed lists the top-level JSON keys a form edits: only those are replaced on update, so
// what the form does not show (claims, documents, participants...) survives an edit.
func (sp formSpec) governed() []string {
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		k := strings.FieldsFunc(p, func(r rune) bool { return r == '.' || r == '[' })[0]
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	for _, f := range sp.Fields {
		add(f.Path)
	}
	for _, g := range sp.Repeats {
		add(g.Path)
	}
	return out
}

// docValues flattens a record's JSON into form values by path.
func (sp formSpec) docValues(doc []byte) url.Values {
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	dec.Decode(&m)
	v := url.Values{}
	for _, f := range sp.Fields {
		putValue(v, m, f.Path, f.Kind)
	}
	for _, g := range sp.Repeats {
		x, _ := getPath(m, g.Path)
		for i, row := range asList(x) {
			for _, f := range g.Fields {
				putValue(v, m, rowPath(g, i, f), f.Kind)
			}
			keepRest(v, g, i, row)
		}
	}
	return v
}

// putValue sets the form values of the field of kind at path from the document m.
func putValue(v url.Values, m map[string]any, path, kind string) {
	x, ok := getPath(m, path)
	if !ok || x == nil {
		return
	}
	switch kind {
	case "date":
		if d, ok := x.(map[string]any); ok {
			v.Set(path+".calendar", fmt.Sprint(d["calendar"]))
			v.Set(path+".value", fmt.Sprint(d["value"]))
		}
	case "domains":
		for _, e := range asList(x) {
			v.Add(path, fmt.Sprint(e))
		}
	case "participants":
		v.Set(path, participantLines(x))
	case "lines":
		var ls []string
		for _, e := range asList(x) {
			ls = append(ls, fmt.Sprint(e))
		}
		v.Set(path, strings.Join(ls, "\n"))
	default:
		if s := fmt.Sprint(x); s != "0" || (kind != "int" && kind != "agreement") {
			v.Set(path, s)
		}
	}
}

// participantLines writes an activity's participants "Q5753: 30" a line, in the order of the
// cities' ids; the staff form names the cities (nameParticipants).
func participantLines(x any) string {
	pm, _ := x.(map[string]any)
	refs := make([]string, 0, len(pm))
	for ref := range pm {
		refs = append(refs, ref)
	}
	sort.Strings(refs)
	var ls []string
	for _, ref := range refs {
		ls = append(ls, ref+": "+fmt.Sprint(pm[ref]))
	}
	return strings.Join(ls, "\n")
}

// keepRest keeps what row i of the group holds beyond the form's fields (a source's quote, a
// name in a third language) in a hidden field, so an edit does not drop it.
func keepRest(v url.Values, g repeatGroup, i int, row any) {
	rm, ok := row.(map[string]any)
	if !ok {
		return
	}
	rest := deepCopy(rm).(map[string]any)
	for _, f := range g.Fields {
		deletePath(rest, f.Path)
	}
	if len(rest) > 0 {
		v.Set(g.Path+"["+strconv.Itoa(i)+"]#keep", compactJSON(rest))
	}
}

// clearFields removes from a record's document every value the form shows, so that what the
// form sends replaces them and what it does not show (other languages, claims...) stays.
func (sp formSpec) clearFields(doc map[string]any) {
	for _, f := range sp.Fields {
		deletePath(doc, f.Path)
	}
	for _, g := range sp.Repeats {
		delete(doc, g.Path)
	}
}

func asList(x any) []any {
	l, _ := x.([]any)
	return l
}

// rows counts the filled rows of a repeat group in form values.
func (g repeatGroup) rows(v url.Values) int {
	n := 0
	for k := range v {
		if !strings.HasPrefix(k, g.Path+"[") {
			continue
		}
		i, err := strconv.Atoi(k[len(g.Path)+1 : len(g.Path)+1+strings.IndexByte(k[len(g.Path)+1:], ']')])
		if err == nil && i+1 > n {
			n = i + 1
		}
	}
	return n
}

// compactRows renumbers the rows of each repeat group in submitted values, dropping empty rows,
// so that the store's error paths ("parties[1].date") match what is shown again.
func (sp formSpec) compactRows(in url.Values) url.Values {
	out := url.Values{}
	for k, vs := range in {
		out[k] = vs
	}
	for _, g := range sp.Repeats {
		n := g.rows(in)
		for k := range out {
			if strings.HasPrefix(k, g.Path+"[") {
				delete(out, k)
			}
		}
		j := 0
		for i := 0; i < n; i++ {
			empty := true
			for _, f := range g.Fields {
				p := rowPath(g, i, f)
				if f.Kind == "date" {
					p += ".value"
				}
				if strings.TrimSpace(in.Get(p)) != "" || in.Get(p+"#pick") != "" {
					empty = false
				}
			}
			if empty {
				continue
			}
			for _, f := range g.Fields {
				from, to := rowPath(g, i, f), rowPath(g, j, f)
				for _, suffix := range []string{"", ".calendar", ".value", "#pick", "#id", "#name"} {
					if vs, ok := in[from+suffix]; ok {
						out[to+suffix] = vs
					}
				}
			}
			if vs, ok := in[g.Path+"["+strconv.Itoa(i)+"]#keep"]; ok {
				out[g.Path+"["+strconv.Itoa(j)+"]#keep"] = vs
			}
			j++
		}
	}
	return out
}

// errorField finds which field of the form shows an error reported at path: the field itself,
// its first sub-field ("names" → "names.fa"), or the list it is an item of ("domains[2]").
func errorField(paths []string, errPath string) string {
	for _, p := range paths {
		if p == errPath {
			return p
		}
	}
	for _, p := range paths {
		if strings.HasPrefix(p, errPath+".") || strings.HasPrefix(p, errPath+"[") {
			return p
		}
	}
	for _, p := range paths {
		if strings.HasPrefix(errPath, p+"[") || strings.HasPrefix(errPath, p+".") {
			return p
		}
	}
	return ""
}

// allPaths lists every field path of a form for the given values (rows included).
func (sp formSpec) allPaths(v url.Values) []string {
	var out []string
	for _, f := range sp.Fields {
		out = append(out, f.Path)
	}
	for _, g := range sp.Repeats {
		n := g.rows(v) + g.Blank
		for i := 0; i < n; i++ {
			for _, f := range g.Fields {
				out = append(out, rowPath(g, i, f))
			}
		}
	}
	return out
}

// labelDiffs names each changed field as its form does, in lang (the JSON key otherwise).
func (sp formSpec) labelDiffs(ds []fieldDiff, lang string) []fieldDiff {
	for i := range ds {
		ds[i].Label = ds[i].Field
		if i18n.Has(lang, "field_name."+ds[i].Field) {
			ds[i].Label = i18n.T(lang, "field_name."+ds[i].Field, nil)
			continue
		}
		for _, f := range sp.Fields {
			if f.Path == ds[i].Field {
				ds[i].Label = i18n.T(lang, f.Label, nil)
			}
		}
		for _, g := range sp.Repeats {
			if g.Path == ds[i].Field {
				ds[i].Label = i18n.T(lang, g.Label, nil)
			}
		}
	}
	return ds
}
