/*
 * The device tree facet hands each VM: the virtual board of
 * include/abi/board.h, described node for node the way QEMU's "virt" machine
 * (gic-version=3) describes itself, minus every device facet does not
 * emulate. A kernel or bare-metal guest that boots on QEMU virt then finds
 * the same nodes, names, addresses and interrupt specifiers here.
 *
 * Built with libfdt's sequential-write API (fdt_create .. fdt_finish), so
 * the blob is written front to back into the caller's buffer with no
 * allocation; libfdt reports -FDT_ERR_NOSPACE when the buffer is too small.
 *
 * References:
 *   [DTSPEC]  Devicetree Specification v0.4: 2.3 standard properties,
 *             3.4 /memory, 3.6 /chosen, 3.7 /cpus, 3.8 cpu nodes.
 *   Linux Documentation/devicetree/bindings/:
 *   [GICV3]   interrupt-controller/arm,gic-v3.yaml
 *   [TIMER]   timer/arm,arch_timer.yaml
 *   [PSCI]    arm/psci.yaml
 *   [PL011]   serial/pl011.yaml, arm/primecell.yaml
 *   [CLK]     clock/fixed-clock.yaml
 *   [CPUS]    arm/cpus.yaml
 */
#include "core/vdtb.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libfdt.h>

#include "abi/board.h"

/*
 * Phandles of the two nodes other nodes point at. Any distinct non-zero
 * 32-bit values will do [DTSPEC 2.3.3]; guests look them up, never assume.
 */
#define VDTB_PHANDLE_GIC 1u
#define VDTB_PHANDLE_APB_PCLK 2u

/*
 * Interrupt specifier cells for arm,gic-v3 [GICV3]: <type number flags>.
 * type 0 = SPI (number = INTID - 32), 1 = PPI (number = INTID - 16).
 * flags bits [3:0] are the trigger: 1 edge rising, 4 level high, 8 level
 * low. The GICv2 binding also puts a CPU mask in bits [15:8] of a PPI's
 * flags; the GICv3 binding has no such field, so QEMU virt leaves it zero
 * with gic-version=3 and so do we.
 */
#define GIC_SPI 0u
#define GIC_PPI 1u
#define IRQ_TYPE_LEVEL_HIGH 4u

static uint32_t gic_spi_nr(uint32_t intid)
{
	return intid - 32u;
}

static uint32_t gic_ppi_nr(uint32_t intid)
{
	return intid - 16u;
}

/* PSCI function ids (PSCI spec DEN0022, 5.1), as QEMU virt lists them. */
#define PSCI_0_2_FN_CPU_OFF 0x84000002u
#define PSCI_0_2_FN64_CPU_ON 0xc4000003u

/* The PL011's reference clock on QEMU virt: a fixed 24 MHz clock. */
#define VDTB_APB_PCLK_HZ 24000000u

/* Enough cells for the longest property written here: the timer's 4 x 3. */
#define VDTB_MAX_CELLS 12

/* "name@" + 16 hex digits + NUL, with room to spare. */
#define VDTB_NAME_MAX 40

/*
 * Writer with a sticky error: after the first libfdt failure every later
 * call does nothing, and vdtb_build returns that first error. This keeps
 * the node-by-node description below free of error plumbing.
 */
struct dtw {
	void *fdt;
	int err;
};

static void dtw_check(struct dtw *w, int ret)
{
	if (!w->err && ret < 0)
		w->err = ret;
}

static void begin_node(struct dtw *w, const char *name)
{
	if (!w->err)
		dtw_check(w, fdt_begin_node(w->fdt, name));
}

static void end_node(struct dtw *w)
{
	if (!w->err)
		dtw_check(w, fdt_end_node(w->fdt));
}

static void prop_empty(struct dtw *w, const char *name)
{
	if (!w->err)
		dtw_check(w, fdt_property(w->fdt, name, NULL, 0));
}

static void prop_u32(struct dtw *w, const char *name, uint32_t val)
{
	if (!w->err)
		dtw_check(w, fdt_property_u32(w->fdt, name, val));
}

