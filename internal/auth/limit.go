package auth

import (
	"sync"
	"time"
)

// Lockout policy of an account: after MaxFailures wrong passwords in a row it is locked for
// LockFor, whatever password comes next. The counters live in the database, so several
// servers agree.
const (
	MaxFailures = 5
	LockFor     = 15 * time.Minute
)

// Limiter is a token bucket per key (a client address): Burst attempts at once, then one every
// Every. It lives in memory; each server limits its own share.
type Limiter struct {
	Every time.Duration
	Burst int
	Now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// NewLimiter returns a limiter allowing burst attempts, then one per every.
func NewLimiter(every time.Duration, burst int) *Limiter {
	return &Limiter{Every: every, Burst: burst, Now: time.Now, buckets: map[string]*bucket{}}
}

// Allow takes one token from key's bucket, reporting whether there was one.
func (l *Limiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.Now()
	l.sweep(now)
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: float64(l.Burst), last: now}
		l.buckets[key] = b
	}
	b.tokens = min(float64(l.Burst), b.tokens+float64(now.Sub(b.last))/float64(l.Every))
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// Wait is how long until key's bucket holds a token again: zero when it holds one now.
func (l *Limiter) Wait(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		return 0
	}
	tokens := min(float64(l.Burst), b.tokens+float64(l.Now().Sub(b.last))/float64(l.Every))
	if tokens >= 1 {
		return 0
	}
	return time.Duration((1 - tokens) * float64(l.Every))
}

// sweep forgets full buckets now and then, so the map does not grow without bound.
func (l *Limiter) sweep(now time.Time) {
	if now.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = now
	full := time.Duration(l.Burst) * l.Every
	for k, b := range l.buckets {
		if now.Sub(b.last) > full {
			delete(l.buckets, k)
		}
	}
}
