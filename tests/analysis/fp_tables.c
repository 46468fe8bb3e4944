/*
 * Two arrays of function pointers of one type: a call through each reaches
 * the functions of its own array only (each global is a key).
 */
#include <unistd.h>

__attribute__((noinline)) static int t_read(int fd) { char c; return (int)read(fd, &c, 0); }
__attribute__((noinline)) static int t_write(int fd) { return (int)write(fd, "", 0); }
__attribute__((noinline)) static int t_close(int fd) { return close(fd + 100); }
__attribute__((noinline)) static int t_dup(int fd) { return dup(fd); }

int (*volatile readers[])(int) = { t_read, t_dup };
int (*volatile writers[])(int) = { t_write, t_close };

int main(int argc, char **argv)
{
	return readers[argc % 2](0) + writers[argc % 2](1);
}
