// SPDX-License-Identifier: GPL-2.0
/*
 * sha256_file.c - hash a file with nettle's SHA-256.
 */
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <unistd.h>

#include "sha256_file.h"

int lcg_sha256_file(const char *path, uint8_t out[32])
{
	struct sha256_ctx ctx;
	uint8_t buf[64 * 1024];
	ssize_t n;
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	sha256_init(&ctx);
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		sha256_update(&ctx, n, buf);
	}
	close(fd);
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
	return 0;
}
