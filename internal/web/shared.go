package web

import "github.com/twinning/twinning/internal/httpx"

// The names this package has always used for what it shares with the pages (internal/ui)
// through internal/httpx.
type (
	cityBrief        = httpx.CityBrief
	suggestionAnswer = httpx.Suggestion
	reasonAnswer     = httpx.Reason
	searchHit        = httpx.SearchHit
	searchResult     = httpx.SearchResult
	// Segment is a piece of a search hit's snippet.
	Segment       = httpx.Segment
	proposalInput = httpx.ProposalInput
	supportAnswer = httpx.SupportAnswer
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
	followHeader  = httpx.FollowHeader
)
