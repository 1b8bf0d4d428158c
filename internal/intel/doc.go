// Package intel is the registry's in-memory intelligence: the world's twinning graph and the
// cities' facts, kept current on this server's writes (the store's OnChange) and on other
// writers' (the store's log of changes, followed by Watch), with what is derived from them:
// partner suggestions, communities and each agreement's vitality, cached until the data
// changes. cmd/twinning builds and starts it; the HTTP surface reads it.
package intel
