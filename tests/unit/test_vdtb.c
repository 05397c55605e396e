/*
 * Unit tests for core/vdtb.c: build a VM's device tree, parse it back with
 * libfdt and check the values a guest kernel reads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libfdt.h>

#include "abi/board.h"
#include "core/vdtb.h"

#define BUF_SIZE 8192

static const struct vdtb_params default_params = {
    .ram_base = BOARD_RAM_BASE,
    .ram_size = 256ull << 20,
    .nr_vcpus = 2,
    .cmdline = NULL,
    .initrd_start = 0,
    .initrd_size = 0,
};

/* Builds into a fresh heap buffer (so ASan sees any overrun) and checks it. */
static void *build(const struct vdtb_params *p)
{
	void *fdt = malloc(BUF_SIZE);

	assert_non_null(fdt);
	assert_int_equal(vdtb_build(fdt, BUF_SIZE, p), 0);
	assert_int_equal(fdt_check_header(fdt), 0);
	assert_true(fdt_totalsize(fdt) <= BUF_SIZE);
	return fdt;
}

static int node(const void *fdt, const char *path)
{
	int off = fdt_path_offset(fdt, path);

	assert_true(off >= 0);
	return off;
}

/* The property's value as big-endian cells; asserts its length is ncells. */
static const fdt32_t *cells(const void *fdt, int off, const char *name, int ncells)
{
	int len = -1;
	const fdt32_t *v = fdt_getprop(fdt, off, name, &len);

	assert_non_null(v);
	assert_int_equal(len, ncells * 4);
	return v;
}

static uint32_t cell(const fdt32_t *v, int i)
{
	return fdt32_to_cpu(v[i]);
}

static uint64_t cell64(const fdt32_t *v, int i)
{
	return ((uint64_t)fdt32_to_cpu(v[i]) << 32) | fdt32_to_cpu(v[i + 1]);
}

static uint32_t prop_u32(const void *fdt, int off, const char *name)
{
	return cell(cells(fdt, off, name, 1), 0);
}

static void assert_string_prop(const void *fdt, int off, const char *name, const char *want)
{
	int len = -1;
	const char *v = fdt_getprop(fdt, off, name, &len);

	assert_non_null(v);
	assert_int_equal(len, (int)strlen(want) + 1);
	assert_string_equal(v, want);
}

/* Asserts a string-list property is exactly the n strings in want. */
static void assert_stringlist(const void *fdt, int off, const char *name, const char *const *want,
			      int n)
{
	assert_int_equal(fdt_stringlist_count(fdt, off, name), n);
	for (int i = 0; i < n; i++)
		assert_string_equal(fdt_stringlist_get(fdt, off, name, i, NULL), want[i]);
}

static void assert_no_prop(const void *fdt, int off, const char *name)
{
	int len;

	assert_null(fdt_getprop(fdt, off, name, &len));
	assert_int_equal(len, -FDT_ERR_NOTFOUND);
}

/* Follows a phandle cell to its node; asserts it resolves. */
static int resolve(const void *fdt, uint32_t phandle)
{
	int off;

	assert_int_not_equal(phandle, 0);
	off = fdt_node_offset_by_phandle(fdt, phandle);
	assert_true(off >= 0);
	return off;
}

static void test_header_and_root(void **state)
{
	void *fdt = build(&default_params);
	int root = node(fdt, "/");

	assert_int_equal(fdt_num_mem_rsv(fdt), 0);
	assert_int_equal(prop_u32(fdt, root, "#address-cells"), 2);
	assert_int_equal(prop_u32(fdt, root, "#size-cells"), 2);
	assert_string_prop(fdt, root, "compatible", "linux,dummy-virt");
	assert_non_null(fdt_getprop(fdt, root, "model", NULL));
	/* The root's interrupt-parent is the GIC. */
	assert_int_equal(resolve(fdt, prop_u32(fdt, root, "interrupt-parent")),
			 node(fdt, "/intc@8000000"));
	free(fdt);
}

