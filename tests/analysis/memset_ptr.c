/* mbed TLS keeps memset in a volatile function pointer (mbedtls_platform_zeroize). */
#include <string.h>
#include <unistd.h>

static void *(*const volatile memset_func)(void *, int, size_t) = memset;

int main(int argc, char **argv)
{
	char secret[32];

	secret[0] = (char)argc;
	memset_func(secret, 0, sizeof(secret));
	return (int)write(1, secret, 0);
}
