package registry

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/twinning/twinning/internal/dataset"
	"github.com/twinning/twinning/internal/store"
)

// BundleSetting is the installation setting that names the bundle a registry was loaded with.
const BundleSetting = "bundle"

// LoadBundle writes the embedded world dataset into an empty registry in one bulk load: all of
// it or nothing, with the bundle's version in the BundleSetting setting. Lines are decoded and
// prepared on every core while the store writes them in order. progress, when set, is told
// every 1,000 records of a kind. The search index's own indexes are left to
// store.DB.EnsureSearchIndexes; searches answer the same meanwhile, only slower.
func LoadBundle(ctx context.Context, db *store.DB, progress func(kind string, done int)) (map[string]int, error) {
	return LoadLines(ctx, db, dataset.Bundle(), map[string]string{BundleSetting: dataset.BundleVersion()}, progress)
}

// batch is a run of lines that one worker decodes and prepares.
type batch struct {
	nums  []int // the line numbers
	lines [][]byte
	out   []*store.Prepared
	err   error
	done  chan struct{}
}

const batchLines = 256

// LoadLines is LoadBundle for any stream of lines in the bundle's JSON Lines format
// (uncompressed), with the given settings written in the same transaction.
func LoadLines(ctx context.Context, db *store.DB, r io.Reader, settings map[string]string, progress func(kind string, done int)) (map[string]int, error) {
	return db.BulkLoad(ctx, settings, func(b *store.Bulk) error {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		work := make(chan *batch)        // to the workers
		inOrder := make(chan *batch, 16) // to the writer, in the order of the lines
		var wg sync.WaitGroup
		for range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				for bt := range work {
					bt.prepare(b)
					close(bt.done)
				}
			})
		}
		readErr := make(chan error, 1)
		go func() {
			defer close(inOrder)
			defer close(work)
			readErr <- readBatches(ctx, r, func(bt *batch) bool {
				if ctx.Err() != nil {
					return false
				}
				select {
				case inOrder <- bt:
				case <-ctx.Done():
					return false
				}
				select {
				case work <- bt:
					return true
				case <-ctx.Done():
					return false
				}
			})
		}()
		err := writeInOrder(ctx, b, inOrder, readErr, progress)
		cancel()
		for range inOrder { // let the reader stop
		}
		wg.Wait()
		return err
	})
}

// writeInOrder writes the batches' records as they come from inOrder, each once its worker
// is done with it, reporting progress every 1000 records of a kind; then the reader's error.
func writeInOrder(ctx context.Context, b *store.Bulk, inOrder <-chan *batch, readErr <-chan error, progress func(kind string, done int)) error {
	for bt := range inOrder {
		select {
		case <-bt.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if bt.err != nil {
			return bt.err
		}
		for i, p := range bt.out {
			if err := b.Write(p); err != nil {
				return fmt.Errorf("line %d (%s): %w", bt.nums[i], p.Kind(), err)
			}
			if n := b.Count(p.Kind()); progress != nil && n%1000 == 0 {
				progress(p.Kind(), n)
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return <-readErr
}

// readBatches splits the stream into batches of lines and hands each to send, until send
// returns false.
func readBatches(ctx context.Context, r io.Reader, send func(*batch) bool) error {
	bt := &batch{done: make(chan struct{})}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<24)
	for n := 1; sc.Scan(); n++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		bt.nums, bt.lines = append(bt.nums, n), append(bt.lines, bytes.Clone(b))
		if len(bt.lines) == batchLines {
			if !send(bt) {
				return ctx.Err()
			}
			bt = &batch{done: make(chan struct{})}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("dataset: %w", err)
	}
	if len(bt.lines) > 0 && !send(bt) {
		return ctx.Err()
	}
	return nil
}

// prepare decodes the batch's lines and prepares their records for writing.
func (bt *batch) prepare(b *store.Bulk) {
	bt.out = make([]*store.Prepared, 0, len(bt.lines))
	for i, line := range bt.lines {
		rec, err := dataset.DecodeLine(line)
		if le := (*dataset.LineError)(nil); errors.As(err, &le) {
			le.Line = bt.nums[i]
			bt.err = le
			return
		} else if err != nil {
			bt.err = fmt.Errorf("dataset: line %d: %w", bt.nums[i], err)
			return
		}
		var v any
		switch rec.Type {
		case dataset.TypeCountry:
			v = rec.Country
		case dataset.TypeCity:
			v = rec.City
		case dataset.TypeAgreement:
			v = rec.Agreement
		case dataset.TypeNetwork:
			v = rec.Network
		}
		p, err := b.Prepare(v)
		if err != nil {
			bt.err = fmt.Errorf("line %d (%s): %w", bt.nums[i], rec.Type, err)
			return
		}
		bt.out = append(bt.out, p)
	}
	bt.lines = nil
}
