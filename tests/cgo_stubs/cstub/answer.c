#include "answer.h"

const char *answer(void) { return "built with cgo: C answers"; }
