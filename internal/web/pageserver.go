package web

import (
	"context"
	"net/http"

	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/ui"
)

// pageServer is what the human pages (internal/ui) ask of the server: its own functions, the
// ones the API uses.
func (s *Server) pageServer() ui.Server {
	return ui.Server{SessionTTL: s.sessionTTL,
		Who: s.who, CSRFFor: s.csrfFor, VerifyCSRF: s.verifyCSRF, Classify: s.classify,
		RequestID: RequestID, IsHTTPS: isHTTPS, ClientIP: clientIP,
		SignIn: s.signIn, CheckCurrentPassword: s.checkCurrentPassword, StartSession: s.startSession, EndSession: s.endSession,
		Authorize: s.authorize, MaySee: s.maySee, WithGuard: s.withGuard, AddFeed: func(ctx context.Context, rawURL, lang string, check bool) (*store.Feed, error) {
			return s.feedAdder(ctx, rawURL, lang, check)
		},
		SubmitProposal: s.submitProposal, Support: s.support, ModerateProposal: s.moderateProposal,
		MayReadProposal: s.mayReadProposal, HoldsKey: s.holdsKey, ReaderSupporter: s.readerSupporter,
		Briefs: s.briefs, Suggest: s.suggest, Search: s.searchRecords, AgreementHits: s.reg.AgreementHits,
		WithUsable: func(ctx context.Context, r *http.Request) context.Context { return withUsable(ctx, s.usableFor(r)) },
		KeepUsable: func(ctx context.Context, hits []store.Hit) []store.Hit { return usableFrom(ctx).keepUsable(ctx, hits) },
		LinkHits:   s.reg.LinkHits, StaffActor: s.staffActor, AcceptUpload: s.acceptUpload,
	}
}
