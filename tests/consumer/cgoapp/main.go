// Command cgoapp calls a C library of the workspace through cgo.
package main

/*
#include <stdlib.h>
#include "clib/greet.h"
*/
import "C"

import (
	"fmt"
	"runtime"
	"unsafe"
)

func main() {
	buf := make([]byte, 128)
	name := C.CString("consumer")
	defer C.free(unsafe.Pointer(name))
	n := C.greet(name, (*C.char)(unsafe.Pointer(&buf[0])), C.int(len(buf)))
	fmt.Printf("%s on %s/%s\n", buf[:n], runtime.GOOS, runtime.GOARCH)
}
