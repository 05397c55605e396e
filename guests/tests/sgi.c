/*
 * sgi: software-generated interrupts between the vCPUs of a 4-vCPU VM, sent
 * through ICC_SGI1R_EL1 (IHI 0069, ICC_SGI1R_EL1) with a target list and
 * with IRM = 1 ("all but self"). Each must arrive exactly once, and only
 * where it was sent. Each sender uses its own INTID, so a receiver can tell
 * senders apart (GICv3 SGIs do not carry the source).
 */
#include "guest.h"

#define SETTLE_US 50000
#define WAIT_MS 2000
/* INTID of CPU s's SGI in the two tests. */
#define SGI_LIST(s) (4 + (s))
#define SGI_IRM(s) (8 + (s))
#define SGI_MULTI 1

static unsigned hits[BOARD_MAX_VCPUS][GIC_NR_SGIS];

static void sgi_handler(unsigned intid, void *arg)
{
	__atomic_add_fetch(&hits[smp_cpu_index()][intid], 1, __ATOMIC_RELAXED);
}

static unsigned hit(unsigned cpu, unsigned sgi)
{
	return __atomic_load_n(&hits[cpu][sgi], __ATOMIC_RELAXED);
}

static void enable_sgis(void *arg)
{
	for (unsigned sgi = 0; sgi < GIC_NR_SGIS; sgi++)
		gic_irq_enable(sgi);
}

static uint32_t all_cpus(void)
{
	return (uint32_t)BIT(smp_ncpus()) - 1;
}

/* Workers up, every CPU taking SGIs, counters zero. */
static void setup(void)
{
	CHECK(smp_ncpus() >= 2);
	CHECK(smp_stop_workers(WAIT_MS)); /* left over from a failed case */
	memset(hits, 0, sizeof(hits));
	for (unsigned sgi = 0; sgi < GIC_NR_SGIS; sgi++)
		irq_register(sgi, sgi_handler, NULL);
	CHECK(smp_start_workers());
	for (unsigned cpu = 1; cpu < smp_ncpus(); cpu++) {
		smp_call(cpu, enable_sgis, NULL);
		CHECK(smp_call_wait(cpu, WAIT_MS));
	}
	irq_unmask();
}

/* Runs fn on every CPU (CPU 0 last) and waits for the workers to finish it. */
static void on_each_cpu(smp_fn fn)
{
	for (unsigned cpu = 1; cpu < smp_ncpus(); cpu++)
		smp_call(cpu, fn, NULL);
	fn(NULL);
	for (unsigned cpu = 1; cpu < smp_ncpus(); cpu++)
		CHECK(smp_call_wait(cpu, WAIT_MS));
}

/* Waits for every expected SGI, lets stragglers arrive, then compares the whole matrix. */
static void expect_hits(unsigned (*want)(unsigned cpu, unsigned sgi))
{
	uint64_t end = timer_count() + timer_ms_to_ticks(WAIT_MS);
	bool complete;

	do {
		complete = true;
		for (unsigned cpu = 0; cpu < smp_ncpus(); cpu++)
			for (unsigned sgi = 0; sgi < GIC_NR_SGIS; sgi++)
				complete &= hit(cpu, sgi) >= want(cpu, sgi);
	} while (!complete && timer_count() < end);
	timer_delay_us(SETTLE_US);
	for (unsigned cpu = 0; cpu < smp_ncpus(); cpu++)
		for (unsigned sgi = 0; sgi < GIC_NR_SGIS; sgi++)
			CHECK_MSG(hit(cpu, sgi) == want(cpu, sgi),
				  "CPU %u took SGI %u %u times, want %u", cpu, sgi, hit(cpu, sgi),
				  want(cpu, sgi));
}

static void teardown(void)
{
	irq_mask();
	CHECK(smp_stop_workers(WAIT_MS));
	for (unsigned sgi = 0; sgi < GIC_NR_SGIS; sgi++)
		irq_unregister(sgi);
}

static unsigned want_multi(unsigned cpu, unsigned sgi)
{
	return sgi == SGI_MULTI && cpu != 0;
}

TEST(target_list_multi)
{
	/* CPU 0 signals every other CPU with one ICC_SGI1R_EL1 write. */
	setup();
	gic_send_sgi_mask(SGI_MULTI, all_cpus() & ~1U);
	expect_hits(want_multi);
	teardown();
}

static void send_to_each_other(void *arg)
{
	unsigned me = smp_cpu_index();
	for (unsigned cpu = 0; cpu < smp_ncpus(); cpu++)
		if (cpu != me)
			gic_send_sgi(SGI_LIST(me), cpu);
}

static unsigned want_list(unsigned cpu, unsigned sgi)
{
	for (unsigned s = 0; s < smp_ncpus(); s++)
		if (sgi == SGI_LIST(s))
			return cpu != s;
	return 0;
}

TEST(target_list_every_pair)
{
	setup();
	on_each_cpu(send_to_each_other);
	expect_hits(want_list);
	teardown();
}

static void send_to_all_but_self(void *arg)
{
	gic_send_sgi_others(SGI_IRM(smp_cpu_index()));
}

static unsigned want_irm(unsigned cpu, unsigned sgi)
{
	for (unsigned s = 0; s < smp_ncpus(); s++)
		if (sgi == SGI_IRM(s))
			return cpu != s;
	return 0;
}

TEST(irm_all_but_self)
{
	setup();
	on_each_cpu(send_to_all_but_self);
	expect_hits(want_irm);
	teardown();
}
