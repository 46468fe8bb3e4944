/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sha256.h - SHA-256 (FIPS 180-4) of a file, to tell whether a binary is the
 * one a policy was made for.  Small and dependency-free on purpose: the tracer
 * and the test policy generator both need it and nothing else from a crypto
 * library.
 */
#ifndef LCG_TRACE_SHA256_H
#define LCG_TRACE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32

struct sha256_ctx {
	uint32_t h[8];
	uint64_t bytes;		/* message length so far */
	uint8_t block[64];
	size_t used;		/* bytes waiting in block */
};

void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, size_t len);
void sha256_final(struct sha256_ctx *c, uint8_t out[SHA256_DIGEST_LEN]);

/* Return 0, or -1 with errno set when @path cannot be read. */
int sha256_file(const char *path, uint8_t out[SHA256_DIGEST_LEN]);

#endif /* LCG_TRACE_SHA256_H */
