/*
 * What the hypervisor learns about the physical board from the device tree
 * it is started with (memory, CPUs, GIC, UART, PSCI conduit, boot image).
 */
#ifndef FACET_PLATFORM_H
#define FACET_PLATFORM_H

#include "core/pcpu.h"
#include "core/types.h"

struct platform {
	uint64_t ram_base, ram_size;
	uintptr_t uart;
	unsigned uart_intid;
	unsigned vtimer_intid, htimer_intid; /* generic timer PPIs: virtual, EL2 physical */
	uintptr_t gicd, gicr;
	uint64_t gicr_size;
	unsigned nr_cpus;
	uint64_t cpu_mpidr[MAX_PCPUS];
	bool psci_smc; /* conduit for the platform's PSCI: SMC, else HVC */
	uint64_t initrd_start, initrd_end;
	uint64_t fdt, fdt_size;
};

extern struct platform plat;

/* Fills plat from the device tree. Returns 0, or -1 with a message printed. */
int platform_probe(const void *fdt);
/* PSCI CPU_ON on the physical platform (PSCI DEN0022 5.1.4). */
int64_t platform_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context);

/* Power the machine off (PSCI SYSTEM_OFF): when no VM is left running. */
__attribute__((noreturn)) void platform_system_off(void);

#endif
