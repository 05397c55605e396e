/*
 * Unit tests for arch/aarch64/stage2.c: the stage-2 tables it builds are
 * checked descriptor by descriptor against the ARM ARM rather than against
 * stage2.c's own macros:
 *   D8.3  level 0-2 table descriptor: bits[1:0] = 0b11, next table at [47:12]
 *         level 1-2 block descriptor: bits[1:0] = 0b01
 *         level 3 page descriptor:    bits[1:0] = 0b11
 *   D8.5.5 stage-2 lower attributes: MemAttr [5:2], S2AP [7:6], SH [9:8], AF [10].
 * The table allocator is the host heap (aligned_alloc), so ASan sees any
 * walk that goes outside a table; host pointers fit in the 48-bit
 * output-address field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arch/aarch64/stage2.h"

#define PAGE 0x1000ULL
#define BLOCK 0x200000ULL
#define IPA_TOP (1ULL << 39)

#define D_VALID 0x1ULL
#define D_TYPE_MASK 0x3ULL
#define D_TABLE 0x3ULL /* levels 0-2 */
#define D_BLOCK 0x1ULL /* levels 1-2 */
#define D_PAGE 0x3ULL  /* level 3 */
#define D_ADDR 0x0000FFFFFFFFF000ULL
/* MemAttr = 0b1111 (outer and inner write-back), S2AP = 0b11 (RW), SH = 0b11, AF = 1. */
#define D_LEAF_ATTRS ((0xFULL << 2) | (3ULL << 6) | (3ULL << 8) | (1ULL << 10))

#define MAX_TABLES 64

/* The table allocator: counts pages and fails after a budget is spent. */
struct pool {
	void *pages[MAX_TABLES];
	unsigned nr;
	unsigned budget; /* allocations allowed before returning NULL */
};

static void *pool_alloc(void *ctx)
{
	struct pool *p = ctx;
	void *t;

	if (p->nr >= p->budget || p->nr >= MAX_TABLES)
		return NULL;
	t = aligned_alloc(4096, 4096);
	assert_non_null(t);
	memset(t, 0, 4096);
	p->pages[p->nr++] = t;
	return t;
}

struct fixture {
	struct pool pool;
	struct stage2 s2;
};

static int setup_budget(void **state, unsigned budget)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->pool.budget = budget;
	if (stage2_init(&f->s2, pool_alloc, &f->pool)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_budget(state, MAX_TABLES);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	for (unsigned i = 0; i < f->pool.nr; i++)
		free(f->pool.pages[i]);
	free(f);
	return 0;
}

static unsigned idx(uint64_t a, int level)
{
	return (a >> (12 + 9 * (3 - level))) & 0x1FF;
}

/* The table a level 0-2 descriptor points to; asserts it is a table descriptor. */
static uint64_t *table_of(uint64_t d)
{
	assert_int_equal(d & D_TYPE_MASK, D_TABLE);
	assert_int_equal(d & ~(D_ADDR | D_TYPE_MASK), 0);
	return (uint64_t *)(uintptr_t)(d & D_ADDR);
}

static uint64_t l1_desc(const struct stage2 *s2, uint64_t a)
{
	return s2->root[idx(a, 1)];
}

static uint64_t l2_desc(const struct stage2 *s2, uint64_t a)
{
	return table_of(l1_desc(s2, a))[idx(a, 2)];
}

static uint64_t l3_desc(const struct stage2 *s2, uint64_t a)
{
	return table_of(l2_desc(s2, a))[idx(a, 3)];
}

static void assert_maps(const struct stage2 *s2, uint64_t a, uint64_t want)
{
	paddr_t out = pa(0xdeadbeef);

	assert_true(stage2_lookup(s2, ipa(a), &out));
	assert_int_equal(out.pa, want);
}

static void assert_unmapped(const struct stage2 *s2, uint64_t a)
{
	paddr_t out = pa(0);

	assert_false(stage2_lookup(s2, ipa(a), &out));
}

