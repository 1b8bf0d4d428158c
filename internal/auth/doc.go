// Package auth holds Twinning's accounts and their rules: password hashing (argon2id in the PHC
// string format), random session ids and personal API tokens stored only as SHA-256 digests,
// CSRF tokens, sign-in rate limiting, upload checks, and the authorization policy — which role
// may do what to which record. It knows nothing of databases or HTTP handlers: the store keeps
// users, sessions and tokens; the web layer asks this package whether a request may proceed.
package auth
