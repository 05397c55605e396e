/*
 * Unit tests for core/mm.c, the physical range allocator. Addresses are
 * only numbers here: nothing is dereferenced. The checks look at which
 * bytes are free (the union of struct mm's ranges) rather than at how the
 * ranges are laid out, except where a split is the point of the test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/mm.h"

#define RAM_BASE 0x40000000ULL
#define RAM_SIZE MiB(256)
#define RAM_END (RAM_BASE + RAM_SIZE)
#define PAGE KiB(4)

static uint64_t free_bytes(const struct mm *m)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < m->nr; i++)
		n += m->free[i].size;
	return n;
}

static bool is_free(const struct mm *m, uint64_t a)
{
	for (unsigned i = 0; i < m->nr; i++)
		if (a >= m->free[i].base && a - m->free[i].base < m->free[i].size)
			return true;
	return false;
}

/* No byte of [base, base + size) is free. */
static void assert_none_free(const struct mm *m, uint64_t base, uint64_t size)
{
	for (unsigned i = 0; i < m->nr; i++) {
		uint64_t fb = m->free[i].base, fe = fb + m->free[i].size;

		if (m->free[i].size && fb < base + size && base < fe)
			fail_msg("[%#llx, %#llx) is free, inside [%#llx, %#llx)",
				 (unsigned long long)fb, (unsigned long long)fe,
				 (unsigned long long)base, (unsigned long long)(base + size));
	}
}

/* Free ranges never overlap each other. */
static void assert_ranges_disjoint(const struct mm *m)
{
	for (unsigned i = 0; i < m->nr; i++)
		for (unsigned j = i + 1; j < m->nr; j++) {
			uint64_t ab = m->free[i].base, ae = ab + m->free[i].size;
			uint64_t bb = m->free[j].base, be = bb + m->free[j].size;

			if (m->free[i].size && m->free[j].size)
				assert_true(ae <= bb || be <= ab);
		}
}

static void test_init(void **state)
{
	struct mm m;

	memset(&m, 0xA5, sizeof(m));
	mm_init(&m, RAM_BASE, RAM_SIZE);
	assert_int_equal(m.nr, 1);
	assert_int_equal(m.free[0].base, RAM_BASE);
	assert_int_equal(m.free[0].size, RAM_SIZE);
	assert_int_equal(m.page_next, m.page_end);
	assert_int_equal(m.pages_used, 0);
}

static void test_reserve_splits_range(void **state)
{
	struct mm m;
	const uint64_t r = RAM_BASE + MiB(16), rs = MiB(3);

	mm_init(&m, RAM_BASE, RAM_SIZE);
	assert_int_equal(mm_reserve(&m, r, rs), 0);
	assert_int_equal(free_bytes(&m), RAM_SIZE - rs);
	assert_true(is_free(&m, RAM_BASE));
	assert_true(is_free(&m, r - 1));
	assert_false(is_free(&m, r));
	assert_false(is_free(&m, r + rs - 1));
	assert_true(is_free(&m, r + rs));
	assert_true(is_free(&m, RAM_END - 1));
	assert_false(is_free(&m, RAM_END));
	/* Two non-empty ranges: below and above. */
	unsigned n = 0;
	for (unsigned i = 0; i < m.nr; i++) {
		if (!m.free[i].size)
			continue;
		n++;
		assert_true((m.free[i].base == RAM_BASE && m.free[i].size == r - RAM_BASE) ||
			    (m.free[i].base == r + rs && m.free[i].size == RAM_END - r - rs));
	}
	assert_int_equal(n, 2);
}

