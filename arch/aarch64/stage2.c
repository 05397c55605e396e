/*
 * Stage-2 table walker and mapper. Descriptor formats: ARM ARM D8.3
 * (VMSAv8-64 translation table format descriptors) and D8.5.5 (stage 2
 * memory attributes).
 */
#include "arch/aarch64/stage2.h"

#define DESC_VALID (1ULL << 0)
#define DESC_TABLE (1ULL << 1) /* levels 0-2: table; level 3: page */
/* Output address bits [47:12]. */
#define DESC_ADDR 0x0000FFFFFFFFF000ULL
/* Stage-2 leaf attributes (ARM ARM D8.5.5): MemAttr = 0b1111, normal WB. */
#define S2_MEMATTR_NORMAL_WB (0xFULL << 2)
#define S2_AP_RW (3ULL << 6)
#define S2_SH_INNER (3ULL << 8)
#define S2_AF (1ULL << 10)
#define S2_LEAF_ATTRS (S2_MEMATTR_NORMAL_WB | S2_AP_RW | S2_SH_INNER | S2_AF)

#define LEVEL_SHIFT(l) (12 + 9 * (3 - (l)))
#define LEVEL_INDEX(a, l) (((a) >> LEVEL_SHIFT(l)) & 0x1FF)
#define BLOCK_2M (1ULL << 21)
#define IPA_LIMIT (1ULL << STAGE2_IPA_BITS)

static inline uint64_t *desc_table(uint64_t d)
{
	return pa_to_ptr(pa(d & DESC_ADDR));
}

int stage2_init(struct stage2 *s2, void *(*alloc_table)(void *), void *ctx)
{
	s2->alloc_table = alloc_table;
	s2->ctx = ctx;
	s2->root = alloc_table(ctx);
	s2->nr_tables = s2->root ? 1 : 0;
	return s2->root ? 0 : -1;
}

/* The next-level table under *d, creating it if absent. NULL if *d is a leaf. */
static uint64_t *next_table(struct stage2 *s2, uint64_t *d)
{
	if (!(*d & DESC_VALID)) {
		uint64_t *t = s2->alloc_table(s2->ctx);
		if (!t)
			return NULL;
		s2->nr_tables++;
		*d = ptr_to_pa(t).pa | DESC_TABLE | DESC_VALID;
	} else if (!(*d & DESC_TABLE)) {
		return NULL;
	}
	return desc_table(*d);
}

static int map_one(struct stage2 *s2, uint64_t ipa, uint64_t pa_, bool block)
{
	uint64_t *l1 = &s2->root[LEVEL_INDEX(ipa, 1)];
	uint64_t *l2t = next_table(s2, l1);
	if (!l2t)
		return -1;
	uint64_t *l2 = &l2t[LEVEL_INDEX(ipa, 2)];
	if (block) {
		if (*l2 & DESC_VALID)
			return -1;
		*l2 = pa_ | S2_LEAF_ATTRS | DESC_VALID; /* level-2 block: bits[1:0] = 01 */
		return 0;
	}
	uint64_t *l3t = next_table(s2, l2);
	if (!l3t)
		return -1;
	uint64_t *l3 = &l3t[LEVEL_INDEX(ipa, 3)];
	if (*l3 & DESC_VALID)
		return -1;
	*l3 = pa_ | S2_LEAF_ATTRS | DESC_TABLE | DESC_VALID; /* level-3 page: bits[1:0] = 11 */
	return 0;
}

int stage2_map(struct stage2 *s2, ipaddr_t ipa_, paddr_t pa_, uint64_t size)
{
	uint64_t i = ipa_.ipa, p = pa_.pa, end = ipa_.ipa + size;

	if ((i | p | size) & (STAGE2_PAGE_SIZE - 1) || size == 0 || end > IPA_LIMIT || end < i)
		return -1;
	if (p & ~DESC_ADDR)
		return -1;
	while (i < end) {
		bool block = !((i | p) & (BLOCK_2M - 1)) && end - i >= BLOCK_2M;
		if (map_one(s2, i, p, block))
			return -1;
		i += block ? BLOCK_2M : STAGE2_PAGE_SIZE;
		p += block ? BLOCK_2M : STAGE2_PAGE_SIZE;
	}
	return 0;
}

bool stage2_lookup(const struct stage2 *s2, ipaddr_t ipa_, paddr_t *out)
{
	uint64_t a = ipa_.ipa;
	if (a >= IPA_LIMIT || !s2->root)
		return false;
	uint64_t d = s2->root[LEVEL_INDEX(a, 1)];
	if (!(d & DESC_VALID) || !(d & DESC_TABLE))
		return false; /* no level-1 blocks are ever made */
	d = desc_table(d)[LEVEL_INDEX(a, 2)];
	if (!(d & DESC_VALID))
		return false;
	if (!(d & DESC_TABLE)) {
		*out = pa((d & DESC_ADDR & ~(BLOCK_2M - 1)) | (a & (BLOCK_2M - 1)));
		return true;
	}
	d = desc_table(d)[LEVEL_INDEX(a, 3)];
	if (!(d & DESC_VALID))
		return false;
	*out = pa((d & DESC_ADDR) | (a & (STAGE2_PAGE_SIZE - 1)));
	return true;
}