static void prop_u64(struct dtw *w, const char *name, uint64_t val)
{
	if (!w->err)
		dtw_check(w, fdt_property_u64(w->fdt, name, val));
}

static void prop_string(struct dtw *w, const char *name, const char *str)
{
	if (!w->err)
		dtw_check(w, fdt_property_string(w->fdt, name, str));
}

/*
 * A string list [DTSPEC 2.2.4.1]: strings back to back, each with its NUL.
 * Pass a literal such as "a\0b" and its sizeof, which counts the last NUL.
 */
static void prop_strings(struct dtw *w, const char *name, const char *list, size_t len)
{
	if (!w->err)
		dtw_check(w, fdt_property(w->fdt, name, list, (int)len));
}

/* An array of 32-bit cells, stored big-endian [DTSPEC 2.2.4.1]. */
static void prop_cells(struct dtw *w, const char *name, const uint32_t *val, size_t n)
{
	fdt32_t be[VDTB_MAX_CELLS];

	if (w->err)
		return;
	if (n > VDTB_MAX_CELLS) {
		w->err = -FDT_ERR_INTERNAL;
		return;
	}
	for (size_t i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(val[i]);
	dtw_check(w, fdt_property(w->fdt, name, be, (int)(n * sizeof(be[0]))));
}

/*
 * A reg property of n (address, size) pairs under a parent with
 * #address-cells = #size-cells = 2: each value split into two cells,
 * most significant first.
 */
static void prop_reg64(struct dtw *w, const uint64_t *pairs, size_t n)
{
	uint32_t cells[VDTB_MAX_CELLS];

	if (w->err)
		return;
	if (n * 4 > VDTB_MAX_CELLS) {
		w->err = -FDT_ERR_INTERNAL;
		return;
	}
	for (size_t i = 0; i < n * 2; i++) {
		cells[2 * i] = (uint32_t)(pairs[i] >> 32);
		cells[2 * i + 1] = (uint32_t)pairs[i];
	}
	prop_cells(w, "reg", cells, n * 4);
}

/* "base@unit", the unit address in lower-case hex without leading zeros [DTSPEC 2.2.1]. */
static void begin_node_at(struct dtw *w, const char *base, uint64_t unit)
{
	char name[VDTB_NAME_MAX];

	snprintf(name, sizeof(name), "%s@%lx", base, (unsigned long)unit);
	begin_node(w, name);
}

/* [DTSPEC 3.4]: one node for the VM's single RAM bank. */
static void add_memory(struct dtw *w, const struct vdtb_params *p)
{
	const uint64_t reg[] = {p->ram_base, p->ram_size};

	begin_node_at(w, "memory", p->ram_base);
	prop_string(w, "device_type", "memory");
	prop_reg64(w, reg, 1);
	end_node(w);
}

/*
 * [DTSPEC 3.7, 3.8], [CPUS]: with #address-cells = 1, a cpu's reg is
 * MPIDR_EL1[23:0]; facet gives vCPU i the MPIDR Aff0 = i. Secondary vCPUs
 * are started through PSCI CPU_ON.
 */
static void add_cpus(struct dtw *w, const struct vdtb_params *p)
{
	begin_node(w, "cpus");
	prop_u32(w, "#address-cells", 1);
	prop_u32(w, "#size-cells", 0);
	for (unsigned i = 0; i < p->nr_vcpus; i++) {
		begin_node_at(w, "cpu", i);
		prop_string(w, "device_type", "cpu");
		prop_string(w, "compatible", "arm,armv8");
		prop_u32(w, "reg", i);
		prop_string(w, "enable-method", "psci");
		end_node(w);
	}
	end_node(w);
}

/*
 * [PSCI]: PSCI 1.0 over HVC, since the guest runs at EL1 under facet at EL2.
 * The psci-0.2+ compatibles make Linux ask PSCI_VERSION and use the standard
 * ids; cpu_on/cpu_off are read only by "arm,psci" (0.1) guests, and carry
 * the same ids QEMU virt gives them.
 */
static void add_psci(struct dtw *w)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";

	begin_node(w, "psci");
	prop_strings(w, "compatible", compat, sizeof(compat));
	prop_string(w, "method", "hvc");
	prop_u32(w, "cpu_on", PSCI_0_2_FN64_CPU_ON);
	prop_u32(w, "cpu_off", PSCI_0_2_FN_CPU_OFF);
	end_node(w);
}

