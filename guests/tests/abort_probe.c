/*
 * abort_probe: everything in the IPA space that is not this VM's RAM, GIC or
 * UART must answer a guest access with a synchronous external abort. Reads
 * every 2 MiB from 0 up to 1 TiB (or the CPU's PARange if smaller), plus the
 * words just outside each window; writes every 256 MiB below 16 GiB; and
 * instruction fetches from a few places outside RAM.
 *
 * Expected (ARM ARM, ESR_EL1): data abort taken without a change of EL
 * (EC 0x25; 0x24 would be "from a lower EL"), DFSC 0x10 (synchronous
 * external abort), FAR = the address; for fetches EC 0x21 (0x20 from a lower
 * EL), IFSC 0x10, FAR = ELR = the address.
 *
 * Boot argument abort_probe.host=qemu: running on plain QEMU (no facet),
 * whose own devices (flash, virtio-mmio, PCIe) also fill the map; those
 * windows are then skipped. Under facet nothing is skipped.
 */
#include "guest.h"

#define PROBE_LIMIT (1UL << 40) /* 1 TiB */
#define PROBE_STEP SZ_2M
#define WRITE_PROBE_LIMIT (16 * SZ_1G)
#define WRITE_PROBE_STEP (256 * SZ_1M)
#define PROGRESS_STEP (128 * SZ_1G)
#define MAX_REPORTS 8
/* ESR_ELx.ISS.WnR for data aborts: the access was a write. */
#define ESR_WNR BIT(6)

struct window {
	uint64_t base, size;
	const char *what;
};

/*
 * QEMU's virt machine (hw/arm/virt.c, base_memmap and extended_memmap, QEMU
 * 7.2 defaults) maps these besides RAM, GIC and UART; only skipped on plain QEMU.
 */
static const struct window qemu_windows[] = {
    {0x00000000, 0x08000000, "flash"},
    {0x08080000, 0x00020000, "GIC ITS"},
    {0x09010000, 0x000a0000, "rtc, fw_cfg, gpio, ..."},
    {0x0a000000, 0x00004000, "virtio-mmio"},
    {0x0c000000, 0x02000000, "platform bus"},
    {0x10000000, 0x2eff0000, "PCIe MMIO"},
    {0x3eff0000, 0x01010000, "PCIe PIO, ECAM"},
    {0x4010000000, 0x10000000, "PCIe high ECAM"},
    {0x8000000000, 0x8000000000, "PCIe high MMIO"},
};

static struct window own_windows[4];
static bool on_plain_qemu;

static void windows_init(void)
{
	const char *v;
	size_t len;

	own_windows[0] = (struct window){dt.ram_base, dt.ram_size, "RAM"};
	own_windows[1] = (struct window){dt.gicd_base, dt.gicd_size, "GICD"};
	own_windows[2] = (struct window){dt.gicr_base, dt.gicr_size, "GICR"};
	own_windows[3] = (struct window){BOARD_UART_BASE, BOARD_UART_SIZE, "UART"};
	on_plain_qemu =
	    dt_bootarg("abort_probe.host", &v, &len) && len == 4 && strncmp(v, "qemu", 4) == 0;
}

static bool in_windows(const struct window *w, size_t n, uint64_t addr)
{
	for (size_t i = 0; i < n; i++)
		if (addr >= w[i].base && addr - w[i].base < w[i].size)
			return true;
	return false;
}

static bool skipped(uint64_t addr)
{
	return in_windows(own_windows, ARRAY_SIZE(own_windows), addr) ||
	       (on_plain_qemu && in_windows(qemu_windows, ARRAY_SIZE(qemu_windows), addr));
}

static uint64_t probe_limit(void)
{
	/* ID_AA64MMFR0_EL1.PARange (ARM ARM, ID_AA64MMFR0_EL1). */
	static const unsigned pa_bits[] = {32, 36, 40, 42, 44, 48, 52};
	unsigned r = (unsigned)(READ_SYSREG(id_aa64mmfr0_el1) & 0xf);
	uint64_t limit = r < ARRAY_SIZE(pa_bits) ? 1UL << pa_bits[r] : PROBE_LIMIT;

	return limit < PROBE_LIMIT ? limit : PROBE_LIMIT;
}

struct tally {
	unsigned probes, bad;
};

