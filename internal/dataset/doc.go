// Package dataset builds, embeds and decodes Twinning's bundled world dataset: countries,
// cities, sister-city agreements and networks, as gzip-compressed JSON Lines
// ({"type":"city","record":{...}} per line; countries, then cities, agreements, networks).
// The same format is the project's JSON Lines export and import, so Decode is the shared
// loader.
//
// Build reads only the shippable sources of the source data folder (doc/design.md, "Source data
// and generated files"; by default ../shared/data): Wikidata P190 extracts of 2016,
// 2021 and 2022, the 2017 EU Wikidata runs, the 2026 scrape of Wikipedia's twin-town lists,
// the Isfahan municipality's table, Natural Earth populated places and i18n-iso-countries.
// It is reproducible to the byte. Rebuild with `go generate ./internal/dataset` or
// `twinning dataset build --src ../shared/data`; figures go to STATS.md.
//
// Entity resolution. A Wikidata id is identity. The lists without ids (Wikipedia scrape,
// EU 2017) are resolved all together: by NameKey of any name or alias, compatible ISO country
// and distance under 30 km; then through the pairs themselves (a listed pair whose two names
// match two items that Wikidata twins resolves both, which places the many 2016 items known
// only by a label); then by a name unique in its country when one side has no coordinate.
// The rest become cities without a Wikidata id. Before that, each Wikipedia coordinate more
// than 400 km from every Natural Earth place of its stated country is taken as a geocoded
// namesake (Hastings, New Zealand found in England) and replaced by the coordinate of the
// Natural Earth or Wikidata city of that name in the stated country, or dropped. The country
// string wins over the coordinate because it comes from the list page itself. Hekman's
// "Georgia" and "Georgia (country)" both mean the country (every such city is in the
// Caucasus); England, Scotland, Wales and Northern Ireland are GB.
//
// Rows and records (quality.go). A list entry is one (name, country string, coordinate): rows of
// one list may name two namesakes (the EU list's "Halle, Germany" is Halle (Saale) in some rows
// and Halle (Westf.) in others). Each row then goes to the town Wikidata already twins with the
// same partner when its own place is not (partnerPreferred), or to the namesake at the row's
// own coordinate (nearerNamesake); a Wikipedia row naming a town by a name its namesakes share
// (the scrape geocoded "Münster, Germany" by that string) goes to the namesake another source
// pairs with the same partner: the EU list, whose coordinates are Wikidata's, or a row naming
// only that town, "Lagoa, Azores" (deferToListedTown). A list city with namesakes in its
// country and no coordinate is kept as an unresolved city, its pairs carrying the list's claim. Records of one city are
// merged (same name in one country within 20 km: a town and its municipality item, not its
// county; the same across a sovereign and its territory or a disputed border; an item only the
// 2016 crawl knows beside its newer item sharing a partner, through Wikidata or a list; a
// list-only record of a town another record of its country holds, both twinned with one
// partner: "Berlin – Pankow" and Pankow, Boiarka and Boyarka, sameTownTwice); list-only
// records whose rows all moved are dropped. Each class is looked for again among the cities
// kept (dupaudit.go), and every pair left is counted in STATS.md with why it stays two. The other ids go to twin.City.WikidataAliases, differing countries to
// CountryClaims. A list-only record a geocoder put on a namesake's point in another country
// ("Essen, Belgium" at Essen in Germany) loses that point and joins the only town of its name
// in its own country. Then a coordinate several differently named places share is dropped as a
// placeholder, and every city is tested against the 1:50m country shapes (shapes.go,
// checkCountries): a country no source states is the shape's (or the nearest outline's within
// 25 km, for small islands); each source's stated country is kept (CountryClaims name the
// source that states each); where they differ the shape decides, and at a border the 1:50m
// outline cannot settle (within 5 km) Wikidata and the lists decide before Natural Earth, whose
// country is read off its own coarse boundaries (Kapan, Armenian, lies 0.1 km inside
// Azerbaijan's outline and Natural Earth gives it Azerbaijan). Every city left outside its
// country's shape carries a recorded reason (a border, a disputed area, an exclave, the sea). Persian
// names (fanames.go) come from every shipped source; where none has one, city() stores a
// persian.ToPersianScript transliteration under twin.LangFATranslit, never under "fa". STATS.md's
// quality section has the figures.
//
// Items without a country. Every Wikidata item of a P190 pair of the three extracts is a city,
// so every Wikidata pair is an agreement. An item no extract, gazetteer or list places is
// placed, in this order: by a list pair with one of its Wikidata partners whose other name is
// one of its names (NameKey, or the persian.Skeleton of the label, its English spelling
// "Obuchiw" → "Obukhiv", or the label without administrative words "Landkreis Rügen" → "Rügen");
// it then absorbs that list city when no other item claims it. Then by a Natural Earth place
// of its name in one of its partners' countries; then by the places of its name when all are
// in one country. The rest keep an empty country: twin.City.Validate allows that for a city
// identified by Wikidata, until someone fills it. Figures are in STATS.md.
//
// Names. The 2022 graph's labels are English, the 2021 query's Italian; the 2016 crawl's
// labels are mostly but not all German, so they are aliases (or the "und" name when a city has
// nothing else). Natural Earth gives 26 languages; its Persian names lose their
// "، <country>" Wikipedia qualifier and are canonicalized. A name equal to the English one is
// left out, since twin.Names.Pick falls back to English.
//
// Agreements. One per unordered pair; every dataset listing it is a source. Registries list
// twinned towns, so the status is "signed". One-sided Wikidata statements (A lists B under
// P190, B does not list A) become claims with OneSided set: from the 2016 crawl always, from
// the 2021 query only when B was itself queried (population above 10,000), since otherwise
// its statements were never seen.
//
// Isfahan. The municipality is the authority on its own agreements: its 13 official partners
// are signed with its day dates, Samarkand signed in 2021-07 (month precision), Porto and
// Hyderabad "proposed" (planned in 2021) even though Wikipedia or Wikidata list them as
// twinned; those registry claims are kept as claims. Pairs only Wikipedia or Wikidata list
// (Kazan; Venice, Cairo, Kathmandu, Maracaibo, Istanbul) keep the status those sources claim,
// "signed", because the municipality's silence is not a statement that they are something
// else; each registry's claim is kept with its source, a claim citing the municipality's page
// says its list does not include the city, and the notes (fa, en) call the pair contested.
// So "Isfahan's signed partners with a signing date" is exactly the municipality's list.
package dataset
