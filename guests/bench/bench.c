/*
 * bench: what each trap path of the hypervisor costs, in guest-visible
 * instructions (method: bench.h; figures and their meaning:
 * docs/performance.md). Prints one line per figure,
 *
 *   FACET-BENCH <name> <instructions> insns (<how it was derived>)
 *
 * then powers off. Boot argument bench.mode selects what runs:
 *   ops     (default) every single-VM figure;
 *   switch  the VM-switch ping-pong: two VMs running this mode on one
 *           physical CPU take turns through WFI. Both wait until the
 *           counter reaches bench.start (ticks) so that they start together.
 * bench.only=<name> runs just that figure ("none": no figure), for
 * scripts/bench.sh --profile, which divides by the count in the line
 *
 *   FACET-BENCH runs <name> <times the operation ran>
 */
#include "guest.h"

#include "bench.h"

/* Batches run per figure; the quietest counts. */
#define BENCH_BATCHES 64
/* Dithered sweeps per figure; the quietest counts. */
#define BENCH_SWEEPS 8

/*
 * SMCCC function ids: PSCI_VERSION (DEN0022 5.1.1), and a fast call to the
 * vendor-specific hypervisor service (OEN 6, DEN0028 6.1) facet does not define.
 */
#define FID_PSCI_VERSION PSCI_0_2_VERSION
#define FID_UNKNOWN 0x86000F00U

/* PL011 registers (DDI 0183, 3.2): flag register, interrupt FIFO level select. */
#define UART_FR 0x018
#define UART_IFLS 0x034

/* ICC_SGI1R_EL1 fields (IHI 0069, 12.2.22). */
#define SGI1R_TARGETS GENMASK(15, 0)
#define SGI1R_AFF1 GENMASK(23, 16)
#define SGI1R_INTID GENMASK(27, 24)
#define SGI1R_AFF2 GENMASK(39, 32)
#define SGI1R_RS GENMASK(47, 44)
#define SGI1R_AFF3 GENMASK(55, 48)
#define BENCH_SGI 1

/* A one-shot timer is armed this many ticks ahead: past the code that arms it. */
#define SHOT_MARGIN_TICKS 64
/*
 * Ping-pong: each VM arms its timer this far ahead before its WFI, far
 * enough that the timer is still pending when facet looks (so the vCPU
 * blocks), near enough that it has fired by the time the other VM is in
 * its WFI (so there is never idle time in between).
 */
#define PINGPONG_DELAY_TICKS 16
#define PINGPONG_WARMUP 1024
/* Default bench.start: 2^25 ticks, about 0.5 s of virtual time after power-on. */
#define SWITCH_START_TICKS (1UL << 25)

typedef uint64_t (*bench_loop)(uint64_t n, uint64_t a1, uint64_t a2);

/* Times quietest_batch runs the loop body: a warm-up, then the batches. */
#define WARMUP_RUNS 16
#define QUIETEST_RUNS (WARMUP_RUNS + BENCH_BATCHES * BENCH_BATCH)

static uint64_t quietest_batch(bench_loop loop, uint64_t a1, uint64_t a2)
{
	uint64_t best = UINT64_MAX;

	loop(WARMUP_RUNS, a1, a2); /* the first run pays for QEMU translating the loop */
	for (unsigned i = 0; i < BENCH_BATCHES; i++) {
		uint64_t t = loop(BENCH_BATCH, a1, a2);
		if (t < best)
			best = t;
	}
	return best;
}

/* Prints x / 100 with two decimals. */
static void report(const char *name, int64_t centi, const char *how)
{
	uint64_t mag = centi < 0 ? (uint64_t)-centi : (uint64_t)centi;

	printf("FACET-BENCH %s %s%lu.%02lu insns (%s)\n", name, centi < 0 ? "-" : "", mag / 100,
	       mag % 100, how);
}

/* Hundredths of an instruction per operation, from batch ticks: ticks * (1e9 / freq) ns. */
static int64_t batch_centi(uint64_t op_ticks, uint64_t empty_ticks, unsigned ops_per_iter)
{
	int64_t ticks = (int64_t)op_ticks - (int64_t)empty_ticks;
	return ticks * 100 * 1000000000L / (int64_t)timer_freq() / (BENCH_BATCH * ops_per_iter);
}

