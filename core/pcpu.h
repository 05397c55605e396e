/*
 * A physical CPU. Its struct lives at the bottom of its EL2 stack, so
 * this_pcpu() is one mask of SP, with no system register spent on it.
 */
#ifndef FACET_CORE_PCPU_H
#define FACET_CORE_PCPU_H

#include "core/spinlock.h"
#include "core/types.h"

#define MAX_PCPUS 8
#define PCPU_STACK_SIZE 16384
#define MAX_VCPUS_PER_PCPU 16

struct vcpu;

struct pcpu {
	unsigned id;
	uint64_t mpidr;
	uintptr_t gicr; /* this CPU's physical redistributor */
	/*
	 * Lock order: vm->lock before pcpu->lock. The pCPU lock guards the
	 * scheduling state (blocked, power, wake_at) of the vCPUs it runs.
	 */
	spinlock_t lock;
	struct vcpu *current; /* loaded vCPU, or NULL when idle */
	struct vcpu *vcpus[MAX_VCPUS_PER_PCPU];
	unsigned nr_vcpus;
	uint64_t slice_end; /* counter value the current time slice ends at */
	bool online;
};

union pcpu_stack {
	struct pcpu pcpu;
	uint8_t stack[PCPU_STACK_SIZE];
};

extern union pcpu_stack pcpu_stacks[MAX_PCPUS];
extern unsigned nr_pcpus;

static inline struct pcpu *this_pcpu(void)
{
	uintptr_t sp;
	__asm__("mov %0, sp" : "=r"(sp));
	return (struct pcpu *)(sp & ~(uintptr_t)(PCPU_STACK_SIZE - 1));
}

#endif
