#ifndef RULES_GO_CROSS_EXAMPLES_CGO_ADDER_H_
#define RULES_GO_CROSS_EXAMPLES_CGO_ADDER_H_

/* A C library linked through cdeps. */
int adder_add(int a, int b);

#endif
