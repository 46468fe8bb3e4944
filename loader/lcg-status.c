// SPDX-License-Identifier: GPL-2.0
/*
 * lcg-status - the profiles loaded in lcg.ko, with their counters.
 */
#include <dirent.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/json.h"
#include "loader/lcgfs.h"

#define PROG "lcg-status"

struct profile_view {
	char name[256];
	char exe[PATH_MAX];
	char action[32];	/* the "mode" attribute: enforce | complain */
	char status[512];
	char tasks[32], events[32], syscalls[32], violations[32];
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: " PROG " [--json]\n"
		"\n"
		"List the profiles loaded in the lcg kernel module: executable, mode\n"
		"(enforce|complain), status (\"loaded\" or why not) and the counters: tasks\n"
		"monitored now, events seen, sensitive system calls checked, violations.\n"
		"\n"
		"  --json      one JSON object: {\"profiles\": [{...}, ...]}\n"
		"  -h, --help  this text\n");
}

static void read_attr(const char *name, const char *attr, char *buf, size_t size)
{
	if (lcgfs_read(name, attr, buf, size))
		snprintf(buf, size, "?");
}

static void read_profile(struct profile_view *v, const char *name)
{
	snprintf(v->name, sizeof(v->name), "%s", name);
	read_attr(name, "exe", v->exe, sizeof(v->exe));
	read_attr(name, "mode", v->action, sizeof(v->action));
	read_attr(name, "status", v->status, sizeof(v->status));
	read_attr(name, "tasks", v->tasks, sizeof(v->tasks));
	read_attr(name, "events", v->events, sizeof(v->events));
	read_attr(name, "syscalls", v->syscalls, sizeof(v->syscalls));
	read_attr(name, "violations", v->violations, sizeof(v->violations));
}

/* counters are numbers in JSON; "?" (unreadable) becomes null */
static struct json_object *json_counter(const char *s)
{
	return strcmp(s, "?") ? json_object_new_int64(strtoll(s, NULL, 10)) : NULL;
}

static struct json_object *profile_json(const struct profile_view *v)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "name", json_object_new_string(v->name));
	json_object_object_add(o, "exe", json_object_new_string(v->exe));
	json_object_object_add(o, "mode", json_object_new_string(v->action));
	json_object_object_add(o, "status", json_object_new_string(v->status));
	json_object_object_add(o, "tasks", json_counter(v->tasks));
	json_object_object_add(o, "events", json_counter(v->events));
	json_object_object_add(o, "syscalls", json_counter(v->syscalls));
	json_object_object_add(o, "violations", json_counter(v->violations));
	return o;
}

static void print_text(const struct profile_view *v)
{
	printf("%s\n  exe        %s\n  mode       %s\n  status     %s\n"
	       "  tasks      %s\n  events     %s\n  syscalls   %s\n  violations %s\n",
	       v->name, v->exe, v->action, v->status, v->tasks, v->events, v->syscalls,
	       v->violations);
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int not_dot(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct profile_view v;
	struct dirent **ents;
	struct json_object *profiles = NULL;
	bool json = false;
	int c, i, n;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (lcgfs_ready(PROG))
		return 1;
	n = scandir(LCGFS_PROFILES, &ents, not_dot, name_cmp);
	if (n < 0) {
		perror(PROG ": " LCGFS_PROFILES);
		return 1;
	}
	if (json)
		profiles = json_object_new_array();
	else if (!n)
		printf("no profiles loaded (load one with lcg-load)\n");
	for (i = 0; i < n; i++) {
		read_profile(&v, ents[i]->d_name);
		if (json)
			json_object_array_add(profiles, profile_json(&v));
		else
			print_text(&v);
		free(ents[i]);
	}
	free(ents);
	if (json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "profiles", profiles);
		lcg_json_print(stdout, o, true);
	}
	return 0;
}
