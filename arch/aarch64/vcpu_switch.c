/*
 * Loading and saving a vCPU on its physical CPU: EL1 system registers, the
 * virtual timer, the GIC virtual CPU interface and FP/SIMD. Done only when
 * the pCPU changes vCPU, never on an ordinary trap.
 */
#include "arch/aarch64/arch.h"
#include "arch/aarch64/debug.h"
#include "arch/aarch64/sysreg.h"
#include "arch/aarch64/vgic_lr.h"
#include "core/vm.h"

void fpsimd_save(struct fpsimd_state *s);
void fpsimd_restore(const struct fpsimd_state *s);

/*
 * Two system registers to or from two adjacent fields of r. Both values are
 * in registers before either is stored (written), so a pair moves with one
 * STP (LDP).
 */
#define SAVE_PAIR(f1, reg1, f2, reg2)                                                              \
	do {                                                                                       \
		uint64_t a__ = read_sysreg(reg1), b__ = read_sysreg(reg2);                         \
		r->f1 = a__;                                                                       \
		r->f2 = b__;                                                                       \
	} while (0)
#define LOAD_PAIR(f1, reg1, f2, reg2)                                                              \
	do {                                                                                       \
		uint64_t a__ = r->f1, b__ = r->f2;                                                 \
		__asm__("" : "+r"(a__), "+r"(b__));                                                \
		write_sysreg(reg1, a__);                                                           \
		write_sysreg(reg2, b__);                                                           \
	} while (0)

/*
 * Only these two may touch TPIDR_EL0 (the guest's), and scripts/check-no-simd.sh
 * finds them by name: kept out of line even when the build inlines across files.
 */
__attribute__((noinline)) void vcpu_load(struct vcpu *v)
{
	struct el1_sysregs *r = &v->el1;
	struct vm *vm = v->vm;

	write_sysreg(vttbr_el2, vm->vttbr);
	write_sysreg(vmpidr_el2, r->vmpidr);
	LOAD_PAIR(sctlr, sctlr_el1, cpacr, cpacr_el1);
	LOAD_PAIR(ttbr0, ttbr0_el1, ttbr1, ttbr1_el1);
	LOAD_PAIR(tcr, tcr_el1, mair, mair_el1);
	LOAD_PAIR(amair, amair_el1, vbar, vbar_el1);
	LOAD_PAIR(contextidr, contextidr_el1, tpidr_el0, tpidr_el0);
	LOAD_PAIR(tpidrro_el0, tpidrro_el0, tpidr_el1, tpidr_el1);
	LOAD_PAIR(sp_el0, sp_el0, sp_el1, sp_el1);
	LOAD_PAIR(elr_el1, elr_el1, spsr_el1, spsr_el1);
	LOAD_PAIR(esr, esr_el1, far, far_el1);
	LOAD_PAIR(afsr0, afsr0_el1, afsr1, afsr1_el1);
	LOAD_PAIR(par, par_el1, csselr, csselr_el1);
	LOAD_PAIR(cntkctl, cntkctl_el1, mdscr, mdscr_el1);
	if (v->debug.active)
		debug_restore(&v->debug);
	write_sysreg(mdcr_el2, v->debug.active ? arch_mdcr_guest & ~MDCR_TDA : arch_mdcr_guest);
	LOAD_PAIR(cntv_cval, cntv_cval_el0, cntv_ctl, cntv_ctl_el0); /* the deadline first */
	fpsimd_restore(&v->fp);

	unsigned n = vgic_nr_lrs();
	for (unsigned i = 0; i < n; i++)
		vgic_write_lr(i, v->gic.lr[i]);
	write_sysreg(ICH_AP0R0_EL2, v->gic.ap0r0);
	write_sysreg(ICH_AP1R0_EL2, v->gic.ap1r0);
	write_sysreg(ICH_VMCR_EL2, v->gic.vmcr);
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN);
	v->irq_dirty = true; /* recompute the underflow request on the way in */
	isb();
	if (v->flush_tlb) {
		/* A reset VM reuses its VMID: drop what its last run left in the TLBs. */
		__asm__ volatile("dsb ishst\n\ttlbi vmalls12e1is\n\tdsb ish" ::: "memory");
		isb();
		v->flush_tlb = false;
	}
	v->running = true;
	v->pcpu->current = v;
	write_sysreg(tpidr_el2, v);
}

__attribute__((noinline)) void vcpu_put(struct vcpu *v)
{
	struct el1_sysregs *r = &v->el1;

	SAVE_PAIR(sctlr, sctlr_el1, cpacr, cpacr_el1);
	SAVE_PAIR(ttbr0, ttbr0_el1, ttbr1, ttbr1_el1);
	SAVE_PAIR(tcr, tcr_el1, mair, mair_el1);
	SAVE_PAIR(amair, amair_el1, vbar, vbar_el1);
	SAVE_PAIR(contextidr, contextidr_el1, tpidr_el0, tpidr_el0);
	SAVE_PAIR(tpidrro_el0, tpidrro_el0, tpidr_el1, tpidr_el1);
	SAVE_PAIR(sp_el0, sp_el0, sp_el1, sp_el1);
	SAVE_PAIR(elr_el1, elr_el1, spsr_el1, spsr_el1);
	SAVE_PAIR(esr, esr_el1, far, far_el1);
	SAVE_PAIR(afsr0, afsr0_el1, afsr1, afsr1_el1);
	SAVE_PAIR(par, par_el1, csselr, csselr_el1);
	SAVE_PAIR(cntkctl, cntkctl_el1, mdscr, mdscr_el1);
	if (v->debug.active) {
		/* Its breakpoints and watchpoints must not follow the next vCPU. */
		debug_save(&v->debug);
		debug_clear();
	}
	SAVE_PAIR(cntv_ctl, cntv_ctl_el0, cntv_cval, cntv_cval_el0);
	/* Stop this vCPU's timer from firing while another vCPU is loaded. */
	write_sysreg(cntv_ctl_el0, 0);
	fpsimd_save(&v->fp);

	unsigned n = vgic_nr_lrs();
	for (unsigned i = 0; i < n; i++)
		v->gic.lr[i] = vgic_read_lr(i);
	v->gic.ap0r0 = read_sysreg(ICH_AP0R0_EL2);
	v->gic.ap1r0 = read_sysreg(ICH_AP1R0_EL2);
	v->gic.vmcr = read_sysreg(ICH_VMCR_EL2);
	write_sysreg(ICH_HCR_EL2, 0);
	isb();
	v->running = false;
	v->pcpu->current = NULL;
}
