// SPDX-License-Identifier: GPL-2.0
/*
 * lcg-load - load policies into lcg.ko through configfs.
 *
 * For each policy: check that the executable is the one the policy was made
 * for (SHA-256), compile the policy into the kernel image, write it to
 * /sys/kernel/config/lcg/profiles/NAME and read the kernel's verdict back
 * from `status` (configfs cannot return it from the write itself).
 */
#include <errno.h>
#include <getopt.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "formats/policy.h"
#include "loader/lcgfs.h"
#include "formats/binary.h"

#define PROG "lcg-load"
#define DEFAULT_POLICY_DIR "/etc/lcg"

struct load_opts {
	const char *exe;	/* overrides the path recorded in the policy */
	const char *action;	/* --mode: enforce | complain, or NULL to keep the profile's */
	const char *name;	/* profile name, or NULL for the policy file's name */
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: " PROG " [--exe PATH] [--mode enforce|complain] [--name NAME] POLICY...\n"
		"       " PROG " --all [--mode enforce|complain]\n"
		"       " PROG " --remove NAME...\n"
		"\n"
		"Load lcg policies (policy.cbor, as lcg-cc writes them) into the lcg kernel\n"
		"module.  The executable (the path recorded in the policy, or --exe) must have\n"
		"the SHA-256 the policy records.  Each policy becomes the profile NAME under\n"
		LCGFS_PROFILES "/ (default: the policy's file name without\n"
		".lcg.cbor or .cbor); loading an existing profile replaces its image, and\n"
		"programs already running keep the old one until they exec.\n"
		"\n"
		"  --exe PATH      the executable to bind (one POLICY only)\n"
		"  --mode MODE     enforce (kill on violation, the default for new profiles)\n"
		"                  or complain (log and continue)\n"
		"  --name NAME     profile name (one POLICY only)\n"
		"  --all           load every *.cbor in $LCG_POLICY_DIR (default " DEFAULT_POLICY_DIR ")\n"
		"  --remove NAME   remove profiles; running programs keep theirs until exec\n"
		"  -h, --help      this text\n"
		"\n"
		"Exit status: 0 when every policy loaded, 1 when one failed, 2 on bad usage.\n");
}

/* "dir/prog.lcg.cbor" -> "prog" */
static int default_name(const char *policy, char *out, size_t size)
{
	const char *base = strrchr(policy, '/');
	size_t n;

	base = base ? base + 1 : policy;
	n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".cbor"))
		n -= 5;
	if (n > 4 && !strncmp(base + n - 4, ".lcg", 4))
		n -= 4;
	if (n >= size)
		return -1;
	memcpy(out, base, n);
	out[n] = '\0';
	return 0;
}

static int profile_exists(const char *name)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), LCGFS_PROFILES "/%s", name);
	return stat(path, &st) == 0;
}

static int profile_mkdir(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), LCGFS_PROFILES "/%s", name);
	return mkdir(path, 0700);
}

static int profile_rmdir(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), LCGFS_PROFILES "/%s", name);
	return rmdir(path);
}

static int check_binary(const struct lcg_policy *pol, const char *exe, const char *policy)
{
	uint8_t digest[32];
	char err[512];

	if (!pol->has_sha256) {
		fprintf(stderr, PROG ": %s: the policy records no SHA-256 of its binary; "
			"finalise it with 'lcg-analyze finalize %s BINARY'\n", policy, policy);
		return -1;
	}
	if (lcg_sha256_file(exe, digest, err, sizeof(err))) {
		fprintf(stderr, PROG ": %s: cannot check the executable: %s\n", policy, err);
		return -1;
	}
	if (memcmp(digest, pol->sha256, sizeof(digest))) {
		fprintf(stderr, PROG ": %s: %s is not the binary this policy was made for "
			"(SHA-256 differs); rebuild the policy or pass the right --exe\n", policy, exe);
		return -1;
	}
	return 0;
}

/*
 * Write what the profile needs; the kernel's verdict is read back by the
 * caller.  @action goes to the "mode" attribute before the image only for a
 * new profile, which monitors nothing yet: an existing one changes action only
 * once its new image is accepted, so a refused load changes nothing.
 */
static int write_profile(const char *name, const char *exe, const char *action,
			 const void *image, size_t len)
{
	char cur[PATH_MAX];

	/* rewriting an unchanged exe would make the kernel rebind (and rehash) needlessly */
	if (lcgfs_read(name, "exe", cur, sizeof(cur)) || strcmp(cur, exe)) {
		if (lcgfs_write(name, "exe", exe, strlen(exe))) {
			fprintf(stderr, PROG ": %s: cannot write exe: %s\n", name, strerror(errno));
			return -1;
		}
	}
	if (action && lcgfs_write(name, "mode", action, strlen(action))) {
		fprintf(stderr, PROG ": %s: cannot write mode: %s\n", name, strerror(errno));
		return -1;
	}
	if (lcgfs_write(name, "image", image, len)) {
		fprintf(stderr, PROG ": %s: cannot write image: %s\n", name, strerror(errno));
		return -1;
	}
	return 0;
}

