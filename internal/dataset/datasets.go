package dataset

import "github.com/twinning/twinning/internal/twin"

// Dataset codes, as they appear in twin.Source.Dataset.
const (
	dsWikidata2016 = "wikidata-p190-2016"
	dsWikidata2021 = "wikidata-p190-2021"
	dsWikidata2022 = "wikidata-p190-2022"
	dsEU2017       = "eu-sistercities-2017"
	dsWikipedia    = "wikipedia-twin-towns-2026"
	dsIsfahan      = "isfahan-municipality"
	dsNaturalEarth = "natural-earth-5.0.0"
)

// datasetOrder is the order sources are listed in.
var datasetOrder = []string{dsWikidata2016, dsWikidata2021, dsWikidata2022, dsEU2017, dsWikipedia,
	dsIsfahan, dsNaturalEarth}

// registries are the datasets that list twinned pairs; a listed pair is "signed".
var registries = []string{dsWikidata2016, dsWikidata2021, dsWikidata2022, dsEU2017, dsWikipedia}

// datasetSources describes each dataset once; records carry a copy.
var datasetSources = map[string]twin.Source{
	dsWikidata2016: {Dataset: dsWikidata2016, Version: "2016-09 (L3viathan/sister-cities d3028c2)",
		URL: "https://github.com/L3viathan/sister-cities", Note: "Wikidata P190, CC0"},
	dsWikidata2021: {Dataset: dsWikidata2021, Version: "2021-11-12 (albertoursino/graphs-comparison 33944e0)",
		URL: "https://github.com/albertoursino/graphs-comparison", Note: "Wikidata P190, CC0"},
	dsWikidata2022: {Dataset: dsWikidata2022, Version: "2022-01-09 (albertoursino/graphs-comparison)",
		URL: "https://github.com/albertoursino/graphs-comparison", Note: "Wikidata P190, CC0"},
	dsEU2017: {Dataset: dsEU2017, Version: "2017 (rogorido/sistercities)",
		URL: "https://github.com/rogorido/sistercities", Note: "Wikidata P190, CC0"},
	dsWikipedia: {Dataset: dsWikipedia, Version: "2026-02-08 (Hekman/twincities 84ebdec)",
		URL:  "https://github.com/Hekman/twincities",
		Note: "Data from Wikipedia, CC BY-SA 4.0; coordinates © OpenStreetMap contributors, ODbL"},
	dsIsfahan: {Dataset: dsIsfahan, Version: "2021", URL: "https://rct.isfahan.ir/node/4979"},
	dsNaturalEarth: {Dataset: dsNaturalEarth, Version: "5.0.0 10m populated places",
		URL: "https://www.naturalearthdata.com/", Note: "Made with Natural Earth, public domain"},
}

// sourcesOf lists the datasets in set as sources, in datasetOrder.
func sourcesOf(set map[string]bool) []twin.Source {
	var out []twin.Source
	for _, ds := range datasetOrder {
		if set[ds] {
			out = append(out, datasetSources[ds])
		}
	}
	return out
}
