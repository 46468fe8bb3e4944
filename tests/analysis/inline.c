/* a() is called twice: inlined copies keep the two returns apart, a shared
 * copy does not (Wagner & Dean's impossible paths). */
#include <unistd.h>

__attribute__((noinline)) void a(void) { (void)read(0, 0, 0); }

int main(int argc, char **argv)
{
	a();
	(void)getpid();
	a();
	(void)getppid();
	return 0;
}
