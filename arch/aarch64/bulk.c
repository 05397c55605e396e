#include <stdint.h>
#include <string.h>

#include "arch/aarch64/bulk.h"
#include "arch/aarch64/sysreg.h"

void bulk_zero(void *p, size_t n)
{
	/*
	 * DC ZVA zeroes one block of 4 << DCZID_EL0.BS bytes, unless DZP
	 * forbids it (ARM ARM D17.2.35); the memory is normal write-back here.
	 */
	uint64_t dczid = read_sysreg(dczid_el0);
	uintptr_t a = (uintptr_t)p, end = a + n;
	if (!(dczid & (1U << 4))) {
		size_t block = 4UL << (dczid & 0xF);
		if (!(a & (block - 1)) && !(n & (block - 1))) {
			for (; a < end; a += block)
				__asm__ volatile("dc zva, %0" : : "r"(a) : "memory");
			return;
		}
	}
	for (uint64_t *w = p; (uintptr_t)w < end; w += 4) {
		w[0] = 0;
		w[1] = 0;
		w[2] = 0;
		w[3] = 0;
	}
}

void bulk_copy(void *dst, const void *src, size_t n)
{
	uint64_t *d = dst;
	const uint64_t *s = src;
	size_t words = n / 8;
	for (; words >= 4; words -= 4, d += 4, s += 4) {
		uint64_t a = s[0], b = s[1], c = s[2], e = s[3];
		d[0] = a;
		d[1] = b;
		d[2] = c;
		d[3] = e;
	}
	for (; words; words--)
		*d++ = *s++;
	memcpy(d, s, n % 8);
}