/*
 * [GICV3]: reg is the distributor, then the redistributor regions; facet
 * has one region with one 128 KiB RD_base + SGI_base pair per vCPU, so a
 * guest never probes redistributors beyond the last vCPU. interrupts is
 * the virtual maintenance interrupt, PPI 9 on QEMU virt. #address-cells
 * is 0: the GIC has no child nodes here (no ITS), and an interrupt-map
 * that targets it [DTSPEC 2.4.3.1] then carries no parent unit address;
 * dtc warns about an interrupt provider without it.
 */
static void add_gic(struct dtw *w, const struct vdtb_params *p)
{
	const uint64_t gicr_size = (uint64_t)p->nr_vcpus * BOARD_GICR_STRIDE;
	const uint64_t reg[] = {BOARD_GICD_BASE, BOARD_GICD_SIZE, BOARD_GICR_BASE, gicr_size};
	const uint32_t maint[] = {GIC_PPI, gic_ppi_nr(BOARD_GIC_MAINT_INTID), IRQ_TYPE_LEVEL_HIGH};

	begin_node_at(w, "intc", BOARD_GICD_BASE);
	prop_string(w, "compatible", "arm,gic-v3");
	prop_u32(w, "#interrupt-cells", 3);
	prop_u32(w, "#address-cells", 0);
	prop_empty(w, "interrupt-controller");
	prop_u32(w, "#redistributor-regions", 1);
	prop_reg64(w, reg, 2);
	prop_cells(w, "interrupts", maint, 3);
	prop_u32(w, "phandle", VDTB_PHANDLE_GIC);
	end_node(w);
}

/*
 * [TIMER]: the four generic-timer PPIs in the binding's order: secure
 * physical, non-secure physical, virtual, hypervisor (PPIs 13, 14, 11, 10).
 * Flags are level-high, as current QEMU virt describes them. always-on:
 * the timers keep counting in every idle state facet offers, so Linux
 * need not fall back to a broadcast timer.
 */
static void add_timer(struct dtw *w)
{
	static const uint32_t intids[] = {BOARD_TIMER_SEC_PHYS_INTID, BOARD_TIMER_PHYS_INTID,
					  BOARD_TIMER_VIRT_INTID, BOARD_TIMER_HYP_INTID};
	uint32_t irqs[3 * 4];

	for (size_t i = 0; i < 4; i++) {
		irqs[3 * i] = GIC_PPI;
		irqs[3 * i + 1] = gic_ppi_nr(intids[i]);
		irqs[3 * i + 2] = IRQ_TYPE_LEVEL_HIGH;
	}

	begin_node(w, "timer");
	prop_string(w, "compatible", "arm,armv8-timer");
	prop_cells(w, "interrupts", irqs, sizeof(irqs) / sizeof(irqs[0]));
	prop_empty(w, "always-on");
	end_node(w);
}

/* [CLK]: the fixed 24 MHz clock the PL011 is fed from on QEMU virt. */
static void add_apb_pclk(struct dtw *w)
{
	begin_node(w, "apb-pclk");
	prop_string(w, "compatible", "fixed-clock");
	prop_u32(w, "#clock-cells", 0);
	prop_u32(w, "clock-frequency", VDTB_APB_PCLK_HZ);
	prop_string(w, "clock-output-names", "clk24mhz");
	prop_u32(w, "phandle", VDTB_PHANDLE_APB_PCLK);
	end_node(w);
}

/*
 * [PL011], [primecell]: the AMBA bus code needs "arm,primecell" and the
 * apb_pclk clock to read the peripheral id; the pl011 driver wants uartclk
 * to compute baud-rate divisors. Both are the same fixed clock, as on QEMU.
 */
