/*
 * Stage-2 translation tables: a VM's intermediate physical addresses to
 * physical addresses (ARM ARM D8 "The AArch64 Virtual Memory System
 * Architecture", stage 2 with the 4 KiB granule). facet uses a 39-bit IPA
 * space starting at level 1 (VTCR_EL2.T0SZ = 25, SL0 = 1): one 4 KiB root.
 * Guest RAM is mapped with 2 MiB blocks where it is aligned, 4 KiB pages
 * elsewhere; anything not mapped faults to EL2 (emulated devices, or an
 * external abort for the guest).
 *
 * Plain C over memory: no system registers, unit-tested on the host.
 */
#ifndef FACET_ARCH_STAGE2_H
#define FACET_ARCH_STAGE2_H

#include "core/types.h"

#define STAGE2_IPA_BITS 39
#define STAGE2_PAGE_SIZE 4096UL

struct stage2 {
	uint64_t *root;
	/* Returns a zeroed, 4 KiB aligned table page, or NULL. */
	void *(*alloc_table)(void *ctx);
	void *ctx;
	unsigned nr_tables; /* tables in use, root included */
};

int stage2_init(struct stage2 *s2, void *(*alloc_table)(void *), void *ctx);
/*
 * Maps [ipa, ipa + size) to [pa, pa + size) as normal write-back RW memory.
 * All three must be 4 KiB aligned and the range inside the IPA space.
 * Returns 0, or -1 (bad arguments, range already mapped, out of tables).
 */
int stage2_map(struct stage2 *s2, ipaddr_t ipa, paddr_t pa, uint64_t size);
/* Translates ipa. Returns false if it is not mapped. */
bool stage2_lookup(const struct stage2 *s2, ipaddr_t ipa, paddr_t *out);

#endif
