/* SPDX-License-Identifier: GPL-2.0 */
/* sha256_file.h - the SHA-256 of a file's contents (nettle). */
#ifndef LCG_LOADER_SHA256_FILE_H
#define LCG_LOADER_SHA256_FILE_H

#include <stdint.h>

/* Return 0, or -1 with errno set. */
int lcg_sha256_file(const char *path, uint8_t out[32]);

#endif /* LCG_LOADER_SHA256_FILE_H */
