#include "say.h"

int echo_cmd(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		say(argv[i]);
		say(i + 1 < argc ? " " : "\n");
	}
	return 0;
}
