/* Calls into libm. */
#include <math.h>
#include <stdlib.h>
#include "say.h"

int main(int argc, char **argv)
{
	double x = argc > 1 ? atof(argv[1]) : 2.0;

	say_num("cbrt(x^3) * 1000:", lround(cbrt(x * x * x) * 1000));
	say_num("lgamma(x) * 1000:", lround(lgamma(x) * 1000));
	return 0;
}
