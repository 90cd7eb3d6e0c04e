int a_twice(int x); /* defined by package a's C */

int b_quadruple(int x) { return a_twice(a_twice(x)); }
