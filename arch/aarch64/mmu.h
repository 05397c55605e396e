#ifndef FACET_ARCH_MMU_H
#define FACET_ARCH_MMU_H

#include "core/types.h"

/* Build the EL2 identity map once (boot CPU), then turn it on (every CPU). */
void mmu_build(uint64_t ram_base, uint64_t ram_size);
void mmu_enable(void);

#endif
