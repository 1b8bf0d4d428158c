package extract

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twinning/twinning/internal/twin"
)

// BenchmarkGazetteerBuild measures building the bundle gazetteer (decode the
// embedded dataset and index every name).
func BenchmarkGazetteerBuild(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := NewBundleGazetteer(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExtract measures throughput in MB/s on the seed article (always)
// and on 300 Fars News articles of 2008 (when TWINNING_NLP_DATA is set).
func BenchmarkExtract(b *testing.B) {
	g := gaz(b)
	b.Run("seed", func(b *testing.B) {
		text := read(b, "isfahan-samarkand.fa.txt")
		b.SetBytes(int64(len(text)))
		for i := 0; i < b.N; i++ {
			Extract(text, g, Options{})
		}
	})
	for _, v := range []struct {
		name string
		tg   *tagger
	}{{"fars-news", defaultTagger()}, {"fars-news-rules-only", nil}} {
		b.Run(v.name, func(b *testing.B) { benchFars(b, g, v.tg) })
	}
}

// BenchmarkTagger measures the tagger alone (features and Viterbi) on the
// Fars News sample, after the rules' place pass it reads.
func BenchmarkTagger(b *testing.B) {
	g := gaz(b)
	texts := farsTexts(b)
	tg := defaultTagger()
	var exs []*extractor
	total := 0
	for _, t := range texts {
		ex := newExtractor(t, g, Options{})
		ex.tg = tg
		ex.findPlaces()
		exs = append(exs, ex)
		total += len(t)
	}
	b.SetBytes(int64(total))
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		for _, ex := range exs {
			_, _, release := tg.tag(ex)
			release()
		}
	}
	reportCPU(b, total, cpu0)
}

// reportCPU reports the bytes read per CPU-second of the process since
// cpu0: on a shared machine wall time says more about the neighbours than
// about the code.
func reportCPU(b *testing.B, total int, cpu0 time.Duration) {
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(total)*float64(b.N)/cpu.Seconds()/1e6, "MB/cpu-s")
	}
}

// farsTexts reads the Fars News sample's articles as texts.
func farsTexts(b *testing.B) []string {
	dir := nlpDir(b)
	data, err := os.ReadFile(filepath.Join(dir, "news", "fars-news-1.json"))
	if err != nil {
		b.Skip("news/fars-news-1.json missing under TWINNING_NLP_DATA")
	}
	var arts []struct {
		Title, Abstract string
		Paragraphs      []string
	}
	if err := json.Unmarshal(data, &arts); err != nil {
		b.Fatal(err)
	}
	texts := make([]string, len(arts))
	for i, a := range arts {
		texts[i] = a.Title + "\n" + a.Abstract + "\n" + strings.Join(a.Paragraphs, "\n")
	}
	return texts
}

// benchFars reads the Fars News sample with the tagger tg (nil: the rules alone).
func benchFars(b *testing.B, g Gazetteer, tg *tagger) {
	{
		texts := farsTexts(b)
		total := 0
		for _, t := range texts {
			total += len(t)
		}
		b.SetBytes(int64(total))
		defaultTagger()
		b.ResetTimer()
		cpu0 := cpuTime()
		for i := 0; i < b.N; i++ {
			for _, t := range texts {
				extractWith(t, g, Options{}, tg)
			}
		}
		reportCPU(b, total, cpu0)
	}
}

// FuzzExtract checks that Extract never panics and that every evidence lies
// inside the text, on rune boundaries, with start ≤ end and its text equal to
// the slice.
func FuzzExtract(f *testing.F) {
	for _, name := range []string{"isfahan-samarkand.fa.txt", "isfahan-samarkand.en.txt", "mashhad-hijri.fa.txt"} {
		f.Add(read(f, name))
	}
	f.Add("۱۳۹۷/۰۵/۱۲ و 2021-10-05 و ۲۱ مهر و May 5, 2021")
	f.Add("«سفارت ایران در تاشکند» the Iranian embassy in Tashkent\u200c\u200f")
	// A small gazetteer: the bundle one takes minutes to build under
	// coverage instrumentation, in every fuzz worker.
	g := newGazetteer(64)
	for _, c := range []twin.Country{{Code: "IR", Names: twin.Names{"fa": "ایران", "en": "Iran"}}, {Code: "UZ", Names: twin.Names{"fa": "ازبکستان", "en": "Uzbekistan"}},
		{Code: "IN", Names: twin.Names{"fa": "هند", "en": "India"}}, {Code: "PK", Names: twin.Names{"fa": "پاکستان", "en": "Pakistan"}}} {
		g.addCountry(&c)
	}
	for _, c := range []twin.City{
		{Wikidata: "Q42053", Names: twin.Names{"fa": "اصفهان", "en": "Isfahan"}, Country: "IR", Population: 1961260},
		{Wikidata: "Q5753", Names: twin.Names{"fa": "سمرقند", "en": "Samarkand", "ru": "Самарканд"}, Country: "UZ", Population: 546303},
		{Wikidata: "Q269", Names: twin.Names{"fa": "تاشکند", "en": "Tashkent"}, Country: "UZ", Population: 2500000},
		{Wikidata: "Q1361", Names: twin.Names{"fa": "حیدرآباد", "en": "Hyderabad"}, Country: "IN", Population: 9305000},
		{Wikidata: "Q1640079", Names: twin.Names{"fa": "حیدرآباد", "en": "Hyderabad"}, Country: "PK", Population: 1459000},
		{Wikidata: "Q36433", Names: twin.Names{"fa": "پورتو", "en": "Porto"}, Country: "PT", Population: 237591},
		{Wikidata: "Q3616", Names: twin.Names{"fa": "تهران", "en": "Tehran"}, Country: "IR", Population: 8000000},
		{Wikidata: "Q106636", Names: twin.Names{"fa": "بم", "en": "Bam"}, Country: "IR", Population: 99268},
	} {
		g.addCity(&c)
	}
	g.finish()
	f.Fuzz(func(t *testing.T, s string) {
		r := Extract(s, g, Options{Published: "2021-07-21"})
		checkEvidence(t, s, r)
	})
}