static void test_reserve_edges(void **state)
{
	struct mm m;

	mm_init(&m, RAM_BASE, RAM_SIZE);
	/* The first and last MiB: no split, one range shrinks. */
	assert_int_equal(mm_reserve(&m, RAM_BASE, MiB(1)), 0);
	assert_int_equal(mm_reserve(&m, RAM_END - MiB(1), MiB(1)), 0);
	assert_int_equal(free_bytes(&m), RAM_SIZE - MiB(2));
	assert_false(is_free(&m, RAM_BASE));
	assert_true(is_free(&m, RAM_BASE + MiB(1)));
	assert_true(is_free(&m, RAM_END - MiB(1) - 1));
	assert_false(is_free(&m, RAM_END - 1));
	/* Outside RAM, and overlapping its ends: only the part inside counts. */
	assert_int_equal(mm_reserve(&m, 0, MiB(1)), 0);
	assert_int_equal(mm_reserve(&m, RAM_END + MiB(1), MiB(1)), 0);
	assert_int_equal(free_bytes(&m), RAM_SIZE - MiB(2));
	assert_int_equal(mm_reserve(&m, RAM_BASE - MiB(1), MiB(3)), 0);
	assert_int_equal(mm_reserve(&m, RAM_END - MiB(2), MiB(8)), 0);
	assert_int_equal(free_bytes(&m), RAM_SIZE - MiB(4));
	assert_none_free(&m, 0, RAM_BASE + MiB(2));
	assert_none_free(&m, RAM_END - MiB(2), MiB(16));
	/* Reserving it twice changes nothing. */
	assert_int_equal(mm_reserve(&m, RAM_BASE + MiB(10), MiB(1)), 0);
	assert_int_equal(mm_reserve(&m, RAM_BASE + MiB(10), MiB(1)), 0);
	assert_int_equal(free_bytes(&m), RAM_SIZE - MiB(5));
	/* Everything. */
	assert_int_equal(mm_reserve(&m, RAM_BASE, RAM_SIZE), 0);
	assert_int_equal(free_bytes(&m), 0);
	assert_int_equal(mm_alloc(&m, PAGE, PAGE), 0);
}

/* One reservation that covers a hole and parts of the ranges either side. */
static void test_reserve_across_ranges(void **state)
{
	struct mm m;

	mm_init(&m, RAM_BASE, RAM_SIZE);
	assert_int_equal(mm_reserve(&m, RAM_BASE + MiB(10), MiB(2)), 0); /* hole 10-12 */
	assert_int_equal(mm_reserve(&m, RAM_BASE + MiB(20), MiB(2)), 0); /* hole 20-22 */
	assert_int_equal(mm_reserve(&m, RAM_BASE + MiB(8), MiB(16)), 0); /* 8-24 */
	assert_int_equal(free_bytes(&m), RAM_SIZE - MiB(16));
	assert_true(is_free(&m, RAM_BASE + MiB(8) - 1));
	assert_none_free(&m, RAM_BASE + MiB(8), MiB(16));
	assert_true(is_free(&m, RAM_BASE + MiB(24)));
	assert_ranges_disjoint(&m);
}

static void test_alloc_top_down(void **state)
{
	struct mm m;

	mm_init(&m, RAM_BASE, RAM_SIZE);
	assert_int_equal(mm_alloc(&m, PAGE, PAGE), RAM_END - PAGE);
	assert_int_equal(mm_alloc(&m, PAGE, PAGE), RAM_END - 2 * PAGE);
	assert_int_equal(mm_alloc(&m, 3 * PAGE, PAGE), RAM_END - 5 * PAGE);
	/* 2 MiB aligned: the next boundary down, leaving the gap free. */
	assert_int_equal(mm_alloc(&m, MiB(2), MiB(2)), RAM_END - MiB(4));
	assert_true(is_free(&m, RAM_END - MiB(2)));
	assert_true(is_free(&m, RAM_END - 5 * PAGE - 1));
	assert_false(is_free(&m, RAM_END - 5 * PAGE));
	/* The gap above serves a small request before lower memory does. */
	assert_int_equal(mm_alloc(&m, PAGE, PAGE), RAM_END - 6 * PAGE);
	assert_int_equal(free_bytes(&m), RAM_SIZE - MiB(2) - 6 * PAGE);
	assert_ranges_disjoint(&m);
}

/* The highest fit across ranges, not the first range that fits. */
static void test_alloc_highest_range(void **state)
{
	struct mm m;

	mm_init(&m, RAM_BASE, RAM_SIZE);
	assert_int_equal(mm_reserve(&m, RAM_BASE + MiB(64), RAM_SIZE - MiB(64) - MiB(1)), 0);
	/* Free: [base, base + 64M) and the last MiB. */
	assert_int_equal(mm_alloc(&m, KiB(512), KiB(4)), RAM_END - KiB(512));
	/* Does not fit above any more: from the lower range's top. */
	assert_int_equal(mm_alloc(&m, MiB(1), KiB(4)), RAM_BASE + MiB(63));
	assert_int_equal(mm_alloc(&m, KiB(512), KiB(4)), RAM_END - MiB(1));
	assert_int_equal(mm_alloc(&m, PAGE, PAGE), RAM_BASE + MiB(63) - PAGE);
}