/* bench.only: run only the figure of that name (and what it is derived from). */
static bool wanted(const char *name)
{
	const char *only;
	size_t len;

	return !dt_bootarg("bench.only", &only, &len) ||
	       (strlen(name) == len && !strncmp(name, only, len));
}

static void report_runs(const char *name, unsigned runs)
{
	printf("FACET-BENCH runs %s %u\n", name, runs);
}

static void report_batch(const char *name, bench_loop op, bench_loop empty, uint64_t a1,
			 uint64_t a2)
{
	if (!wanted(name))
		return;
	uint64_t t_op = quietest_batch(op, a1, a2);
	uint64_t t_empty = quietest_batch(empty, a1, a2);
	char how[96];

	snprintf(how, sizeof(how), "batch of %u: %lu ticks, empty loop %lu", BENCH_BATCH, t_op,
		 t_empty);
	report(name, batch_centi(t_op, t_empty, 1), how);
	report_runs(name, QUIETEST_RUNS);
}

/* ICC_SGI1R_EL1 value that sends BENCH_SGI to the calling vCPU alone. */
static uint64_t sgi1r_self(void)
{
	uint64_t mpidr = READ_SYSREG(mpidr_el1);
	unsigned aff0 = (unsigned)(mpidr & 0xff);

	return FIELD_PREP(SGI1R_TARGETS, BIT(aff0 % 16)) | FIELD_PREP(SGI1R_RS, aff0 / 16) |
	       FIELD_PREP(SGI1R_AFF1, FIELD_GET(GENMASK(15, 8), mpidr)) |
	       FIELD_PREP(SGI1R_AFF2, FIELD_GET(GENMASK(23, 16), mpidr)) |
	       FIELD_PREP(SGI1R_AFF3, FIELD_GET(GENMASK(39, 32), mpidr)) |
	       FIELD_PREP(SGI1R_INTID, BENCH_SGI);
}

/*
 * The dithered sum (bench.h) for a timer interrupt taken by `handler`:
 * the sum over j of (counter read - C), which is the number of
 * instructions from the expiry to the handler's counter read, the read
 * included. Quietest of BENCH_SWEEPS sweeps.
 */
static uint64_t timer_shot_sum(char *handler, unsigned *wrong_intid)
{
	uint64_t best = UINT64_MAX;

	for (unsigned s = 0; s < BENCH_SWEEPS; s++) {
		uint64_t sum = 0;
		for (unsigned j = 0; j < BENCH_DITHER; j++) {
			struct bench_shot shot;
			uint64_t cval = timer_count() + SHOT_MARGIN_TICKS;
			bench_timer_shot((uintptr_t)handler - 4 * j, cval, &shot);
			if (shot.intid != BOARD_TIMER_VIRT_INTID)
				(*wrong_intid)++;
			sum += shot.count - cval;
		}
		if (sum < best)
			best = sum;
	}
	return best;
}

