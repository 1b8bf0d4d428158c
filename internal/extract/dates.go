package extract

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/persian"
)

type dateFact struct {
	a, b int
	pd   calendar.PartialDate
	conf float64
}

// calendar markers after a year (folded keys; «ه.ش» folds to «ه ش»).
var calMarkers = map[string]calendar.Calendar{
	"شمسی": calendar.Jalali, "خورشیدی": calendar.Jalali, "قمری": calendar.Hijri, "میلادی": calendar.Gregorian,
	"ah": calendar.Hijri, "ad": calendar.Gregorian, "ce": calendar.Gregorian, "sh": calendar.Jalali,
}

// marker reads a calendar marker starting at word i: «شمسی», «هجری شمسی»,
// «ه.ش», «قمری», «ه.ق», «میلادی», AH, AD. It returns the calendar and the
// number of words.
func (ex *extractor) marker(i int) (calendar.Calendar, int) {
	d := ex.d
	if i >= len(d.words) || d.words[i].sent != d.words[i-1].sent {
		return "", 0
	}
	k := d.words[i].key
	if c, ok := calMarkers[k]; ok {
		if d.words[i].latin && !d.words[i].upper {
			return "", 0
		}
		return c, 1
	}
	next := d.key(i + 1)
	if k == "هجری" {
		if c, ok := calMarkers[next]; ok {
			return c, 2
		}
		return calendar.Jalali, 1 // «هجری» alone in Iranian usage is usually Solar Hijri; low weight
	}
	if k == "ه" && i+1 < len(d.words) && d.gap(i, i+1) == "." {
		switch next {
		case "ش":
			return calendar.Jalali, 2
		case "ق":
			return calendar.Hijri, 2
		}
	}
	return "", 0
}

// yearCalendar infers the calendar of a bare year.
func yearCalendar(y int) (calendar.Calendar, bool) {
	switch {
	case y >= 1206 && y <= 1498:
		return calendar.Jalali, true
	case y >= 1800 && y <= 2200:
		return calendar.Gregorian, true
	}
	return "", false
}

func (ex *extractor) addDate(a, b int, cal calendar.Calendar, y, m, day int, conf float64) bool {
	var v string
	switch {
	case day > 0:
		v = fmt.Sprintf("%04d-%02d-%02d", y, m, day)
	case m > 0:
		v = fmt.Sprintf("%04d-%02d", y, m)
	default:
		v = fmt.Sprintf("%04d", y)
	}
	pd, err := calendar.Parse(cal, v)
	if err != nil {
		return false
	}
	ex.dates = append(ex.dates, dateFact{a, b, pd, conf})
	ex.r.Dates = append(ex.r.Dates, Date{PartialDate: pd, Evidence: ex.d.ev(a, b), Confidence: conf})
	return true
}

// findDates applies the rules of doc/persian.md §2.6: numeric dates, day-month-
// year, month-year, «سال» + year and year + calendar marker, with explicit
// markers first, then the month's calendar, then the year range. Ambiguous
// month words (مهر, تیر, می, "May", ...) count only next to a day or a year.
func (ex *extractor) findDates() {
	sc := ex.newDateScan()
	for i := 0; i < len(ex.d.words); i++ {
		if sc.used[i] {
			continue
		}
		if next, ok := sc.numericDate(i); ok {
			i = next
			continue
		}
		if next, ok := sc.monthDate(i); ok {
			i = next
			continue
		}
		if next, ok := sc.yearWordDate(i); ok {
			i = next
			continue
		}
		i = sc.yearMarkerDate(i)
	}
}

// dateScan is findDates' state: the words already read as dates, the number
// words that can be a day, and where the next digits are.
type dateScan struct {
	ex         *extractor
	used       []bool
	dayEnd     map[int][2]int // end word → (start word, value)
	nextDigits []int32
}

func (ex *extractor) newDateScan() *dateScan {
	d := ex.d
	n := len(d.words)
	used := make([]bool, n)
	// Number words that can be a day («بیست و یکم مهر»).
	dayEnd := map[int][2]int{} // end word → (start word, value)
	if d.lang == "fa" {
		for _, m := range ex.numbers() {
			if v, ok := m.Int(); ok && v >= 1 && v <= 31 {
				a, b := ex.wordRange(m.Start, m.End)
				if a >= 0 {
					dayEnd[b] = [2]int{a, int(v)}
				}
			}
		}
	}
	// A month name makes a date only with a day before it or a year (or an
	// English day) at most five words after it: nextDigits[i] is the first
	// word at or after i written in digits.
	nextDigits := make([]int32, n+1)
	nextDigits[n] = int32(n + 10)
	for i := n - 1; i >= 0; i-- {
		nextDigits[i] = nextDigits[i+1]
		if d.words[i].digits {
			nextDigits[i] = int32(i)
		}
	}
	return &dateScan{ex: ex, used: used, dayEnd: dayEnd, nextDigits: nextDigits}
}

