package exchange

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/store/storetest"
	"github.com/twinning/twinning/internal/twin"
)

// TestCustomDomainsTravel: an installation's own cooperation domain goes out in JSON Lines and
// comes back in before the records that use it, in the same transaction.
func TestCustomDomainsTravel(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := storetest.Open(t)
	if err := src.AddDomain(ctx, twin.Domain{Code: "silk_road", Names: twin.Names{"fa": "جاده ابریشم", "en": "Silk Road heritage"}}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*twin.City{
		{Names: twin.Names{"en": "Isfahan"}, Country: "IR", Wikidata: "Q42053"},
		{Names: twin.Names{"en": "Samarkand"}, Country: "UZ", Wikidata: "Q5753"},
	} {
		if _, err := src.Cities.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := src.Agreements.Create(ctx, &twin.Agreement{Cities: []string{"Q42053", "Q5753"}, Status: "signed", Domains: []string{"silk_road", "culture"}}); err != nil {
		t.Fatal(err)
	}
	d, err := Gather(ctx, src, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := WriteJSONL(&out, d); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), `{"type":"domain","record":{"code":"silk_road"`) {
		t.Fatalf("the export does not start with the custom domain:\n%.200s", out.String())
	}
	dst := storetest.Open(t)
	rep, err := Import(ctx, dst, bytes.NewReader(out.Bytes()), Options{Format: "jsonl", Name: "export.jsonl"})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	_ = rep
	ds, err := dst.CustomDomains(ctx)
	if err != nil || len(ds) != 1 || ds[0].Code != "silk_road" {
		t.Fatalf("custom domains after import: %+v %v", ds, err)
	}
	p, err := dst.Agreements.List(ctx, twin.Filter{})
	if err != nil || len(p.Items) != 1 || len(p.Items[0].Domains) != 2 {
		t.Fatalf("agreements after import: %+v %v", p.Items, err)
	}
	// Twice changes nothing.
	if _, err := Import(ctx, dst, bytes.NewReader(out.Bytes()), Options{Format: "jsonl", Name: "export.jsonl"}); err != nil {
		t.Fatal(err)
	}
	if ds, _ := dst.CustomDomains(ctx); len(ds) != 1 {
		t.Fatalf("a second import added domains: %+v", ds)
	}
}