/* Checks every page of [ipa, ipa + size) translates, at several offsets. */
static void assert_range_maps(const struct stage2 *s2, uint64_t a, uint64_t pa_, uint64_t size)
{
	static const uint64_t offs[] = {0, 8, 0x7ff, 0xff8, 0xfff};

	for (uint64_t o = 0; o < size; o += PAGE)
		for (unsigned k = 0; k < ARRAY_SIZE(offs); k++)
			assert_maps(s2, a + o + offs[k], pa_ + o + offs[k]);
}

static int map(struct stage2 *s2, uint64_t i, uint64_t p, uint64_t size)
{
	return stage2_map(s2, ipa(i), pa(p), size);
}

static void test_init(void **state)
{
	struct fixture *f = *state;

	assert_non_null(f->s2.root);
	assert_int_equal((uintptr_t)f->s2.root & 0xFFF, 0);
	assert_int_equal(f->s2.nr_tables, 1);
	assert_int_equal(f->pool.nr, 1);
	for (unsigned i = 0; i < 512; i++)
		assert_int_equal(f->s2.root[i], 0);
	assert_unmapped(&f->s2, 0);
	assert_unmapped(&f->s2, 0x40000000);
}

static void test_init_no_memory(void **state)
{
	struct pool pool = {.budget = 0};
	struct stage2 s2;

	assert_int_equal(stage2_init(&s2, pool_alloc, &pool), -1);
	assert_int_equal(s2.nr_tables, 0);
	assert_false(stage2_lookup(&s2, ipa(0), &(paddr_t){0}));
}

/* 2 MiB-aligned IPA and PA: level-2 block descriptors, no level-3 table. */
static void test_aligned_range_uses_blocks(void **state)
{
	struct fixture *f = *state;
	const uint64_t i = 0x40000000, p = 0x80000000;

	assert_int_equal(map(&f->s2, i, p, 2 * BLOCK), 0);
	/* The root's entry 1 (IPA 1-2 GiB) is a table; blocks live under it. */
	assert_int_equal(l1_desc(&f->s2, i) & D_TYPE_MASK, D_TABLE);
	for (unsigned b = 0; b < 2; b++) {
		uint64_t d = l2_desc(&f->s2, i + b * BLOCK);

		assert_int_equal(d & D_TYPE_MASK, D_BLOCK);
		assert_int_equal(d & D_ADDR, p + b * BLOCK);
		assert_int_equal((d >> 2) & 0xF, 0xF); /* MemAttr: normal, WB */
		assert_int_equal((d >> 6) & 3, 3);     /* S2AP: read/write */
		assert_int_equal((d >> 8) & 3, 3);     /* SH: inner shareable */
		assert_int_equal((d >> 10) & 1, 1);    /* AF */
		/* Nothing else: no XN, no contiguous hint, no software bits. */
		assert_int_equal(d, (p + b * BLOCK) | D_LEAF_ATTRS | D_BLOCK);
	}
	assert_int_equal(l2_desc(&f->s2, i + 2 * BLOCK), 0);
	assert_int_equal(f->s2.nr_tables, 2);
	assert_range_maps(&f->s2, i, p, 2 * BLOCK);
	assert_unmapped(&f->s2, i - 1);
	assert_unmapped(&f->s2, i + 2 * BLOCK);
}

/* A 4 KiB-aligned range: level-3 page descriptors. */
static void test_unaligned_range_uses_pages(void **state)
{
	struct fixture *f = *state;
	const uint64_t i = 0x40001000, p = 0x90005000;

	assert_int_equal(map(&f->s2, i, p, 3 * PAGE), 0);
	assert_int_equal(l2_desc(&f->s2, i) & D_TYPE_MASK, D_TABLE);
	for (unsigned k = 0; k < 3; k++) {
		uint64_t d = l3_desc(&f->s2, i + k * PAGE);

		assert_int_equal(d & D_TYPE_MASK, D_PAGE);
		assert_int_equal(d, (p + k * PAGE) | D_LEAF_ATTRS | D_PAGE);
	}
	assert_int_equal(l3_desc(&f->s2, i - PAGE), 0);
	assert_int_equal(l3_desc(&f->s2, i + 3 * PAGE), 0);
	assert_int_equal(f->s2.nr_tables, 3);
	assert_range_maps(&f->s2, i, p, 3 * PAGE);
	assert_unmapped(&f->s2, i - 1);
	assert_unmapped(&f->s2, i + 3 * PAGE);
}

