/*
 * vCPUs. CPU n is the n-th /cpus/cpu node of the device tree; the boot CPU is
 * CPU 0. A secondary CPU enters through smp_secondary_entry (start.S) with
 * PSCI CPU_ON's context id = its index, sets up its stack, vectors, GIC
 * redistributor and timer, then runs the function prepared for it and turns
 * itself off (CPU_OFF) when that returns.
 *
 * Workers are secondaries parked in a loop (IRQs unmasked) that run
 * functions posted to them, for tests that need several CPUs at once.
 */
#ifndef GUEST_SMP_H
#define GUEST_SMP_H

#include "base.h"

typedef void (*smp_fn)(void *arg);

/* Index of the calling CPU (kept in TPIDR_EL1). */
static inline unsigned smp_cpu_index(void)
{
	uint64_t v;
	__asm__ volatile("mrs %0, tpidr_el1" : "=r"(v));
	return (unsigned)v;
}

unsigned smp_ncpus(void);
uint64_t smp_cpu_mpidr(unsigned cpu);
/* The CPU_ON entry point: context id must be the CPU index. */
uintptr_t smp_entry_point(void);
/* Sets what CPU `cpu` runs when it next comes up. */
void smp_prepare(unsigned cpu, smp_fn fn, void *arg);
/* smp_prepare + PSCI CPU_ON; returns the PSCI result. */
int32_t smp_cpu_on(unsigned cpu, smp_fn fn, void *arg);
/* True once `cpu` has run its setup and is about to call its function. */
bool smp_cpu_online(unsigned cpu);
/* Waits for AFFINITY_INFO(cpu) to say OFF. */
bool smp_wait_off(unsigned cpu, unsigned timeout_ms);

/* Starts CPUs 1..ncpus-1 as workers; false (and says why) if one did not come up. */
bool smp_start_workers(void);
/* Posts fn(arg) to a worker (waits for the previous call to finish first). */
void smp_call(unsigned cpu, smp_fn fn, void *arg);
bool smp_call_wait(unsigned cpu, unsigned timeout_ms);
/* Tells every worker to return (and so CPU_OFF); waits until all are OFF. */
bool smp_stop_workers(unsigned timeout_ms);

#endif
