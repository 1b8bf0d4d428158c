package exchange

import (
	"bytes"
	"context"
	"testing"
)

// TestJSONLRoundTrip: a registry exported to JSON Lines and imported into an empty database
// is the same registry: exporting it again gives the same bytes, and importing the file a
// second time changes nothing.
func TestJSONLRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := openTest(t)
	load(t, src, fixture())
	first := exportJSONL(t, src)

	dst := openTest(t)
	rep, err := Import(ctx, dst, bytes.NewReader(first), Options{Name: "export.jsonl"})
	if err != nil {
		t.Fatal(err)
	}
	for typ, want := range map[string]int{TypeCountry: 3, TypeCity: 4, TypeAgreement: 3, TypeInstitution: 3, TypePerson: 1, TypeLink: 1, TypeNetwork: 1, TypeActivity: 3, TypeProposal: 2} {
		if got := rep.Counts[OpCreate][typ]; got != want {
			t.Errorf("created %d %s records, want %d", got, typ, want)
		}
	}
	second := exportJSONL(t, dst)
	if !bytes.Equal(first, second) {
		t.Fatalf("export → import → export differs:\n%s", firstDiff(string(first), string(second)))
	}
	rep, err = Import(ctx, dst, bytes.NewReader(first), Options{Name: "export.jsonl"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Total(OpCreate) != 0 || rep.Total(OpChange) != 0 {
		t.Fatalf("second import: %s%v", rep.Summary(), rep.Actions)
	}
	if third := exportJSONL(t, dst); !bytes.Equal(first, third) {
		t.Fatalf("the second import changed the registry:\n%s", firstDiff(string(first), string(third)))
	}
}