static void test_alloc_aligned(void **state)
{
	static const uint64_t aligns[] = {KiB(4), KiB(64), MiB(1), MiB(2), MiB(32)};
	struct mm m;

	mm_init(&m, RAM_BASE + PAGE, RAM_SIZE - 2 * PAGE); /* not 2 MiB aligned at either end */
	for (unsigned i = 0; i < ARRAY_SIZE(aligns); i++) {
		uint64_t a = mm_alloc(&m, PAGE * (i + 1), aligns[i]);

		assert_int_not_equal(a, 0);
		assert_int_equal(a % aligns[i], 0);
		assert_true(a >= RAM_BASE + PAGE);
		assert_true(a + PAGE * (i + 1) <= RAM_END - PAGE);
		assert_none_free(&m, a, PAGE * (i + 1));
	}
	/* The top 2 MiB block is not whole: a 2 MiB allocation takes the one below. */
	mm_init(&m, RAM_BASE + PAGE, RAM_SIZE - 2 * PAGE);
	assert_int_equal(mm_alloc(&m, MiB(2), MiB(2)), RAM_END - MiB(4));
	/* A range holding 2 MiB, but no aligned 2 MiB. */
	mm_init(&m, RAM_BASE + PAGE, MiB(2));
	assert_int_equal(mm_alloc(&m, MiB(2), MiB(2)), 0);
	assert_int_equal(free_bytes(&m), MiB(2));
	assert_int_equal(mm_alloc(&m, MiB(2), PAGE), RAM_BASE + PAGE);
}

static void test_alloc_bad_arguments(void **state)
{
	struct mm m;

	mm_init(&m, RAM_BASE, RAM_SIZE);
	assert_int_equal(mm_alloc(&m, 0, PAGE), 0);
	assert_int_equal(mm_alloc(&m, PAGE, 3 * PAGE), 0); /* not a power of two */
	assert_int_equal(mm_alloc(&m, PAGE, KiB(6)), 0);
	assert_int_equal(free_bytes(&m), RAM_SIZE);
}

static void test_alloc_exhaustion(void **state)
{
	struct mm m;

	mm_init(&m, RAM_BASE, MiB(1));
	assert_int_equal(mm_alloc(&m, MiB(1) + PAGE, PAGE), 0);
	assert_int_equal(free_bytes(&m), MiB(1));
	for (unsigned i = 0; i < 256; i++)
		assert_int_equal(mm_alloc(&m, PAGE, PAGE), RAM_BASE + MiB(1) - (i + 1) * PAGE);
	assert_int_equal(free_bytes(&m), 0);
	assert_int_equal(mm_alloc(&m, PAGE, PAGE), 0);
	assert_int_equal(mm_alloc(&m, 1, 1), 0);
}

/* Allocations never overlap reserved memory, each other, or leave RAM. */
static void test_alloc_avoids_reserved(void **state)
{
	static const struct {
		uint64_t base, size;
	} holes[] = {
	    {RAM_BASE + MiB(1) - PAGE, 2 * PAGE}, /* straddles a 1 MiB boundary */
	    {RAM_BASE + MiB(3), KiB(20)},
	    {RAM_BASE + MiB(4) - KiB(8), KiB(8)}, /* the top */
	    {RAM_BASE, KiB(64)},		  /* the bottom */
	};
	static uint64_t got[2048];
	static const uint64_t sizes[] = {KiB(4), KiB(64), KiB(12), KiB(256), KiB(8)};
	unsigned n = 0;
	struct mm m;

	mm_init(&m, RAM_BASE, MiB(4));
	for (unsigned i = 0; i < ARRAY_SIZE(holes); i++)
		assert_int_equal(mm_reserve(&m, holes[i].base, holes[i].size), 0);
	for (unsigned round = 0; n < ARRAY_SIZE(got); round++) {
		uint64_t size = sizes[round % ARRAY_SIZE(sizes)];
		uint64_t a = mm_alloc(&m, size, size >= KiB(64) ? KiB(64) : PAGE);

		if (!a) {
			if (size == PAGE)
				break; /* not even a page left */
			continue;
		}
		assert_true(a >= RAM_BASE && a + size <= RAM_BASE + MiB(4));
		for (unsigned h = 0; h < ARRAY_SIZE(holes); h++)
			assert_true(a + size <= holes[h].base ||
				    a >= holes[h].base + holes[h].size);
		for (unsigned k = 0; k < n; k += 2)
			assert_true(a + size <= got[k] || a >= got[k] + got[k + 1]);
		assert_none_free(&m, a, size);
		got[n++] = a;
		got[n++] = size;
	}
	assert_int_equal(free_bytes(&m), 0);
	/* Everything but the holes was handed out. */
	uint64_t total = 0;
	for (unsigned k = 0; k < n; k += 2)
		total += got[k + 1];
	assert_int_equal(total, MiB(4) - 2 * PAGE - KiB(20) - KiB(8) - KiB(64));
}