static void add_uart(struct dtw *w, const char *uart_name)
{
	static const char compat[] = "arm,pl011\0arm,primecell";
	static const char clock_names[] = "uartclk\0apb_pclk";
	const uint64_t reg[] = {BOARD_UART_BASE, BOARD_UART_SIZE};
	const uint32_t irq[] = {GIC_SPI, gic_spi_nr(BOARD_UART_INTID), IRQ_TYPE_LEVEL_HIGH};
	const uint32_t clocks[] = {VDTB_PHANDLE_APB_PCLK, VDTB_PHANDLE_APB_PCLK};

	begin_node(w, uart_name);
	prop_strings(w, "compatible", compat, sizeof(compat));
	prop_reg64(w, reg, 1);
	prop_cells(w, "interrupts", irq, 3);
	prop_cells(w, "clocks", clocks, 2);
	prop_strings(w, "clock-names", clock_names, sizeof(clock_names));
	end_node(w);
}

/*
 * [DTSPEC 3.6]: the console, the command line and the initrd. Linux reads
 * linux,initrd-start/-end as either 32- or 64-bit; 64-bit always fits.
 * An empty command line is treated as none.
 */
static void add_chosen(struct dtw *w, const struct vdtb_params *p, const char *uart_path)
{
	begin_node(w, "chosen");
	prop_string(w, "stdout-path", uart_path);
	if (p->cmdline && p->cmdline[0] != '\0')
		prop_string(w, "bootargs", p->cmdline);
	if (p->initrd_size > 0) {
		prop_u64(w, "linux,initrd-start", p->initrd_start);
		prop_u64(w, "linux,initrd-end", p->initrd_start + p->initrd_size);
	}
	end_node(w);
}

/* Rejects what would make a tree no guest could use. */
static bool params_valid(const struct vdtb_params *p)
{
	if (!p)
		return false;
	if (p->nr_vcpus < 1 || p->nr_vcpus > BOARD_MAX_VCPUS)
		return false;
	if (p->ram_size == 0 || p->ram_base + p->ram_size < p->ram_base)
		return false;
	if (p->initrd_size > 0 && p->initrd_start + p->initrd_size < p->initrd_start)
		return false;
	return true;
}

int vdtb_build(void *buf, size_t bufsize, const struct vdtb_params *p)
{
	/* "/pl011@9000000": node name, /aliases/serial0 and stdout-path. */
	char uart_path[VDTB_NAME_MAX];
	struct dtw w = {.fdt = buf, .err = 0};

	if (!buf || !params_valid(p))
		return -FDT_ERR_BADVALUE;
	/* libfdt sizes are int; a DTB is at most a few KiB anyway. */
	if (bufsize > INT32_MAX)
		bufsize = INT32_MAX;

	snprintf(uart_path, sizeof(uart_path), "/pl011@%lx", (unsigned long)BOARD_UART_BASE);

	dtw_check(&w, fdt_create(buf, (int)bufsize));
	/* No memory reservations: facet's own memory is not in the guest's map. */
	if (!w.err)
		dtw_check(&w, fdt_finish_reservemap(buf));

	begin_node(&w, "");
	/* [DTSPEC 3.2]; the compatible and model QEMU virt gives its root. */
	prop_u32(&w, "#address-cells", 2);
	prop_u32(&w, "#size-cells", 2);
	prop_string(&w, "compatible", "linux,dummy-virt");
	prop_string(&w, "model", "linux,dummy-virt");
	prop_u32(&w, "interrupt-parent", VDTB_PHANDLE_GIC);

	add_memory(&w, p);
	add_cpus(&w, p);
	add_psci(&w);
	add_gic(&w, p);
	add_timer(&w);
	add_apb_pclk(&w);
	add_uart(&w, uart_path + 1);

	begin_node(&w, "aliases");
	prop_string(&w, "serial0", uart_path);
	end_node(&w);

	add_chosen(&w, p, uart_path);
	end_node(&w); /* / */

	if (!w.err)
		dtw_check(&w, fdt_finish(buf));
	return w.err;
}
