package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/twin"
)

// Versions as entity tags: ETag on answers, If-Match on writes.

// etag is a record version as an HTTP entity tag.
func etag(version int64) string { return fmt.Sprintf(`"%d"`, version) }

// ifMatch reads the version a client expects from If-Match: -1 when the header is absent, 0
// for "*" (any version), else the record's current version (current, as the handler read it)
// when the header names it,
// and an EPRECONDITION error when it does not. The header may list several entity tags
// ("3", "4"); they are compared strongly (RFC 9110 §13.1.1): a weak tag (W/"3") never matches.
// The version returned is checked again inside the write's transaction.
func ifMatch(r *http.Request, current int64) (int64, error) {
	vals := r.Header.Values("If-Match")
	h := strings.TrimSpace(strings.Join(vals, ","))
	if len(vals) == 0 || h == "" {
		return -1, nil
	}
	if h == "*" {
		return 0, nil
	}
	tags, ok := entityTags(h)
	if !ok {
		return 0, twin.Errorf(twin.EPRECONDITION, "If-Match %q is not a list of entity tags", h)
	}
	var strong []int64
	for _, t := range tags {
		if t.weak {
			continue
		}
		if v, err := strconv.ParseInt(t.opaque, 10, 64); err == nil && v > 0 && strconv.FormatInt(v, 10) == t.opaque {
			strong = append(strong, v)
		}
	}
	if len(strong) == 0 {
		return 0, twin.Errorf(twin.EPRECONDITION, "If-Match %q names no version of this record (weak tags never match)", h)
	}
	if len(strong) == 1 {
		return strong[0], nil
	}
	if slices.Contains(strong, current) {
		return current, nil
	}
	return 0, twin.Errorf(twin.EPRECONDITION, "If-Match %q does not name version %d", h, current)
}

type entityTag struct {
	weak   bool
	opaque string
}

// entityTags parses a comma-separated list of entity tags (RFC 9110 §8.8.3).
func entityTags(h string) ([]entityTag, bool) {
	var out []entityTag
	for {
		h = strings.TrimLeft(h, " \t,")
		if h == "" {
			return out, len(out) > 0
		}
		var t entityTag
		if strings.HasPrefix(h, "W/") {
			t.weak, h = true, h[2:]
		}
		if !strings.HasPrefix(h, `"`) {
			return nil, false
		}
		end := strings.IndexByte(h[1:], '"')
		if end < 0 {
			return nil, false
		}
		t.opaque, h = h[1:1+end], h[2+end:]
		out = append(out, t)
		h = strings.TrimLeft(h, " \t")
		if h != "" && h[0] != ',' {
			return nil, false
		}
	}
}
