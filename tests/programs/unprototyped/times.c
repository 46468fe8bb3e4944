/* Defined the old way, without a prototype (see main.c). */
#include <unistd.h>
#include "say.h"

int times_cmd()
{
	say_num("ticks per second known:", sysconf(_SC_CLK_TCK) > 0);
	say_num("pid known:", getpid() > 0);
	return 0;
}
