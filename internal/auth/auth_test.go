package auth

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestPasswordHash(t *testing.T) {
	t.Parallel()
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=2,p=2$") || strings.Count(h, "$") != 5 {
		t.Errorf("not a PHC string: %s", h)
	}
	if ok, err := VerifyPassword("correct horse battery", h); !ok || err != nil {
		t.Errorf("the right password: %v %v", ok, err)
	}
	if ok, _ := VerifyPassword("correct horse batterY", h); ok {
		t.Error("a wrong password matched")
	}
	h2, _ := HashPassword("correct horse battery")
	if h2 == h {
		t.Error("two hashes of one password are equal: no salt")
	}
	if _, err := HashPassword("short"); err != ErrWeakPassword {
		t.Errorf("a short password: %v", err)
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=65536,t=2,p=2$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "$argon2id$v=19$m=99999999,t=1,p=2$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "plain"} {
		if ok, err := VerifyPassword("x", bad); ok || err == nil {
			t.Errorf("hash %q: %v %v", bad, ok, err)
		}
	}
	if NeedsRehash(h) {
		t.Error("a fresh hash needs rehashing")
	}
}

// BenchmarkHashPassword measures the default cost (aimed at ~50 ms on a 2-core server).
func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		HashPassword("correct horse battery")
	}
}

func TestSecrets(t *testing.T) {
	t.Parallel()
	tok := NewToken()
	if !IsToken(tok) || !strings.HasPrefix(tok, "tw_") || NewToken() == tok {
		t.Errorf("token %q", tok)
	}
	if d := Digest(tok); len(d) != 64 || strings.Contains(d, tok) {
		t.Errorf("digest %q", d)
	}
	key := []byte(NewKey())
	sid := NewSessionID()
	c := CSRFToken(key, sid)
	if !CheckCSRF(key, sid, c) || CheckCSRF(key, NewSessionID(), c) || CheckCSRF(key, sid, "") || CheckCSRF(key, "", CSRFToken(key, "")) {
		t.Error("CSRF check")
	}
}

func TestLimiter(t *testing.T) {
	t.Parallel()
	now := time.Unix(0, 0)
	l := NewLimiter(time.Second, 3)
	l.Now = func() time.Time { return now }
	for i := 0; i < 3; i++ {
		if !l.Allow("a") {
			t.Fatalf("attempt %d refused", i)
		}
	}
	if l.Allow("a") || !l.Allow("b") {
		t.Error("the bucket is per key and empties")
	}
	// An empty bucket says when its next token comes; a key with tokens, or unseen, waits not.
	now = now.Add(400 * time.Millisecond)
	if w := l.Wait("a"); w != 600*time.Millisecond {
		t.Errorf("the empty bucket's wait: %v, want 600ms", w)
	}
	if l.Wait("b") != 0 || l.Wait("unseen") != 0 {
		t.Error("a bucket with tokens waits")
	}
	now = now.Add(600 * time.Millisecond)
	if !l.Allow("a") || l.Allow("a") {
		t.Error("one token per second")
	}
}

func TestCheckUpload(t *testing.T) {
	t.Parallel()
	pdf := []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n")
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 32)...)
	jpeg := append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, make([]byte, 32)...)
	webp := append([]byte("RIFF\x24\x00\x00\x00WEBPVP8 "), make([]byte, 32)...)
	for want, data := range map[string][]byte{TypePDF: pdf, TypePNG: png, TypeJPEG: jpeg, TypeWebP: webp} {
		if got, err := CheckUpload(data); got != want || err != nil {
			t.Errorf("%s: %q %v", want, got, err)
		}
	}
	if _, err := CheckUpload(png, TypePDF); err != ErrUploadType {
		t.Errorf("a PNG where only PDF is allowed: %v", err)
	}
	for name, data := range map[string][]byte{
		"html":   []byte("<html><script>alert(1)</script>"),
		"svg":    []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`),
		"exe":    []byte("MZ\x90\x00"),
		"empty":  nil,
		"toobig": append(bytes.Clone(pdf), make([]byte, MaxUpload)...),
	} {
		if _, err := CheckUpload(data); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

func TestPolicy(t *testing.T) {
	t.Parallel()
	city := &Principal{User: &User{Name: "e", Role: RoleCityEditor, Cities: []int64{1}}}
	inst := &Principal{User: &User{Name: "i", Role: RoleInstEditor, Institutions: []int64{7}}}
	rev := &Principal{User: &User{Name: "r", Role: RoleReviewer}}
	user := &Principal{User: &User{Name: "u", Role: RoleUser}}
	in, out := Scope{Cities: []int64{1, 2}, Institutions: []int64{7}}, Scope{Cities: []int64{3}, Institutions: []int64{8}}
	cases := []struct {
		p            *Principal
		kind, action string
		sc           Scope
		want         bool
	}{
		{nil, "proposal", ActCreate, in, false},
		{Provisioner(), "city", ActRestore, out, true},
		{city, "agreement", ActUpdate, in, true},
		{city, "agreement", ActUpdate, out, false},
		{city, "agreement", ActRestore, in, false},
		{city, "city", ActCreate, out, true},
		{city, "city", ActDelete, in, false},
		{city, "network", ActUpdate, in, false},
		{city, "activity", ActConfirm, in, true},
		{inst, "link", ActCreate, in, true},
		{inst, "link", ActCreate, out, false},
		{inst, "agreement", ActUpdate, in, false},
		{inst, "institution", ActUpdate, in, true},
		{inst, "institution", ActDelete, in, false},
		{rev, "proposal", ActModerate, out, true},
		{rev, "extract", ActAccept, out, true},
		{rev, "agreement", ActUpdate, in, false},
		{user, "proposal", ActCreate, out, true},
		{user, "proposal", ActUpdate, in, false},
		{user, "extract", ActAccept, in, false},
		{user, "token", ActSelf, out, true},
	}
	for _, c := range cases {
		if got := Allowed(c.p, c.kind, c.action, c.sc); got != c.want {
			t.Errorf("%s %s %s %v = %v", c.p.Role(), c.action, c.kind, c.sc, got)
		}
	}
}
