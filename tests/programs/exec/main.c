/* exec: the program runs itself again with an argument, then a system tool. */
#include <string.h>
#include <sys/wait.h>
#include "say.h"

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "again")) {
		say("second image running\n");
		execl("/bin/echo", "echo", "third image: echo", (char *)NULL);
		say("exec failed\n");
		return 1;
	}
	say("first image running\n");
	execl("/proc/self/exe", argv[0], "again", (char *)NULL);
	say("exec failed\n");
	return 1;
}
