#include "examples/cgo/clib/adder.h"

int adder_add(int a, int b) { return a + b; }