// numericDate reads a numeric date at word i; if there is one, it returns
// the last word read.
func (sc *dateScan) numericDate(i int) (int, bool) {
	ex, d, used := sc.ex, sc.ex.d, sc.used
	n := len(d.words)
	w := d.words[i]
	// (a)/(b) numeric dates: 1397/05/12, 2021-10-05, 05/10/2021.
	if w.digits && i+2 < n && d.words[i+1].digits && d.words[i+2].digits {
		g1, g2 := d.gap(i, i+1), d.gap(i+1, i+2)
		if (g1 == "/" || g1 == "-") && g2 == g1 {
			x, y, z := w.num, d.words[i+1].num, d.words[i+2].num
			ok := false
			if len(w.key) == 4 {
				if cal, good := yearCalendar(x); good {
					if c, k := ex.marker(i + 3); k > 0 {
						cal = c
						ok = ex.addDate(i, i+3+k, cal, x, y, z, 0.95)
					} else {
						ok = ex.addDate(i, i+3, cal, x, y, z, 0.9)
					}
				}
			} else if len(d.words[i+2].key) == 4 && z >= 1800 {
				ok = ex.addDate(i, i+3, calendar.Gregorian, z, y, x, 0.7)
			}
			if ok {
				for k := i; k < i+3; k++ {
					used[k] = true
				}
				return i + 2, true
			}
		}
	}
	return i, false
}

// monthDate reads a date around a month name at word i: a day before it,
// a year after it (or the year of publication). It reports false when no
// month name is at i; otherwise it returns the word to go on after.
func (sc *dateScan) monthDate(i int) (int, bool) {
	ex, d, used, dayEnd, nextDigits := sc.ex, sc.ex.d, sc.used, sc.dayEnd, sc.nextDigits
	n := len(d.words)
	// Month names (one or two words: «ربیع الاول»).
	var cal calendar.Calendar
	var month, mw int
	if _, dayPhrase := dayEnd[i]; dayPhrase || i > 0 && d.words[i-1].digits || int(nextDigits[i+1]) <= i+5 {
		cal, month, mw = ex.monthAt(i)
	}
	if mw == 0 {
		return i, false
	}
	a, b := i, i+mw
	day := 0
	ambiguous := calendar.IsAmbiguousMonthWord(d.words[i].key)
	// day before: digits or a number phrase
	if i > 0 && !used[i-1] && d.words[i-1].digits && d.words[i-1].num >= 1 && d.words[i-1].num <= 31 && d.connected(i-1, i+1) {
		day, a = d.words[i-1].num, i-1
	} else if r, ok := dayEnd[i]; ok && d.connected(r[0], i+1) {
		day, a = r[1], r[0]
	}
	// English "October 12, 2021"
	j := b
	if day == 0 && j < n && d.words[j].digits && d.words[j].num >= 1 && d.words[j].num <= 31 && len(d.words[j].key) <= 2 && d.words[j].latin == false && d.lang == "en" && d.words[j].sent == d.words[i].sent {
		day, j = d.words[j].num, j+1
		b = j
	}
	// year after: (ماه)? (سال)? YEAR
	k := j
	if k < n && d.words[k].key == "ماه" && d.connected(k-1, k+1) {
		k++
	}
	if k < n && d.words[k].key == "سال" && d.connected(k-1, k+1) {
		k++
	}
	year := 0
	yearConf := 0.9
	if k < n && d.words[k].digits && d.words[k].sent == d.words[i].sent && !d.words[k].brk || k < n && d.words[k].digits && d.lang == "en" && d.gap(k-1, k) == ", " {
		y := d.words[k].num
		switch {
		case len(d.words[k].key) == 4:
			year, b = y, k+1
		case len(d.words[k].key) == 2 && cal == calendar.Jalali:
			year, b, yearConf = 1300+y, k+1, 0.6
		}
	}
	if k == j+1 && year == 0 && d.words[j].key == "ماه" {
		b = j // «مهر ماه» without a year
	}
	if month == 5 && cal == calendar.Gregorian && d.words[i].key == "می" && year == 0 {
		day = 0 // «می» needs a year
	}
	if day == 0 && year == 0 {
		return i, true
	}
	if ambiguous && year == 0 && day == 0 {
		return i, true
	}
	if c, mk := ex.marker(b); mk > 0 && year > 0 {
		if c == calendar.Hijri || c == cal {
			b += mk
		}
	}
	conf := yearConf
	if year == 0 {
		// «۲۱ مهر» without a year: take the year of publication.
		y, ok := ex.publishedYear(cal)
		if !ok {
			return i, true
		}
		year, conf = y, 0.6
	}
	if ambiguous && day == 0 && d.words[i].key == "مهر" && !(i+1 < n && (d.words[i+1].key == "ماه" || d.words[i+1].key == "سال")) && year == 0 {
		return i, true
	}
	if ex.addDate(a, b, cal, year, month, day, conf) {
		for x := a; x < b; x++ {
			used[x] = true
		}
		return b - 1, true
	}
	return i, true
}

