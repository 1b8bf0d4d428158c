package twin

import (
	"context"
	"encoding/json"
	"time"
)

// Page is one page of a list, with the cursor of the next page ("" at the end).
type Page[T any] struct {
	Items []T
	Next  string
}

// Change is one entry of a record's history: who changed it, when, and the fields before and after.
type Change struct {
	Kind    string          `json:"kind"`
	ID      int64           `json:"id"`
	Version int64           `json:"version"`
	Action  string          `json:"action"`          // create, update, delete, restore
	Actor   string          `json:"actor,omitempty"` // shown to signed-in staff only
	At      time.Time       `json:"at"`
	Before  json.RawMessage `json:"before,omitempty"`
	After   json.RawMessage `json:"after,omitempty"`
}

// Partner is one agreement of a city with the partner city on the other side.
type Partner struct {
	Agreement *Agreement `json:"agreement"`
	City      *City      `json:"city"`
}

// Actor says who is making a change, for the audit log.
type actorKey struct{}

// WithActor returns a context that records name as the author of the changes made with it.
func WithActor(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, actorKey{}, name)
}

// ActorFrom returns the author recorded in ctx, or "system".
func ActorFrom(ctx context.Context) string {
	if s, ok := ctx.Value(actorKey{}).(string); ok && s != "" {
		return s
	}
	return "system"
}
