#include <unistd.h>

void greet(void)
{
	ssize_t r = write(1, "hello from cmake\n", 17);

	(void)r;
}
