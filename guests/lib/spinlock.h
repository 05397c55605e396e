/*
 * A test-and-set spinlock. The guests run with the MMU off, so these
 * exclusives target Device memory: fine on QEMU (facet's only target), which
 * implements the exclusive monitor for every memory type; real hardware may
 * not (ARM ARM, "Load-Exclusive and Store-Exclusive instruction usage
 * restrictions").
 */
#ifndef GUEST_SPINLOCK_H
#define GUEST_SPINLOCK_H

#include "base.h"

struct spinlock {
	uint32_t locked;
};

static inline void spin_lock(struct spinlock *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			cpu_wait(); /* woken by spin_unlock's SEV */
}

static inline bool spin_trylock(struct spinlock *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	dsb_ishst();
	sev();
}

#endif
