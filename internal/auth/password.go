package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32
	KeyLen  uint32
}

// DefaultParams take about 50 ms and 64 MiB on a 2-core server: costly for an attacker with a
// stolen table, cheap enough for sign-ins (which are rate limited anyway).
var DefaultParams = Params{Memory: 64 * 1024, Time: 2, Threads: 2, SaltLen: 16, KeyLen: 32}

// Cost is the parameters new hashes are made with; tests lower it.
var Cost = DefaultParams

// MinPassword is the shortest password accepted.
const MinPassword = 10

// MaxPassword bounds the work one sign-in attempt can cause.
const MaxPassword = 1024

var b64 = base64.RawStdEncoding

// ErrWeakPassword says a new password is too short or too long.
var ErrWeakPassword = fmt.Errorf("a password needs %d to %d characters", MinPassword, MaxPassword)

// CheckNewPassword reports whether pw is acceptable as a new password.
func CheckNewPassword(pw string) error {
	if n := len([]rune(pw)); n < MinPassword || len(pw) > MaxPassword {
		return ErrWeakPassword
	}
	return nil
}

// HashPassword returns pw's argon2id hash as a PHC string:
// $argon2id$v=19$m=65536,t=2,p=2$<salt>$<hash>.
func HashPassword(pw string) (string, error) {
	if err := CheckNewPassword(pw); err != nil {
		return "", err
	}
	p := Cost
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// ErrBadHash says a stored hash is not an argon2id PHC string this package can read.
var ErrBadHash = errors.New("auth: not an argon2id PHC string")

// VerifyPassword reports whether pw matches the PHC hash, comparing in constant time.
// An empty or unreadable hash never matches.
func VerifyPassword(pw, hash string) (bool, error) {
	p, salt, key, err := parsePHC(hash)
	if err != nil {
		return false, err
	}
	if len(pw) > MaxPassword {
		return false, nil
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether hash was made with other parameters than Cost.
func NeedsRehash(hash string) bool {
	p, _, _, err := parsePHC(hash)
	return err != nil || p.Memory != Cost.Memory || p.Time != Cost.Time || p.Threads != Cost.Threads
}

func parsePHC(hash string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, ErrBadHash
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, ErrBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, ErrBadHash
	}
	// Bounds keep a tampered row from turning a sign-in into a denial of service.
	if p.Memory < 8 || p.Memory > 1<<21 || p.Time < 1 || p.Time > 16 || p.Threads < 1 {
		return p, nil, nil, ErrBadHash
	}
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) < 8 {
		return p, nil, nil, ErrBadHash
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < 16 {
		return p, nil, nil, ErrBadHash
	}
	return p, salt, key, nil
}
