/* Never referenced: the linker leaves this member out, as it would any archive member. */
#include <unistd.h>

int lib_unused(const char *path) { return unlink(path); }
