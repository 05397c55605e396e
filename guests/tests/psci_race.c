/*
 * psci_race: PSCI CPU power management on a 4-vCPU VM (DEN0022 5.1.4 CPU_ON,
 * 5.1.3 CPU_OFF, 5.1.5 AFFINITY_INFO).
 *
 * The race: CPU 0 starts CPUs 1 and 2; then all three call CPU_ON for CPU 3
 * at the same moment. Exactly one call may succeed. The others must find the
 * CPU ALREADY_ON, or ON_PENDING if they overlap the successful call (5.1.4
 * allows both); any other answer fails.
 *
 * Plain QEMU 7.2's own PSCI fails cpu_on_race: two racing calls can both get
 * SUCCESS there (it marks the target on only when the target starts running).
 */
#include "guest.h"

#define RACE_CPUS 4
#define TARGET 3
#define WAIT_MS 2000

static struct {
	bool go;
	bool ready[RACE_CPUS];
	bool done[RACE_CPUS];
	bool release[RACE_CPUS];
	bool target_ran;
	int32_t result[RACE_CPUS];
} race;

static bool flag(const bool *f)
{
	return __atomic_load_n(f, __ATOMIC_ACQUIRE);
}
static void set_flag(bool *f)
{
	__atomic_store_n(f, true, __ATOMIC_RELEASE);
}

static int32_t affinity(unsigned cpu)
{
	return psci_affinity_info(smp_cpu_mpidr(cpu), 0);
}

/* Lets every secondary this file started return (and so CPU_OFF); waits until all are OFF. */
static bool all_secondaries_off(void)
{
	bool ok = true;
	for (unsigned cpu = 1; cpu < RACE_CPUS; cpu++)
		set_flag(&race.release[cpu]);
	for (unsigned cpu = 1; cpu < smp_ncpus(); cpu++)
		ok &= smp_wait_off(cpu, WAIT_MS);
	return ok;
}

static void start_clean(void)
{
	CHECK_EQ(smp_ncpus(), RACE_CPUS);
	CHECK(all_secondaries_off());
	memset(&race, 0, sizeof(race));
}

/* CPUs 1 and 2: wait for the start signal, race for CPU 3, stay on until released. */
static void racer(void *arg)
{
	unsigned me = smp_cpu_index();

	set_flag(&race.ready[me]);
	/* Woken together by CPU 0's SEV, so the three calls overlap as much as they can. */
	while (!flag(&race.go))
		cpu_wait();
	race.result[me] = psci_cpu_on(smp_cpu_mpidr(TARGET), smp_entry_point(), TARGET);
	set_flag(&race.done[me]);
	while (!flag(&race.release[me]))
		cpu_wait();
}

static void target(void *arg)
{
	set_flag(&race.target_ran);
	while (!flag(&race.release[TARGET]))
		cpu_wait();
}

static void wait_released(void *arg)
{
	while (!flag(&race.release[smp_cpu_index()]))
		cpu_wait();
}

TEST(cpu_on_race)
{
	unsigned success = 0, already_on = 0, on_pending = 0, other = 0;

	start_clean();
	smp_prepare(TARGET, target, NULL);
	CHECK_EQ(affinity(TARGET), PSCI_AFFINITY_OFF);
	CHECK_EQ(smp_cpu_on(1, racer, NULL), PSCI_RET_SUCCESS);
	CHECK_EQ(smp_cpu_on(2, racer, NULL), PSCI_RET_SUCCESS);
	CHECK(WAIT_FOR(flag(&race.ready[1]) && flag(&race.ready[2]), WAIT_MS));

	set_flag(&race.go);
	dsb_ishst();
	sev();
	race.result[0] = psci_cpu_on(smp_cpu_mpidr(TARGET), smp_entry_point(), TARGET);
	set_flag(&race.done[0]);

	CHECK(WAIT_FOR(flag(&race.done[1]) && flag(&race.done[2]), WAIT_MS));
	CHECK(WAIT_FOR(flag(&race.target_ran), WAIT_MS));
	for (unsigned cpu = 0; cpu < 3; cpu++) {
		int32_t r = race.result[cpu];
		printf("psci_race: CPU %u: CPU_ON(CPU %u) = %d (%s)\n", cpu, TARGET, r,
		       psci_ret_name(r));
		success += r == PSCI_RET_SUCCESS;
		already_on += r == PSCI_RET_ALREADY_ON;
		on_pending += r == PSCI_RET_ON_PENDING;
		other +=
		    r != PSCI_RET_SUCCESS && r != PSCI_RET_ALREADY_ON && r != PSCI_RET_ON_PENDING;
	}
	printf("psci_race: SUCCESS %u, ALREADY_ON %u, ON_PENDING %u, other %u\n", success,
	       already_on, on_pending, other);
	CHECK_EQ(success, 1);
	CHECK_EQ(other, 0);

	/* Everyone is running now. */
	for (unsigned cpu = 0; cpu < RACE_CPUS; cpu++)
		CHECK_MSG(affinity(cpu) == PSCI_AFFINITY_ON, "AFFINITY_INFO(CPU %u) = %d, want ON",
			  cpu, affinity(cpu));
	CHECK(all_secondaries_off());
}

