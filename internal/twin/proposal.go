package twin

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strings"
	"time"
)

// The rules of citizens' proposals: what may be proposed, how a proposal moves from one status
// to the next and why, who may read it before it is published, the private follow key its
// proposer keeps, and the limits that keep one address from flooding the registry.

// ProposalKinds are what a citizen may propose.
var ProposalKinds = []string{"exchange", "joint_production", "festival", "travel", "other"}

// PublicProposalStatuses are the statuses everyone may read; a submitted proposal is seen only
// by its proposer (through the follow key) and the moderators, a rejected one likewise.
var PublicProposalStatuses = []string{"published", "accepted", "done"}

// ProposalIsPublic reports whether anyone may read a proposal in status.
func ProposalIsPublic(status string) bool { return slices.Contains(PublicProposalStatuses, status) }

// proposalMoves lists the statuses a moderator may move a proposal to from each status.
var proposalMoves = map[string][]string{
	"submitted": {"published", "accepted", "rejected"},
	"published": {"accepted", "rejected", "done"},
	"accepted":  {"published", "rejected", "done"},
	"rejected":  {"submitted", "published"},
	"done":      {"accepted"},
}

// ProposalMoves lists the statuses a proposal in status may move to.
func ProposalMoves(status string) []string { return proposalMoves[status] }

// KeyProposalMove and KeyReasonNeeded are the field problems of a refused moderation.
const (
	KeyProposalMove = "proposal_move"
	KeyReasonNeeded = "reason_needed"
)

// maxReason bounds a moderator's reason.
const maxReason = 2000

// ProposalEvent is one step of a proposal's life: the status it moved to, when, and the
// moderator's reason, which the proposer reads.
type ProposalEvent struct {
	Status string    `json:"status"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason,omitempty"`
}

// Move takes a proposal to status with reason at time at, or says why it may not: only the
// moves of ProposalMoves, and a rejection always gives its reason.
func (pr *Proposal) Move(status, reason string, at time.Time) error {
	p := Problems{}
	reason = strings.TrimSpace(stripControls(reason))
	if !slices.Contains(ProposalStatuses, status) {
		p.Add("status", KeyInvalidChoice, map[string]any{"value": status, "choices": strings.Join(ProposalStatuses, ", ")})
		return p.Err()
	}
	if !slices.Contains(proposalMoves[pr.Status], status) {
		p.Add("status", KeyProposalMove, map[string]any{"from": pr.Status, "to": status})
	}
	if status == "rejected" && reason == "" {
		p.Add("reason", KeyReasonNeeded, nil)
	}
	if len(reason) > maxReason {
		p.Add("reason", KeyTooLong, map[string]any{"max": maxReason})
	}
	if err := p.Err(); err != nil {
		return err
	}
	pr.Status, pr.Reason = status, reason
	pr.History = append(pr.History, ProposalEvent{Status: status, At: at.UTC(), Reason: reason})
	return nil
}

// Submitted makes pr a fresh submission at time at: whatever a client said of the fields the
// server owns (status, its history and reason, the count of supporters) is forgotten.
func (pr *Proposal) Submitted(at time.Time) {
	pr.Status, pr.Reason, pr.Supporters = "submitted", "", 0
	pr.History = []ProposalEvent{{Status: "submitted", At: at.UTC()}}
}

// KeepServerFields restores on after the fields of a proposal that only the server changes.
func (pr *Proposal) KeepServerFields(before *Proposal) {
	pr.Status, pr.Reason, pr.History, pr.Supporters = before.Status, before.Reason, before.History, before.Supporters
}

// NewFollowKey returns a fresh private follow key for a proposal and the digest that is stored
// in its place: whoever holds the key may read the proposal's status and the moderator's
// reasons, and a copy of the database does not hold it.
func NewFollowKey() (key, digest string) {
	b := make([]byte, 24)
	rand.Read(b)
	key = base64.RawURLEncoding.EncodeToString(b)
	return key, FollowKeyDigest(key)
}

// FollowKeyDigest is the stored form of a follow key.
func FollowKeyDigest(key string) string {
	sum := sha256.Sum256([]byte("proposal-key:" + key))
	return hex.EncodeToString(sum[:])
}

// A Limit is how many times one subject (a client address, a browser) may do something within
// a window.
type Limit struct {
	Bucket string
	Max    int
	Window time.Duration
}

// The abuse limits of citizens' participation, per client address: a few proposals an hour, a
// few supports of one proposal (an office or a household shares an address), and supports in
// all.
var (
	LimitPropose        = Limit{Bucket: "propose", Max: 5, Window: time.Hour}
	LimitSupportOne     = Limit{Bucket: "support-one", Max: 3, Window: 24 * time.Hour}
	LimitSupportAddress = Limit{Bucket: "support", Max: 30, Window: time.Hour}
)

// Limited returns the error of a subject over limit l, who may try again after retry (zero
// when waiting does not help).
func Limited(l Limit, retry time.Duration) error {
	return &Error{Code: ELIMITED, Message: "over the limit of " + l.Bucket, Retry: retry}
}

// checkProposal checks the fields a proposer fills in beyond the common ones.
func checkProposal(p Problems, pr *Proposal) {
	checkChoice(p, "kind", pr.Kind, ProposalKinds, false)
	pr.Proposer = strings.TrimSpace(stripControls(pr.Proposer))
	pr.Contact = strings.TrimSpace(stripControls(pr.Contact))
	if len(pr.Proposer) > 200 {
		p.Add("proposer", KeyTooLong, map[string]any{"max": 200})
	}
	if len(pr.Contact) > 300 {
		p.Add("contact", KeyTooLong, map[string]any{"max": 300})
	}
	if len(pr.Cities) > 2 {
		p.Add("cities", KeyTwoCities, nil)
	}
}
