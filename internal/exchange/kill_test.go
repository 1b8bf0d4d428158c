package exchange

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/store/storetest"
)

// TestImportKilled runs a long import in a child process (this test binary again), kills it
// with SIGKILL once it reports records written, and checks the registry is as before: the
// whole import is one transaction.
func TestImportKilled(t *testing.T) {
	if dsn := os.Getenv("EXCHANGE_KILL_DSN"); dsn != "" {
		killChild(dsn, os.Getenv("EXCHANGE_KILL_FILE"))
		return
	}
	if testing.Short() {
		t.Skip("long")
	}
	ctx := context.Background()
	dsn := storetest.DSN(t)
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	load(t, db, fixture())
	before := exportJSONL(t, db)

	var b strings.Builder
	b.WriteString("city_a,city_a_country,city_b,city_b_country,signed,domains\n")
	for i := range 20000 {
		fmt.Fprintf(&b, "Town %05d,IR,Village %05d,UZ,%d,culture\n", i, i, 1990+i%30)
	}
	file := filepath.Join(t.TempDir(), "big.csv")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestImportKilled$")
	cmd.Env = append(os.Environ(), "EXCHANGE_KILL_DSN="+dsn, "EXCHANGE_KILL_FILE="+file)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	sc := bufio.NewScanner(stderr)
	var seen []string
	for sc.Scan() {
		line := sc.Text()
		seen = append(seen, line)
		var done, total int
		if n, _ := fmt.Sscanf(line, "progress written %d/%d", &done, &total); n == 2 && done > 0 && done < total {
			cmd.Process.Kill()
			killed = true
			break
		}
	}
	cmd.Wait()
	if !killed {
		t.Fatalf("the child ended before it wrote anything we could interrupt:\n%s", strings.Join(seen, "\n"))
	}
	time.Sleep(100 * time.Millisecond)
	if after := exportJSONL(t, db); !bytes.Equal(before, after) {
		t.Fatalf("the killed import left changes:\n%s", firstDiff(string(before), string(after)))
	}
	// The registry is usable: the same import, uninterrupted, goes through.
	small := b.String()[:strings.LastIndexByte(b.String()[:2000], '\n')+1]
	rep, err := Import(ctx, db, strings.NewReader(small), Options{Name: "small.csv"})
	if err != nil || rep.Total(OpCreate) == 0 {
		t.Fatalf("import after the kill: %v", err)
	}
}

func killChild(dsn, file string) {
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	f, err := os.Open(file)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	_, err = Import(ctx, db, f, Options{Name: file, Progress: func(p Progress) {
		fmt.Fprintf(os.Stderr, "progress %s %d/%d\n", p.Phase, p.Done, p.Total)
	}})
	fmt.Fprintln(os.Stderr, "finished:", err)
	os.Exit(0)
}
