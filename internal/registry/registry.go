package registry

import "github.com/twinning/twinning/internal/store"

// Registry runs the multi-record operations over one store.
type Registry struct {
	db *store.DB
}

// New returns the registry's operations over db.
func New(db *store.DB) *Registry { return &Registry{db: db} }
