/* SPDX-License-Identifier: GPL-2.0 */
/*
 * policy.h - a program's policy, as lcg-analyze writes it to policy.cbor and
 * as the loader, the tracer and the reports read it back.
 * docs/policy-format.md is the schema.
 */
#ifndef LCG_POLICY_H
#define LCG_POLICY_H

#include "automaton.h"
#include "../pda/image.h"

#define LCG_POLICY_VERSION 2u

struct lcg_event_info {
	u32 kind;		/* enum lcg_event_kind; LCG_EV_UNUSED for holes */
	u32 site;		/* PRECALL/POSTCALL: index in graphs.sites, else LCG_NONE */
	char *callee;		/* library function, or internal callee ("*" if indirect) */
	char *function;		/* enclosing function */
	char *file;		/* may be NULL when no debug information */
	u32 line;		/* 0 when unknown */
	u64 *pins;		/* file offsets of the syscall instruction(s) */
	u32 n_pins;
	u32 classes;		/* LIBCALL: the sensitive classes it arms (pda/sensitive.h) */
};

struct lcg_policy {
	char *program;		/* path of the executable (absolute when finalised) */
	u8 sha256[32];
	bool has_sha256;	/* set by lcg-analyze finalize, with the three below */
	u64 entry;		/* file offset of the entry point, LCG_NO_ENTRY if unknown */
	bool is_static;		/* statically linked: libc's code is in the program's text */
	u64 *raw_pins;		/* file offsets of raw system calls in the program, sorted */
	u32 n_raw_pins;
	u32 mode;		/* enum lcg_mode */
	u32 event_set;		/* enum lcg_event_set */
	u32 n_events;		/* ids are 1..n_events-1; events[0] is unused */
	u32 cap_events;		/* room in events; 0 when read from a file (grown on add) */
	struct lcg_event_info *events;
	struct lcg_automaton graphs;	/* per-procedure library call graphs + call sites */
	struct lcg_automaton nfa;	/* NFA mode: the whole-program automaton */
};

void lcg_policy_init(struct lcg_policy *p);
void lcg_policy_free(struct lcg_policy *p);

/*
 * The names of modes ("pda", "nfa") and event sets ("effects", "syscalls",
 * "all-libc") in policy.cbor, on the command lines and in test specs: one
 * table, policy_schema.h's.  Parsing gives 0 for a name that is none (or
 * NULL); an unknown value's name is "?".
 */
u32 lcg_mode_parse(const char *name);
const char *lcg_mode_name(u32 mode);
u32 lcg_event_set_parse(const char *name);
const char *lcg_event_set_name(u32 set);

/*
 * lcg_policy_add_event() - append a copy of @e (callee, function and file
 * duplicated; no pins: finalisation adds them) as the next event id.  On an
 * empty table it first reserves id 0, unused; @e NULL does only that (a
 * policy without events).  Return the id (0 for NULL), or LCG_NONE out of
 * memory, with the policy unchanged.
 */
u32 lcg_policy_add_event(struct lcg_policy *p, const struct lcg_event_info *e);

/*
 * lcg_policy_check() - the consistency rules of docs/policy-format.md (every
 * index in range, call edges matching their sites, event kinds matching the
 * mode, counts within pda/limits.h).  The writer refuses a policy that fails
 * them and the reader rejects a file that does.  Return 0, or -1 with a
 * message in @err naming the field (e.g. "graphs.edges[3].to: ...").
 */
int lcg_policy_check(const struct lcg_policy *p, char *err, size_t errlen);

/*
 * lcg_policy_read() / lcg_policy_write() - policy.cbor.
 * Return 0, or -1 with a message in @err naming the file and the field.
 * Reading overwrites *@p without freeing it (it need not be initialised); on
 * failure *@p is left empty, as after lcg_policy_init().  lcg_policy_decode()
 * names the buffer "policy" in messages.  Writing refuses a policy that fails
 * lcg_policy_check(), and goes to a temporary file in the same directory, then
 * rename(2): the previous file stays intact on any error.
 */
int lcg_policy_read(struct lcg_policy *p, const char *path, char *err, size_t errlen);
int lcg_policy_decode(struct lcg_policy *p, const u8 *buf, size_t len, char *err, size_t errlen);
int lcg_policy_write(const struct lcg_policy *p, const char *path, char *err, size_t errlen);
/* The bytes lcg_policy_write() would write; *@out is malloc'ed. */
int lcg_policy_encode(const struct lcg_policy *p, u8 **out, size_t *len, char *err, size_t errlen);

/*
 * lcg_image_build() - compile a policy into the kernel image: epsilon
 * closures folded in, procedures determinised where small, dispatcher states
 * added.  *@out is malloc'ed (8-aligned).  Return 0, or -1 with @err set.
 */
int lcg_image_build(const struct lcg_policy *p, void **out, size_t *len, char *err, size_t errlen);
/* the same with another determinisation factor (0: keep every procedure an NFA) */
int lcg_image_build_ex(const struct lcg_policy *p, u32 dfa_factor, void **out, size_t *len,
		       char *err, size_t errlen);

/*
 * DOT output: one file per procedure (named after it, made file-safe) and
 * program.dot for the whole program, as directory @dir: written beside it,
 * then put in its place in one rename, the previous graphs removed.  A @dir
 * holding anything but *.dot files is the user's and is refused.
 */
int lcg_dot_write_dir(const struct lcg_policy *p, const char *dir, char *err, size_t errlen);
/* The same last step for a DOT directory @tmp already written (lcg-cc's plugin). */
int lcg_dot_install_dir(const char *tmp, const char *dir, char *err, size_t errlen);
/* Remove a DOT directory (absent: nothing to do), refusing one that holds other files. */
int lcg_dot_remove_dir(const char *dir, char *err, size_t errlen);

#endif /* LCG_POLICY_H */
