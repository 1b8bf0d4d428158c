package dataset

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
)

//go:generate go run gen.go --src ../../../shared/data --out world.jsonl.gz --stats STATS.md

//go:embed world.jsonl.gz
var bundle []byte

// Bundle returns the embedded world dataset as a stream of JSON Lines (decompressed).
func Bundle() io.Reader {
	zr, err := gzip.NewReader(bytes.NewReader(bundle))
	if err != nil {
		return errReader{fmt.Errorf("dataset: bundle: %w", err)}
	}
	return zr
}

// BundleVersion names the embedded bundle: the first 12 hex digits of the SHA-256 of its
// compressed bytes, so a loader can record which bundle it loaded.
func BundleVersion() string {
	sum := sha256.Sum256(bundle)
	return hex.EncodeToString(sum[:6])
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