// yearWordDate reads a year after «سال» or "year" at word i; if there is
// one, it returns the word to go on after.
func (sc *dateScan) yearWordDate(i int) (int, bool) {
	ex, d, used := sc.ex, sc.ex.d, sc.used
	n := len(d.words)
	w := d.words[i]
	// (e) «سال ۱۳۹۷», «سال ۹۷»; English "in 2021".
	if (w.key == "سال" || w.key == "year") && i+1 < n && d.words[i+1].digits && d.connected(i, i+2) && !used[i+1] {
		y := d.words[i+1].num
		l := len(d.words[i+1].key)
		b := i + 2
		cal, ok := yearCalendar(y)
		conf := 0.9
		if l == 2 && w.key == "سال" {
			y, cal, ok, conf = 1300+y, calendar.Jalali, true, 0.5
		} else if l != 4 {
			ok = false
		}
		if c, mk := ex.marker(b); mk > 0 && l == 4 {
			cal, ok, b, conf = c, true, b+mk, 0.95
		}
		if ok && ex.addDate(i, b, cal, y, 0, 0, conf) {
			for x := i; x < b; x++ {
				used[x] = true
			}
			return b - 1, true
		}
		return i, true
	}
	return i, false
}

// yearMarkerDate reads a year with a calendar marker at word i, or an
// English year after a preposition, and returns the word to go on after.
func (sc *dateScan) yearMarkerDate(i int) int {
	ex, d, used := sc.ex, sc.ex.d, sc.used
	w := d.words[i]
	// year + marker: «۱۴۴۶ قمری», «۲۰۲۱ میلادی».
	if w.digits && len(w.key) == 4 && !used[i] {
		if c, mk := ex.marker(i + 1); mk > 0 {
			if ex.addDate(i, i+1+mk, c, w.num, 0, 0, 0.9) {
				used[i] = true
				return i + mk
			}
			return i
		}
		if d.lang == "en" && i > 0 && w.num >= 1800 && w.num <= 2200 && d.connected(i-1, i+1) {
			switch d.words[i-1].key {
			case "in", "since", "by", "until", "till", "during", "from", "of":
				if ex.addDate(i, i+1, calendar.Gregorian, w.num, 0, 0, 0.75) {
					used[i] = true
				}
			}
		}
	}
	return i
}

// monthAt recognises a month name at word i (one or two words).
func (ex *extractor) monthAt(i int) (calendar.Calendar, int, int) {
	d := ex.d
	w := d.words[i]
	if w.digits {
		return "", 0, 0
	}
	if w.latin && !w.upper {
		return "", 0, 0 // English month names are capitalised
	}
	if i+1 < len(d.words) && twoWordMonthStart[w.key] && d.connected(i, i+2) {
		if cal, m, ok := calendar.LookupMonth(w.key + d.words[i+1].key); ok && !d.words[i+1].digits {
			return cal, m, 2
		}
	}
	if cal, m, ok := lookupMonth(w.key); ok {
		if w.latin && len(w.key) <= 3 && w.key != "may" {
			// "Jan", "Oct": only as abbreviations before a day or year
			if !(i+1 < len(d.words) && d.words[i+1].digits) {
				return "", 0, 0
			}
		}
		return cal, m, 1
	}
	return "", 0, 0
}

// publishedYear returns the year of Options.Published in cal.
func (ex *extractor) publishedYear(cal calendar.Calendar) (int, bool) {
	if ex.o.Published == "" {
		return 0, false
	}
	t, err := time.Parse("2006-01-02", ex.o.Published)
	if err != nil {
		return 0, false
	}
	pd := calendar.FromTime(t, cal, calendar.Year)
	if pd.IsZero() {
		return 0, false
	}
	y, _, _ := pd.Fields()
	return y, true
}

