/* fork: the child makes its own library calls; the parent waits for it. */
#include <sys/wait.h>
#include "say.h"

__attribute__((noinline)) void child(int n)
{
	say_num("child working on", n);
	_exit(n);
}

int main(int argc, char **argv)
{
	for (int i = 1; i <= 2; i++) {
		pid_t pid = fork();
		int status;

		if (pid == 0)
			child(i);
		waitpid(pid, &status, 0);
		say_num("child exited with", WEXITSTATUS(status));
	}
	return 0;
}
