/*
 * Ticket spinlock. Shared-memory atomics need the MMU on (normal, inner
 * shareable memory): every CPU turns it on before taking a lock.
 */
#ifndef FACET_CORE_SPINLOCK_H
#define FACET_CORE_SPINLOCK_H

#include <stdint.h>

typedef struct {
	uint16_t next, owner;
} spinlock_t;

#define SPINLOCK_INIT {0, 0}

static inline void spin_lock(spinlock_t *l)
{
	uint16_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
		__asm__ volatile("yield");
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}

#endif
