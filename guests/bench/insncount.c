/*
 * insncount: a QEMU TCG plugin, the host side of make bench. It counts the
 * instructions the machine executes (every CPU, every exception level) and
 * writes either or both of:
 *
 *   stamps=FILE  for every store to the PL011 data register (physical
 *                address `uart`, default QEMU virt's 0x09000000: one byte
 *                transmitted, DDI 0183 3.3.1), one line with the number of
 *                instructions executed so far; line n belongs to byte n of
 *                the serial output, so scripts/bench.sh can look up when a
 *                marker appeared. Counted per translation block as it
 *                starts: a stamp may run ahead by the rest of its block.
 *   profile=FILE for every instruction at an address in [lo, hi) that ran,
 *                "<address in hex> <times it ran>" (scripts/bench.sh
 *                --profile adds them up per function of build/facet.elf).
 *
 *   qemu-system-aarch64 ... -plugin build/bench/insncount.so,stamps=FILE
 *   qemu-system-aarch64 ... -plugin build/bench/insncount.so,profile=FILE,lo=A,hi=B
 *
 * QEMU's plugin API, version 1 (QEMU 4.2 to 8.x; QEMU's
 * docs/devel/tcg-plugins.rst). Debian ships no qemu-plugin.h, so the few
 * declarations used are below; they must match the C API of the QEMU that
 * loads the plugin.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
typedef uint32_t qemu_plugin_meminfo_t;
typedef struct qemu_info_t qemu_info_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
struct qemu_plugin_hwaddr;

enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS };
enum qemu_plugin_mem_rw { QEMU_PLUGIN_MEM_R = 1, QEMU_PLUGIN_MEM_W, QEMU_PLUGIN_MEM_RW };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };

typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_mem_cb_t)(unsigned int vcpu_index, qemu_plugin_meminfo_t info,
					  uint64_t vaddr, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op,
					      void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn,
						enum qemu_plugin_op op, void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_mem_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_mem_cb_t cb,
				      enum qemu_plugin_cb_flags flags, enum qemu_plugin_mem_rw rw,
				      void *userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
struct qemu_plugin_hwaddr *qemu_plugin_get_hwaddr(qemu_plugin_meminfo_t info, uint64_t vaddr);
bool qemu_plugin_hwaddr_is_io(const struct qemu_plugin_hwaddr *haddr);
uint64_t qemu_plugin_hwaddr_phys_addr(const struct qemu_plugin_hwaddr *haddr);

#define EXPORT __attribute__((visibility("default")))

EXPORT int qemu_plugin_version = 1;
EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv);

/* With -icount, TCG runs the CPUs one at a time in one thread: no locking. */
static uint64_t insns;
static uint64_t uart_dr = 0x09000000;
static FILE *stamps, *profile;
static uint64_t lo, hi = UINT64_MAX;

/* One counter per translated instruction in [lo, hi); a retranslation gets another. */
struct insn_count {
	uint64_t vaddr, count;
};
#define PROFILE_MAX (1u << 22)
static struct insn_count *counts;
static size_t nr_counts;

static void on_store(unsigned int vcpu, qemu_plugin_meminfo_t info, uint64_t vaddr, void *udata)
{
	struct qemu_plugin_hwaddr *hw = qemu_plugin_get_hwaddr(info, vaddr);

	if (hw && qemu_plugin_hwaddr_is_io(hw) && qemu_plugin_hwaddr_phys_addr(hw) == uart_dr)
		fprintf(stamps, "%" PRIu64 "\n", insns);
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);

	if (stamps)
		qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &insns, n);
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t va = qemu_plugin_insn_vaddr(insn);

		if (stamps)
			qemu_plugin_register_vcpu_mem_cb(insn, on_store, QEMU_PLUGIN_CB_NO_REGS,
							 QEMU_PLUGIN_MEM_W, NULL);
		if (profile && va >= lo && va < hi && nr_counts < PROFILE_MAX) {
			counts[nr_counts].vaddr = va;
			qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64,
								   &counts[nr_counts].count, 1);
			nr_counts++;
		}
	}
}

static void on_qemu_exit(qemu_plugin_id_t id, void *udata)
{
	if (stamps) {
		fprintf(stamps, "end %" PRIu64 "\n", insns);
		fclose(stamps);
	}
	if (profile) {
		for (size_t i = 0; i < nr_counts; i++)
			if (counts[i].count)
				fprintf(profile, "%" PRIx64 " %" PRIu64 "\n", counts[i].vaddr,
					counts[i].count);
		if (nr_counts == PROFILE_MAX)
			fprintf(stderr, "insncount: profile table full, some code not counted\n");
		fclose(profile);
	}
}

static FILE *open_out(const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		perror(path);
	return f;
}

int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strncmp(a, "stamps=", 7)) {
			if (!(stamps = open_out(a + 7)))
				return -1;
		} else if (!strncmp(a, "profile=", 8)) {
			counts = calloc(PROFILE_MAX, sizeof(*counts));
			if (!counts || !(profile = open_out(a + 8)))
				return -1;
		} else if (!strncmp(a, "uart=", 5)) {
			uart_dr = strtoull(a + 5, NULL, 0);
		} else if (!strncmp(a, "lo=", 3)) {
			lo = strtoull(a + 3, NULL, 0);
		} else if (!strncmp(a, "hi=", 3)) {
			hi = strtoull(a + 3, NULL, 0);
		} else {
			fprintf(stderr, "insncount: unknown argument %s\n", a);
			return -1;
		}
	}
	if (!stamps && !profile) {
		fprintf(stderr, "insncount: needs stamps=FILE or profile=FILE\n");
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, on_qemu_exit, NULL);
	return 0;
}
