/* A setjmp site: longjmp comes back through it, across frames. */
#include <setjmp.h>
#include <unistd.h>

static jmp_buf env;

__attribute__((noinline)) void fail(int code)
{
	(void)write(2, "!", 1);
	longjmp(env, code);
}

int main(int argc, char **argv)
{
	if (setjmp(env)) {
		(void)write(1, "back\n", 5);
		return 1;
	}
	if (argc > 1)
		fail(2);
	(void)write(1, "done\n", 5);
	return 0;
}
