package extract

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/twinning/twinning/internal/persian"
)

// Iran's gazetteer for the tagger: the names of Iran's 1,354 cities, 448
// counties and 31 provinces (typhoon-iran-cities, MIT, github.com/SaliBhdr/
// typhoon-iran-cities), many of them small towns the bundle's cities lack
// («آبدانان», «سربیشه», «اشنویه»). They are a feature of the tagger, not
// mentions: «آزادی» or «آستانه» are towns and far more often common words,
// and the tagger learns from context which reading holds (a tagged place
// that such a name covers whole also wins over a shorter rule mention, see
// knownName). The names ship inside the model, with the MIT notice in
// LICENSE-typhoon-iran-cities.
const (
	placeCity     = 1
	placeCounty   = 2
	placeProvince = 4
)

// readIranPlaces reads cities.csv, counties.csv and provinces.csv of the
// gazetteer folder: folded name with its words separated by one space →
// class.
func readIranPlaces(dir string) (map[string]uint8, error) {
	out := map[string]uint8{}
	for _, f := range []struct {
		name string
		cls  uint8
	}{{"cities.csv", placeCity}, {"counties.csv", placeCounty}, {"provinces.csv", placeProvince}} {
		path := filepath.Join(dir, f.name)
		file, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		r := csv.NewReader(file)
		head, err := r.Read()
		col := -1
		for i, h := range head {
			if h == "name" {
				col = i
			}
		}
		if err != nil || col < 0 {
			file.Close()
			return nil, fmt.Errorf("%s: no name column", path)
		}
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				file.Close()
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			k := placeKey(rec[col])
			if k != "" {
				out[k] |= f.cls
			}
		}
		file.Close()
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no places", dir)
	}
	return out, nil
}

// placeKey folds a name into words separated by one space, each word
// compact as the analyser's keys.
func placeKey(name string) string {
	words := strings.Fields(persian.Fold(name))
	for i, w := range words {
		words[i] = compactKey(w)
	}
	return strings.Join(words, " ")
}

// placeWords is the number of words of a place key.
func placeWords(k string) int { return strings.Count(k, " ") + 1 }