/* Exactly the devices of the virtual board, nothing QEMU has beyond it. */
static void test_only_board_nodes(void **state)
{
	static const char *const want[] = {"memory@40000000", "cpus",	 "psci",
					   "intc@8000000",    "timer",	 "apb-pclk",
					   "pl011@9000000",   "aliases", "chosen"};
	const size_t nwant = sizeof(want) / sizeof(want[0]);
	void *fdt = build(&default_params);
	int child, seen = 0;

	fdt_for_each_subnode(child, fdt, 0)
	{
		const char *name = fdt_get_name(fdt, child, NULL);
		size_t i;

		for (i = 0; i < nwant; i++)
			if (strcmp(name, want[i]) == 0)
				break;
		if (i == nwant)
			fail_msg("unexpected node /%s", name);
		seen++;
	}
	assert_int_equal(seen, (int)nwant);
	free(fdt);
}

static void test_memory(void **state)
{
	struct vdtb_params p = default_params;
	const fdt32_t *reg;
	void *fdt;
	int off;

	p.ram_size = 0x123400000ull; /* above 4 GiB: both cells matter */
	fdt = build(&p);
	off = node(fdt, "/memory@40000000");
	assert_string_prop(fdt, off, "device_type", "memory");
	reg = cells(fdt, off, "reg", 4);
	assert_int_equal(cell64(reg, 0), BOARD_RAM_BASE);
	assert_int_equal(cell64(reg, 2), 0x123400000ull);
	free(fdt);

	/* The unit address follows ram_base. */
	p.ram_base = 0x80000000ull;
	p.ram_size = 0x10000000ull;
	fdt = build(&p);
	reg = cells(fdt, node(fdt, "/memory@80000000"), "reg", 4);
	assert_int_equal(cell64(reg, 0), 0x80000000ull);
	assert_int_equal(cell64(reg, 2), 0x10000000ull);
	free(fdt);
}

static void check_cpus(unsigned nr)
{
	struct vdtb_params p = default_params;
	void *fdt;
	int cpus, child;
	unsigned n = 0;

	p.nr_vcpus = nr;
	fdt = build(&p);
	cpus = node(fdt, "/cpus");
	assert_int_equal(prop_u32(fdt, cpus, "#address-cells"), 1);
	assert_int_equal(prop_u32(fdt, cpus, "#size-cells"), 0);
	fdt_for_each_subnode(child, fdt, cpus)
	{
		char name[16];

		/* Nodes come in MPIDR order: cpu@0, cpu@1, ... */
		snprintf(name, sizeof(name), "cpu@%x", n);
		assert_string_equal(fdt_get_name(fdt, child, NULL), name);
		assert_string_prop(fdt, child, "device_type", "cpu");
		assert_string_prop(fdt, child, "compatible", "arm,armv8");
		assert_string_prop(fdt, child, "enable-method", "psci");
		assert_int_equal(prop_u32(fdt, child, "reg"), n);
		n++;
	}
	assert_int_equal(n, nr);
	free(fdt);
}

static void test_cpus_1(void **state)
{
	check_cpus(1);
}

static void test_cpus_2(void **state)
{
	check_cpus(2);
}

static void test_cpus_4(void **state)
{
	check_cpus(4);
}

static void test_psci(void **state)
{
	static const char *const compat[] = {"arm,psci-1.0", "arm,psci-0.2", "arm,psci"};
	void *fdt = build(&default_params);
	int off = node(fdt, "/psci");

	assert_stringlist(fdt, off, "compatible", compat, 3);
	assert_string_prop(fdt, off, "method", "hvc");
	assert_int_equal(prop_u32(fdt, off, "cpu_on"), 0xc4000003u);
	assert_int_equal(prop_u32(fdt, off, "cpu_off"), 0x84000002u);
	free(fdt);
}

