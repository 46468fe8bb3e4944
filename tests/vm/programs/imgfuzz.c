// SPDX-License-Identifier: GPL-2.0
/*
 * imgfuzz - mutated images written through configfs, in the test VM
 * (tests/vm/hardening-tests.sh).
 *
 *   imgfuzz COUNT SEED PROFILE:PROGRAM:IMAGE:ARGS...
 *
 * For each of COUNT images: take one of the real images (IMAGE, compiled
 * from a policy of PROGRAM, which the profile PROFILE already names as its
 * exe), apply one to three mutations (truncation, bit flips, u32 fields set
 * to edge values, header counts and offsets moved, ranges made to overlap,
 * elements swapped or repeated, event targets rewritten, header flags), write
 * it to the profile's image attribute and read status back.  The verdict
 * must be the one the validator gives in user space (the same code): refused
 * with that reason, or refused as unfinalised (no pins), or accepted, when
 * the kernel then binds it ("loaded", or a binding error such as a digest
 * that does not match).  Every image the kernel loads is run on: PROGRAM
 * ARGS (space-separated) must exit normally in complain mode, and exit
 * normally or be killed (SIGKILL) in enforce mode; the modes alternate.
 *
 * Prints a summary (reasons counted); exits 1 at the first disagreement or
 * misbehaving run, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pda/image.h"

#define PROFILES "/sys/kernel/config/lcg/profiles"
#define MAX_SEEDS 8
#define MAX_REASONS 96

#define MAX_ARGS 16

struct seed {
	char profile[64], program[256], args[128];
	char *argv[MAX_ARGS + 2];
	u8 *img;
	size_t len;
};

struct reason {
	char text[160];
	unsigned long n;
};

static struct seed seeds[MAX_SEEDS];
/* where the time goes: writing images (the kernel validates and binds), running programs */
static double t_write, t_run;
static unsigned int n_seeds;
static struct reason reasons[MAX_REASONS];
static unsigned int n_reasons;
static u64 rng;

static u64 next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static u32 below(u32 n)
{
	return n ? (u32)(next() % n) : 0;
}

static void *read_file(const char *path, size_t *len)
{
	struct stat st;
	void *buf;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) || !(buf = malloc(st.st_size + 8)) ||
	    read(fd, buf, st.st_size) != st.st_size) {
		perror(path);
		exit(2);
	}
	close(fd);
	*len = st.st_size;
	return buf;
}

static int attr_write(const char *profile, const char *attr, const void *data, size_t len)
{
	char path[256];
	int fd, saved;

	snprintf(path, sizeof(path), PROFILES "/%s/%s", profile, attr);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	if (write(fd, data, len) != (ssize_t)len) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}

static void attr_read(const char *profile, const char *attr, char *buf, size_t size)
{
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), PROFILES "/%s/%s", profile, attr);
	fd = open(path, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, buf, size - 1);
	if (fd >= 0)
		close(fd);
	if (n < 0)
		n = 0;
	while (n && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
}

static void count_reason(const char *text)
{
	unsigned int i;

	for (i = 0; i < n_reasons; i++) {
		if (!strcmp(reasons[i].text, text)) {
			reasons[i].n++;
			return;
		}
	}
	if (n_reasons < MAX_REASONS) {
		snprintf(reasons[n_reasons].text, sizeof(reasons[0].text), "%s", text);
		reasons[n_reasons++].n = 1;
	}
}

/* ---- mutations ---- */

static struct lcg_img_header *hdr(u8 *b)
{
	return (struct lcg_img_header *)b;
}

/* element @i of section @k, if the (original) header's section holds it */
static void *elem(u8 *b, size_t len, int k, u32 size, u32 i)
{
	const struct lcg_img_section *s = &hdr(b)->sec[k];

	if (len < sizeof(struct lcg_img_header) || i >= s->count ||
	    (u64)s->off + ((u64)i + 1) * size > len)
		return NULL;
	return b + s->off + (size_t)i * size;
}

static const u32 edge_values[] = { 0, 1, 2, 3, 7, 8, 0x7f, 0xff, 0xffff, 0x7fffffff, 0x80000000,
				   0xfffffffe, 0xffffffff };

static u32 interesting(const u8 *b, size_t len)
{
	const struct lcg_img_header *h = (const struct lcg_img_header *)b;

	if (len >= sizeof(*h) && next() % 2) {
		u32 c = h->sec[below(LCG_SEC_COUNT)].count;

		return c + below(3) - 1;	/* a count, or one off */
	}
	return next() % 3 ? edge_values[below(sizeof(edge_values) / sizeof(edge_values[0]))]
			  : (u32)next();
}

