/* SPDX-License-Identifier: GPL-2.0 */
/*
 * finalize.h - bind a policy to the binary it was built for.
 *
 * The analysis assigns event ids before code generation, so it cannot know
 * where the syscall instructions end up.  After the link, the binary's
 * .lcg_sites section (pda/abi.h) says it: finalising turns each entry
 * into a file offset pinned to its event, and records the binary's absolute
 * path and SHA-256, so the kernel can refuse events forged from elsewhere
 * and the loader can refuse a policy whose binary has changed.
 */
#ifndef LCG_FINALIZE_H
#define LCG_FINALIZE_H

#include <stddef.h>

/*
 * lcg_finalize() - pin the events of @policy_path to the sites of @binary,
 * pin its raw system calls (.lcg_sites entries of id LCG_RAW_SITE_ID: the
 * policy's raw_pins, sorted and distinct), record @binary's entry point and
 * whether it is statically linked, and rewrite the policy atomically (pins,
 * raw pins, entry and static flag from an earlier finalisation are replaced).
 *
 * Errors (return -1, @err says what and what to do, the policy is left as it
 * was): @binary unreadable, not ELF, without .lcg_sites (unless the policy
 * has no events: a program that makes no monitored call) or with a malformed
 * one; a site outside every loaded segment; a site whose id the policy does
 * not define (policy and binary come from different builds); more raw system
 * calls than a policy may pin; an entry point outside every loaded segment.
 *
 * Events that no site pins are not an error (code generation may drop an
 * unreachable block), but such an event can never be accepted from a pinned
 * image: they are reported on stderr in one warning line, prefixed with the
 * program's name.  Return 0 on success.
 */
int lcg_finalize(const char *policy_path, const char *binary, char *err, size_t errlen);

#endif /* LCG_FINALIZE_H */
