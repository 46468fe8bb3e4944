/* SPDX-License-Identifier: GPL-2.0 */
/*
 * image.h - the compact policy image that lcg.ko uses in place.
 *
 * A flat little-endian buffer: a header, then sections located by
 * (offset, count) pairs in the header.  Every section is 8-byte aligned.  The
 * automaton is epsilon-free (closures were folded in when it was built) and
 * procedures own contiguous state ranges.  Proc 0 is the dispatcher: its
 * states (program start, thread start, asynchronous entry, one per call site
 * with callees) are the only ones whose edges may enter other procedures.
 *
 * Nothing here may be trusted before lcg_image_validate() accepted the
 * buffer; docs/image-format.md describes the layout field by field.
 */
#ifndef LCG_IMAGE_H
#define LCG_IMAGE_H

#include "shim.h"

#define LCG_IMAGE_MAGIC 0x49474c43u /* "CLGI" read as little-endian bytes */
#define LCG_IMAGE_VERSION 2u

enum lcg_mode { LCG_MODE_PDA = 1, LCG_MODE_NFA = 2 };
enum lcg_event_set {
	LCG_EVENTS_EFFECTS = 1,
	LCG_EVENTS_SYSCALLS = 2,
	LCG_EVENTS_ALL_LIBC = 3,
};
enum lcg_event_kind {
	LCG_EV_UNUSED = 0,
	LCG_EV_LIBCALL = 1,
	LCG_EV_PRECALL = 2,
	LCG_EV_POSTCALL = 3,
};

/* image flags */
#define LCG_IMG_PINNED 0x1u	/* finalised: every event must come from one of its pins */
#define LCG_IMG_STATIC 0x2u	/* statically linked: libc is in the text, origin not checked */
#define LCG_IMG_ALL_FLAGS 0x3u

/* header entry: the entry point is unknown (not finalised); offset 0 is the ELF header */
#define LCG_NO_ENTRY 0ull

/* state flags */
#define LCG_STATE_EXIT 0x1u	/* the procedure may return from here */

/* proc flags */
#define LCG_PROC_DISPATCH 0x1u	/* proc 0 only */
#define LCG_PROC_ROOT 0x2u	/* entered at program start (main, or NFA whole program) */
#define LCG_PROC_ASYNC 0x4u	/* may start at any point: handlers, callbacks from libc */
#define LCG_PROC_THREAD 0x8u	/* a thread start routine */
#define LCG_PROC_ALL_FLAGS 0xfu

/* site flags */
#define LCG_SITE_SETJMP 0x1u	/* POSTCALL may unwind frames to this site's procedure */
#define LCG_SITE_ALL_FLAGS 0x1u

struct lcg_img_section {
	u32 off;	/* from the start of the image, 8-aligned */
	u32 count;	/* elements (bytes for the string table) */
};

enum lcg_img_sec {
	LCG_SEC_STATES,
	LCG_SEC_EDGES,
	LCG_SEC_PROCS,
	LCG_SEC_SITES,
	LCG_SEC_CALLEES,
	LCG_SEC_EVENTS,
	LCG_SEC_PINS,
	LCG_SEC_EVIDX,		/* per event: targets of its edges */
	LCG_SEC_EVTARGETS,
	LCG_SEC_STRTAB,
	LCG_SEC_RAW_PINS,	/* file offsets of raw system calls the analysis saw, sorted */
	LCG_SEC_COUNT
};

struct lcg_img_header {
	u32 magic;
	u32 version;
	u32 size;		/* whole image in bytes */
	u32 mode;		/* enum lcg_mode */
	u32 event_set;		/* enum lcg_event_set */
	u32 flags;		/* LCG_IMG_* */
	u32 root_state;		/* dispatcher state entered at exec */
	u32 thread_state;	/* dispatcher state for new threads, or LCG_NONE */
	u32 async_state;	/* dispatcher state for async entries, or LCG_NONE */
	u32 pad;
	u64 entry;		/* file offset of the program's entry point, or LCG_NO_ENTRY */
	u8 sha256[32];		/* of the executable the policy was made for */
	struct lcg_img_section sec[LCG_SEC_COUNT];
};

struct lcg_img_state {
	u32 first_edge;
	u32 n_edges;		/* edges sorted by (event, target) */
	u32 proc;
	u32 flags;		/* LCG_STATE_* */
};

struct lcg_img_edge {
	u32 event;		/* never 0: the image has no epsilon edges */
	u32 target;
};

struct lcg_img_proc {
	u32 first_state;
	u32 n_states;
	u32 entry;
	u32 flags;		/* LCG_PROC_* */
	u32 name;		/* string table offset */
	u32 pad;
};

struct lcg_img_site {
	u32 caller;		/* proc holding the call */
	u32 pre_event;		/* 0 for setjmp sites, which only have a POSTCALL */
	u32 post_event;
	u32 ret_state;		/* caller state after the call returns */
	u32 dispatch_state;	/* proc-0 state entering the callees, LCG_NONE if none */
	u32 first_callee;	/* into the callee section */
	u32 n_callees;
	u32 flags;		/* LCG_SITE_* */
};

struct lcg_img_event {
	u32 kind;		/* enum lcg_event_kind; LCG_EV_UNUSED for holes */
	u32 site;		/* PRECALL/POSTCALL: site index, else LCG_NONE */
	u32 first_pin;
	u32 n_pins;
	u32 callee;		/* string offsets: called function, */
	u32 function;		/* enclosing function, */
	u32 file;		/* source file */
	u32 line;
	u32 classes;		/* LIBCALL: sensitive classes it arms (pda/sensitive.h); else 0 */
	u32 pad;
};

struct lcg_img_evidx {
	u32 first;		/* into the event-target section */
	u32 count;
};

/*
 * A validated image: pointers into the caller's buffer.  Filled only by
 * lcg_image_validate(); the monitor never reads the buffer any other way.
 */
struct lcg_image {
	const struct lcg_img_header *hdr;
	const struct lcg_img_state *states;
	const struct lcg_img_edge *edges;
	const struct lcg_img_proc *procs;
	const struct lcg_img_site *sites;
	const u32 *callees;
	const struct lcg_img_event *events;
	const u64 *pins;	/* file offsets of each event's syscall instruction */
	const struct lcg_img_evidx *evidx;
	const u32 *evtargets;
	const char *strtab;
	const u64 *raw_pins;	/* sorted */
	u32 n_states, n_edges, n_procs, n_sites, n_callees, n_events, n_pins,
	    n_evtargets, strtab_size, n_raw_pins;
};

/**
 * lcg_image_validate() - check every count, offset and index of an image.
 * @img: filled with pointers into @buf on success, zeroed on failure
 * @buf: the image bytes (8-byte aligned), not modified
 * @len: bytes in @buf
 *
 * Return: NULL when the image is safe to use in place, else a static string
 * naming the first problem found.
 */
const char *lcg_image_validate(struct lcg_image *img, const void *buf, u64 len);

/* A string-table entry; the validator guarantees termination. */
static inline const char *lcg_image_str(const struct lcg_image *img, u32 off)
{
	return off < img->strtab_size ? img->strtab + off : "";
}

#endif /* LCG_IMAGE_H */
