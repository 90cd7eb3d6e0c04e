// Command cgo exercises everything cgo cross builds must get right: C in the package itself,
// a C library (cdeps), a C++ library (libc++), the C library's own functions, and the
// packages that prefer cgo (net, os/user).
//
//	cgo            print one line per check and exit non-zero if any fails
//	cgo -envcheck  also check what the image provides (hosts, CA pool, time zones, nonroot user)
package main

/*
#include <stdlib.h>
#include <string.h>
#include "examples/cgo/clib/adder.h"
#include "examples/cgo/clib/greeter.h"

static int square(int x) { return x * x; }

static const char* libc_name(void) {
#ifdef __GLIBC__
	return "glibc";
#else
	return "musl";
#endif
}
*/
import "C"

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/user"
	"runtime"
	"unsafe"

	"github.com/rules-go-cross/rules_go_cross/examples/internal/envcheck"
)

func greet(name string) string {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	buf := make([]byte, 128)
	C.greeter_greet(cname, (*C.char)(unsafe.Pointer(&buf[0])), C.int(len(buf)))
	return C.GoString((*C.char)(unsafe.Pointer(&buf[0])))
}

func main() {
	env := flag.Bool("envcheck", false, "also check the image's hosts, CA pool, time zones and user")
	flag.Parse()
	ok := true
	check := func(name string, got, want any) {
		status := "ok"
		if fmt.Sprint(got) != fmt.Sprint(want) {
			status = fmt.Sprintf("FAIL (want %v)", want)
			ok = false
		}
		fmt.Printf("%s: %v %s\n", name, got, status)
	}
	fmt.Printf("platform: %s/%s libc=%s\n", runtime.GOOS, runtime.GOARCH, C.GoString(C.libc_name()))
	check("c in package: square(7)", int(C.square(7)), 49)
	check("cdeps: adder_add(40, 2)", int(C.adder_add(40, 2)), 42)
	check("c++: greet", greet("gopher"), "hello, gopher from C++")
	addrs, err := net.LookupHost("localhost")
	check("net: lookup localhost", err == nil && len(addrs) > 0, true)
	u, err := user.Current()
	if err != nil {
		check("os/user: current", err, nil)
	} else {
		check("os/user: current uid", u.Uid, fmt.Sprint(os.Getuid()))
	}
	if *env && !envcheck.Print(os.Stdout, envcheck.Run()) {
		ok = false
	}
	if !ok {
		os.Exit(1)
	}
}