/* An aligned IPA with a PA that is only 4 KiB aligned cannot use a block. */
static void test_pa_misaligned_to_ipa_uses_pages(void **state)
{
	struct fixture *f = *state;
	const uint64_t i = 0x40000000, p = 0x80001000;

	assert_int_equal(map(&f->s2, i, p, BLOCK), 0);
	assert_int_equal(l2_desc(&f->s2, i) & D_TYPE_MASK, D_TABLE);
	for (uint64_t o = 0; o < BLOCK; o += PAGE)
		assert_int_equal(l3_desc(&f->s2, i + o), (p + o) | D_LEAF_ATTRS | D_PAGE);
	assert_int_equal(f->s2.nr_tables, 3);
	assert_range_maps(&f->s2, i, p, BLOCK);
}

/* A range over a 1 GiB boundary: page, then block, then page again. */
static void test_mixed_range(void **state)
{
	struct fixture *f = *state;
	const uint64_t i = 0x40000000 - PAGE, p = 0x80000000 - PAGE, size = PAGE + BLOCK + PAGE;

	assert_int_equal(map(&f->s2, i, p, size), 0);
	assert_int_equal(l3_desc(&f->s2, i), p | D_LEAF_ATTRS | D_PAGE);
	assert_int_equal(l2_desc(&f->s2, 0x40000000), 0x80000000 | D_LEAF_ATTRS | D_BLOCK);
	assert_int_equal(l3_desc(&f->s2, 0x40200000), 0x80200000 | D_LEAF_ATTRS | D_PAGE);
	/* root + (level 2 + level 3) under each of two root entries */
	assert_int_equal(f->s2.nr_tables, 5);
	assert_range_maps(&f->s2, i, p, size);
	assert_unmapped(&f->s2, i - PAGE);
	assert_unmapped(&f->s2, i + size);
}

/* An unaligned start reaches a 2 MiB boundary and switches to blocks. */
static void test_pages_then_blocks(void **state)
{
	struct fixture *f = *state;
	const uint64_t i = 0x40000000 + BLOCK - 2 * PAGE, p = 0x80000000 + BLOCK - 2 * PAGE;
	const uint64_t size = 2 * PAGE + 3 * BLOCK;

	assert_int_equal(map(&f->s2, i, p, size), 0);
	assert_int_equal(l3_desc(&f->s2, i), p | D_LEAF_ATTRS | D_PAGE);
	assert_int_equal(l3_desc(&f->s2, i + PAGE), (p + PAGE) | D_LEAF_ATTRS | D_PAGE);
	for (unsigned b = 0; b < 3; b++)
		assert_int_equal(l2_desc(&f->s2, i + 2 * PAGE + b * BLOCK),
				 (p + 2 * PAGE + b * BLOCK) | D_LEAF_ATTRS | D_BLOCK);
	assert_int_equal(f->s2.nr_tables, 3);
	assert_range_maps(&f->s2, i, p, size);
}

static void test_top_of_ipa_space(void **state)
{
	struct fixture *f = *state;

	/* The last 2 MiB and the last page below 2^39: root entry 511. */
	assert_int_equal(map(&f->s2, IPA_TOP - BLOCK, 0x40000000, BLOCK), 0);
	assert_int_equal(l2_desc(&f->s2, IPA_TOP - BLOCK), 0x40000000 | D_LEAF_ATTRS | D_BLOCK);
	assert_maps(&f->s2, IPA_TOP - 1, 0x40000000 + BLOCK - 1);
	assert_int_equal(map(&f->s2, IPA_TOP - BLOCK - PAGE, 0x50000000, PAGE), 0);
	assert_maps(&f->s2, IPA_TOP - BLOCK - PAGE + 0x10, 0x50000010);
	/* Past the IPA space nothing translates, even where the low bits alias. */
	assert_unmapped(&f->s2, IPA_TOP);
	assert_unmapped(&f->s2, IPA_TOP + IPA_TOP - BLOCK);
	assert_unmapped(&f->s2, ~0ULL);
}

