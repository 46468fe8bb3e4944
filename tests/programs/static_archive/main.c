/* A program linked with a static archive of bitcode objects (llvm-ar). */
#include "say.h"

int lib_count_bytes(const char *path);

int main(int argc, char **argv)
{
	say_num("non-empty:", lib_count_bytes(argv[0]) > 0);
	return 0;
}
