/*
 * Physical memory for guests and the hypervisor's tables: the RAM the
 * platform reports, minus what is in use at boot (the hypervisor image, the
 * platform device tree, the boot image). Plain C, unit-tested on the host.
 */
#ifndef FACET_CORE_MM_H
#define FACET_CORE_MM_H

#include "core/types.h"

#define MM_MAX_RANGES 16

struct mm {
	struct {
		uint64_t base, size;
	} free[MM_MAX_RANGES];
	unsigned nr;
	/* The current 2 MiB chunk pages are handed out of. */
	uint64_t page_next, page_end;
	uint64_t pages_used;
};

void mm_init(struct mm *m, uint64_t base, uint64_t size);
/* Takes [base, base + size) out of the free ranges. Returns -1 if out of ranges. */
int mm_reserve(struct mm *m, uint64_t base, uint64_t size);
/* Highest free block of size bytes aligned to align. Returns 0 if none. */
uint64_t mm_alloc(struct mm *m, uint64_t size, uint64_t align);
/* A 4 KiB page (not zeroed). Returns 0 if none. */
uint64_t mm_alloc_page(struct mm *m);

#endif