static void test_unmapped_addresses(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(map(&f->s2, 0x40000000, 0x80000000, BLOCK), 0);
	assert_int_equal(map(&f->s2, 0x40400000 + PAGE, 0x90000000, PAGE), 0);
	assert_unmapped(&f->s2, 0);
	assert_unmapped(&f->s2, 0x3FFFFFFF);
	/* The next block, in the same level-2 table. */
	assert_unmapped(&f->s2, 0x40200000);
	/* Pages either side, in the same level-3 table. */
	assert_unmapped(&f->s2, 0x40400000);
	assert_unmapped(&f->s2, 0x40400000 + 2 * PAGE);
	/* Another root entry; the same lower indices one GiB up. */
	assert_unmapped(&f->s2, 0x80000000);
	assert_unmapped(&f->s2, 0x40000000 + (1ULL << 30));
	assert_unmapped(&f->s2, (1ULL << 39) | 0x40000000);
	assert_maps(&f->s2, 0x40400000 + PAGE + 0x44, 0x90000044);
}

static void test_double_mapping_fails(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(map(&f->s2, 0x40000000, 0x80000000, BLOCK), 0);
	assert_int_equal(map(&f->s2, 0x40200000 + PAGE, 0x90000000, PAGE), 0);

	/* The same block again, to a different PA. */
	assert_int_equal(map(&f->s2, 0x40000000, 0xA0000000, BLOCK), -1);
	/* A page inside the block. */
	assert_int_equal(map(&f->s2, 0x40000000 + 5 * PAGE, 0xA0000000, PAGE), -1);
	/* A block over a level-3 table that holds a page. */
	assert_int_equal(map(&f->s2, 0x40200000, 0xA0000000, BLOCK), -1);
	/* The same page again. */
	assert_int_equal(map(&f->s2, 0x40200000 + PAGE, 0xA0000000, PAGE), -1);

	/* The first mappings are untouched. */
	assert_int_equal(l2_desc(&f->s2, 0x40000000), 0x80000000 | D_LEAF_ATTRS | D_BLOCK);
	assert_range_maps(&f->s2, 0x40000000, 0x80000000, BLOCK);
	assert_maps(&f->s2, 0x40200000 + PAGE + 0x123, 0x90000123);
	assert_unmapped(&f->s2, 0x40200000);

	/* A neighbouring page in the same level-3 table still maps. */
	assert_int_equal(map(&f->s2, 0x40200000, 0xB0000000, PAGE), 0);
	assert_maps(&f->s2, 0x40200000 + 0x10, 0xB0000010);
	assert_maps(&f->s2, 0x40200000 + PAGE + 0x10, 0x90000010);
}

static void test_bad_arguments(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(map(&f->s2, 0x40000800, 0x80000000, PAGE), -1); /* IPA */
	assert_int_equal(map(&f->s2, 0x40000000, 0x80000001, PAGE), -1); /* PA */
	assert_int_equal(map(&f->s2, 0x40000000, 0x80000000, PAGE + 1), -1);
	assert_int_equal(map(&f->s2, 0x40000000, 0x80000000, 0x800), -1);
	assert_int_equal(map(&f->s2, 0x40000000, 0x80000000, 0), -1);
	/* Past 2^39: starting beyond, or running over the top. */
	assert_int_equal(map(&f->s2, IPA_TOP, 0x80000000, PAGE), -1);
	assert_int_equal(map(&f->s2, IPA_TOP - PAGE, 0x80000000, 2 * PAGE), -1);
	assert_int_equal(map(&f->s2, IPA_TOP - BLOCK, 0x80000000, 2 * BLOCK), -1);
	assert_int_equal(map(&f->s2, 1ULL << 40, 0x80000000, BLOCK), -1);
	/* Wrapping past 2^64 back into the IPA space. */
	assert_int_equal(map(&f->s2, 0xFFFFFFFFFFFFF000ULL, 0x80000000, 2 * PAGE), -1);
	assert_int_equal(map(&f->s2, 0x1000, 0x80000000, 0xFFFFFFFFFFFFF000ULL), -1);
	/* A PA the 48-bit output address cannot hold. */
	assert_int_equal(map(&f->s2, 0x40000000, 1ULL << 48, PAGE), -1);
	/* None of them built anything. */
	assert_int_equal(f->s2.nr_tables, 1);
	for (unsigned k = 0; k < 512; k++)
		assert_int_equal(f->s2.root[k], 0);
	assert_unmapped(&f->s2, 0x40000000);
	assert_unmapped(&f->s2, IPA_TOP - PAGE);
	assert_unmapped(&f->s2, 0);
}

