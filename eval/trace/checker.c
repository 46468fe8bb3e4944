// SPDX-License-Identifier: GPL-2.0
/* checker.c - load a policy into the pda/ core and check events against it. */
#include "checker.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "formats/binary.h"

static void warn_if_program_changed(struct checker *c)
{
	const char *prog = c->policy.program;
	u8 digest[32];
	char err[256];

	if (!prog || stat(prog, &c->program_st) != 0) {
		fprintf(stderr, "lcg-trace: warning: the policy's program '%s' (in %s) cannot be "
			"found: %s; %s\n", prog ? prog : "(none)", c->policy_path,
			prog ? strerror(errno) : "no path",
			c->policy.has_sha256 ? "only a binary with the policy's SHA-256 will be checked"
					     : "no binary can be recognised as it, nothing will be checked");
		return;
	}
	c->program_exists = true;
	if (!c->policy.has_sha256) {
		fprintf(stderr, "lcg-trace: warning: %s has no SHA-256 (not finalised): "
			"run 'lcg-analyze finalize %s %s' to pin its events\n",
			c->policy_path, c->policy_path, prog);
		return;
	}
	if (lcg_sha256_file(prog, digest, err, sizeof(err)) != 0) {
		fprintf(stderr, "lcg-trace: warning: cannot check the SHA-256 of the program: %s\n", err);
		return;
	}
	if (memcmp(digest, c->policy.sha256, sizeof(digest)) != 0)
		fprintf(stderr, "lcg-trace: warning: '%s' has changed since %s was made "
			"(SHA-256 differs); checking it anyway, expect spurious violations - "
			"rebuild the program and its policy together\n", prog, c->policy_path);
}

int checker_load(struct checker *c, const char *path, bool complain)
{
	char err[512];
	const char *why;
	size_t len;

	memset(c, 0, sizeof(*c));
	lcg_policy_init(&c->policy);
	c->policy_path = path;
	c->complain = complain;
	if (lcg_policy_read(&c->policy, path, err, sizeof(err)) != 0) {
		fprintf(stderr, "lcg-trace: cannot use the policy: %s\n", err);
		return -1;
	}
	if (lcg_image_build(&c->policy, &c->image_buf, &len, err, sizeof(err)) != 0) {
		fprintf(stderr, "lcg-trace: cannot compile the policy %s: %s\n", path, err);
		return -1;
	}
	why = lcg_image_validate(&c->image, c->image_buf, len);
	if (why) {
		fprintf(stderr, "lcg-trace: the image built from %s is invalid (%s): "
			"this is a bug in lcg_image_build, please report it\n", path, why);
		return -1;
	}
	/* Distinct allowed events never exceed the ids, so this counts exactly. */
	c->allowed_buf = malloc((c->image.n_events ? c->image.n_events : 1) * sizeof(u32));
	if (!c->allowed_buf) {
		fprintf(stderr, "lcg-trace: out of memory for the policy %s\n", path);
		return -1;
	}
	c->enabled = true;
	warn_if_program_changed(c);
	return 0;
}

void checker_free(struct checker *c)
{
	lcg_policy_free(&c->policy);
	free(c->image_buf);
	free(c->allowed_buf);
	c->image_buf = NULL;
	c->allowed_buf = NULL;
	c->enabled = false;
}

bool checker_owns_exe(const struct checker *c, const char *exe_link)
{
	struct stat st;
	u8 digest[32];
	char err[256];

	if (!c->enabled || stat(exe_link, &st) != 0)
		return false;
	if (c->program_exists && st.st_dev == c->program_st.st_dev &&
	    st.st_ino == c->program_st.st_ino)
		return true;
	return c->policy.has_sha256 && lcg_sha256_file(exe_link, digest, err, sizeof(err)) == 0 &&
	       memcmp(digest, c->policy.sha256, sizeof(digest)) == 0;
}

const struct lcg_event_info *checker_event(const struct checker *c, u32 id)
{
	if (!c->enabled || id >= c->policy.n_events ||
	    c->policy.events[id].kind == LCG_EV_UNUSED)
		return NULL;
	return &c->policy.events[id];
}

enum lcg_reason checker_step(struct checker *c, struct lcg_monitor *m, u32 id,
			     bool in_exe, u64 offset)
{
	enum lcg_reason r;

	c->events++;
	/* An unknown id is the automaton's verdict to give, not a pinning one. */
	if (checker_event(c, id) && (!in_exe || !lcg_monitor_pinned(&c->image, id, offset)))
		r = LCG_R_UNPINNED;
	else
		r = lcg_monitor_step(m, &c->image, id);
	if (r != LCG_R_OK)
		c->violations++;
	return r;
}

enum lcg_reason checker_syscall(struct checker *c, const struct lcg_monitor *m,
				const struct trace_syscall *sc)
{
	enum lcg_reason r;

	c->syscalls++;
	/* no legitimate x86_64 program needs another ABI, not even its loader */
	if (!sc->native)
		r = LCG_R_ABI;
	else
		r = lcg_monitor_syscall(m, &c->image, sc->cls, sc->at.in_exe, sc->at.offset);
	if (r != LCG_R_OK)
		c->violations++;
	return r;
}

u32 checker_allowed(const struct checker *c, const struct lcg_monitor *m)
{
	return lcg_monitor_allowed(m, &c->image, c->allowed_buf, c->image.n_events);
}