static void test_gic(void **state)
{
	static const unsigned nrs[] = {1, 2, 4};

	for (size_t i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++) {
		struct vdtb_params p = default_params;
		const fdt32_t *reg, *irq;
		void *fdt;
		int off;

		p.nr_vcpus = nrs[i];
		fdt = build(&p);
		off = node(fdt, "/intc@8000000");
		assert_string_prop(fdt, off, "compatible", "arm,gic-v3");
		assert_int_equal(prop_u32(fdt, off, "#interrupt-cells"), 3);
		assert_int_equal(prop_u32(fdt, off, "#address-cells"), 0);
		cells(fdt, off, "interrupt-controller", 0);
		assert_int_equal(prop_u32(fdt, off, "#redistributor-regions"), 1);
		reg = cells(fdt, off, "reg", 8);
		assert_int_equal(cell64(reg, 0), 0x08000000u);
		assert_int_equal(cell64(reg, 2), 0x10000u);
		assert_int_equal(cell64(reg, 4), 0x080a0000u);
		/* One 128 KiB RD_base + SGI_base pair per vCPU. */
		assert_int_equal(cell64(reg, 6), nrs[i] * 0x20000u);
		/* Maintenance interrupt: GIC_PPI 9, level high. */
		irq = cells(fdt, off, "interrupts", 3);
		assert_int_equal(cell(irq, 0), 1);
		assert_int_equal(cell(irq, 1), 9);
		assert_int_equal(cell(irq, 2), 4);
		assert_int_equal(resolve(fdt, fdt_get_phandle(fdt, off)), off);
		free(fdt);
	}
}

static void test_timer(void **state)
{
	/* <GIC_PPI n flags>: secure phys 13, phys 14, virt 11, hyp 10. */
	static const uint32_t want[12] = {
	    1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4,
	};
	struct vdtb_params p = default_params;
	const fdt32_t *irq;
	void *fdt;
	int off;

	/* With 4 vCPUs a GICv2-style CPU mask would show up as 0xf00. */
	p.nr_vcpus = 4;
	fdt = build(&p);
	off = node(fdt, "/timer");
	assert_string_prop(fdt, off, "compatible", "arm,armv8-timer");
	cells(fdt, off, "always-on", 0);
	irq = cells(fdt, off, "interrupts", 12);
	for (int i = 0; i < 12; i++)
		assert_int_equal(cell(irq, i), want[i]);
	free(fdt);
}

static void test_uart(void **state)
{
	static const char *const compat[] = {"arm,pl011", "arm,primecell"};
	static const char *const clock_names[] = {"uartclk", "apb_pclk"};
	void *fdt = build(&default_params);
	int off = node(fdt, "/pl011@9000000");
	const fdt32_t *reg, *irq, *clk;

	assert_stringlist(fdt, off, "compatible", compat, 2);
	reg = cells(fdt, off, "reg", 4);
	assert_int_equal(cell64(reg, 0), 0x09000000u);
	assert_int_equal(cell64(reg, 2), 0x1000u);
	/* GIC_SPI 1 (INTID 33), level high. */
	irq = cells(fdt, off, "interrupts", 3);
	assert_int_equal(cell(irq, 0), 0);
	assert_int_equal(cell(irq, 1), 1);
	assert_int_equal(cell(irq, 2), 4);
	assert_stringlist(fdt, off, "clock-names", clock_names, 2);
	clk = cells(fdt, off, "clocks", 2);
	for (int i = 0; i < 2; i++) {
		int c = resolve(fdt, cell(clk, i));

		assert_string_equal(fdt_get_name(fdt, c, NULL), "apb-pclk");
		assert_string_prop(fdt, c, "compatible", "fixed-clock");
		assert_int_equal(prop_u32(fdt, c, "#clock-cells"), 0);
		assert_int_equal(prop_u32(fdt, c, "clock-frequency"), 24000000u);
	}
	free(fdt);
}

static void test_console_paths(void **state)
{
	void *fdt = build(&default_params);
	int uart = node(fdt, "/pl011@9000000");
	const char *alias, *stdout_path;

	alias = fdt_get_alias(fdt, "serial0");
	assert_non_null(alias);
	assert_string_equal(alias, "/pl011@9000000");
	assert_int_equal(fdt_path_offset(fdt, alias), uart);
	stdout_path = fdt_getprop(fdt, node(fdt, "/chosen"), "stdout-path", NULL);
	assert_non_null(stdout_path);
	assert_int_equal(fdt_path_offset(fdt, stdout_path), uart);
	free(fdt);
}

