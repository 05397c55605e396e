/*
 * Hardware breakpoints and watchpoints of the guests (ARM ARM D2,
 * "AArch64 Self-hosted Debug"). A vCPU's debug registers are switched only
 * once it has touched one: until then MDCR_EL2.TDA traps its accesses, and
 * the first one marks it and is retried with the registers its own.
 */
#ifndef FACET_ARCH_DEBUG_H
#define FACET_ARCH_DEBUG_H

#include "core/vcpu.h"

/* Every breakpoint and watchpoint disabled (boot, and after a debugging vCPU leaves). */
void debug_clear(void);
void debug_save(struct debug_regs *d);
void debug_restore(const struct debug_regs *d);

#endif
