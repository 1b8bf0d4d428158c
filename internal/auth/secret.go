package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// TokenPrefix starts every personal API token, so that secret scanners and people recognise one.
const TokenPrefix = "tw_"

// random returns n random bytes, base64url-encoded without padding.
func random(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("auth: no randomness: " + err.Error()) // crypto/rand never fails on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewSessionID returns a fresh session id (256 random bits). Only its Digest is stored.
func NewSessionID() string { return random(32) }

// NewToken returns a fresh personal API token, "tw_" and 256 random bits. It is shown once;
// only its Digest is stored.
func NewToken() string { return TokenPrefix + random(32) }

// IsToken reports whether s has the shape of a personal API token.
func IsToken(s string) bool { return strings.HasPrefix(s, TokenPrefix) && len(s) > len(TokenPrefix)+20 }

// NewKey returns a fresh secret key for HMACs, hex-encoded.
func NewKey() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("auth: no randomness: " + err.Error())
	}
	return hex.EncodeToString(b)
}

// Digest is the SHA-256 of a session id or token, hex-encoded: what the database keeps, so a
// copy of the database holds no usable credential.
func Digest(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CSRFToken is the anti-forgery token of a session (or of an anonymous visitor's seed cookie):
// an HMAC of the session id under the installation's key.
func CSRFToken(key []byte, sessionID string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("csrf\x00"))
	m.Write([]byte(sessionID))
	return hex.EncodeToString(m.Sum(nil))
}

// CheckCSRF reports, in constant time, whether token is the CSRF token of sessionID.
func CheckCSRF(key []byte, sessionID, token string) bool {
	if sessionID == "" || token == "" {
		return false
	}
	return hmac.Equal([]byte(CSRFToken(key, sessionID)), []byte(token))
}
