// SPDX-License-Identifier: GPL-2.0
/* binding-lib - a shared library for binding's dlopen test: its text is mapped executable. */
int lcg_binding_lib(int x);

int lcg_binding_lib(int x)
{
	return x + 1;
}