// numbers returns persian.FindNumbers of the text, computed once. Most of
// a text holds no number, and FindNumbers folds and splits what it is
// given: it reads only the stretches within numberWindow words of a word
// that starts with a number (digits or a number word), which gives the same
// matches as reading the whole text (its phrases are runs of such words,
// and its guard looks one word to either side).
func (ex *extractor) numbers() []persian.NumberMatch {
	if ex.nums != nil {
		return ex.nums
	}
	d := ex.d
	ex.nums = []persian.NumberMatch{}
	read := func(a, b int) {
		start := d.words[a].start
		for _, m := range persian.FindNumbers(d.text[start:d.words[b-1].end]) {
			m.Start += start
			m.End += start
			ex.nums = append(ex.nums, m)
		}
	}
	n := len(d.words)
	a, b := -1, -1
	for i := range d.words {
		if !numberish(d.text[d.words[i].start:d.words[i].end], d.words[i].key) {
			continue
		}
		lo, hi := max(0, i-numberWindow), min(n, i+numberWindow+1)
		if a >= 0 && lo <= b {
			b = max(b, hi)
			continue
		}
		if a >= 0 {
			read(a, b)
		}
		a, b = lo, hi
	}
	if a >= 0 {
		read(a, b)
	}
	return ex.nums
}

// numberWindow is how many words around a number word numbers reads.
const numberWindow = 3

// numberishCache remembers numberish's answers: an open-addressing table
// of hstr(word), or its complement when the word is numberish, filled
// without a lock (a slot goes from empty to its final value once) up to
// numberishMax words. A map behind a lock cost a tenth of the date pass in
// lookups alone.
var (
	numberishCache [numberishSlots]atomic.Uint64
	numberishN     atomic.Int32
)

const (
	numberishBits  = 18
	numberishSlots = 1 << numberishBits
	numberishMax   = numberishSlots / 2
)

// numberish reports whether a word (its text and key) starts with a number:
// ASCII digits in its key, or a number word persian.ParseNumber reads.
func numberish(text, key string) bool {
	for i := 0; i < len(key); i++ {
		if key[i] >= '0' && key[i] <= '9' {
			return true
		}
	}
	h := hstr(text)
	if h == 0 || h == ^uint64(0) { // 0 marks an empty slot
		_, _, r := persian.ParseNumber(text)
		return r
	}
	i := (h * 0x9E3779B97F4A7C15) >> (64 - numberishBits)
	for {
		switch numberishCache[i].Load() {
		case h:
			return false
		case ^h:
			return true
		case 0:
			_, _, r := persian.ParseNumber(text)
			v := h
			if r {
				v = ^h
			}
			if numberishN.Load() < numberishMax && numberishCache[i].CompareAndSwap(0, v) {
				numberishN.Add(1)
			}
			// Lost the slot to another word: the answer is still right,
			// and the word is looked up anew next time.
			return r
		}
		i = (i + 1) & (numberishSlots - 1)
	}
}

// wordRange maps a byte span to the word range it covers, or -1.
func (ex *extractor) wordRange(start, end int) (int, int) {
	ws := ex.d.words
	lo, hi := 0, len(ws)
	for lo < hi {
		m := (lo + hi) / 2
		if ws[m].start < start {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo >= len(ws) || ws[lo].start != start {
		return -1, -1
	}
	b := lo
	for b < len(ws) && ws[b].start < end {
		b++
	}
	return lo, b
}

// First words of month names written in two words («ربیع الاول», «ذی القعده»,
// "Dhu al-Hijjah"); only these are looked up with the next word.
var twoWordMonthStart = setOf(`ربیع جمادی ذی ذو محرم صفر rabi jumada jamadi dhu dhul zi`)

// monthResult is a cached lookupMonth answer, without pointers (the
// garbage collector skips the cache): cal is an index in monthCals.
type monthResult struct {
	cal   uint8
	month int8
	ok    bool
}

var monthCals = []calendar.Calendar{"", calendar.Jalali, calendar.Gregorian, calendar.Hijri}

func calIndex(c calendar.Calendar) uint8 {
	for i, x := range monthCals {
		if x == c {
			return uint8(i)
		}
	}
	return 0
}

var (
	monthCacheMu sync.RWMutex
	monthCache   = make(map[uint64]monthResult, 1<<14) // hstr(word key) → monthResult
)

// lookupMonth is calendar.LookupMonth with a bounded cache: most words of a
// text are not month names, and LookupMonth folds its argument each time. A
// plain map under a read lock costs a third of a sync.Map here (profiled on
// the Fars News sample).
func lookupMonth(key string) (calendar.Calendar, int, bool) {
	h := hstr(key) // a 64-bit hash: cheaper to look up than the string, and keeps no document alive
	monthCacheMu.RLock()
	r, ok := monthCache[h]
	monthCacheMu.RUnlock()
	if ok {
		return monthCals[r.cal], int(r.month), r.ok
	}
	cal, m, ok := calendar.LookupMonth(key)
	if ok && calIndex(cal) == 0 {
		return cal, m, ok // a calendar monthCals lacks: not cached
	}
	monthCacheMu.Lock()
	if len(monthCache) < 200000 {
		monthCache[h] = monthResult{calIndex(cal), int8(m), ok}
	}
	monthCacheMu.Unlock()
	return cal, m, ok
}