/* a state, site, event or index entry made to share another's range */
static void overlap(u8 *b, size_t len)
{
	struct { int sec; u32 size, first, count; } kinds[] = {
		{ LCG_SEC_STATES, sizeof(struct lcg_img_state), 0, 4 },
		{ LCG_SEC_SITES, sizeof(struct lcg_img_site), 20, 24 },
		{ LCG_SEC_EVENTS, sizeof(struct lcg_img_event), 8, 12 },
		{ LCG_SEC_EVIDX, sizeof(struct lcg_img_evidx), 0, 4 },
	};
	int k = below(4);
	u32 n = len >= sizeof(struct lcg_img_header) ? hdr(b)->sec[kinds[k].sec].count : 0;
	u8 *a = elem(b, len, kinds[k].sec, kinds[k].size, below(n));
	u8 *c = elem(b, len, kinds[k].sec, kinds[k].size, below(n));

	if (!a || !c || a == c)
		return;
	memcpy(c + kinds[k].first, a + kinds[k].first, 4);
	if (next() % 2)
		memcpy(c + kinds[k].count, a + kinds[k].count, 4);
}

/* two neighbours of a sorted section swapped, or one repeated */
static void unsort(u8 *b, size_t len)
{
	static const struct { int sec; u32 size; } kinds[] = {
		{ LCG_SEC_EDGES, sizeof(struct lcg_img_edge) }, { LCG_SEC_EVTARGETS, 4 },
		{ LCG_SEC_PINS, 8 }, { LCG_SEC_CALLEES, 4 }, { LCG_SEC_RAW_PINS, 8 },
	};
	int k = below(5);
	u32 n = len >= sizeof(struct lcg_img_header) ? hdr(b)->sec[kinds[k].sec].count : 0;
	u32 i = below(n);
	u8 *x = elem(b, len, kinds[k].sec, kinds[k].size, i);
	u8 *y = elem(b, len, kinds[k].sec, kinds[k].size, i + 1);
	u8 tmp[8];

	if (!x || !y)
		return;
	if (next() % 2) {
		memcpy(tmp, x, kinds[k].size);
		memcpy(x, y, kinds[k].size);
		memcpy(y, tmp, kinds[k].size);
	} else {
		memcpy(y, x, kinds[k].size);
	}
}

static void mutate(u8 *b, size_t *len)
{
	struct lcg_img_header *h = hdr(b);
	u32 *w;

	switch (below(11)) {
	case 0:	/* truncated, the header's size kept or made to agree */
		*len = 1 + below(*len - 1);
		if (*len >= sizeof(*h) && next() % 2)
			h->size = *len;
		break;
	case 1:
	case 2:	/* bit flips */
		for (u32 i = 1 + below(8); i; i--)
			b[below(*len)] ^= 1u << below(8);
		break;
	case 3:	/* a u32 field set to an edge value */
		w = (u32 *)(b + (below(*len / 4) * 4));
		*w = interesting(b, *len);
		break;
	case 4:	/* a section count or offset moved */
		if (*len >= sizeof(*h)) {
			struct lcg_img_section *s = &h->sec[below(LCG_SEC_COUNT)];

			if (next() % 2)
				s->count += below(5) - 2;
			else
				s->off += (below(5) - 2) * 8;
		}
		break;
	case 5:
	case 6:
		overlap(b, *len);
		break;
	case 7:
		unsort(b, *len);
		break;
	case 8:	/* an event target rewritten */
		if (*len >= sizeof(*h)) {
			w = elem(b, *len, LCG_SEC_EVTARGETS, 4, below(h->sec[LCG_SEC_EVTARGETS].count));
			if (w)
				*w = below(h->sec[LCG_SEC_STATES].count + 1);
		}
		break;
	case 9:	/* header flags and start states */
		if (*len >= sizeof(*h)) {
			if (next() % 2)
				h->flags ^= 1u << below(4);
			else
				(&h->root_state)[below(3)] = interesting(b, *len);
		}
		break;
	default:	/* an edge's event or target */
		if (*len >= sizeof(*h)) {
			w = elem(b, *len, LCG_SEC_EDGES, 8, below(h->sec[LCG_SEC_EDGES].count));
			if (w)
				w[below(2)] = interesting(b, *len);
		}
		break;
	}
}

/* ---- running a program on a loaded image ---- */

