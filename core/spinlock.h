/*
 * Ticket spinlock. Shared-memory atomics need the MMU on (normal, inner
 * shareable memory): every CPU turns it on before taking a lock.
 *
 * The two tickets share one word so that a single atomic add both takes a
 * ticket and reads whose turn it is: uncontended, a lock is one
 * load-exclusive/store-exclusive pair and a compare, an unlock one
 * store-release of the owner half (it alone writes it then). A CPU's
 * mixed-size accesses to the word and its halves are single-copy atomic
 * (ARM ARM B2.2.1); little-endian, the owner is the low half.
 * entry.S's dabt_fast takes and releases a VM's lock the same way, in
 * assembly: a change here must be made there too.
 */
#ifndef FACET_CORE_SPINLOCK_H
#define FACET_CORE_SPINLOCK_H

#include <stdint.h>

typedef union {
	uint32_t word; /* next << 16 | owner */
	struct {
		uint16_t owner, next;
	};
} spinlock_t;

#define SPINLOCK_INIT {0}

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "owner is the low half");

/*
 * The wait is inline although it is rare: a call, even on the contended
 * path only, would make the callers keep every value live across the lock
 * in callee-saved registers, and save and restore those on every trap.
 */
static inline void spin_lock(spinlock_t *l)
{
	uint32_t old = __atomic_fetch_add(&l->word, 1U << 16, __ATOMIC_ACQUIRE);
	uint16_t me = (uint16_t)(old >> 16);

	if (__builtin_expect((uint16_t)old == me, 1))
		return;
	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
		__asm__ volatile("yield");
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}

#endif