static void run_ops(void)
{
	uint64_t vbar = READ_SYSREG(vbar_el1);
	unsigned wrong = 0;
	char how[128];

	/* Dithering needs one tick per 16 instructions: 62.5 MHz at 1 instruction per ns. */
	if (timer_freq() != 62500000)
		printf("FACET-BENCH error: counter at %lu Hz, dithering needs 62.5 MHz\n",
		       timer_freq());

	report_batch("hvc_null", bench_hvc, bench_hvc_empty, FID_PSCI_VERSION, 0);
	report_batch("smccc_unknown", bench_hvc, bench_hvc_empty, FID_UNKNOWN, 0);
	report_batch("gicd_read", bench_mmio_read, bench_mmio_empty, dt.gicd_base + GICD_TYPER, 0);
	report_batch("uart_read", bench_mmio_read, bench_mmio_empty, BOARD_UART_BASE + UART_FR, 0);
	report_batch("uart_write", bench_mmio_write, bench_mmio_empty, BOARD_UART_BASE + UART_IFLS,
		     0);

	/* From here on interrupts go to bench_vectors' one-branch IRQ slot. */
	WRITE_SYSREG(vbar_el1, (uintptr_t)bench_vectors);
	isb();

	gic_irq_enable(BENCH_SGI);
	irq_unmask();
	report_batch("vipi_roundtrip", bench_sgi, bench_sgi_empty, sgi1r_self(),
		     (uintptr_t)bench_irq_ack);
	irq_mask();
	gic_irq_disable(BENCH_SGI);

	/*
	 * The timer fires at 16 * C; the plain handler's read comes after
	 * facet's instructions, the vector's `br x13` and the handler's ISB,
	 * and counts itself: 3 more than facet's.
	 */
	if (wanted("vtimer_irq") || wanted("irq_ack_eoi")) {
		uint64_t plain = timer_shot_sum(bench_shot_plain, &wrong);
		snprintf(how, sizeof(how), "dithered: %lu to the handler's read, less 3", plain);
		report("vtimer_irq", ((int64_t)plain - 3) * 100, how);
		report_runs("vtimer_irq", BENCH_SWEEPS * BENCH_DITHER);
		if (wanted("irq_ack_eoi")) {
			uint64_t acked = timer_shot_sum(bench_shot_ack, &wrong);
			snprintf(how, sizeof(how),
				 "dithered: %lu with IAR1+EOIR1 before the read, %lu without",
				 acked, plain);
			report("irq_ack_eoi", ((int64_t)acked - (int64_t)plain) * 100, how);
			report_runs("irq_ack_eoi", BENCH_SWEEPS * BENCH_DITHER);
		}
	}
	if (wrong)
		printf("FACET-BENCH error: %u timer handlers acknowledged another INTID\n", wrong);

	WRITE_SYSREG(vbar_el1, vbar);
	isb();
}

static void run_switch(void)
{
	uint64_t start = dt_bootarg_u64("bench.start", SWITCH_START_TICKS);
	uint64_t t_empty, t_wfi = UINT64_MAX;
	char how[128];

	/* The loop without WFI, while the other VM is not in its loop yet. */
	t_empty = quietest_batch(bench_wfi_empty, PINGPONG_DELAY_TICKS, 0);
	timer_stop();
	if (timer_count() >= start)
		printf("FACET-BENCH error: bench.start %lu is already past\n", start);
	timer_sleep_until(start);
	if (!wanted("vm_switch"))
		return;

	/*
	 * Both VMs now take turns: the one in WFI is blocked until its timer
	 * deadline, which has passed by the time the other reaches its WFI.
	 * Warm-up and cool-down keep the partner in its loop for the whole
	 * time this VM measures.
	 */
	bench_wfi(PINGPONG_WARMUP, PINGPONG_DELAY_TICKS, 0);
	for (unsigned i = 0; i < BENCH_BATCHES; i++) {
		uint64_t t = bench_wfi(BENCH_BATCH, PINGPONG_DELAY_TICKS, 0);
		if (t < t_wfi)
			t_wfi = t;
	}
	bench_wfi(PINGPONG_WARMUP, PINGPONG_DELAY_TICKS, 0);
	timer_stop();

	/* One iteration of the ping-pong is two switches and both VMs' loop bodies. */
	snprintf(how, sizeof(how), "WFI ping-pong, batch of %u: %lu ticks, loop body %lu",
		 BENCH_BATCH, t_wfi, t_empty);
	report("vm_switch", batch_centi(t_wfi, 2 * t_empty, 2), how);
	/* Each WFI of this VM is one switch away from it. */
	report_runs("vm_switch", 2 * PINGPONG_WARMUP + BENCH_BATCHES * BENCH_BATCH);
}

int main(void)
{
	const char *mode;
	size_t len;

	if (!dt_bootarg("bench.mode", &mode, &len) || (len == 3 && !strncmp(mode, "ops", 3)))
		run_ops();
	else if (len == 6 && !strncmp(mode, "switch", 6))
		run_switch();
	else
		printf("FACET-BENCH error: unknown bench.mode\n");
	printf("FACET-BENCH done\n");
	return 0;
}