static void test_table_count(void **state)
{
	struct fixture *f = *state;

	/* Two blocks in one GiB share a level-2 table. */
	assert_int_equal(map(&f->s2, 0x40000000, 0x80000000, BLOCK), 0);
	assert_int_equal(f->s2.nr_tables, 2);
	assert_int_equal(map(&f->s2, 0x40000000 + 10 * BLOCK, 0x80000000 + 10 * BLOCK, BLOCK), 0);
	assert_int_equal(f->s2.nr_tables, 2);
	/* A page in a new 2 MiB region: one level-3 table. */
	assert_int_equal(map(&f->s2, 0x40400000, 0x90000000, PAGE), 0);
	assert_int_equal(f->s2.nr_tables, 3);
	/* Another page in that region: no new table. */
	assert_int_equal(map(&f->s2, 0x40400000 + 7 * PAGE, 0x90007000, PAGE), 0);
	assert_int_equal(f->s2.nr_tables, 3);
	/* A page in another GiB: level 2 and level 3. */
	assert_int_equal(map(&f->s2, 0xC0000000, 0x90010000, PAGE), 0);
	assert_int_equal(f->s2.nr_tables, 5);
	/* The count is what the allocator handed out. */
	assert_int_equal(f->s2.nr_tables, f->pool.nr);
}

static void test_out_of_tables(void **state)
{
	struct fixture *f = *state;

	/* Only the root: no level-2 table for the first mapping. */
	f->pool.budget = 1;
	assert_int_equal(map(&f->s2, 0x40000000, 0x80000000, BLOCK), -1);
	assert_int_equal(f->s2.nr_tables, 1);
	assert_int_equal(f->s2.root[1], 0);
	assert_unmapped(&f->s2, 0x40000000);

	/* A level-2 table but no level-3: a block maps, a page does not. */
	f->pool.budget = 2;
	assert_int_equal(map(&f->s2, 0x40000000, 0x80000000, BLOCK), 0);
	assert_int_equal(f->s2.nr_tables, 2);
	assert_int_equal(map(&f->s2, 0x40200000, 0x90000000, PAGE), -1);
	assert_int_equal(f->s2.nr_tables, 2);
	assert_int_equal(l2_desc(&f->s2, 0x40200000), 0);
	assert_unmapped(&f->s2, 0x40200000);
	assert_range_maps(&f->s2, 0x40000000, 0x80000000, BLOCK);

	/* With memory again the same call succeeds. */
	f->pool.budget = 3;
	assert_int_equal(map(&f->s2, 0x40200000, 0x90000000, PAGE), 0);
	assert_int_equal(f->s2.nr_tables, 3);
	assert_maps(&f->s2, 0x40200000 + 0xabc, 0x90000abc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_init, setup, teardown),
	    cmocka_unit_test(test_init_no_memory),
	    cmocka_unit_test_setup_teardown(test_aligned_range_uses_blocks, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unaligned_range_uses_pages, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pa_misaligned_to_ipa_uses_pages, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mixed_range, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pages_then_blocks, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_top_of_ipa_space, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unmapped_addresses, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_double_mapping_fails, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_table_count, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_out_of_tables, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
