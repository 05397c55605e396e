#include "core/mm.h"

void mm_init(struct mm *m, uint64_t base, uint64_t size)
{
	*m = (struct mm){0};
	m->free[0].base = base;
	m->free[0].size = size;
	m->nr = 1;
}

/* Drops the ranges that reservations have emptied, so their slots are reused. */
static void mm_compact(struct mm *m)
{
	unsigned n = 0;
	for (unsigned i = 0; i < m->nr; i++)
		if (m->free[i].size)
			m->free[n++] = m->free[i];
	m->nr = n;
}

int mm_reserve(struct mm *m, uint64_t base, uint64_t size)
{
	uint64_t end = base + size;

	mm_compact(m);
	unsigned nr = m->nr;
	/* A range cut in two needs a new slot: check first, so a failure changes nothing. */
	for (unsigned i = 0; i < nr; i++) {
		uint64_t fb = m->free[i].base, fe = fb + m->free[i].size;
		if (fb < base && fe > end && m->nr == MM_MAX_RANGES)
			return -1;
	}
	for (unsigned i = 0; i < nr; i++) {
		uint64_t fb = m->free[i].base, fe = fb + m->free[i].size;
		if (end <= fb || base >= fe)
			continue;
		/* Cut [base, end) out of [fb, fe): what is left below, above, or both. */
		if (base <= fb) {
			m->free[i].base = end < fe ? end : fe;
			m->free[i].size = end < fe ? fe - end : 0;
		} else {
			m->free[i].size = base - fb;
			if (end < fe) {
				m->free[m->nr].base = end;
				m->free[m->nr].size = fe - end;
				m->nr++;
			}
		}
	}
	mm_compact(m);
	return 0;
}

uint64_t mm_alloc(struct mm *m, uint64_t size, uint64_t align)
{
	uint64_t best = 0;
	int best_i = -1;
	if (!size || (align & (align - 1)))
		return 0;
	for (unsigned i = 0; i < m->nr; i++) {
		uint64_t fb = m->free[i].base, fe = fb + m->free[i].size;
		if (m->free[i].size < size)
			continue;
		uint64_t at = ALIGN_DOWN(fe - size, align);
		if (at >= fb && at + 1 > best) {
			best = at;
			best_i = (int)i;
		}
	}
	if (best_i < 0 || mm_reserve(m, best, size))
		return 0;
	return best;
}

uint64_t mm_alloc_page(struct mm *m)
{
	if (m->page_next == m->page_end) {
		uint64_t size = MiB(2), chunk = mm_alloc(m, size, size);
		if (!chunk) {
			size = KiB(64);
			chunk = mm_alloc(m, size, KiB(4));
		}
		if (!chunk)
			return 0;
		m->page_next = chunk;
		m->page_end = chunk + size;
	}
	m->pages_used++;
	uint64_t p = m->page_next;
	m->page_next += KiB(4);
	return p;
}
