package ui

import (
	"context"
	"github.com/twinning/twinning/internal/httpx"
	"strings"
	"time"

	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/intel"
	"github.com/twinning/twinning/internal/twin"
	"github.com/twinning/twinning/internal/vitality"
)

// AttentionItem is a partnership that needs the office's attention, as the city page and
// GET /api/v1/cities/{id}/attention show it: why (its concern, and reasons in the reader's
// language), with its vitality and the promised domains delivered and not.
type AttentionItem struct {
	Agreement *twin.Agreement `json:"agreement"`
	City      httpx.CityBrief `json:"partner"`
	Concern   string          `json:"concern"`
	Reasons   []twin.Reason   `json:"reasons"`
	Delivered []string        `json:"delivered"`
	Missing   []string        `json:"missing"`
}

// CityAttention ranks a city's partnerships that need attention, the most urgent first
// (vitality.Rank), from its partners' activities and links read at once.
func (s *Pages) CityAttention(ctx context.Context, cityID int64, ps []twin.Partner, lang string) ([]AttentionItem, error) {
	f, err := s.db.CityPartnerFacts(ctx, cityID)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	ins := make([]vitality.Input, len(ps))
	for i, p := range ps {
		a := p.Agreement
		ins[i] = intel.VitalityInput(a, f.Activities[a.ID], f.Links[a.ID], now)
		if a.Ended != nil && a.Ended.Start != "" {
			t := a.Ended.StartTime()
			ins[i].Ends = &t
		}
	}
	out := []AttentionItem{}
	for _, at := range vitality.Rank(ins) {
		p := ps[at.Index]
		a := *p.Agreement // the partner list may be shared: the copy carries this answer's vitality
		a.Vitality = &twin.Vitality{State: string(at.Result.State)}
		for _, re := range at.Result.Reasons {
			a.Vitality.Reasons = append(a.Vitality.Reasons, twin.Reason{Code: re.Code, Params: re.Params})
		}
		httpx.TranslateVitality(a.Vitality, lang)
		item := AttentionItem{Agreement: &a, City: httpx.Brief(p.City, lang), Concern: string(at.Concern),
			Delivered: nonNil(at.Result.Delivered), Missing: nonNil(at.Result.Missing)}
		for _, re := range at.Reasons {
			item.Reasons = append(item.Reasons, attentionReason(re, &a, lang))
		}
		out = append(out, item)
	}
	return out, nil
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// attentionReason puts one of vitality.Rank's reasons in words: "No activity since 1399
// (5 years).", "Expires in 3 months (Esfand 1404).". Years are the reader's (Jalali in
// Persian, with Persian digits); the parameters keep times as ISO dates.
func attentionReason(re vitality.Reason, a *twin.Agreement, lang string) twin.Reason {
	out := twin.Reason{Code: re.Code, Params: map[string]any{}}
	for k, v := range re.Params {
		switch x := v.(type) {
		case time.Time:
			v = x.Format(time.DateOnly)
		case []string:
			v = nonNil(x)
		}
		out.Params[k] = v
	}
	months, _ := re.Params["months"].(int)
	since, _ := re.Params["since"].(time.Time)
	words := map[string]any{"span": monthSpan(months, lang), "date": yearIn(since, lang)}
	key := "attention." + re.Code
	switch re.Code {
	case "promises":
		missing, _ := re.Params["missing"].([]string)
		delivered, _ := re.Params["delivered"].([]string)
		words = map[string]any{"missing": domainList(missing, lang), "delivered": domainList(delivered, lang)}
		if len(delivered) == 0 {
			key = "attention.promises_none"
		}
	case "expires", "expired":
		words["date"] = ""
		if a.Ended != nil {
			words["date"] = calendar.Format(*a.Ended, lang)
		}
		if re.Code == "expires" && months == 0 {
			key = "attention.expires_soon"
		}
	case "untracked":
		if since.IsZero() {
			key = "attention.untracked_undated"
		}
	}
	out.Text = i18n.T(lang, key, words)
	return out
}

// monthSpan says a number of months as the reader would: "8 months", "20 months", "5 years",
// «۵ سال»; whole years from two on, where rounding down no longer misleads.
func monthSpan(months int, lang string) string {
	if months >= 24 {
		return i18n.N(lang, "attention.years", float64(months/12), nil)
	}
	return i18n.N(lang, "attention.months", float64(months), nil)
}

// yearIn is t's year in the reader's calendar: «۱۳۹۹», "2020", "2020 г.".
func yearIn(t time.Time, lang string) string {
	if t.IsZero() {
		return ""
	}
	return calendar.Format(calendar.FromTime(t, calendar.Home(lang), calendar.Year), lang)
}

func domainList(codes []string, lang string) string {
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = domainName(c, lang)
	}
	return strings.Join(names, i18n.ListSep(lang))
}
