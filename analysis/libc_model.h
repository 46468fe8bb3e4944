/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libc_model.h - the classification of libc functions (analysis/libc-model.txt).
 */
#ifndef LCG_LIBC_MODEL_H
#define LCG_LIBC_MODEL_H

#include <stddef.h>
#include "pda/shim.h"

enum libc_class {
	LC_EFFECT,	/* acts outside the process */
	LC_STREAM,	/* opens or closes a stdio or directory stream */
	LC_STDIO,	/* buffered stdio transfer */
	LC_ALLOC,	/* allocator */
	LC_SYS,		/* other functions that may issue a system call */
	LC_PURE,
	LC_N_CLASSES
};

#define LF_NORETURN 0x1u
#define LF_SETJMP 0x2u
#define LF_LONGJMP 0x4u
#define LF_ESCAPES 0x8u
#define LF_EXITS 0x10u	/* ends the process through exit(): the exit handlers run */
#define LF_LOADS 0x20u	/* loads code, which may call the program's exported functions */

enum callback_role {
	CB_LIBC,	/* called during the libc call (pasted there when it can be) */
	CB_SIGNAL,	/* signal handler, the argument itself */
	CB_SIGACTION,	/* signal handler, inside the struct sigaction argument */
	CB_EXIT,	/* at exit */
	CB_THREAD,	/* start routine of a new thread */
	CB_STRUCT,	/* called during later calls, from a struct argument (fopencookie) */
	CB_ASYNC,	/* called later, at any point (pthread_atfork, fts_open's compar) */
	CB_SIGEVENT,	/* start routine of a thread, inside a struct sigevent argument */
};

#define LIBC_MAX_CALLBACKS 4

/* How a constant argument narrows a function's sensitive classes (arg=I:KIND). */
enum libc_refine {
	LR_NONE,
	LR_OPENFLAGS,	/* open(2) flags: write only with a write, create or truncate bit */
	LR_FMODE,	/* fopen(3) mode string: write only with w, a or +; exec-mem only with ccs= */
	LR_PROT,	/* mmap(2) protection: exec-mem only with PROT_EXEC */
	LR_SYSNO,	/* system call number: the class pda/sensitive gives it */
};

struct libc_fn {
	char *name;
	u32 cls;		/* enum libc_class */
	u32 flags;		/* LF_* */
	u32 n_callbacks;
	struct { u32 arg, role; } callbacks[LIBC_MAX_CALLBACKS];
	u32 sc;			/* sensitive classes it may issue, LCG_SC_BIT mask */
	u32 refine;		/* enum libc_refine */
	u32 refine_arg;		/* the argument the refinement reads */
};

struct libc_model {
	struct libc_fn *fns;	/* sorted by name */
	u32 n;
};

/*
 * Load the model from @path, or the built-in copy of analysis/libc-model.txt
 * when @path is NULL.  Return 0, or -1 with @err naming the file and line.
 */
int libc_model_load(struct libc_model *m, const char *path, char *err, size_t errlen);
void libc_model_free(struct libc_model *m);

/* Exact lookup; NULL when absent. */
const struct libc_fn *libc_model_find(const struct libc_model *m, const char *name, size_t len);

/*
 * Lookup after normalisation: __isoc99_/__isoc23_ prefixes, __NAME_chk,
 * __sysv_signal and NAME64 resolve to the listed NAME.
 */
const struct libc_fn *libc_model_lookup(const struct libc_model *m, const char *name, size_t len);

/* Is a call of class @cls an event under event set @set (enum lcg_event_set)? */
bool libc_class_monitored(u32 cls, u32 set);

/*
 * libc_refine_classes() - the classes a call of @f arms when argument
 * @f->refine_arg is the constant @value (@str: its C string for LR_FMODE,
 * else NULL).  Only the classes the refinement speaks about are removed.
 */
u32 libc_refine_classes(const struct libc_fn *f, u64 value, const char *str);

#endif /* LCG_LIBC_MODEL_H */
