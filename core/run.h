/*
 * The per-CPU run loop: what happens between a trap and the return to a
 * guest (rescheduling, refilling list registers), and the idle loop.
 */
#ifndef FACET_CORE_RUN_H
#define FACET_CORE_RUN_H

#include "core/vcpu.h"

/* After handling a trap on v: the vCPU to enter next (maybe another). */
struct vcpu *run_resume(struct vcpu *v);
/*
 * v's new interrupts into its list registers, under its VM's lock. Also
 * called by entry.S's dabt_fast after an access that gave v one (a write
 * that pends it, say), with the guest's x19-x29 still in their registers:
 * this preserves them, as all C does.
 */
void run_flush_irqs(struct vcpu *v);
/* Handle every pending physical interrupt (IRQs masked at EL2). */
void run_handle_irqs(void);
/* Make v look at its interrupts again: wake it, kick its pCPU. vm->lock held. */
void vcpu_kick(struct vcpu *v);
/* WFI: block v until an interrupt or its timer deadline. */
void vcpu_block(struct vcpu *v);
/* WFE: let another vCPU of this pCPU run first. */
void vcpu_yield(struct vcpu *v);
/* Enter the scheduler on this pCPU for the first time. */
__attribute__((noreturn)) void run_start(void);

#endif
