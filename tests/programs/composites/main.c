/*
 * Legitimate uses of libc functions that issue sensitive system calls inside
 * (docs/binding.md): each must run under enforce mode exactly as it runs
 * plain.  One use per run: prog USE, USE among
 *   system popen spawn spawnp wordexp daemon remove tmpfile mkstemp mkdtemp
 *   fopen freopen dlopen names syslog threads timer forkexec sockets signals
 *   mmap
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <wordexp.h>
#include "say.h"

extern char **environ;

static int wait_child(pid_t pid)
{
	int st;

	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void use_system(void)
{
	say_num("system, the shell's exit:", WEXITSTATUS(system("exit 7")));
}

static void use_popen(void)
{
	char line[64] = "";
	FILE *p = popen("echo from-the-shell", "r");

	if (p && fgets(line, sizeof(line), p))
		say(line);
	say_num("pclose:", p ? pclose(p) : -1);
}

static void use_spawn(bool path)
{
	char *argv[] = { "sh", "-c", "exit 5", NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid = -1;
	int r;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "spawn.out", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	r = path ? posix_spawnp(&pid, "sh", &fa, NULL, argv, environ)
		 : posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	say_num("spawned:", r == 0);
	say_num("child exit:", wait_child(pid));
	unlink("spawn.out");
}

static void use_wordexp(void)
{
	wordexp_t w;

	if (wordexp("$(echo one) two", &w, 0) == 0) {
		say_num("words:", (long)w.we_wordc);
		wordfree(&w);
	}
}

static void use_daemon(void)
{
	pid_t pid = fork();
	struct timespec t = { 0, 20 * 1000 * 1000 };

	if (pid == 0) {
		if (daemon(1, 1) == 0) {
			FILE *f = fopen("daemon.flag", "w");

			if (f)
				fclose(f);
		}
		_exit(0);
	}
	wait_child(pid);
	for (int i = 0; i < 250 && access("daemon.flag", F_OK); i++)
		nanosleep(&t, NULL);
	say_num("daemon ran:", remove("daemon.flag") == 0);
}

static void use_remove(void)
{
	FILE *f = fopen("gone.tmp", "w");

	if (f)
		fclose(f);
	mkdir("gone.dir", 0700);
	say_num("remove file:", remove("gone.tmp"));
	say_num("remove dir:", remove("gone.dir"));
}

static void use_tmpfile(void)
{
	FILE *f = tmpfile();

	say_num("tmpfile:", f != NULL);
	if (f) {
		fputs("scratch", f);
		fclose(f);
	}
}

static void use_mkstemp(void)
{
	char name[] = "lcg-XXXXXX";
	char dir[] = "lcg-dir-XXXXXX";
	int fd = mkstemp(name);

	say_num("mkstemp:", fd >= 0);
	if (fd >= 0) {
		close(fd);
		unlink(name);
	}
	say_num("mkdtemp:", mkdtemp(dir) != NULL && rmdir(dir) == 0);
}

static void use_fopen(void)
{
	FILE *f = fopen("note.txt", "w");

	if (f) {
		fputs("written\n", f);
		fclose(f);
	}
	f = fopen("note.txt", "a+");
	if (f)
		fclose(f);
	f = fopen("note.txt", "r");
	say_num("read back:", f && fgetc(f) == 'w');
	if (f)
		fclose(f);
	unlink("note.txt");
}

static void use_freopen(void)
{
	FILE *f = fopen("/dev/null", "r");

	f = f ? freopen("reopened.txt", "w", f) : NULL;
	say_num("freopen for writing:", f != NULL);
	if (f)
		fclose(f);
	unlink("reopened.txt");
}

static void use_dlopen(void)
{
	void *h = dlopen("libm.so.6", RTLD_NOW);
	double (*cbrt_p)(double) = h ? (double (*)(double))dlsym(h, "cbrt") : NULL;

	say_num("cbrt(64):", cbrt_p ? (long)(cbrt_p(64.0) + 0.5) : -1L);
	if (h)
		dlclose(h);
}

static void use_names(void)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST, .ai_family = AF_INET };
	struct addrinfo *res = NULL;

	say_num("getaddrinfo:", getaddrinfo("127.0.0.1", "80", &hints, &res));
	if (res)
		freeaddrinfo(res);
	say_num("root is uid 0:", getpwnam("root") ? getpwnam("root")->pw_uid : -1);
}

static void use_syslog(void)
{
	openlog("lcg-composites", LOG_NDELAY, LOG_USER);
	syslog(LOG_DEBUG, "a message nobody reads");
	closelog();
	say("logged\n");
}

static void *worker(void *arg)
{
	pthread_t inner;

	if (arg && pthread_create(&inner, NULL, worker, NULL) == 0)
		pthread_join(inner, NULL);
	return NULL;
}

static void use_threads(void)
{
	pthread_t t;

	say_num("thread made a thread:",
		pthread_create(&t, NULL, worker, (void *)1) == 0 && !pthread_join(t, NULL));
}

static volatile int fired;

static void on_timer(union sigval v)
{
	fired++;
}

static void use_timer(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_THREAD, .sigev_notify_function = on_timer };
	struct itimerspec its = { .it_value = { 0, 5 * 1000 * 1000 },
				  .it_interval = { 0, 5 * 1000 * 1000 } };
	struct timespec t = { 0, 5 * 1000 * 1000 };
	timer_t tm;

	if (timer_create(CLOCK_MONOTONIC, &ev, &tm))
		return;
	timer_settime(tm, 0, &its, NULL);
	for (int i = 0; i < 400 && fired < 3; i++)
		nanosleep(&t, NULL);
	timer_delete(tm);
	say_num("timer fired three times:", fired >= 3);
}

static void use_forkexec(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "exit 3", (char *)NULL);
		_exit(99);
	}
	say_num("child exit:", wait_child(pid));
}

static void use_sockets(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int srv = socket(AF_UNIX, SOCK_STREAM, 0), cli, acc;
	char c = 0;

	snprintf(a.sun_path, sizeof(a.sun_path), "sock.%d", (int)getpid());
	if (srv < 0 || bind(srv, (struct sockaddr *)&a, sizeof(a)) || listen(srv, 1))
		return;
	cli = socket(AF_UNIX, SOCK_STREAM, 0);
	connect(cli, (struct sockaddr *)&a, sizeof(a));
	acc = accept(srv, NULL, NULL);
	if (write(cli, "x", 1) == 1 && read(acc, &c, 1) == 1)
		say_num("socket byte:", c);
	close(acc);
	close(cli);
	close(srv);
	unlink(a.sun_path);
}

static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
	say("handler runs\n");
}

/* asynchronous: it makes a libc call wherever it interrupts the loop */
static void on_alarm(int sig)
{
	handled += getppid() > 0;
}

