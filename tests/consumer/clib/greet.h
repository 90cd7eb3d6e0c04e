#ifndef CONSUMER_GREET_H
#define CONSUMER_GREET_H
/* Writes "C says hello to NAME (libc LIBC)" into buf and returns its length. */
int greet(const char *name, char *buf, int len);
#endif
