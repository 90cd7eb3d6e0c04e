package debianlock

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/ulikunitz/xz"
)

// HTTPTimeout bounds each request (headers and body) of DefaultClient.
const HTTPTimeout = 60 * time.Second

// maxReleaseSize bounds a Release file download (Debian's are ~150 KB).
const maxReleaseSize = 16 << 20

// DefaultClient returns the client Refresh uses when Options.Client is nil:
// net/http's default transport (which honours HTTP_PROXY, HTTPS_PROXY and
// NO_PROXY) with a 60 s timeout.
func DefaultClient() *http.Client {
	return &http.Client{Timeout: HTTPTimeout}
}

// get downloads url, failing on a non-200 status or a body over limit bytes.
func get(ctx context.Context, client *http.Client, url string, limit int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w (check the network, the proxy settings and the source url)", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: HTTP %s (check the source's url and suite, and that the suite has this architecture)", url, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: reading body: %w", url, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("GET %s: body is larger than %d bytes", url, limit)
	}
	return data, nil
}

// suiteURL is <url>/dists/<suite>/<rel>.
func suiteURL(s Source, rel string) string {
	return strings.TrimSuffix(s.URL, "/") + "/dists/" + s.Suite + "/" + rel
}

// indexPath is the Packages.xz path relative to the suite directory.
func indexPath(arch string) string { return "main/binary-" + arch + "/Packages.xz" }

// fetchRelease downloads and parses <url>/dists/<suite>/Release and checks it
// describes the requested suite.
func fetchRelease(ctx context.Context, client *http.Client, s Source) (*Release, error) {
	u := suiteURL(s, "Release")
	data, err := get(ctx, client, u, maxReleaseSize)
	if err != nil {
		return nil, err
	}
	r, err := ParseRelease(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", u, err)
	}
	if r.Suite != s.Suite && r.Codename != s.Suite {
		return nil, fmt.Errorf("%s describes suite %q (codename %q), not %q; check the source's url and suite", u, r.Suite, r.Codename, s.Suite)
	}
	return r, nil
}

// fetchIndex downloads main/binary-<arch>/Packages.xz of source s, checks its
// size and SHA-256 against the Release file and returns the wanted entries.
func fetchIndex(ctx context.Context, client *http.Client, s Source, r *Release, arch string, want func(string) bool) ([]IndexEntry, error) {
	rel := indexPath(arch)
	u := suiteURL(s, rel)
	exp, ok := r.Files[rel]
	if !ok {
		return nil, fmt.Errorf("%s lists no %s; does suite %s have architecture %s?", suiteURL(s, "Release"), rel, s.Suite, arch)
	}
	data, err := get(ctx, client, u, exp.Size+1<<20) // slack so a wrong size is reported by verify
	if err != nil {
		return nil, err
	}
	if err := verify(data, exp); err != nil {
		return nil, fmt.Errorf("%s does not match %s: %w; the mirror may be in the middle of an update, retry in a few minutes", u, suiteURL(s, "Release"), err)
	}
	zr, err := xz.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: not an xz stream: %w", u, err)
	}
	entries, err := ParsePackages(zr, want)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", u, err)
	}
	return entries, nil
}

// verify compares data with the size and SHA-256 a Release file lists.
func verify(data []byte, exp ReleaseFile) error {
	sum := sha256.Sum256(data)
	got := hex.EncodeToString(sum[:])
	if int64(len(data)) != exp.Size || got != exp.SHA256 {
		return fmt.Errorf("expected size %d sha256 %s, got size %d sha256 %s", exp.Size, exp.SHA256, len(data), got)
	}
	return nil
}
