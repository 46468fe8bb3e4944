// SPDX-License-Identifier: GPL-2.0
/*
 * test_trace_sha256.c - the SHA-256 that tells lcg-trace whether a binary is
 * the policy's: FIPS 180-4 test vectors, block boundaries, files.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <unistd.h>

#include "eval/trace/sha256.h"

static void hex(const uint8_t d[SHA256_DIGEST_LEN], char out[2 * SHA256_DIGEST_LEN + 1])
{
	for (int i = 0; i < SHA256_DIGEST_LEN; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void expect(const void *data, size_t len, const char *want)
{
	struct sha256_ctx c;
	uint8_t d[SHA256_DIGEST_LEN];
	char got[2 * SHA256_DIGEST_LEN + 1];

	sha256_init(&c);
	sha256_update(&c, data, len);
	sha256_final(&c, d);
	hex(d, got);
	cr_assert_str_eq(got, want, "length %zu", len);
}

Test(trace_sha256, empty)
{
	expect("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

Test(trace_sha256, abc)
{
	expect("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* 56 bytes: the length no longer fits in the first block. */
Test(trace_sha256, two_block_message)
{
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	expect(m, 56, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

Test(trace_sha256, million_a_fed_in_odd_pieces)
{
	static char a[1000000];
	struct sha256_ctx c;
	uint8_t d[SHA256_DIGEST_LEN];
	char got[2 * SHA256_DIGEST_LEN + 1];
	size_t done = 0, step = 1;

	memset(a, 'a', sizeof(a));
	sha256_init(&c);
	while (done < sizeof(a)) {
		size_t n = step < sizeof(a) - done ? step : sizeof(a) - done;

		sha256_update(&c, a + done, n);
		done += n;
		step = step * 3 % 997 + 1;
	}
	sha256_final(&c, d);
	hex(d, got);
	cr_assert_str_eq(got, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

Test(trace_sha256, file_matches_memory)
{
	char path[] = "/tmp/lcg-sha256-XXXXXX";
	int fd = mkstemp(path);
	uint8_t d[SHA256_DIGEST_LEN];
	char got[2 * SHA256_DIGEST_LEN + 1];

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "abc", 3), 3);
	close(fd);
	cr_assert_eq(sha256_file(path, d), 0);
	unlink(path);
	hex(d, got);
	cr_assert_str_eq(got, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

Test(trace_sha256, missing_file_is_an_error)
{
	uint8_t d[SHA256_DIGEST_LEN];

	cr_assert_eq(sha256_file("/nonexistent/lcg", d), -1);
}