static void report_bad(struct tally *t, const char *kind, uint64_t addr, bool faulted,
		       const struct fault_info *fi)
{
	if (t->bad++ >= MAX_REPORTS)
		return;
	if (!faulted)
		printf("abort_probe: %s 0x%lx: no abort\n", kind, addr);
	else
		printf("abort_probe: %s 0x%lx: ESR 0x%lx (EC 0x%x FSC 0x%x) FAR 0x%lx ELR 0x%lx\n",
		       kind, addr, fi->esr, ESR_EC(fi->esr), ESR_FSC(fi->esr), fi->far, fi->elr);
}

static void probe_read(struct tally *t, uint64_t addr)
{
	struct fault_info fi;
	bool faulted = fault_probe_read32(addr, NULL, &fi);

	t->probes++;
	if (!faulted || ESR_EC(fi.esr) != ESR_EC_DABT_CUR || ESR_FSC(fi.esr) != ESR_FSC_SEA ||
	    fi.far != addr || (fi.esr & ESR_WNR))
		report_bad(t, "read", addr, faulted, &fi);
}

TEST(read_every_2mib)
{
	struct tally t = {0};
	uint64_t limit = probe_limit(), start = timer_count();

	windows_init();
	printf("abort_probe: reading every 2 MiB of [0, 0x%lx)%s\n", limit,
	       on_plain_qemu ? ", skipping plain QEMU's own devices" : "");
	for (uint64_t addr = 0; addr < limit; addr += PROBE_STEP) {
		if (addr && addr % PROGRESS_STEP == 0)
			printf("abort_probe: at 0x%lx: %u probes, %u bad\n", addr, t.probes, t.bad);
		if (!skipped(addr))
			probe_read(&t, addr);
	}
	printf("abort_probe: %u reads, %u without the expected abort, %lu ms\n", t.probes, t.bad,
	       timer_ticks_to_ms(timer_count() - start));
	CHECK(t.probes > 0);
	CHECK_MSG(t.bad == 0, "%u of %u reads did not abort as expected", t.bad, t.probes);
}

TEST(read_window_edges)
{
	/* The word before and the word after each window: catches maps a little too large. */
	struct tally t = {0};

	windows_init();
	for (size_t i = 0; i < ARRAY_SIZE(own_windows); i++) {
		uint64_t before = own_windows[i].base - 4;
		uint64_t after = own_windows[i].base + own_windows[i].size;
		if (own_windows[i].base && !skipped(before))
			probe_read(&t, before);
		if (!skipped(after))
			probe_read(&t, after);
	}
	printf("abort_probe: %u window-edge reads, %u bad\n", t.probes, t.bad);
	CHECK_MSG(t.bad == 0, "%u of %u edge reads did not abort as expected", t.bad, t.probes);
}

TEST(write_every_256mib)
{
	struct tally t = {0};

	windows_init();
	for (uint64_t addr = 0; addr < WRITE_PROBE_LIMIT; addr += WRITE_PROBE_STEP) {
		struct fault_info fi;
		bool faulted;

		if (skipped(addr))
			continue;
		faulted = fault_probe_write32(addr, 0xdeadbeef, &fi);
		t.probes++;
		if (!faulted || ESR_EC(fi.esr) != ESR_EC_DABT_CUR ||
		    ESR_FSC(fi.esr) != ESR_FSC_SEA || fi.far != addr || !(fi.esr & ESR_WNR))
			report_bad(&t, "write", addr, faulted, &fi);
	}
	printf("abort_probe: %u writes, %u bad\n", t.probes, t.bad);
	CHECK_MSG(t.bad == 0, "%u of %u writes did not abort as expected", t.bad, t.probes);
}

TEST(instruction_fetch)
{
	const uint64_t targets[] = {
	    dt.ram_base + dt.ram_size,	 /* just past RAM */
	    dt.ram_base - 0x1000,	 /* just below RAM */
	    0x2000000000,		 /* 128 GiB */
	    dt.gicd_base + dt.gicd_size, /* between the GIC windows */
	};
	struct tally t = {0};

	windows_init();
	for (size_t i = 0; i < ARRAY_SIZE(targets); i++) {
		uint64_t addr = targets[i];
		struct fault_info fi;
		bool faulted;

		if (skipped(addr))
			continue;
		faulted = fault_probe_exec(addr, &fi);
		t.probes++;
		if (!faulted || ESR_EC(fi.esr) != ESR_EC_IABT_CUR ||
		    ESR_FSC(fi.esr) != ESR_FSC_SEA || fi.far != addr || fi.elr != addr)
			report_bad(&t, "fetch", addr, faulted, &fi);
	}
	printf("abort_probe: %u fetches, %u bad\n", t.probes, t.bad);
	CHECK(t.probes > 0);
	CHECK_MSG(t.bad == 0, "%u of %u fetches did not abort as expected", t.bad, t.probes);
}
