// Package extract reads a news article in Persian or English and proposes
// records for the registry (doc/design.md, "A news article"): the cities it names, resolved to
// gazetteer records with their Wikidata ids; countries and other places
// (provinces, regions, seas); institutions with their type and city;
// people with their titles; agreements between two cities with their
// state; dates with their calendar, precision and Gregorian interval;
// counts, ordinals, cooperation domains, events and joint productions. Every
// fact carries the span of the original text it was read from (byte, rune
// and UTF-16 offsets, see Evidence) and a confidence in [0, 1], so that a
// person can accept or reject it. Nothing is written anywhere: the result is
// a proposal.
//
// # Approach
//
// Explainable rules, and for Persian a learned name tagger beside them
// (tagger.go, ner.go). The text is folded
// once with persian.FoldMap (letters unified, digits ASCII, ZWNJ and kashida
// dropped, punctuation to spaces) and split into words that keep their
// original spans, sentence numbers and whether punctuation separates them.
// Then, in order:
//
//   - Places: every window of 1–4 words (longest first, never across
//     punctuation) is looked up by its compact folded key among countries,
//     named regions and gazetteer cities. Guards against common words: a
//     stop list of Persian words that are also city names (مهر, بیان,
//     دوشنبه, …) unless «شهر»/«شهرستان»/«بندر» precedes; no window holding a
//     function word; Persian-script text matches only Persian, Pashto,
//     Arabic and Urdu names (Arabic and Urdu ones for cities of 200,000 or
//     more); names of one or two letters need 500,000 inhabitants; small
//     foreign towns need a cue; English names must be capitalised and not
//     a sentence-initial common word. Homonyms are resolved by a country in
//     parentheses or after a comma («حیدرآباد (هند)», "Hyderabad, India"),
//     then by a country named in the same or a neighbouring sentence, then
//     anywhere, then by the class of the name and the population; the other
//     candidates are listed as alternatives. A place after an organisation
//     word («خبرگزاری فارس», «دانشگاه تهران») is a name mention, not a
//     location mention, unless the tagger reads it as a place
//     («دانشگاه‌های آمریکا»). A location's evidence is the name without the
//     «استان»/«شهرستان»/«شهر» before it, as ParsTwiNER marks it (a province
//     keeps «استان» in its record's name).
//   - The name tagger: a linear-chain model over BIO tags for places,
//     organisations and people, trained as a structured averaged perceptron
//     and decoded with Viterbi (well-formed BIO; each word's margin is its
//     max-marginal), with word, affix (up to four letters), shape, context
//     (±2 words), word-list, gazetteer n-gram, Iran-gazetteer
//     (typhoon-iran-cities, LICENSE-typhoon-iran-cities), clitic-stripped
//     («پاریسم») and rule features, trained on ParsTwiNER's training split
//     only (MIT, LICENSE-parstwiner) with options chosen on a held-out fifth
//     of it and its dev split; PEYMA is never trained or tuned on. The model
//     is embedded (tagger.bin.gz, 1.3 MB) and `go generate` or `twinning
//     extract --train DIR --out FILE` rebuilds it byte for byte
//     (TestTaggerReproducible). The rules' mentions always stay (a known
//     city is never lost): the tagger adds the places the rules miss (a
//     gazetteer city without the rules' guards, else a place of kind
//     "place"), organisations and people; a tagged place a gazetteer names
//     whole wins over a shorter rule mention inside it («تربت حیدریه» over
//     «تربت»), which stays as doubtful; a place inside a tagged name
//     («سپاهان اصفهان») becomes a name mention; a rule mention the tagger
//     reads as no name at all is listed as doubtful and lowers the record's
//     confidence. Tagging sums each word type's weights once (and keeps
//     common words' sums across documents) and reuses its memory.
//   - Names keep the half-spaces Persian writes (names.go): the ZWNJ the
//     article stripped is restored where the lexicon knows the word, kashida
//     is dropped, and the article's spelling is kept as an alias.
//   - Dates follow doc/persian.md §2.6: numeric dates, day-month-year,
//     month-year, «سال» + year and year + calendar marker (شمسی, قمری, ه.ش,
//     میلادی, AH); markers first, then the month's calendar, then the year
//     range (1206–1498 Jalali, 1800–2200 Gregorian). Ambiguous month words
//     (مهر, تیر, می, "May", …) need a day or a year next to them; a day and
//     month without a year take the year of Options.Published.
//   - Numbers come from persian.FindNumbers: a number with a counted noun is
//     a count (its subject the city the sentence speaks of), an ordinal with
//     its noun an ordinal.
//   - Institutions start at a head word (دانشگاه, اتاق بازرگانی, مرکز,
//     جشنواره, سفارت, شهرداری, …; University, Chamber of Commerce, Centre,
//     Festival, embassy, …) and extend over the following name words up to a
//     function word, a verb or a place; «در X»/"in X" gives the city, a
//     country or demonym the country; a plural head before coordinated
//     cities («دانشگاه‌های اصفهان و سمرقند», "the universities of Isfahan and
//     Samarkand") gives one institution per city.
//   - People: a title (شهردار, رئیس, سفیر, …; mayor, head, ambassador, …)
//     with its object (a city, country or institution) and a name before it
//     («quoted», or before a comma) or after it (English); sentence-opening
//     speakers («نوروزی تصریح کرد»); a single named speaker and a single
//     unnamed titled speaker are joined, marked as a co-reference guess.
//   - Agreements: a sentence with an agreement word (خواهرخواندگی,
//     تفاهم‌نامه, قرارداد; sister, twin, memorandum, agreement) and a city
//     pair («X با Y و Z», "X with Y and Z", «X و Y», "between X and Y", or
//     the two cities of the sentence). Its state comes from the verb around
//     «امضا»/"sign": future («امضا خواهد کرد», "will sign") is planned,
//     past («امضا شد/کردند», "signed") signed, «پیشنهاد … مطرح»/"proposed"
//     proposed with who and when, «آمادگی … اعلام»/"ready" announced; a
//     negated verb («امضا نشد») gives nothing. Mentions of one pair are
//     merged; the most advanced state wins.
//   - Domains, productions and events are keyword rules: domain words map
//     to twin.DefaultDomains codes; production words in a sentence about
//     producing («تولید», «آثار مشترک», "joint production"); festivals
//     (with ordinal and date), invitations, visits and ceremonies.
//
// # Limits
//
// No coreference beyond the speaker rule, no parsing: long or nested noun
// phrases may be cut short, and agreement pairs are found only in the
// patterns above. The stop lists trade recall for precision; a city that is
// also a common word («بم», «مهر») is found only after «شهر». Places that are
// neither cities, countries nor listed regions (streets, buildings, rivers
// not listed) are not detected, and neither are «جهان»/«دنیا», which PEYMA
// tags as locations. Provinces and counties are found only with «استان» /
// «شهرستان» or when listed. English rules are fewer than Persian ones.
//
// # Evaluation
//
// Location mentions (cities, countries and places; name and doubtful
// mentions excluded), organisations (institutions) and people (their names)
// are scored with exact-span precision, recall and F1 against the LOC, ORG
// and PER tags of the PEYMA and ParsTwiNER corpora (never shipped; only
// ParsTwiNER's training split is trained on):
//
//	TWINNING_NLP_DATA=../shared/data/nlp go test ./internal/extract -run TestEvalNER -v
//	twinning extract --eval ../shared/data/nlp
//
// The first rules (2026-11-29) were tuned on the train and dev splits of
// both corpora, PEYMA's included; their city stop list (faCityStop) is now
// derived from ParsTwiNER's training split and closed word classes only
// (TestCityStopDerived), and everything since, the tagger included, was
// chosen on ParsTwiNER alone. The corpora disagree on conventions (ParsTwiNER leaves
// «استان»/«شهر» out of a location's span): since the tagger, the location
// evidence follows ParsTwiNER, the corpus the model learns from. BenchmarkExtract measures
// throughput (seed article; Fars News sample with TWINNING_NLP_DATA) and
// BenchmarkGazetteerBuild the one-time gazetteer build.
package extract
