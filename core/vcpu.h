/*
 * A virtual CPU: its saved registers, its power and scheduling state.
 * The trap entry (arch/aarch64/entry.S) saves x0-x30, ELR and SPSR into
 * struct vcpu_regs at the start of the vCPU; everything else (EL1 system
 * registers, timer, GIC list registers, FP/SIMD) is switched in C only when
 * another vCPU is loaded (arch/aarch64/vcpu_switch.c).
 */
#ifndef FACET_CORE_VCPU_H
#define FACET_CORE_VCPU_H

#include "core/types.h"

struct vm;
struct pcpu;

struct vcpu_regs {
	uint64_t x[31];
	uint64_t elr, spsr; /* guest PC and PSTATE at the trap */
};

/* EL1 state that belongs to the guest (ARM ARM D13 register descriptions). */
struct el1_sysregs {
	uint64_t sctlr, cpacr, ttbr0, ttbr1, tcr, mair, amair, vbar, contextidr;
	uint64_t tpidr_el0, tpidrro_el0, tpidr_el1, sp_el0, sp_el1, elr_el1, spsr_el1;
	uint64_t esr, far, afsr0, afsr1, par, csselr, cntkctl, mdscr;
	uint64_t cntv_ctl, cntv_cval;
	uint64_t vmpidr;
};

/* The vCPU's view of the GIC virtual CPU interface (GIC spec 12.4). */
struct vgic_hw {
	uint64_t lr[16];
	uint64_t vmcr, ap0r0, ap1r0;
	uint16_t lr_used;      /* list registers facet filled and has not seen retire */
	uint32_t lr_intid[16]; /* what each used one holds */
};

/*
 * Breakpoint and watchpoint registers, DBGB{C,V}R<n>_EL1 / DBGW{C,V}R<n>_EL1
 * (ARM ARM D17.3): control and value side by side, so each pair moves with
 * one load or store.
 */
struct debug_pair {
	uint64_t ctrl, value;
};

struct debug_regs {
	struct debug_pair bp[16], wp[16];
	bool active; /* the vCPU has used them: they are switched with it */
};

struct fpsimd_state {
	uint64_t v[64] __attribute__((aligned(16))); /* q0-q31 */
	uint64_t fpsr, fpcr;
};

enum vcpu_power {
	VCPU_OFF,
	VCPU_ON,
};

struct vcpu {
	struct vcpu_regs regs; /* first: entry.S saves here via TPIDR_EL2 */
	struct vm *vm;
	struct pcpu *pcpu; /* the physical CPU it is pinned to */
	unsigned id;       /* index in its VM = MPIDR Aff0 */
	enum vcpu_power power;
	bool blocked;        /* waiting in WFI */
	bool running;        /* loaded on its pCPU right now */
	bool irq_dirty;      /* new interrupts to put in list registers */
	bool flush_tlb;      /* reset: flush the VMID's TLB entries at next load */
	uint64_t wake_at;    /* counter value a blocked vCPU wakes at (~0: never) */
	/* Saved state, cleared together by vcpu_reset: el1 and everything after it. */
	struct el1_sysregs el1;
	struct vgic_hw gic;
	struct fpsimd_state fp;
	struct debug_regs debug;
};

/* Reset the vCPU to power-on state, to start at entry with x0 = arg (PSCI CPU_ON). */
void vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t arg);

#endif