static int load_one(const char *policy, const struct load_opts *o)
{
	char name[256], exe[PATH_MAX], status[512], err[512];
	struct lcg_policy pol;
	bool created = false;
	void *image = NULL;
	size_t len = 0;
	int ret = -1;

	lcg_policy_init(&pol);
	if (lcg_policy_read(&pol, policy, err, sizeof(err))) {
		fprintf(stderr, PROG ": %s\n", err);
		goto out;
	}
	if (o->name) {
		snprintf(name, sizeof(name), "%s", o->name);
	} else if (default_name(policy, name, sizeof(name))) {
		fprintf(stderr, PROG ": %s: file name too long for a profile name; use --name\n",
			policy);
		goto out;
	}
	if (!lcgfs_valid_name(name)) {
		fprintf(stderr, PROG ": '%s' is not a valid profile name "
			"(letters, digits, '.', '_', '-'); use --name\n", name);
		goto out;
	}
	if (!realpath(o->exe ? o->exe : pol.program, exe)) {
		fprintf(stderr, PROG ": %s: executable %s: %s\n", policy,
			o->exe ? o->exe : pol.program, strerror(errno));
		goto out;
	}
	if (check_binary(&pol, exe, policy))
		goto out;
	if (lcg_image_build(&pol, &image, &len, err, sizeof(err))) {
		fprintf(stderr, PROG ": %s: cannot compile the policy: %s\n", policy, err);
		goto out;
	}
	if (!profile_exists(name)) {
		if (profile_mkdir(name)) {
			fprintf(stderr, PROG ": cannot create profile %s: %s\n", name, strerror(errno));
			goto out;
		}
		created = true;
	}
	if (write_profile(name, exe, created ? o->action : NULL, image, len) == 0 &&
	    lcgfs_read(name, "status", status, sizeof(status)) == 0) {
		if (!strcmp(status, "loaded") && !created && o->action &&
		    lcgfs_write(name, "mode", o->action, strlen(o->action))) {
			fprintf(stderr, PROG ": %s: loaded, but cannot write mode: %s\n", name,
				strerror(errno));
		} else if (!strcmp(status, "loaded")) {
			printf(PROG ": %s: loaded %s for %s (%zu-byte image)\n", name, policy, exe, len);
			ret = 0;
		} else {
			fprintf(stderr, PROG ": %s: the kernel refused %s: %s\n", name, policy, status);
		}
	}
	/* a new profile that did not load is removed: nothing half-loaded stays behind */
	if (ret && created && profile_rmdir(name))
		fprintf(stderr, PROG ": cannot remove the failed profile %s: %s\n", name,
			strerror(errno));
out:
	free(image);
	lcg_policy_free(&pol);
	return ret;
}

static int load_all(const struct load_opts *o)
{
	const char *dir = getenv("LCG_POLICY_DIR");
	char pattern[PATH_MAX];
	int failed = 0;
	glob_t g;
	size_t i;

	if (!dir || !*dir)
		dir = DEFAULT_POLICY_DIR;
	snprintf(pattern, sizeof(pattern), "%s/*.cbor", dir);
	switch (glob(pattern, 0, NULL, &g)) {
	case 0:
		break;
	case GLOB_NOMATCH:
		printf(PROG ": no policies in %s\n", dir);
		return 0;
	default:
		fprintf(stderr, PROG ": cannot list %s\n", dir);
		return 1;
	}
	for (i = 0; i < g.gl_pathc; i++)
		failed |= load_one(g.gl_pathv[i], o) != 0;
	globfree(&g);
	return failed;
}

static int remove_one(const char *name)
{
	if (!lcgfs_valid_name(name)) {
		fprintf(stderr, PROG ": '%s' is not a profile name\n", name);
		return -1;
	}
	if (profile_rmdir(name)) {
		fprintf(stderr, PROG ": cannot remove profile %s: %s\n", name,
			errno == ENOENT ? "no such profile (see lcg-status)" : strerror(errno));
		return -1;
	}
	printf(PROG ": %s: removed\n", name);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "exe", required_argument, NULL, 'e' },
		{ "mode", required_argument, NULL, 'm' },
		{ "name", required_argument, NULL, 'n' },
		{ "all", no_argument, NULL, 'a' },
		{ "remove", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct load_opts o = { 0 };
	bool all = false, removing = false;
	int c, i, failed = 0;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'e': o.exe = optarg; break;
		case 'm': o.action = optarg; break;
		case 'n': o.name = optarg; break;
		case 'a': all = true; break;
		case 'r': removing = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (o.action && strcmp(o.action, "enforce") && strcmp(o.action, "complain")) {
		fprintf(stderr, PROG ": --mode must be enforce or complain, not '%s'\n", o.action);
		return 2;
	}
	if ((all && removing) || (all && optind < argc) || (!all && optind == argc) ||
	    ((o.exe || o.name) && (all || removing || argc - optind > 1))) {
		usage(stderr);
		return 2;
	}
	if (lcgfs_ready(PROG))
		return 1;
	if (all)
		return load_all(&o);
	for (i = optind; i < argc; i++)
		failed |= (removing ? remove_one(argv[i]) : load_one(argv[i], &o)) != 0;
	return failed;
}
