/*
 * Reading the QEMU virt board from its device tree with libfdt. Bindings:
 * Linux Documentation/devicetree/bindings (memory, cpus, arm,gic-v3,
 * arm,pl011, arm,psci) and the Linux arm64 boot protocol for /chosen.
 */
#include <libfdt.h>
#include <string.h>

#include "abi/board.h"
#include "abi/psci.h"
#include "core/log.h"
#include "platform/qemu-virt/platform.h"

struct platform plat;

static uint64_t cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = (v << 32) | fdt32_to_cpu(p[i]);
	return v;
}

/*
 * #address-cells or #size-cells of a node: a u32, 2 and 1 when absent
 * (Devicetree Specification v0.4, 2.3.5). libfdt's fdt_address_cells would
 * link its whole read-write half into EL2 for these few lines.
 */
static int cells_of(const void *fdt, int node, const char *name, int absent)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);
	if (p == NULL)
		return absent;
	return len == 4 ? (int)fdt32_to_cpu(*p) : -1;
}

/* reg entry idx of node, with its parent's #address-cells / #size-cells (at most 2 each). */
static int reg_of(const void *fdt, int node, int idx, uint64_t *base, uint64_t *size)
{
	int len, parent = fdt_parent_offset(fdt, node);
	int ac = cells_of(fdt, parent, "#address-cells", 2);
	int sc = cells_of(fdt, parent, "#size-cells", 1);
	const fdt32_t *r = fdt_getprop(fdt, node, "reg", &len);
	if (!r || ac < 1 || ac > 2 || sc < 0 || sc > 2 || len < (idx + 1) * (ac + sc) * 4)
		return -1;
	r += idx * (ac + sc);
	*base = cells(r, ac);
	if (size)
		*size = cells(r + ac, sc);
	return 0;
}

static uint64_t chosen_u64(const void *fdt, int chosen, const char *name)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, chosen, name, &len);
	if (!p || (len != 4 && len != 8))
		return 0;
	return cells(p, len / 4);
}

int platform_probe(const void *fdt)
{
	int node, len;

	if (fdt_check_header(fdt)) {
		LOG("no valid device tree at %p", fdt);
		return -1;
	}
	plat.fdt = (uint64_t)(uintptr_t)fdt;
	plat.fdt_size = fdt_totalsize(fdt);

	node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7);
	if (node < 0 || reg_of(fdt, node, 0, &plat.ram_base, &plat.ram_size)) {
		LOG("device tree: no /memory node");
		return -1;
	}

	node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	if (node < 0 || reg_of(fdt, node, 0, &plat.gicd, NULL) ||
	    reg_of(fdt, node, 1, &plat.gicr, &plat.gicr_size)) {
		LOG("device tree: no arm,gic-v3 node");
		return -1;
	}

	node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl011");
	if (node >= 0) {
		uint64_t b;
		const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);
		if (!reg_of(fdt, node, 0, &b, NULL))
			plat.uart = b;
		/* GIC binding: <type number flags>, type 0 = SPI (INTID 32 + n). */
		if (irq && len >= 12 && fdt32_to_cpu(irq[0]) == 0)
			plat.uart_intid = 32 + fdt32_to_cpu(irq[1]);
	}

	/*
	 * Generic timer (binding arm,arch_timer): interrupts are, in order, the
	 * secure and non-secure physical, virtual and hypervisor timers, each
	 * <1 (PPI) n flags> for INTID 16 + n.
	 */
	plat.vtimer_intid = BOARD_TIMER_VIRT_INTID;
	plat.htimer_intid = BOARD_TIMER_HYP_INTID;
	node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer");
	if (node >= 0) {
		const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);
		if (irq && len >= 4 * 12 && fdt32_to_cpu(irq[6]) == 1 && fdt32_to_cpu(irq[9]) == 1) {
			plat.vtimer_intid = 16 + fdt32_to_cpu(irq[7]);
			plat.htimer_intid = 16 + fdt32_to_cpu(irq[10]);
		}
	}

	/* The cpu nodes (under /cpus), in the order of the tree. */
	plat.nr_cpus = 0;
	for (node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "cpu", 4); node >= 0;
	     node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "cpu", 4)) {
		uint64_t mpidr;
		if (!reg_of(fdt, node, 0, &mpidr, NULL) && plat.nr_cpus < MAX_PCPUS)
			plat.cpu_mpidr[plat.nr_cpus++] = mpidr;
	}

	node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci");
	const char *method = node >= 0 ? fdt_getprop(fdt, node, "method", NULL) : NULL;
	plat.psci_smc = !method || !strcmp(method, "smc");

	int chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen >= 0) {
		plat.initrd_start = chosen_u64(fdt, chosen, "linux,initrd-start");
		plat.initrd_end = chosen_u64(fdt, chosen, "linux,initrd-end");
	}
	return 0;
}

/* A call to the platform's PSCI firmware over its conduit (SMCCC 1.1). */
static int64_t psci_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	if (plat.psci_smc)
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
				   "x14", "x15", "x16", "x17", "memory");
	else
		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
				   "x14", "x15", "x16", "x17", "memory");
	return (int64_t)x0;
}

int64_t platform_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context)
{
	return psci_call(PSCI_0_2_CPU_ON_64, mpidr, entry, context);
}

void platform_system_off(void)
{
	psci_call(PSCI_0_2_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}
