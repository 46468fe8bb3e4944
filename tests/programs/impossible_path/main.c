/*
 * bar is called from two sites of main.  The runner replays, through the PDA
 * monitor, the legal event sequence and the impossible one in which the call
 * made at the first site returns to the second.
 */
#include <fcntl.h>
#include "say.h"

__attribute__((noinline)) long bar(int fd)
{
	char buf[8];

	return read(fd, buf, sizeof(buf));
}

int main(int argc, char **argv)
{
	int fd = open(argv[0], O_RDONLY);
	long first = bar(fd);

	say_num("first read:", first > 0);
	long second = bar(fd);

	close(fd);
	say_num("second read:", second > 0);
	return 0;
}