static void test_alloc_page_chunks(void **state)
{
	struct mm m;
	const uint64_t chunk = RAM_END - MiB(2);

	mm_init(&m, RAM_BASE, RAM_SIZE);
	for (unsigned i = 0; i < 512; i++) {
		uint64_t p = mm_alloc_page(&m);

		/* Distinct, in order, 4 KiB aligned, inside the top 2 MiB. */
		assert_int_equal(p, chunk + i * PAGE);
	}
	assert_int_equal(m.pages_used, 512);
	/* The whole chunk left the free ranges at once. */
	assert_int_equal(free_bytes(&m), RAM_SIZE - MiB(2));
	assert_none_free(&m, chunk, MiB(2));
	/* The 513th page opens a new chunk, the next 2 MiB down. */
	assert_int_equal(mm_alloc_page(&m), chunk - MiB(2));
	assert_int_equal(free_bytes(&m), RAM_SIZE - MiB(4));
	assert_int_equal(mm_alloc_page(&m), chunk - MiB(2) + PAGE);
	assert_int_equal(m.pages_used, 514);
	/* A large allocation now comes from below the chunks. */
	assert_int_equal(mm_alloc(&m, MiB(2), MiB(2)), chunk - MiB(4));
}

/* Pages and other allocations interleaved never meet. */
static void test_alloc_page_mixed(void **state)
{
	struct mm m;
	uint64_t p0, a, p1;

	mm_init(&m, RAM_BASE, MiB(8));
	p0 = mm_alloc_page(&m);
	a = mm_alloc(&m, PAGE, PAGE);
	p1 = mm_alloc_page(&m);
	assert_int_equal(p0, RAM_BASE + MiB(6));
	assert_int_equal(p1, p0 + PAGE);
	/* mm_alloc does not hand out the rest of the page chunk. */
	assert_true(a + PAGE <= p0 || a >= p0 + MiB(2));
	assert_int_equal(a, RAM_BASE + MiB(6) - PAGE);
}

/* No whole 2 MiB block is free: pages come from 64 KiB chunks. */
static void test_alloc_page_small_chunks(void **state)
{
	struct mm m;
	const uint64_t base = RAM_BASE + MiB(1), end = base + MiB(2); /* straddles a 2 MiB line */

	mm_init(&m, base, MiB(2));
	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(mm_alloc_page(&m), end - KiB(64) + i * PAGE);
	assert_int_equal(free_bytes(&m), MiB(2) - KiB(64));
	/* The 17th page: the next 64 KiB down. */
	assert_int_equal(mm_alloc_page(&m), end - KiB(128));
	assert_int_equal(free_bytes(&m), MiB(2) - KiB(128));
	assert_none_free(&m, end - KiB(128), KiB(128));
}

/* With free memory in pieces under 2 MiB and not 64 KiB aligned, chunks are 4 KiB aligned. */
static void test_alloc_page_unaligned_small_chunk(void **state)
{
	struct mm m;
	const uint64_t base = RAM_BASE + PAGE;

	mm_init(&m, base, KiB(64) + PAGE);
	assert_int_equal(mm_alloc_page(&m), base + PAGE);
	assert_int_equal(free_bytes(&m), PAGE);
	assert_true(is_free(&m, base));
}

static void test_alloc_page_exhaustion(void **state)
{
	struct mm m;
	uint64_t seen[32];

	mm_init(&m, RAM_BASE, KiB(128));
	for (unsigned i = 0; i < 32; i++) {
		seen[i] = mm_alloc_page(&m);
		assert_int_not_equal(seen[i], 0);
		assert_int_equal(seen[i] % PAGE, 0);
		assert_true(seen[i] >= RAM_BASE && seen[i] < RAM_BASE + KiB(128));
		for (unsigned k = 0; k < i; k++)
			assert_int_not_equal(seen[k], seen[i]);
	}
	assert_int_equal(mm_alloc_page(&m), 0);
	assert_int_equal(mm_alloc_page(&m), 0);
	assert_int_equal(m.pages_used, 32);
}

