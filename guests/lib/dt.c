/*
 * A minimal flattened device tree reader: one pass over the structure block
 * (Devicetree Specification v0.4, chapter 5), keeping what struct dt_info holds.
 */
#include "dt.h"

#include "console.h"
#include "fault.h"
#include "sysreg.h"

struct dt_info dt;

/* Devicetree Specification v0.4, 5.2 (header) and 5.4.1 (tokens). */
#define FDT_MAGIC 0xd00dfeedU
#define FDT_HDR_TOTALSIZE 4
#define FDT_HDR_OFF_STRUCT 8
#define FDT_HDR_OFF_STRINGS 12
#define FDT_HDR_VERSION 20
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9
/* Largest blob accepted; QEMU's are well under 1 MiB. */
#define FDT_MAX_SIZE (2 * SZ_1M)
#define DT_MAX_DEPTH 8

struct dt_node {
	const char *name;
	/* #address-cells / #size-cells this node sets for its children (spec 2.3.5 defaults). */
	unsigned child_addr_cells, child_size_cells;
	const uint8_t *reg;
	uint32_t reg_len;
	bool is_memory, is_cpu, is_gic;
};

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t read_cells(const uint8_t *p, unsigned cells)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < cells; i++)
		v = v << 32 | be32(p + 4 * i);
	return v;
}

static bool node_name_is(const char *name, const char *base)
{
	size_t n = strlen(base);
	return strncmp(name, base, n) == 0 && (name[n] == '\0' || name[n] == '@');
}

/* True if the NUL-separated string list [s, s+len) contains want. */
static bool stringlist_has(const char *s, uint32_t len, const char *want)
{
	for (uint32_t i = 0; i < len; i += (uint32_t)strlen(s + i) + 1)
		if (strcmp(s + i, want) == 0)
			return true;
	return false;
}

/* Entry i of a node's reg: {addr, size} with the parent's cell counts. */
static bool reg_entry(const struct dt_node *n, const struct dt_node *parent, unsigned i,
		      uint64_t *addr, uint64_t *size)
{
	unsigned ac = parent->child_addr_cells, sc = parent->child_size_cells;
	uint32_t entry = 4 * (ac + sc);

	if (!n->reg || ac > 2 || sc > 2 || entry == 0 || (i + 1) * entry > n->reg_len)
		return false;
	*addr = read_cells(n->reg + i * entry, ac);
	*size = read_cells(n->reg + i * entry + 4 * ac, sc);
	return true;
}

static void node_done(const struct dt_node *n, const struct dt_node *parent, int depth)
{
	uint64_t addr, size;

	if (n->is_memory && depth == 1 && !dt.ram_size && reg_entry(n, parent, 0, &addr, &size)) {
		dt.ram_base = addr;
		dt.ram_size = size;
	}
	if (n->is_cpu && depth == 2 && node_name_is(parent->name, "cpus") &&
	    dt.ncpus < BOARD_MAX_VCPUS && n->reg && parent->child_addr_cells <= 2)
		dt.mpidr[dt.ncpus++] =
		    read_cells(n->reg, parent->child_addr_cells) & MPIDR_AFF_MASK;
	if (n->is_gic && reg_entry(n, parent, 0, &addr, &size)) {
		dt.gicd_base = addr;
		dt.gicd_size = size;
		if (reg_entry(n, parent, 1, &addr, &size)) {
			dt.gicr_base = addr;
			dt.gicr_size = size;
		}
	}
}

static void prop_seen(struct dt_node *n, int depth, const char *name, const uint8_t *val,
		      uint32_t len)
{
	if (strcmp(name, "#address-cells") == 0 && len == 4)
		n->child_addr_cells = be32(val);
	else if (strcmp(name, "#size-cells") == 0 && len == 4)
		n->child_size_cells = be32(val);
	else if (strcmp(name, "reg") == 0) {
		n->reg = val;
		n->reg_len = len;
	} else if (strcmp(name, "device_type") == 0) {
		n->is_cpu = stringlist_has((const char *)val, len, "cpu");
		n->is_memory = stringlist_has((const char *)val, len, "memory");
	} else if (strcmp(name, "compatible") == 0)
		n->is_gic = stringlist_has((const char *)val, len, "arm,gic-v3");
	else if (depth == 1 && strcmp(n->name, "chosen") == 0 && strcmp(name, "bootargs") == 0) {
		uint32_t n_copy = len < DT_BOOTARGS_MAX ? len : DT_BOOTARGS_MAX - 1;
		memcpy(dt.bootargs, val, n_copy);
		dt.bootargs[n_copy] = '\0';
	}
}

