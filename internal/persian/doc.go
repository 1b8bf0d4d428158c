// Package persian normalizes, tokenizes and interprets Persian text for
// storage, search and extraction, following the project's Persian text
// specification (doc/persian.md §1, §3 and §4).
//
// There are two normalization layers:
//
//   - [Canonical] is for stored and displayed text. It is conservative:
//     Persian ی and ک, ZWNJ kept and cleaned, kashida and harakat removed,
//     no stemming and no heuristic ZWNJ insertion.
//   - [Fold] is for index terms and queries and must be applied to both the
//     same way. It is aggressive: hamza and alef variants folded, all digits
//     ASCII, punctuation turned into spaces, Latin lower-cased without
//     diacritics. [FoldMap] does the same and reports, for every byte of the
//     result, where it came from in the input, so that search snippets and
//     extraction evidence can point into the original text.
//
// On top of Fold, [Tokens], [SearchTerms] and [QueryTerms] implement the
// compact-term analysis that makes «می‌توانند», «میتوانند» and «می توانند»
// find each other; [NameKey] and [LatinKey] are the keys for de-duplicating
// names; [LightStem] is the guarded light stemmer for a separate stemmed
// field (never for names); [ParseNumber] and [FindNumbers] read cardinal
// and ordinal number words; [Skeleton] and [SkeletonDistance] propose
// cross-script city-name candidates. [ASCIIDigits], [PersianDigits] and
// [ArabicIndicDigits] are the one rule for reading and writing digits.
//
// The package is a leaf: it imports nothing of the project. It embeds Hazm's
// verb stem list (verbs.dat, MIT licence, see LICENSE-hazm).
package persian
