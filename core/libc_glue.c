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

void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dst_size)
{
	if (n > dst_size)
		panic("memcpy of %lu bytes into %lu", (unsigned long)n, (unsigned long)dst_size);
	return memcpy(dst, src, n);
}

void *__memmove_chk(void *dst, const void *src, size_t n, size_t dst_size)
{
	if (n > dst_size)
		panic("memmove of %lu bytes into %lu", (unsigned long)n, (unsigned long)dst_size);
	return memmove(dst, src, n);
}

void *__memset_chk(void *dst, int c, size_t n, size_t dst_size)
{
	if (n > dst_size)
		panic("memset of %lu bytes into %lu", (unsigned long)n, (unsigned long)dst_size);
	return memset(dst, c, n);
}