/*
 * Regression: with the range table full, a reservation over two ranges used
 * to cut the first, find no slot for its upper part and return -1 before
 * looking at the second range, which kept reserved bytes that mm_alloc then
 * handed out. Whatever it returns, mm_reserve must not leave a reserved
 * byte free.
 */
static void test_reserve_table_full_keeps_reservation(void **state)
{
	struct mm m;

	mm_init(&m, RAM_BASE, RAM_SIZE);
	/* Holes 2 MiB apart from the top down: range k (k >= 1) ends at END - 2(k - 1) MiB. */
	for (unsigned k = 1; k < MM_MAX_RANGES; k++)
		assert_int_equal(mm_reserve(&m, RAM_END - k * MiB(2), PAGE), 0);
	assert_int_equal(m.nr, MM_MAX_RANGES);
	/* Over the top of range 2 and the bottom of range 1. */
	mm_reserve(&m, RAM_END - MiB(3), MiB(2));
	assert_none_free(&m, RAM_END - MiB(3), MiB(2));
	uint64_t a = mm_alloc(&m, PAGE, PAGE);
	assert_true(a + PAGE <= RAM_END - MiB(3) || a >= RAM_END - MiB(1));
}

/*
 * Regression: emptied ranges used to keep their slot, so MM_MAX_RANGES
 * limited splits over the allocator's life rather than live ranges. Here
 * one range is live; the 16th reservation at its start used to find no
 * slot, zero the range and drop all free memory.
 */
static void test_reserve_reuses_empty_ranges(void **state)
{
	struct mm m;

	mm_init(&m, RAM_BASE, RAM_SIZE);
	for (unsigned k = 0; k < MM_MAX_RANGES + 4; k++) {
		int r = mm_reserve(&m, RAM_BASE + k * PAGE, PAGE);

		assert_int_equal(free_bytes(&m), RAM_SIZE - (k + 1) * PAGE);
		assert_int_equal(r, 0);
	}
	assert_int_equal(mm_alloc(&m, PAGE, PAGE), RAM_END - PAGE);
}

/*
 * BUG (core/mm.c mm_alloc): it ignores mm_reserve's result. With the range
 * table full and an allocation that leaves a gap above it (so the range
 * must be cut in two), mm_reserve refuses and changes nothing, yet mm_alloc
 * returns the block: it stays free and the next call hands it out again.
 */
static void test_alloc_table_full_no_double_alloc(void **state)
{
	struct mm m;

	mm_init(&m, RAM_BASE, RAM_SIZE);
	/* 16 live ranges; only range 0 (the bottom) holds a 2 MiB-aligned page. */
	for (unsigned k = 1; k < MM_MAX_RANGES; k++)
		assert_int_equal(mm_reserve(&m, RAM_END - k * MiB(2), PAGE), 0);
	assert_int_equal(m.nr, MM_MAX_RANGES);
	uint64_t a = mm_alloc(&m, PAGE, MiB(2));
	uint64_t b = mm_alloc(&m, PAGE, MiB(2));

	if (a)
		assert_none_free(&m, a, PAGE);
	if (a && b)
		assert_int_not_equal(a, b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init),
	    cmocka_unit_test(test_reserve_splits_range),
	    cmocka_unit_test(test_reserve_edges),
	    cmocka_unit_test(test_reserve_across_ranges),
	    cmocka_unit_test(test_alloc_top_down),
	    cmocka_unit_test(test_alloc_highest_range),
	    cmocka_unit_test(test_alloc_aligned),
	    cmocka_unit_test(test_alloc_bad_arguments),
	    cmocka_unit_test(test_alloc_exhaustion),
	    cmocka_unit_test(test_alloc_avoids_reserved),
	    cmocka_unit_test(test_alloc_page_chunks),
	    cmocka_unit_test(test_alloc_page_mixed),
	    cmocka_unit_test(test_alloc_page_small_chunks),
	    cmocka_unit_test(test_alloc_page_unaligned_small_chunk),
	    cmocka_unit_test(test_alloc_page_exhaustion),
	    cmocka_unit_test(test_reserve_table_full_keeps_reservation),
	    cmocka_unit_test(test_reserve_reuses_empty_ranges),
	    cmocka_unit_test(test_alloc_table_full_no_double_alloc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