static bool dt_walk(const uint8_t *blob)
{
	uint32_t total = be32(blob + FDT_HDR_TOTALSIZE);
	uint32_t off = be32(blob + FDT_HDR_OFF_STRUCT);
	const char *strings = (const char *)blob + be32(blob + FDT_HDR_OFF_STRINGS);
	struct dt_node stack[DT_MAX_DEPTH];
	int depth = -1;

	if (total > FDT_MAX_SIZE || be32(blob + FDT_HDR_VERSION) < 16 || off >= total)
		return false;
	while (off + 4 <= total) {
		uint32_t token = be32(blob + off);
		off += 4;
		switch (token) {
		case FDT_BEGIN_NODE: {
			const char *name = (const char *)blob + off;
			off = (off + (uint32_t)strlen(name) + 1 + 3) & ~3U;
			if (++depth >= DT_MAX_DEPTH)
				return false;
			stack[depth] = (struct dt_node){
			    .name = name, .child_addr_cells = 2, .child_size_cells = 1};
			stack[depth].is_memory = depth == 1 && node_name_is(name, "memory");
			break;
		}
		case FDT_END_NODE:
			if (depth < 0)
				return false;
			if (depth > 0)
				node_done(&stack[depth], &stack[depth - 1], depth);
			depth--;
			break;
		case FDT_PROP: {
			uint32_t len = be32(blob + off);
			uint32_t nameoff = be32(blob + off + 4);
			const uint8_t *val = blob + off + 8;
			off = (off + 8 + len + 3) & ~3U;
			if (depth < 0 || off > total)
				return false;
			prop_seen(&stack[depth], depth, strings + nameoff, val, len);
			break;
		}
		case FDT_NOP:
			break;
		case FDT_END:
			return depth == -1;
		default:
			return false;
		}
	}
	return false;
}

/* Without a device tree: RAM ends at the first 1 MiB step that aborts. */
static uint64_t ram_size_by_probing(void)
{
	uint64_t size = SZ_1M;
	while (size < 4 * SZ_1G && !fault_probe_read32(BOARD_RAM_BASE + size, NULL, NULL))
		size += SZ_1M;
	return size;
}

void dt_parse(uintptr_t blob)
{
	uint32_t magic = 0;

	memset(&dt, 0, sizeof(dt));
	if (blob && !(blob & 7) && !fault_probe_read32(blob, &magic, NULL) &&
	    __builtin_bswap32(magic) == FDT_MAGIC &&
	    !fault_probe_read32(blob + be32((const uint8_t *)blob + FDT_HDR_TOTALSIZE) - 4, NULL,
				NULL))
		dt.valid = dt_walk((const uint8_t *)blob);
	if (!dt.valid) {
		printf("guest: no usable device tree at x0=0x%lx; using board defaults\n",
		       (unsigned long)blob);
		memset(&dt, 0, sizeof(dt));
	}
	if (!dt.ram_size) {
		dt.ram_base = BOARD_RAM_BASE;
		dt.ram_size = ram_size_by_probing();
	}
	if (!dt.ncpus) {
		dt.ncpus = 1;
		dt.mpidr[0] = READ_SYSREG(mpidr_el1) & MPIDR_AFF_MASK;
	}
	if (!dt.gicd_size) {
		dt.gicd_base = BOARD_GICD_BASE;
		dt.gicd_size = BOARD_GICD_SIZE;
	}
	if (!dt.gicr_size) {
		dt.gicr_base = BOARD_GICR_BASE;
		dt.gicr_size = dt.ncpus * BOARD_GICR_STRIDE;
	}
}

bool dt_bootarg(const char *key, const char **val, size_t *len)
{
	size_t klen = strlen(key);

	for (const char *p = dt.bootargs; *p;) {
		while (*p == ' ')
			p++;
		const char *end = p;
		while (*end && *end != ' ')
			end++;
		if ((size_t)(end - p) > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
			*val = p + klen + 1;
			*len = (size_t)(end - *val);
			return true;
		}
		p = end;
	}
	return false;
}

uint64_t dt_bootarg_u64(const char *key, uint64_t fallback)
{
	const char *v;
	size_t len;
	return dt_bootarg(key, &v, &len) && len ? str_to_u64(v, len) : fallback;
}