/*
 * A timer fires every millisecond while the loop creates and removes a file:
 * now and then the handler runs between remove()'s event and its system
 * call.  Not faster: under lcg-trace each signal costs several ptrace stops,
 * and at 100 us the run took 8-40 s instead of under one.
 */
static void use_signals(void)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	struct itimerval it = { { 0, 1000 }, { 0, 1000 } };
	FILE *f;

	signal(SIGUSR1, on_usr1);
	raise(SIGUSR1);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	for (int i = 0; i < 2000; i++) {
		f = fopen("sig.tmp", "w");
		if (f)
			fclose(f);
		remove("sig.tmp");
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	say("signals: done\n");
}

static void use_mmap(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	say_num("rw mapping:", p != MAP_FAILED);
	say_num("made executable:", p != MAP_FAILED && mprotect(p, pg, PROT_READ | PROT_EXEC) == 0);
	if (p != MAP_FAILED)
		munmap(p, pg);
}

int main(int argc, char **argv)
{
	static const struct { const char *name; void (*fn)(void); } uses[] = {
		{ "system", use_system }, { "popen", use_popen }, { "wordexp", use_wordexp },
		{ "daemon", use_daemon }, { "remove", use_remove }, { "tmpfile", use_tmpfile },
		{ "mkstemp", use_mkstemp }, { "fopen", use_fopen }, { "freopen", use_freopen },
		{ "dlopen", use_dlopen }, { "names", use_names }, { "syslog", use_syslog },
		{ "threads", use_threads }, { "timer", use_timer }, { "forkexec", use_forkexec },
		{ "sockets", use_sockets }, { "signals", use_signals }, { "mmap", use_mmap },
	};
	const char *use = argc > 1 ? argv[1] : "";

	if (!strcmp(use, "spawn") || !strcmp(use, "spawnp")) {
		use_spawn(use[5] == 'p');
		return 0;
	}
	for (size_t i = 0; i < sizeof(uses) / sizeof(uses[0]); i++)
		if (!strcmp(use, uses[i].name)) {
			uses[i].fn();
			return 0;
		}
	say("usage: prog USE\n");
	return 2;
}
