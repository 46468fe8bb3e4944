/* Signal handlers that call libc, installed with signal() and sigaction(). */
#include <signal.h>
#include "say.h"

static volatile sig_atomic_t seen;

static void on_usr1(int sig)
{
	say("handler 1: got SIGUSR1\n");
	seen++;
}

static void on_usr2(int sig, siginfo_t *info, void *ctx)
{
	say_num("handler 2: got signal", sig);
	if (getpid() > 0)
		seen++;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_sigaction = on_usr2, .sa_flags = SA_SIGINFO };

	signal(SIGUSR1, on_usr1);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
	say("raising\n");
	raise(SIGUSR1);
	kill(getpid(), SIGUSR2);
	raise(SIGUSR1);
	say_num("handled", seen);
	return 0;
}
