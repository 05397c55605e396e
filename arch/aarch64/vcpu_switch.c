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

void vcpu_load(struct vcpu *v)
{
	struct el1_sysregs *r = &v->el1;
	struct vm *vm = v->vm;

	write_sysreg(vttbr_el2, vm->vttbr);
	write_sysreg(vmpidr_el2, r->vmpidr);
	write_sysreg(sctlr_el1, r->sctlr);
	write_sysreg(cpacr_el1, r->cpacr);
	write_sysreg(ttbr0_el1, r->ttbr0);
	write_sysreg(ttbr1_el1, r->ttbr1);
	write_sysreg(tcr_el1, r->tcr);
	write_sysreg(mair_el1, r->mair);
	write_sysreg(amair_el1, r->amair);
	write_sysreg(vbar_el1, r->vbar);
	write_sysreg(contextidr_el1, r->contextidr);
	write_sysreg(tpidr_el0, r->tpidr_el0);
	write_sysreg(tpidrro_el0, r->tpidrro_el0);
	write_sysreg(tpidr_el1, r->tpidr_el1);
	write_sysreg(sp_el0, r->sp_el0);
	write_sysreg(sp_el1, r->sp_el1);
	write_sysreg(elr_el1, r->elr_el1);
	write_sysreg(spsr_el1, r->spsr_el1);
	write_sysreg(esr_el1, r->esr);
	write_sysreg(far_el1, r->far);
	write_sysreg(afsr0_el1, r->afsr0);
	write_sysreg(afsr1_el1, r->afsr1);
	write_sysreg(par_el1, r->par);
	write_sysreg(csselr_el1, r->csselr);
	write_sysreg(cntkctl_el1, r->cntkctl);
	write_sysreg(mdscr_el1, r->mdscr);
	if (v->debug.active)
		debug_restore(&v->debug);
	write_sysreg(mdcr_el2, v->debug.active ? arch_mdcr_guest & ~MDCR_TDA : arch_mdcr_guest);
	write_sysreg(cntv_cval_el0, r->cntv_cval);
	write_sysreg(cntv_ctl_el0, r->cntv_ctl);
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

void vcpu_put(struct vcpu *v)
{
	struct el1_sysregs *r = &v->el1;

	r->sctlr = read_sysreg(sctlr_el1);
	r->cpacr = read_sysreg(cpacr_el1);
	r->ttbr0 = read_sysreg(ttbr0_el1);
	r->ttbr1 = read_sysreg(ttbr1_el1);
	r->tcr = read_sysreg(tcr_el1);
	r->mair = read_sysreg(mair_el1);
	r->amair = read_sysreg(amair_el1);
	r->vbar = read_sysreg(vbar_el1);
	r->contextidr = read_sysreg(contextidr_el1);
	r->tpidr_el0 = read_sysreg(tpidr_el0);
	r->tpidrro_el0 = read_sysreg(tpidrro_el0);
	r->tpidr_el1 = read_sysreg(tpidr_el1);
	r->sp_el0 = read_sysreg(sp_el0);
	r->sp_el1 = read_sysreg(sp_el1);
	r->elr_el1 = read_sysreg(elr_el1);
	r->spsr_el1 = read_sysreg(spsr_el1);
	r->esr = read_sysreg(esr_el1);
	r->far = read_sysreg(far_el1);
	r->afsr0 = read_sysreg(afsr0_el1);
	r->afsr1 = read_sysreg(afsr1_el1);
	r->par = read_sysreg(par_el1);
	r->csselr = read_sysreg(csselr_el1);
	r->cntkctl = read_sysreg(cntkctl_el1);
	r->mdscr = read_sysreg(mdscr_el1);
	if (v->debug.active) {
		/* Its breakpoints and watchpoints must not follow the next vCPU. */
		debug_save(&v->debug);
		debug_clear();
	}
	r->cntv_ctl = read_sysreg(cntv_ctl_el0);
	r->cntv_cval = read_sysreg(cntv_cval_el0);
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
