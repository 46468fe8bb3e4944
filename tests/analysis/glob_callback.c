/* glob() may use the network (NSS, for ~user) after its error callback returned. */
#include <glob.h>
#include <unistd.h>

__attribute__((noinline)) static int on_error(const char *path, int err)
{
	(void)write(2, path, 0 * (size_t)err);
	return 0;
}

int main(int argc, char **argv)
{
	glob_t g;

	return glob(argc > 1 ? argv[1] : "~nobody/*", 0, on_error, &g);
}
