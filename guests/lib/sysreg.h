/*
 * System register access, greppable by register name:
 *   uint64_t v = READ_SYSREG(cntvct_el0);   WRITE_SYSREG(vbar_el1, v);
 */
#ifndef GUEST_SYSREG_H
#define GUEST_SYSREG_H

#include "base.h"

#define READ_SYSREG(reg)                                                                           \
	({                                                                                         \
		uint64_t val_;                                                                     \
		__asm__ volatile("mrs %0, " #reg : "=r"(val_));                                    \
		val_;                                                                              \
	})

#define WRITE_SYSREG(reg, v) __asm__ volatile("msr " #reg ", %0" : : "r"((uint64_t)(v)) : "memory")

/* PSTATE.DAIF.I: IRQ masking (ARM ARM, DAIF). */
static inline void irq_mask(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}
static inline void irq_unmask(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}
static inline uint64_t irq_save(void)
{
	uint64_t daif = READ_SYSREG(daif);
	irq_mask();
	return daif;
}
static inline void irq_restore(uint64_t daif)
{
	WRITE_SYSREG(daif, daif);
}

/* MPIDR_EL1 affinity fields (ARM ARM, MPIDR_EL1): Aff0-2 in [23:0], Aff3 in [39:32]. */
#define MPIDR_AFF_MASK (GENMASK(23, 0) | GENMASK(39, 32))

static inline unsigned current_el(void)
{
	return (unsigned)FIELD_GET(GENMASK(3, 2), READ_SYSREG(CurrentEL));
}

#endif
