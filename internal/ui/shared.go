package ui

import "github.com/twinning/twinning/internal/httpx"

// The names the pages have always used for what they share with the server (internal/web)
// through internal/httpx.
type (
	cityBrief        = httpx.CityBrief
	suggestionAnswer = httpx.Suggestion
	searchHit        = httpx.SearchHit
	searchResult     = httpx.SearchResult
	proposalInput    = httpx.ProposalInput
)

var (
	statusOf          = httpx.StatusOf
	parseID           = httpx.ParseID
	unlessMissing     = httpx.UnlessMissing
	isNotFound        = httpx.IsNotFound
	notFound          = httpx.NotFound
	acceptsGzip       = httpx.AcceptsGzip
	isModerator       = httpx.IsModerator
	followKey         = httpx.FollowKey
	mayReview         = httpx.MayReview
	brief             = httpx.Brief
	sortPartners      = httpx.SortPartners
	translateVitality = httpx.TranslateVitality
)

const (
	csrfField     = httpx.CSRFField
	honeypotField = httpx.HoneypotField
)
