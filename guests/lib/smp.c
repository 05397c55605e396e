#include "smp.h"

#include <abi/board.h>

#include "console.h"
#include "dt.h"
#include "gic.h"
#include "guest.h"
#include "psci.h"
#include "sysreg.h"
#include "timer.h"

/* start.S */
extern char smp_secondary_entry[];
NORETURN void smp_secondary_start(unsigned cpu);

struct smp_slot {
	smp_fn fn;
	void *arg;
	bool online;
};

struct smp_mailbox {
	smp_fn fn; /* non-NULL while a call is posted and not finished */
	void *arg;
	bool stop;
};

static struct smp_slot smp_slots[BOARD_MAX_VCPUS];
static struct smp_mailbox smp_mailboxes[BOARD_MAX_VCPUS];

unsigned smp_ncpus(void)
{
	return dt.ncpus;
}

uint64_t smp_cpu_mpidr(unsigned cpu)
{
	return cpu < dt.ncpus ? dt.mpidr[cpu] : 0;
}

uintptr_t smp_entry_point(void)
{
	return (uintptr_t)smp_secondary_entry;
}

void smp_prepare(unsigned cpu, smp_fn fn, void *arg)
{
	if (cpu >= BOARD_MAX_VCPUS)
		return;
	smp_slots[cpu].arg = arg;
	__atomic_store_n(&smp_slots[cpu].online, false, __ATOMIC_RELAXED);
	__atomic_store_n(&smp_slots[cpu].fn, fn, __ATOMIC_RELEASE);
}

int32_t smp_cpu_on(unsigned cpu, smp_fn fn, void *arg)
{
	if (cpu >= dt.ncpus)
		return PSCI_RET_INVALID_PARAMETERS;
	smp_prepare(cpu, fn, arg);
	return psci_cpu_on(dt.mpidr[cpu], smp_entry_point(), cpu);
}

bool smp_cpu_online(unsigned cpu)
{
	return cpu < BOARD_MAX_VCPUS && __atomic_load_n(&smp_slots[cpu].online, __ATOMIC_ACQUIRE);
}

bool smp_wait_off(unsigned cpu, unsigned timeout_ms)
{
	return WAIT_FOR(psci_affinity_info(smp_cpu_mpidr(cpu), 0) == PSCI_AFFINITY_OFF, timeout_ms);
}

void smp_secondary_start(unsigned cpu)
{
	smp_fn fn;

	if (!gic_init_cpu())
		guest_panic("CPU %u: no GIC redistributor for MPIDR 0x%lx", cpu,
			    READ_SYSREG(mpidr_el1));
	timer_init_cpu();
	fn = __atomic_load_n(&smp_slots[cpu].fn, __ATOMIC_ACQUIRE);
	__atomic_store_n(&smp_slots[cpu].online, true, __ATOMIC_RELEASE);
	if (fn)
		fn(smp_slots[cpu].arg);
	irq_mask();
	timer_stop();
	__atomic_store_n(&smp_slots[cpu].online, false, __ATOMIC_RELEASE);
	int32_t ret = psci_cpu_off();
	guest_panic("CPU %u: CPU_OFF returned %d (%s)", cpu, ret, psci_ret_name(ret));
}

static void smp_worker(void *unused)
{
	struct smp_mailbox *mb = &smp_mailboxes[smp_cpu_index()];

	irq_unmask();
	for (;;) {
		smp_fn fn;
		/* WFE sleeps until an event: smp_call's SEV, or an interrupt. */
		while (!(fn = __atomic_load_n(&mb->fn, __ATOMIC_ACQUIRE)) &&
		       !__atomic_load_n(&mb->stop, __ATOMIC_ACQUIRE))
			cpu_wait();
		if (!fn)
			break;
		fn(mb->arg);
		__atomic_store_n(&mb->fn, NULL, __ATOMIC_RELEASE);
	}
}

bool smp_start_workers(void)
{
	for (unsigned cpu = 1; cpu < dt.ncpus; cpu++) {
		smp_mailboxes[cpu] = (struct smp_mailbox){0};
		int32_t ret = smp_cpu_on(cpu, smp_worker, NULL);
		if (ret != PSCI_RET_SUCCESS) {
			printf("smp: CPU_ON(CPU %u) returned %d (%s)\n", cpu, ret,
			       psci_ret_name(ret));
			return false;
		}
	}
	for (unsigned cpu = 1; cpu < dt.ncpus; cpu++) {
		if (!WAIT_FOR(smp_cpu_online(cpu), 2000)) {
			printf("smp: CPU %u did not come up\n", cpu);
			return false;
		}
	}
	return true;
}

void smp_call(unsigned cpu, smp_fn fn, void *arg)
{
	struct smp_mailbox *mb = &smp_mailboxes[cpu];

	while (__atomic_load_n(&mb->fn, __ATOMIC_ACQUIRE))
		cpu_wait();
	mb->arg = arg;
	__atomic_store_n(&mb->fn, fn, __ATOMIC_RELEASE);
	dsb_ishst();
	sev();
}

bool smp_call_wait(unsigned cpu, unsigned timeout_ms)
{
	return WAIT_FOR(!__atomic_load_n(&smp_mailboxes[cpu].fn, __ATOMIC_ACQUIRE), timeout_ms);
}

bool smp_stop_workers(unsigned timeout_ms)
{
	bool ok = true;

	for (unsigned cpu = 1; cpu < dt.ncpus; cpu++)
		__atomic_store_n(&smp_mailboxes[cpu].stop, true, __ATOMIC_RELEASE);
	dsb_ishst();
	sev();
	for (unsigned cpu = 1; cpu < dt.ncpus; cpu++)
		ok &= smp_wait_off(cpu, timeout_ms);
	return ok;
}
