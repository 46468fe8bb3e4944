/*
 * Code a program loads may call the functions it exports: GNU make's load
 * feature hands its plugins gmk_eval and friends.  Here the program finds
 * its own exported api_write through dlopen(NULL)/dlsym, as loaded code
 * would by name, and calls it: no event announces the call (the pointer
 * comes from a library), so api_write must be an asynchronous entry of the
 * policy.  Before: a false alarm at its first library call.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>
#include "say.h"

void api_write(const char *msg);

void api_write(const char *msg)
{
	int fd = open("/dev/null", O_WRONLY);

	if (fd >= 0) {
		say(msg);
		close(fd);
	}
}

int main(int argc, char **argv)
{
	void *self = dlopen(NULL, RTLD_NOW);
	void (*api)(const char *) = self ? (void (*)(const char *))dlsym(self, "api_write") : NULL;

	if (!api) {
		say("api_write is not exported\n");
		return 1;
	}
	api(argc > 1 ? "called back with an argument\n" : "called back\n");
	dlclose(self);
	return 0;
}
