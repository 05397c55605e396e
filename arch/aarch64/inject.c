/*
 * Taking an exception to the guest's EL1 on its behalf: what the CPU would
 * do on exception entry (ARM ARM D1.10, "Exception entry", and the vector
 * offsets of D1.10.2), done on the saved state of the loaded vCPU.
 */
#include "arch/aarch64/arch.h"
#include "arch/aarch64/esr.h"
#include "arch/aarch64/sysreg.h"

#define PSR_MODE_MASK 0xFULL
#define PSR_MODE_EL0t 0x0ULL
#define PSR_MODE_EL1t 0x4ULL
#define PSR_MODE_EL1h 0x5ULL
#define PSR_DAIF (0xFULL << 6)
#define PSR_PAN (1ULL << 22)
#define PSR_SSBS (1ULL << 12)
#define SCTLR_SPAN (1ULL << 23)
#define SCTLR_DSSBS (1ULL << 44)

static void enter_el1_sync(struct vcpu *v, uint64_t esr)
{
	uint64_t spsr = v->regs.spsr, mode = spsr & PSR_MODE_MASK;
	uint64_t vbar = read_sysreg(vbar_el1), sctlr = read_sysreg(sctlr_el1);
	uint64_t offset = mode == PSR_MODE_EL1h ? 0x200 : mode == PSR_MODE_EL1t ? 0x0 : 0x400;

	write_sysreg(elr_el1, v->regs.elr);
	write_sysreg(spsr_el1, spsr);
	write_sysreg(esr_el1, esr);
	/* New PSTATE: EL1h, DAIF masked; PAN set unless SCTLR_EL1.SPAN; SSBS from DSSBS. */
	uint64_t pstate = PSR_MODE_EL1h | PSR_DAIF;
	if (!(sctlr & SCTLR_SPAN))
		pstate |= PSR_PAN;
	else
		pstate |= spsr & PSR_PAN;
	if (sctlr & SCTLR_DSSBS)
		pstate |= PSR_SSBS;
	v->regs.spsr = pstate;
	v->regs.elr = vbar + offset;
}

static bool from_el0(const struct vcpu *v)
{
	return (v->regs.spsr & PSR_MODE_MASK) == PSR_MODE_EL0t;
}

void inject_undef(struct vcpu *v)
{
	enter_el1_sync(v, (uint64_t)EC_UNKNOWN << ESR_EC_SHIFT | ESR_IL);
}

void inject_data_abort(struct vcpu *v, uint64_t far, bool write)
{
	uint64_t ec = from_el0(v) ? EC_DABT_LOW : EC_DABT_CUR;
	write_sysreg(far_el1, far);
	enter_el1_sync(v, ec << ESR_EC_SHIFT | ESR_IL | (write ? ESR_DABT_WNR : 0) | FSC_SEA);
}

void inject_insn_abort(struct vcpu *v, uint64_t far)
{
	uint64_t ec = from_el0(v) ? EC_IABT_LOW : EC_IABT_CUR;
	write_sysreg(far_el1, far);
	enter_el1_sync(v, ec << ESR_EC_SHIFT | ESR_IL | FSC_SEA);
}
