// Package registry holds the registry's multi-record operations: accepting the facts read from
// a news article, ranking counterpart institutions, describing search hits. Each operation
// reads what it needs in a few batched queries and writes, when it writes, in one transaction
// over the store. The HTTP surface (package web) decodes a request, calls one operation and
// encodes its answer; nothing here speaks HTTP.
package registry
