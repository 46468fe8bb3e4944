/* A library, not a program: no main. */
#include <unistd.h>

int helper(int fd) { return close(fd); }
