package persian

import (
	"strings"
	"testing"
)

// benchText is the seed article repeated to about 100 KB.
func benchText(b *testing.B) string {
	s := seedText(b)
	return strings.Repeat(s+"\n", 100_000/len(s)+1)
}

func BenchmarkCanonical(b *testing.B) {
	s := benchText(b)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		Canonical(s)
	}
}

func BenchmarkFold(b *testing.B) {
	s := benchText(b)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		Fold(s)
	}
}

func BenchmarkFoldMap(b *testing.B) {
	s := benchText(b)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		FoldMap(s)
	}
}

func BenchmarkFoldArabicInput(b *testing.B) {
	// Arabic letters and digits, kashida and harakat: every rule fires.
	s := strings.Repeat("كتابخانه ملي ١٣٩٧ تصریـــــح شَهرداری «سمرقند»، ", 2000)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		Fold(s)
	}
}

func BenchmarkTokens(b *testing.B) {
	s := benchText(b)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		Tokens(s)
	}
}

func BenchmarkFindNumbers(b *testing.B) {
	s := benchText(b)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		FindNumbers(s)
	}
}

func BenchmarkSkeleton(b *testing.B) {
	names := []string{"Samarkand", "Самарқанд", "سمرقند", "Isfahan", "Хайдарабад", "کرمانشاه"}
	for b.Loop() {
		for _, n := range names {
			Skeleton(n)
		}
	}
}
