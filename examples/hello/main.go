// Command hello is a small HTTP server, built by rules_go_cross for every platform.
//
//	hello -addr :8080      serve "hello from linux/arm64" on /
//	hello -version         print the build (Go version, platform, cgo) and exit
//	hello -selfcheck       start the server on a loopback port, query it, print the answer
//	hello -envcheck        check what the image provides (hosts, CA pool, time zones, nonroot user)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"runtime"
	"time"

	"github.com/rules-go-cross/rules_go_cross/examples/internal/envcheck"
)

// greeting is what the server answers on /.
func greeting() string {
	return fmt.Sprintf("hello from %s/%s", runtime.GOOS, runtime.GOARCH)
}

// version describes the build: Go version, platform and whether cgo was on.
func version() string {
	return fmt.Sprintf("hello %s %s/%s cgo=%t", runtime.Version(), runtime.GOOS, runtime.GOARCH, cgoEnabled)
}

func handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, greeting())
	})
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	return mux
}

// selfcheck serves on a loopback port, fetches / and returns the body.
func selfcheck() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("listen on loopback: %w", err)
	}
	srv := &http.Server{Handler: handler(), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln) //nolint:errcheck // closed below
	defer srv.Shutdown(context.Background())

	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get("http://" + ln.Addr().String() + "/")
	if err != nil {
		return "", fmt.Errorf("query own server: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("own server answered %s", resp.Status)
	}
	return string(body), nil
}

func main() {
	addr := flag.String("addr", ":8080", "address to serve on")
	showVersion := flag.Bool("version", false, "print the build and exit")
	check := flag.Bool("selfcheck", false, "serve on loopback, query it, print the answer and exit")
	env := flag.Bool("envcheck", false, "check the image's hosts, CA pool, time zones and user, then exit")
	flag.Parse()

	switch {
	case *env:
		if !envcheck.Print(os.Stdout, envcheck.Run()) {
			os.Exit(1)
		}
	case *showVersion:
		fmt.Println(version())
	case *check:
		body, err := selfcheck()
		if err != nil {
			fmt.Fprintln(os.Stderr, "hello: selfcheck failed:", err)
			os.Exit(1)
		}
		fmt.Print("selfcheck ok: ", body)
	default:
		srv := &http.Server{Addr: *addr, Handler: handler(), ReadHeaderTimeout: 5 * time.Second}
		log.Printf("%s listening on %s", version(), *addr)
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Fatal(err)
		}
	}
}
