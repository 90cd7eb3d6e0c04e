package sign

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/layout"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/provenance"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/registry"
)

// fixture writes an index layout of two random images and, per image, an SBOM and a
// provenance statement; it returns the layout and the images.
func fixture(t *testing.T) (string, []Image) {
	t.Helper()
	dir := t.TempDir()
	var adds []mutate.IndexAddendum
	var imgs []Image
	for _, arch := range []string{"amd64", "arm64"} {
		img, err := random.Image(64, 1)
		if err != nil {
			t.Fatal(err)
		}
		d, _ := img.Digest()
		adds = append(adds, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: arch}}})
		s, err := provenance.New(provenance.Options{Target: "//app:image", ImageDigest: d.String()})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := s.Marshal()
		prov := filepath.Join(dir, arch+".provenance.json")
		sbom := filepath.Join(dir, arch+".spdx.json")
		os.WriteFile(prov, b, 0o644)
		os.WriteFile(sbom, []byte(`{"spdxVersion":"SPDX-2.3"}`), 0o644)
		imgs = append(imgs, Image{Digest: d.String(), SBOM: sbom, Provenance: prov})
	}
	idx := mutate.AppendManifests(mutate.IndexMediaType(empty.Index, types.OCIImageIndex), adds...)
	l := filepath.Join(dir, "layout")
	if err := layout.WriteIndex(l, idx, nil); err != nil {
		t.Fatal(err)
	}
	return l, imgs
}

type call struct{ args []string }