TEST(affinity_info_tracks_cpu_off)
{
	start_clean();
	CHECK_EQ(affinity(0), PSCI_AFFINITY_ON);
	for (unsigned cpu = 1; cpu < RACE_CPUS; cpu++)
		CHECK_EQ(affinity(cpu), PSCI_AFFINITY_OFF);

	CHECK_EQ(smp_cpu_on(1, wait_released, NULL), PSCI_RET_SUCCESS);
	CHECK_EQ(smp_cpu_on(2, wait_released, NULL), PSCI_RET_SUCCESS);
	CHECK(WAIT_FOR(smp_cpu_online(1) && smp_cpu_online(2), WAIT_MS));
	CHECK_EQ(affinity(1), PSCI_AFFINITY_ON);
	CHECK_EQ(affinity(2), PSCI_AFFINITY_ON);
	CHECK_EQ(affinity(3), PSCI_AFFINITY_OFF);

	/* CPU 2 calls CPU_OFF; CPU 1 stays on. */
	set_flag(&race.release[2]);
	CHECK(smp_wait_off(2, WAIT_MS));
	CHECK_EQ(affinity(1), PSCI_AFFINITY_ON);

	/* A CPU that turned itself off can be turned on again. */
	race.release[2] = false;
	CHECK_EQ(smp_cpu_on(2, wait_released, NULL), PSCI_RET_SUCCESS);
	CHECK(WAIT_FOR(smp_cpu_online(2), WAIT_MS));
	CHECK_EQ(affinity(2), PSCI_AFFINITY_ON);
	CHECK(all_secondaries_off());
}

TEST(cpu_on_already_on)
{
	start_clean();
	CHECK_EQ(psci_cpu_on(smp_cpu_mpidr(0), smp_entry_point(), 0), PSCI_RET_ALREADY_ON);
	CHECK_EQ(smp_cpu_on(1, wait_released, NULL), PSCI_RET_SUCCESS);
	CHECK(WAIT_FOR(smp_cpu_online(1), WAIT_MS));
	CHECK_EQ(psci_cpu_on(smp_cpu_mpidr(1), smp_entry_point(), 1), PSCI_RET_ALREADY_ON);
	CHECK(all_secondaries_off());
}

TEST(unknown_mpidr)
{
	/* An affinity no vCPU has: Aff1 = 0xf0. */
	uint64_t nobody = 0xf000;

	for (unsigned cpu = 0; cpu < smp_ncpus(); cpu++)
		CHECK(smp_cpu_mpidr(cpu) != nobody);
	CHECK_EQ(psci_cpu_on(nobody, smp_entry_point(), 0), PSCI_RET_INVALID_PARAMETERS);
	CHECK_EQ(psci_affinity_info(nobody, 0), PSCI_RET_INVALID_PARAMETERS);
}

TEST(unknown_function_id)
{
	/* 0x8400001F: in the PSCI range, defined by no PSCI version. */
	CHECK_EQ(smccc_call(0x8400001FU, 0, 0, 0), PSCI_RET_NOT_SUPPORTED);
}