static void test_chosen_empty(void **state)
{
	struct vdtb_params p = default_params;
	void *fdt;
	int off;

	fdt = build(&p);
	off = node(fdt, "/chosen");
	assert_no_prop(fdt, off, "bootargs");
	assert_no_prop(fdt, off, "linux,initrd-start");
	assert_no_prop(fdt, off, "linux,initrd-end");
	free(fdt);

	/* An empty command line is no command line; a start without a size no initrd. */
	p.cmdline = "";
	p.initrd_start = 0x48000000;
	fdt = build(&p);
	off = node(fdt, "/chosen");
	assert_no_prop(fdt, off, "bootargs");
	assert_no_prop(fdt, off, "linux,initrd-start");
	assert_no_prop(fdt, off, "linux,initrd-end");
	free(fdt);
}

static void test_chosen_given(void **state)
{
	struct vdtb_params p = default_params;
	void *fdt;
	int off;

	p.cmdline = "console=ttyAMA0 earlycon root=/dev/ram0";
	p.initrd_start = 0x148000000ull; /* above 4 GiB: needs both cells */
	p.initrd_size = 0x2345678;
	fdt = build(&p);
	off = node(fdt, "/chosen");
	assert_string_prop(fdt, off, "bootargs", p.cmdline);
	assert_int_equal(cell64(cells(fdt, off, "linux,initrd-start", 2), 0), 0x148000000ull);
	assert_int_equal(cell64(cells(fdt, off, "linux,initrd-end", 2), 0),
			 0x148000000ull + 0x2345678);
	free(fdt);
}

static void test_buffer_too_small(void **state)
{
	static const size_t sizes[] = {0, 16, 40, 64, 256, 1024};
	void *fdt = build(&default_params);
	size_t need = fdt_totalsize(fdt);

	free(fdt);
	assert_true(need > 1024);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		/* Exactly-sized heap buffers: ASan catches any write past the end. */
		void *buf = malloc(sizes[i] ? sizes[i] : 1);

		assert_non_null(buf);
		assert_true(vdtb_build(buf, sizes[i], &default_params) < 0);
		free(buf);
	}
	fdt = malloc(need - 1);
	assert_non_null(fdt);
	assert_int_equal(vdtb_build(fdt, need - 1, &default_params), -FDT_ERR_NOSPACE);
	free(fdt);
	/* The size the tree reports is exactly enough. */
	fdt = malloc(need);
	assert_non_null(fdt);
	assert_int_equal(vdtb_build(fdt, need, &default_params), 0);
	assert_int_equal(fdt_check_header(fdt), 0);
	assert_int_equal(fdt_totalsize(fdt), need);
	free(fdt);
}

static void test_bad_params(void **state)
{
	char buf[BUF_SIZE];
	struct vdtb_params p;

	assert_true(vdtb_build(buf, sizeof(buf), NULL) < 0);
	assert_true(vdtb_build(NULL, sizeof(buf), &default_params) < 0);

	p = default_params;
	p.nr_vcpus = 0;
	assert_true(vdtb_build(buf, sizeof(buf), &p) < 0);
	p.nr_vcpus = BOARD_MAX_VCPUS + 1;
	assert_true(vdtb_build(buf, sizeof(buf), &p) < 0);

	p = default_params;
	p.ram_size = 0;
	assert_true(vdtb_build(buf, sizeof(buf), &p) < 0);
	p.ram_size = UINT64_MAX;
	assert_true(vdtb_build(buf, sizeof(buf), &p) < 0);

	p = default_params;
	p.initrd_start = UINT64_MAX - 0xfff;
	p.initrd_size = 0x1000;
	assert_true(vdtb_build(buf, sizeof(buf), &p) < 0);

	/* The limit itself is fine. */
	p = default_params;
	p.nr_vcpus = BOARD_MAX_VCPUS;
	assert_int_equal(vdtb_build(buf, sizeof(buf), &p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_header_and_root),
	    cmocka_unit_test(test_only_board_nodes),
	    cmocka_unit_test(test_memory),
	    cmocka_unit_test(test_cpus_1),
	    cmocka_unit_test(test_cpus_2),
	    cmocka_unit_test(test_cpus_4),
	    cmocka_unit_test(test_psci),
	    cmocka_unit_test(test_gic),
	    cmocka_unit_test(test_timer),
	    cmocka_unit_test(test_uart),
	    cmocka_unit_test(test_console_paths),
	    cmocka_unit_test(test_chosen_empty),
	    cmocka_unit_test(test_chosen_given),
	    cmocka_unit_test(test_buffer_too_small),
	    cmocka_unit_test(test_bad_params),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
