package extract

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"
)

// TestEmissionsFactorised checks that the tagger's per-type sums give every
// word the same scores as adding the weights of staticFeats' features one
// by one (what training reads).
func TestEmissionsFactorised(t *testing.T) {
	g := gaz(t)
	tg := defaultTagger()
	if tg == nil {
		t.Fatal("the embedded tagger does not load")
	}
	texts := []string{"«سپاهان اصفهان» در تهران. تهران و اصفهان، پاریسم و اروپاست!", "یک"}
	for _, name := range []string{"isfahan-samarkand.fa.txt", "mashhad-hijri.fa.txt", "shiraz-kazan-future.fa.txt", "shiraz-tabriz-visit.fa.txt"} {
		texts = append(texts, read(t, name))
	}
	for _, text := range texts {
		ex := newExtractor(text, g, Options{})
		ex.tg = tg
		ex.findPlaces()
		info := ex.tagInfo()
		got := tg.emissions(ex, info, nil)
		var feats []uint64
		for i := range ex.d.words {
			var want [nTags]int32
			feats = staticFeats(ex.d, info, i, feats[:0])
			for _, f := range feats {
				tg.add(f, &want)
			}
			if got[i] != want {
				t.Fatalf("%.30q… word %d %q: emissions %v, feature by feature %v", text, i, ex.d.words[i].key, got[i], want)
			}
		}
	}
}

// TestModelRoundTrip checks that a model written and read again tags as the
// weights say, and that a damaged file is refused.
func TestModelRoundTrip(t *testing.T) {
	m := &model{weights: map[uint64]*[nTags]float64{
		mix(fW0, hstr("تهران")): {0, 2, 0, 0, 0, 0, 0},
		fBias:                   {1, 0, 0, 0, 0, 0, 0},
	}, places: map[string]uint8{"آبدانان": placeCity}, zwnj: map[string]string{"بینالمللی": "بین\u200cالمللی"}}
	m.trans[tBLoc][tILoc] = 0.5
	var buf bytes.Buffer
	if err := writeModel(&buf, m); err != nil {
		t.Fatal(err)
	}
	tg, err := readModel(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var sc [nTags]int32
	tg.add(mix(fW0, hstr("تهران")), &sc)
	tg.add(fBias, &sc)
	if sc[tBLoc] <= sc[tO] || sc[tO] <= 0 {
		t.Errorf("scores %v: the weights were not read back", sc)
	}
	if tg.places[hstr("آبدانان")] != placeCity || tg.zwnj["بینالمللی"] != "بین\u200cالمللی" || tg.trans[tBLoc][tILoc] <= 0 {
		t.Errorf("lexicons or transitions lost: %v %v %v", tg.places, tg.zwnj, tg.trans[tBLoc])
	}
	b := buf.Bytes()
	if _, err := readModel(bytes.NewReader(b[:len(b)/2])); err == nil {
		t.Error("a truncated model was read")
	}
}

// TestViterbiWellFormed checks that decoding never gives an I tag after
// anything but its own B or I, whatever the scores say.
func TestViterbiWellFormed(t *testing.T) {
	em := [][nTags]int32{{0, 0, 100, 0, 0, 0, 0}, {0, 0, 0, 0, 100, 0, 0}, {0, 50, 0, 0, 0, 0, 0}, {0, 0, 60, 0, 0, 0, 0}}
	var trans [nTags + 1][nTags]int32
	n := len(em)
	tags, margins := make([]int8, n), make([]int32, n)
	viterbi(em, &trans, tags, margins, make([][nTags]int32, n), make([][nTags]int32, n), make([][nTags]int8, n))
	prev := nTags
	for i, tg := range tags {
		if !allowed(prev, int(tg)) {
			t.Fatalf("tags %v: %s after %d at %d", tags, tagNames[tg], prev, i)
		}
		prev = int(tg)
	}
	if tags[2] != tBLoc || tags[3] != tILoc {
		t.Errorf("tags %v, want B-LOC I-LOC at the end", tags)
	}
	for i, m := range margins {
		if m < 0 {
			t.Errorf("margin %d at %d is negative", m, i)
		}
	}
}

// TestViterbiBruteForce compares Viterbi's best sequence and margins with
// an enumeration of every well-formed sequence, on random scores.
func TestViterbiBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 200; round++ {
		n := 1 + rng.IntN(4)
		em := make([][nTags]int32, n)
		for i := range em {
			for k := range em[i] {
				em[i][k] = int32(rng.IntN(2000) - 1000)
			}
		}
		var trans [nTags + 1][nTags]int32
		for p := range trans {
			for k := range trans[p] {
				trans[p][k] = int32(rng.IntN(600) - 300)
			}
		}
		// every sequence: its score; per position and tag, the best score
		best := int32(math.MinInt32)
		var bestSeq []int8
		mm := make([][nTags]int32, n)
		for i := range mm {
			for k := range mm[i] {
				mm[i][k] = math.MinInt32
			}
		}
		seq := make([]int8, n)
		var walk func(i, prev int, score int32)
		walk = func(i, prev int, score int32) {
			if i == n {
				if score > best {
					best, bestSeq = score, append([]int8(nil), seq...)
				}
				for j, tg := range seq {
					mm[j][tg] = max(mm[j][tg], score)
				}
				return
			}
			for k := 0; k < nTags; k++ {
				if allowed(prev, k) {
					seq[i] = int8(k)
					walk(i+1, k, score+trans[prev][k]+em[i][k])
				}
			}
		}
		walk(0, nTags, 0)
		tags, margins := make([]int8, n), make([]int32, n)
		viterbi(em, &trans, tags, margins, make([][nTags]int32, n), make([][nTags]int32, n), make([][nTags]int8, n))
		for i := range tags {
			if tags[i] != bestSeq[i] {
				t.Fatalf("round %d: Viterbi %v, enumeration %v", round, tags, bestSeq)
			}
			second := int32(math.MinInt32)
			for k := 0; k < nTags; k++ {
				if k != int(tags[i]) {
					second = max(second, mm[i][k])
				}
			}
			want := best - second
			if second == math.MinInt32 {
				want = math.MaxInt32 / 2
			}
			if margins[i] != want {
				t.Fatalf("round %d word %d: margin %d, enumeration %d", round, i, margins[i], want)
			}
		}
	}
}