/* 0 when it behaved: exit 0, or (enforce mode) killed by lcg */
static int run_program(const struct seed *s, bool enforce, unsigned long *killed)
{
	pid_t pid;
	int st;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(devnull, 1);
		dup2(devnull, 2);
		alarm(30);
		execv(s->program, s->argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (enforce && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) {
		(*killed)++;
		return 0;
	}
	fprintf(stderr, "imgfuzz: %s %s (%s) ended with status 0x%x\n", s->program, s->args,
		enforce ? "enforce" : "complain", st);
	return -1;
}

/* what the kernel must say, from the user-space validator's verdict */
static int expected(const u8 *b, size_t len, char *want, size_t size)
{
	struct lcg_image v;
	const char *why = lcg_image_validate(&v, b, len);

	if (why) {
		snprintf(want, size, "error: image rejected: %s", why);
		return 0;
	}
	if (!(v.hdr->flags & LCG_IMG_PINNED)) {
		snprintf(want, size, "error: image rejected: not finalised");
		return 0;
	}
	return 1;	/* accepted by the validator: loaded, or refused at binding */
}

int main(int argc, char **argv)
{
	unsigned long n, accepted = 0, loaded = 0, bind_refused = 0, runs = 0, killed = 0;
	char want[256], status[512];
	bool enforce = false;
	struct timespec t0, t1;
	u8 *buf;

	if (argc < 4) {
		fprintf(stderr, "usage: imgfuzz COUNT SEED PROFILE:PROGRAM:IMAGE:ARG...\n");
		return 2;
	}
	n = strtoul(argv[1], NULL, 10);
	rng = strtoull(argv[2], NULL, 0) | 1;
	for (int i = 3; i < argc && n_seeds < MAX_SEEDS; i++) {
		struct seed *s = &seeds[n_seeds++];
		char img[256];

		char copy[128], *tok, *save;
		int a = 0;

		if (sscanf(argv[i], "%63[^:]:%255[^:]:%255[^:]:%127[^\n]", s->profile, s->program,
			   img, s->args) != 4) {
			fprintf(stderr, "imgfuzz: bad seed %s\n", argv[i]);
			return 2;
		}
		s->img = read_file(img, &s->len);
		s->argv[a++] = s->program;
		snprintf(copy, sizeof(copy), "%s", s->args);
		for (tok = strtok_r(copy, " ", &save); tok && a <= MAX_ARGS;
		     tok = strtok_r(NULL, " ", &save))
			s->argv[a++] = strdup(tok);
		s->argv[a] = NULL;
	}
	buf = aligned_alloc(8, 1 << 20);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned long i = 0; i < n; i++) {
		struct seed *s = &seeds[i % n_seeds];
		size_t len = s->len;
		double t;
		int ok, rc;

		memcpy(buf, s->img, len);
		for (u32 m = 1 + below(3); m; m--)
			mutate(buf, &len);
		ok = expected(buf, len, want, sizeof(want));
		t = now();
		if (attr_write(s->profile, "image", buf, len)) {
			fprintf(stderr, "imgfuzz: image %lu: write: %s\n", i, strerror(errno));
			return 1;
		}
		attr_read(s->profile, "status", status, sizeof(status));
		t_write += now() - t;
		if (!ok) {
			if (strncmp(status, want, strlen(want))) {
				fprintf(stderr, "imgfuzz: image %lu: kernel says '%s', user space '%s'\n",
					i, status, want);
				return 1;
			}
			count_reason(want + strlen("error: image rejected: "));
			continue;
		}
		accepted++;
		if (!strncmp(status, "error: exe ", 11) && strstr(status + 11, ": ")) {
			/* the validator accepted it; binding refused it (digest, ELF headers) */
			char why[200];

			bind_refused++;
			snprintf(why, sizeof(why), "(binding) %s", strstr(status + 11, ": ") + 2);
			count_reason(why);
			continue;
		}
		if (strcmp(status, "loaded")) {
			fprintf(stderr, "imgfuzz: image %lu: accepted in user space, kernel says '%s'\n",
				i, status);
			return 1;
		}
		loaded++;
		enforce = !enforce;
		if (attr_write(s->profile, "mode", enforce ? "enforce" : "complain",
			       enforce ? 7 : 8)) {
			perror("imgfuzz: mode");
			return 1;
		}
		runs++;
		t = now();
		rc = run_program(s, enforce, &killed);
		t_run += now() - t;
		if (rc) {
			fprintf(stderr, "imgfuzz: image %lu: the program misbehaved\n", i);
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("imgfuzz: %lu images in %.1f s: %lu rejected by the validator, %lu accepted "
	       "(%lu refused at binding, %lu loaded); %lu runs on loaded images, %lu killed in enforce mode\n",
	       n, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, n - accepted, accepted,
	       bind_refused, loaded, runs, killed);
	printf("imgfuzz: %.1f s writing images and reading status (%.2f ms each), %.1f s running programs\n",
	       t_write, n ? t_write * 1e3 / n : 0.0, t_run);
	for (unsigned int r = 0; r < n_reasons; r++)
		printf("imgfuzz:   %6lu  %s\n", reasons[r].n, reasons[r].text);
	return 0;
}
