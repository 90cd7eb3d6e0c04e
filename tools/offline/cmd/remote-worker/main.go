// Command remote-worker starts, stops and reports Bazel's reference remote-execution worker on
// 127.0.0.1, running in the offline root that tools/bazel provisions (see package remoteworker).
//
//	remote-worker start [--port N] [--fresh] [--no-sandbox] [-- WORKER_FLAGS...]
//	    prints grpc://127.0.0.1:PORT once the worker accepts connections
//	remote-worker stop
//	remote-worker status     prints the URL, or exits with 1 when no worker runs
//
// State (compiled classes, CAS, action directories, worker.log) lives in
// $RULES_GO_CROSS_CACHE/remote-worker (default ~/.cache/rules_go_cross/remote-worker).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/rules-go-cross/rules_go_cross/tools/offline/remoteworker"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == remoteworker.EnterCommand {
		err := remoteworker.EnterMain(os.Args[2:])
		fmt.Fprintf(os.Stderr, "remote-worker: %v\n", err)
		os.Exit(1)
	}
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "remote-worker: %v\n", err)
		os.Exit(1)
	}
}

func cacheDir() (string, error) {
	if c := os.Getenv("RULES_GO_CROSS_CACHE"); c != "" {
		return c, nil
	}
	c, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(c, "rules_go_cross"), nil
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: remote-worker start|stop|status (see the package documentation)")
	}
	cache, err := cacheDir()
	if err != nil {
		return err
	}
	w := remoteworker.Worker{Root: filepath.Join(cache, "env-v1/root"), State: filepath.Join(cache, "remote-worker")}
	switch args[0] {
	case "start":
		fs := flag.NewFlagSet("start", flag.ContinueOnError)
		var opts remoteworker.Options
		fs.IntVar(&opts.Port, "port", 0, "port on 127.0.0.1 (default: a free one)")
		fs.BoolVar(&opts.Fresh, "fresh", false, "empty the CAS and action cache first: a cold worker")
		fs.BoolVar(&opts.NoSandbox, "no-sandbox", false, "run actions without linux-sandbox")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		opts.Extra = fs.Args()
		port, err := w.Start(opts)
		if err != nil {
			return err
		}
		fmt.Println(remoteworker.URL(port))
		return nil
	case "stop":
		return w.Stop()
	case "status":
		port, ok := w.Status()
		if !ok {
			fmt.Fprintln(os.Stderr, "remote-worker: not running")
			os.Exit(1)
		}
		fmt.Println(remoteworker.URL(port))
		return nil
	}
	return fmt.Errorf("unknown command %q: want start, stop or status", args[0])
}
