/*
 * What the arch-neutral core asks of the CPU: per-CPU EL2 set-up, loading
 * and saving a vCPU, the time source, exceptions injected into a guest, and
 * the GIC list registers.
 */
#ifndef FACET_ARCH_ARCH_H
#define FACET_ARCH_ARCH_H

#include "core/pcpu.h"
#include "core/vcpu.h"

/* EL2 control registers every physical CPU needs before running guests. */
void arch_cpu_init(void);
/* MDCR_EL2 for a guest that has not used its debug registers (TDA set). */
extern uint64_t arch_mdcr_guest;
#define MDCR_TDA (1ULL << 9)
uint64_t arch_counter(void);
uint64_t arch_counter_freq(void);
/* Arm the EL2 physical timer (CNTHP) for deadline; SCHED_NEVER disarms it. */
void arch_set_hyp_timer(uint64_t deadline);

void vcpu_load(struct vcpu *v);
void vcpu_put(struct vcpu *v);
__attribute__((noreturn)) void guest_enter(struct vcpu *v);

/* Exceptions for the guest, taken to its EL1 (ARM ARM D1.10 exception entry). */
void inject_undef(struct vcpu *v);
void inject_data_abort(struct vcpu *v, uint64_t far, bool write);
void inject_insn_abort(struct vcpu *v, uint64_t far);

/* The loaded vCPU's virtual timer: deadline if armed, and whether it fired. */
uint64_t vtimer_deadline(void);
bool vtimer_expired(void);

/* GIC list registers of the loaded vCPU v (vm->lock held). */
void vgic_lr_flush(struct vcpu *v);
void vgic_lr_maintenance(struct vcpu *v);
bool vgic_lr_has_pending(struct vcpu *v);

#endif
