/*
 * What Debian's picolibc, libfdt and BearSSL expect of their environment.
 * They are built with the stack protector and _FORTIFY_SOURCE, so EL2
 * provides the guard, the failure hook and the checked copies.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/log.h"

uintptr_t __stack_chk_guard = 0x595e9fbd94fda766ULL;
void __stack_chk_fail(void);

void __stack_chk_fail(void)
{
	panic("stack smashing detected");
}

void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dst_size);
void *__memmove_chk(void *dst, const void *src, size_t n, size_t dst_size);
void *__memset_chk(void *dst, int c, size_t n, size_t dst_size);

/* The check of all three: what overflowed, by how much. */
static void check(const char *what, size_t n, size_t dst_size)
{
	if (n > dst_size)
		panic("%s of %lu bytes into %lu", what, (unsigned long)n, (unsigned long)dst_size);
}

void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dst_size)
{
	check("memcpy", n, dst_size);
	return memcpy(dst, src, n);
}

void *__memmove_chk(void *dst, const void *src, size_t n, size_t dst_size)
{
	check("memmove", n, dst_size);
	return memmove(dst, src, n);
}

void *__memset_chk(void *dst, int c, size_t n, size_t dst_size)
{
	check("memset", n, dst_size);
	return memset(dst, c, n);
}
