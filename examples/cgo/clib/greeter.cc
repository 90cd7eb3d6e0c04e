#include "examples/cgo/clib/greeter.h"

#include <cstring>
#include <string>

extern "C" int greeter_greet(const char* name, char* out, int n) {
  std::string s = std::string("hello, ") + name + " from C++";
  if (n <= 0) return -1;
  std::strncpy(out, s.c_str(), static_cast<size_t>(n) - 1);
  out[n - 1] = '\0';
  return static_cast<int>(s.size());
}
