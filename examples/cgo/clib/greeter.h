#ifndef RULES_GO_CROSS_EXAMPLES_CGO_GREETER_H_
#define RULES_GO_CROSS_EXAMPLES_CGO_GREETER_H_

#ifdef __cplusplus
extern "C" {
#endif

/* Implemented in C++ (std::string): exercises libc++ linking. Writes at most n bytes. */
int greeter_greet(const char* name, char* out, int n);

#ifdef __cplusplus
}
#endif

#endif
