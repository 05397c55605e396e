/*
 * busy_vcpus: vCPUs that never wait (no WFI, no WFE: a plain counting loop)
 * must still share their physical CPU: each of CPUs 1..3 counts for a while
 * and every count has to advance, however the hypervisor placed the vCPUs.
 * CPU 0 sleeps on its timer meanwhile. Run on one physical CPU, this needs
 * the hypervisor to preempt a vCPU at the end of its time slice.
 */
#include "guest.h"

#define WARMUP_MS 300
#define WINDOW_MS 1000
#define WAIT_MS 2000

static uint64_t counters[BOARD_MAX_VCPUS];
static bool stop;

static void count_forever(void *arg)
{
	uint64_t *c = &counters[smp_cpu_index()];

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED))
		__atomic_store_n(c, *c + 1, __ATOMIC_RELAXED);
}

static uint64_t counter(unsigned cpu)
{
	return __atomic_load_n(&counters[cpu], __ATOMIC_RELAXED);
}

TEST(busy_vcpus_all_progress)
{
	uint64_t before[BOARD_MAX_VCPUS];

	CHECK(smp_ncpus() >= 2);
	for (unsigned cpu = 1; cpu < smp_ncpus(); cpu++)
		CHECK_EQ(smp_cpu_on(cpu, count_forever, NULL), PSCI_RET_SUCCESS);
	timer_sleep_ms(WARMUP_MS);
	for (unsigned cpu = 1; cpu < smp_ncpus(); cpu++)
		before[cpu] = counter(cpu);
	timer_sleep_ms(WINDOW_MS);
	for (unsigned cpu = 1; cpu < smp_ncpus(); cpu++)
		printf("busy_vcpus: CPU %u counted %lu in %u ms\n", cpu, counter(cpu) - before[cpu],
		       WINDOW_MS);
	__atomic_store_n(&stop, true, __ATOMIC_RELAXED);
	for (unsigned cpu = 1; cpu < smp_ncpus(); cpu++)
		CHECK_MSG(counter(cpu) > before[cpu], "CPU %u did not run for %u ms", cpu,
			  WINDOW_MS);
	for (unsigned cpu = 1; cpu < smp_ncpus(); cpu++)
		CHECK(smp_wait_off(cpu, WAIT_MS));
}