func TestSign(t *testing.T) {
	l, imgs := fixture(t)
	var calls []call
	var predicates []map[string]any
	o := Options{
		Layout: l, To: "registry.example/team/app:v1", Key: "/keys/cosign.key", Cosign: "/bin/cosign", Images: imgs,
		Source: provenance.Source{URI: "git+https://example.com/repo", Revision: strings.Repeat("c", 40)},
		Push: func(_ context.Context, dir, to string, _ registry.Options) (string, error) {
			return "registry.example/team/app@sha256:" + strings.Repeat("1", 64), nil
		},
		Run: func(_ context.Context, cosign string, args []string, _, _ io.Writer) error {
			calls = append(calls, call{args})
			for i, a := range args {
				if a == "--type" && args[i+1] == "slsaprovenance1" {
					b, _ := os.ReadFile(args[i+3])
					var p map[string]any
					json.Unmarshal(b, &p)
					predicates = append(predicates, p)
				}
			}
			return nil
		},
	}
	ref, err := Sign(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if ref != "registry.example/team/app@sha256:"+strings.Repeat("1", 64) {
		t.Errorf("ref = %s", ref)
	}
	common := "--key /keys/cosign.key --tlog-upload=false --yes"
	want := []string{"sign " + common + " --recursive registry.example/team/app@sha256:" + strings.Repeat("1", 64)}
	for _, im := range imgs {
		want = append(want,
			"attest "+common+" --type spdxjson --predicate "+im.SBOM+" registry.example/team/app@"+im.Digest,
			"attest "+common+" --type slsaprovenance1 --predicate PRED registry.example/team/app@"+im.Digest)
	}
	if len(calls) != len(want) {
		t.Fatalf("cosign calls %v, want %d", calls, len(want))
	}
	for i, c := range calls {
		got := strings.Join(c.args, " ")
		if strings.Contains(want[i], "PRED") {
			got = strings.Replace(got, c.args[len(c.args)-2], "PRED", 1)
		}
		if got != want[i] {
			t.Errorf("cosign call %d:\n got %s\nwant %s", i, got, want[i])
		}
	}
	if len(predicates) != 2 {
		t.Fatalf("%d provenance predicates", len(predicates))
	}
	src := predicates[0]["buildDefinition"].(map[string]any)["externalParameters"].(map[string]any)["source"].(map[string]any)
	if src["uri"] != "git+https://example.com/repo@"+strings.Repeat("c", 40) {
		t.Errorf("provenance source %v", src)
	}
}

// A single image is signed without --recursive and attested once per kind.
func TestSignImage(t *testing.T) {
	_, imgs := fixture(t)
	img, err := random.Image(64, 1)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := img.Digest()
	l := filepath.Join(t.TempDir(), "image")
	if err := layout.WriteImage(l, img, nil, nil); err != nil {
		t.Fatal(err)
	}
	s, _ := provenance.New(provenance.Options{Target: "//app:image", ImageDigest: d.String()})
	b, _ := s.Marshal()
	prov := filepath.Join(t.TempDir(), "p.json")
	os.WriteFile(prov, b, 0o644)
	var calls []string
	_, err = Sign(context.Background(), Options{
		Layout: l, To: "r.example/app", Key: "k", Cosign: "c",
		Images: []Image{{Digest: d.String(), SBOM: imgs[0].SBOM, Provenance: prov}},
		Source: provenance.Source{URI: "git+file:///src", Revision: strings.Repeat("e", 40)},
		Push: func(context.Context, string, string, registry.Options) (string, error) {
			return "r.example/app@" + d.String(), nil
		},
		Run: func(_ context.Context, _ string, a []string, _, _ io.Writer) error {
			calls = append(calls, strings.Join(a, " "))
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 3 || strings.Contains(calls[0], "--recursive") || !strings.HasSuffix(calls[0], "r.example/app@"+d.String()) {
		t.Errorf("cosign calls %q; want sign (not recursive) and two attests of %s", calls, d)
	}
}

func TestSignInsecureAndErrors(t *testing.T) {
	l, imgs := fixture(t)
	okPush := func(context.Context, string, string, registry.Options) (string, error) {
		return "127.0.0.1:5000/app@sha256:" + strings.Repeat("1", 64), nil
	}
	src := provenance.Source{URI: "git+file:///src", Revision: strings.Repeat("a", 40)}
	for _, tc := range []struct {
		name   string
		mutate func(*Options)
		want   string
	}{
		{"provenance of another image", func(o *Options) { o.Images[0].Provenance = o.Images[1].Provenance }, "is the provenance of"},
		{"image not in the layout", func(o *Options) { o.Images[0].Digest = "sha256:" + strings.Repeat("9", 64) }, "is not in"},
		{"missing SBOM", func(o *Options) { o.Images[0].SBOM = "/nonexistent.spdx.json" }, "SBOM of"},
		{"registry down", func(o *Options) {
			o.Push = func(context.Context, string, string, registry.Options) (string, error) {
				return "", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
			}
		}, "cannot reach the registry of 127.0.0.1:1/app:v1"},
		{"HTTP registry without --insecure", func(o *Options) {
			o.Insecure = false
			o.Push = func(context.Context, string, string, registry.Options) (string, error) {
				return "", errors.New("Get \"https://127.0.0.1:1/v2/\": http: server gave HTTP response to HTTPS client")
			}
		}, "pass --insecure"},
		{"cosign fails", func(o *Options) {
			o.Run = func(context.Context, string, []string, io.Writer, io.Writer) error {
				return errors.New("exit status 1")
			}
		}, "cosign sign 127.0.0.1:5000/app@sha256:1111"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := Options{Layout: l, To: "127.0.0.1:1/app:v1", Insecure: true, Key: "k", Cosign: "c", Source: src,
				Images: append([]Image(nil), imgs...), Push: okPush,
				Run: func(context.Context, string, []string, io.Writer, io.Writer) error { return nil }}
			tc.mutate(&o)
			if _, err := Sign(context.Background(), o); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Sign = %v, want an error containing %q", err, tc.want)
			}
		})
	}

	var args []string
	o := Options{Layout: l, To: "127.0.0.1:5000/app:v1", Insecure: true, Key: "k", Cosign: "c", Images: imgs[:1], Source: src, Push: okPush,
		Run: func(_ context.Context, _ string, a []string, _, _ io.Writer) error {
			args = append(args, a...)
			return nil
		}}
	if _, err := Sign(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if s := strings.Join(args, " "); !strings.Contains(s, "--allow-insecure-registry --allow-http-registry") {
		t.Errorf("--insecure did not reach cosign: %s", s)
	}
}

func TestFindCosign(t *testing.T) {
	dir := t.TempDir()
	exe := filepath.Join(dir, "cosign")
	os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755)
	plain := filepath.Join(dir, "plain")
	os.WriteFile(plain, []byte("x"), 0o644)
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	noPath := func(string) (string, error) { return "", errors.New("not found") }
	inPath := func(string) (string, error) { return "/usr/bin/cosign", nil }
	for _, tc := range []struct {
		name, flag string
		env        map[string]string
		look       func(string) (string, error)
		want, err  string
	}{
		{"flag", exe, nil, noPath, exe, ""},
		{"relative flag", "cosign", nil, noPath, exe, ""},
		{"environment", "", map[string]string{CosignEnv: exe}, noPath, exe, ""},
		{"PATH", "", nil, inPath, "/usr/bin/cosign", ""},
		{"missing everywhere", "", map[string]string{"PATH": "/usr/bin"}, noPath, "", "cosign not found: no --cosign, $RULES_GO_CROSS_COSIGN is not set and there is no cosign in PATH (/usr/bin)"},
		{"flag names nothing", "/nonexistent/cosign", nil, inPath, "", "cosign /nonexistent/cosign: stat"},
		{"not executable", plain, nil, inPath, "", "is not an executable file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := FindCosign(tc.flag, dir, env(tc.env), tc.look)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("FindCosign = %q, %v; want error %q", got, err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("FindCosign = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestResolveKey(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "cosign.key"), []byte("key"), 0o600)
	for _, tc := range []struct{ key, want, err string }{
		{"cosign.key", filepath.Join(dir, "cosign.key"), ""},
		{filepath.Join(dir, "cosign.key"), filepath.Join(dir, "cosign.key"), ""},
		{"awskms:///alias/release", "awskms:///alias/release", ""},
		{"", "", "no --key: give the cosign private key"},
		{"missing.key", "", "--key missing.key: stat"},
	} {
		got, err := ResolveKey(tc.key, dir)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ResolveKey(%q) = %q, %v; want error %q", tc.key, got, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ResolveKey(%q) = %q, %v; want %q", tc.key, got, err, tc.want)
		}
	}
}

func TestFindSource(t *testing.T) {
	rev := strings.Repeat("d", 40)
	git := func(remote, status string, fail bool) GitRunner {
		return func(dir string, args ...string) (string, error) {
			switch args[0] {
			case "rev-parse":
				if fail {
					return "", errors.New("fatal: not a git repository")
				}
				return rev, nil
			case "status":
				return status, nil
			case "remote":
				if remote == "" {
					return "", errors.New("no such remote")
				}
				return remote, nil
			}
			return "", errors.New("unexpected")
		}
	}
	for _, tc := range []struct {
		name, dir, uri, rev string
		git                 GitRunner
		want                provenance.Source
		err                 string
	}{
		{"checkout with origin", "/src", "", "", git("https://example.com/r.git", "", false), provenance.Source{URI: "git+https://example.com/r.git", Revision: rev}, ""},
		{"dirty checkout", "/src", "", "", git("https://example.com/r.git", " M main.go", false), provenance.Source{URI: "git+https://example.com/r.git", Revision: rev, Dirty: true}, ""},
		{"no origin", "/src", "", "", git("", "", false), provenance.Source{URI: "git+file:///src", Revision: rev}, ""},
		{"flags win", "/src", "git+https://x/y", "v1", git("", "", true), provenance.Source{URI: "git+https://x/y", Revision: "v1"}, ""},
		{"not a checkout", "/src", "", "", git("", "", true), provenance.Source{}, "cannot tell the source revision of /src"},
		{"outside bazel run", "", "", "", git("", "", false), provenance.Source{}, "no BUILD_WORKSPACE_DIRECTORY"},
		{"revision without uri outside bazel run", "", "", "v1", git("", "", false), provenance.Source{}, "no --source-uri"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := FindSource(tc.dir, tc.uri, tc.rev, tc.git)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("FindSource = %+v, %v; want error %q", got, err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("FindSource = %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}
