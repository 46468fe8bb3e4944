/* Calls into another shared library (zlib): opaque calls, outside the policy. */
#include <zlib.h>
#include "say.h"

int main(int argc, char **argv)
{
	const char text[] = "lcg lcg lcg lcg lcg lcg lcg lcg";
	unsigned char packed[128], back[128];
	uLongf plen = sizeof(packed), blen = sizeof(back);

	if (compress(packed, &plen, (const Bytef *)text, sizeof(text)) != Z_OK ||
	    uncompress(back, &blen, packed, plen) != Z_OK)
		return 1;
	say_num("round trip ok:", blen == sizeof(text) && !memcmp(back, text, blen));
	return 0;
}
