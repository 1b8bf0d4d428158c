package web

import (
	"context"
	"github.com/twinning/twinning/internal/httpx"
	"net/http"
	"strconv"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/twin"
)

// Citizens' proposals over HTTP: anyone may propose (POST /api/v1/proposals) and support
// (POST /api/v1/proposals/{id}/support) without an account, within the abuse limits per
// address; the proposer follows the proposal with a private key; reviewers and admins moderate.
// The rules live in internal/twin and the counting in internal/store: these handlers decode,
// call and encode.

const (
	supporterCookie = "tw_supporter" // an anonymous reader's browser, for one support per browser
)

// submittedAnswer is the answer to a new proposal: the proposal and its private follow link,
// shown this once.
type submittedAnswer struct {
	*twin.Proposal
	Key       string `json:"key"`
	FollowURL string `json:"follow_url"`
}

// addressKey is the digest a client address is counted under: the address itself is kept
// nowhere.
func (s *Server) addressKey(r *http.Request) string {
	key, _ := s.csrfSecret(r.Context())
	return auth.Digest(string(key) + "|address|" + clientIP(r))
}

// submitProposal checks and stores a proposal from anyone, returning it and its follow key.
func (s *Server) submitProposal(ctx context.Context, r *http.Request, in httpx.ProposalInput) (*twin.Proposal, string, error) {
	if in.Website != "" {
		p := twin.Problems{}
		p.Add(httpx.HoneypotField, "honeypot", nil)
		return nil, "", p.Err()
	}
	who, err := s.who(r)
	if err != nil {
		return nil, "", err
	}
	var limit *twin.Limit
	if who == nil || who.Role() != auth.RoleAdmin {
		limit = &twin.LimitPropose
	}
	actor := "citizen"
	if who != nil {
		actor = who.Name()
	}
	pr := &twin.Proposal{Title: in.Title, Body: in.Body, Kind: in.Kind, Agreement: in.Agreement, Cities: in.Cities,
		Domains: in.Domains, Proposer: in.Proposer, Contact: in.Contact}
	key, digest := twin.NewFollowKey()
	out, err := s.db.SubmitProposal(twin.WithActor(ctx, actor), pr, digest, limit, s.addressKey(r))
	return out, key, err
}

// proposeAPI answers POST /api/v1/proposals.
func (s *Server) proposeAPI(w http.ResponseWriter, r *http.Request) error {
	var in httpx.ProposalInput
	if err := decodeBody(w, r, &in); err != nil {
		return err
	}
	out, key, err := s.submitProposal(r.Context(), r, in)
	if err != nil {
		return err
	}
	id := strconv.FormatInt(out.ID, 10)
	w.Header().Set("ETag", etag(out.Version))
	w.Header().Set("Location", "/api/v1/proposals/"+id)
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, submittedAnswer{Proposal: out, Key: key, FollowURL: "/" + apiLang(r) + "/proposals/" + id + "?key=" + key})
	return nil
}

// holdsKey reports whether the request presents proposal id's follow key.
func (s *Server) holdsKey(r *http.Request, id int64) bool {
	k := httpx.FollowKey(r)
	return k != "" && s.db.ProposalKeyMatches(r.Context(), id, twin.FollowKeyDigest(k))
}

// mayReadProposal reports whether the reader may see pr: everyone once it is public; before
// (and after a rejection) only moderators and whoever holds its follow key.
func (s *Server) mayReadProposal(r *http.Request, pr *twin.Proposal) bool {
	if twin.ProposalIsPublic(pr.Status) {
		return true
	}
	if p, _ := s.who(r); httpx.IsModerator(p) {
		return true
	}
	return s.holdsKey(r, pr.ID)
}

// publicProposals narrows a list to the public statuses for readers who do not moderate.
func (s *Server) publicProposals(r *http.Request, f *twin.Filter) {
	if p, _ := s.who(r); httpx.IsModerator(p) {
		return
	}
	if st, _ := f.Where[twin.FilterStatus].(string); st != "" && !twin.ProposalIsPublic(st) {
		*f = f.With(twin.FilterStatuses, []string{"-"}) // nothing: that status is not public
		return
	}
	*f = f.With(twin.FilterStatuses, twin.PublicProposalStatuses)
}

// supporterOf names who supports: an account, or this browser (a cookie it is given the first
// time, stored only as a digest).
func (s *Server) supporterOf(w http.ResponseWriter, r *http.Request) (id string, anonymous bool, err error) {
	p, err := s.who(r)
	if err != nil {
		return "", false, err
	}
	if p != nil {
		if p.User != nil {
			return "u:" + strconv.FormatInt(p.User.ID, 10), false, nil
		}
		return "u:" + p.Name(), false, nil
	}
	v := ""
	if c, err := r.Cookie(supporterCookie); err == nil && len(c.Value) >= 32 && len(c.Value) <= 64 {
		v = c.Value
	} else {
		v = auth.NewSessionID()
		http.SetCookie(w, &http.Cookie{Name: supporterCookie, Value: v, Path: "/", MaxAge: 400 * 24 * 3600, HttpOnly: true, Secure: isHTTPS(r), SameSite: http.SameSiteLaxMode})
		r.AddCookie(&http.Cookie{Name: supporterCookie, Value: v})
	}
	return "b:" + auth.Digest(v), true, nil
}

// readerSupporter is the supporter id of the reader if already known (no cookie is set).
func (s *Server) readerSupporter(r *http.Request) string {
	if p, _ := s.who(r); p != nil {
		if p.User != nil {
			return "u:" + strconv.FormatInt(p.User.ID, 10)
		}
		return "u:" + p.Name()
	}
	if c, err := r.Cookie(supporterCookie); err == nil && len(c.Value) >= 32 && len(c.Value) <= 64 {
		return "b:" + auth.Digest(c.Value)
	}
	return ""
}

// support records the reader's support of proposal id within the limits per address.
func (s *Server) support(w http.ResponseWriter, r *http.Request, id int64) (httpx.SupportAnswer, error) {
	who, anonymous, err := s.supporterOf(w, r)
	if err != nil {
		return httpx.SupportAnswer{}, err
	}
	addr := s.addressKey(r)
	if err := s.db.Throttle(r.Context(), twin.LimitSupportAddress, addr); err != nil {
		return httpx.SupportAnswer{}, err
	}
	perAddress, kept := 0, ""
	if anonymous {
		perAddress, kept = twin.LimitSupportOne.Max, addr
	}
	n, added, err := s.db.Support(r.Context(), id, who, kept, perAddress)
	return httpx.SupportAnswer{Supporters: n, Supported: err == nil, Added: added}, err
}

// supportAPI answers POST /api/v1/proposals/{id}/support.
func (s *Server) supportAPI(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ParseID(r.Context(), r.PathValue("id"))
	if err == nil {
		var a httpx.SupportAnswer
		if a, err = s.support(w, r, id); err == nil {
			writeJSON(w, http.StatusOK, a)
			return nil
		}
	}
	return err
}

// moderateProposal moves a proposal to status with the reason its proposer reads.
func (s *Server) moderateProposal(r *http.Request, id, version int64, status, reason string) (*twin.Proposal, error) {
	p, err := s.who(r)
	if err != nil {
		return nil, err
	}
	if !httpx.IsModerator(p) {
		return nil, twin.Errorf(twin.EFORBIDDEN, "only reviewers and admins moderate proposals")
	}
	ctx := twin.WithActor(r.Context(), p.Name())
	return s.db.ModerateProposal(ctx, id, version, status, reason)
}
