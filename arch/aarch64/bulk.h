/*
 * Clearing and copying guest memory in bulk (VM load and reset). picolibc's
 * memset/memcpy are built for size and go a byte at a time; a 256 MiB guest
 * would cost over a billion instructions to clear that way.
 */
#ifndef FACET_ARCH_BULK_H
#define FACET_ARCH_BULK_H

#include <stddef.h>

/* Zeroes [p, p + n); p and n multiples of 4 KiB. */
void bulk_zero(void *p, size_t n);
/* Copies n bytes; dst and src 8-byte aligned (the tail may be any length). */
void bulk_copy(void *dst, const void *src, size_t n);

#endif
