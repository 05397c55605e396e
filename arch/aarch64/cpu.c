/*
 * Per-CPU EL2 configuration, the time source, and the reset state of a vCPU.
 */
#include <stddef.h>
#include <string.h>

#include "arch/aarch64/arch.h"
#include "arch/aarch64/debug.h"
#include "arch/aarch64/sysreg.h"
#include "core/sched.h"
#include "core/vm.h"

/*
 * HCR_EL2 for running guests (ARM ARM D13.2.48): stage 2 on (VM), set/way
 * invalidate as clean (SWIO), physical IRQ/FIQ/SError to EL2 and virtual
 * ones to the guest (IMO/FMO/AMO), broadcast TLB maintenance inner shareable
 * (FB, BSU = 01), trap WFI/WFE (TWI/TWE), ID registers (TID3), SMC (TSC),
 * implementation-defined registers (TIDCP), EL1 is AArch64 (RW).
 * API/APK stay 0: pointer-authentication use traps (it is hidden from guests).
 */
#define HCR_VM (1ULL << 0)
#define HCR_SWIO (1ULL << 1)
#define HCR_FMO (1ULL << 3)
#define HCR_IMO (1ULL << 4)
#define HCR_AMO (1ULL << 5)
#define HCR_FB (1ULL << 9)
#define HCR_BSU_IS (1ULL << 10)
#define HCR_TWI (1ULL << 13)
#define HCR_TWE (1ULL << 14)
#define HCR_TID3 (1ULL << 18)
#define HCR_TSC (1ULL << 19)
#define HCR_TIDCP (1ULL << 20)
#define HCR_RW (1ULL << 31)
#define HCR_GUEST                                                                                  \
	(HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS | HCR_TWI |         \
	 HCR_TWE | HCR_TID3 | HCR_TSC | HCR_TIDCP | HCR_RW)

/*
 * CPTR_EL2 (E2H = 0, ARM ARM D13.2.32): RES1 bits [13:12], [9:0] (TSM at 12
 * and TZ at 8 trap SME and SVE where they exist), TTA (20) traps trace,
 * TAM (30) traps activity monitors. TFP (10) = 0: FP/SIMD is the guest's.
 */
#define CPTR_GUEST (0x33FFULL | (1ULL << 20) | (1ULL << 30))

/* VTCR_EL2 (D13.2.151): T0SZ 25, SL0 1 (level 1), WB WA inner shareable, 4 KiB, PS 40 bits. */
#define VTCR_GUEST (25 | (1 << 6) | (1 << 8) | (1 << 10) | (3 << 12) | (2 << 16) | (1U << 31))

/*
 * MDCR_EL2 (D13.2.82): trap PMU accesses (TPM, TPMCR), HPMN keeps all
 * counters; TDA traps debug-register accesses until a vCPU uses them
 * (arch/aarch64/debug.h), vcpu_load clears it for one that has.
 */
#define MDCR_TPMCR (1ULL << 5)
#define MDCR_TPM (1ULL << 6)
uint64_t arch_mdcr_guest;

void arch_cpu_init(void)
{
	write_sysreg(hcr_el2, HCR_GUEST);
	write_sysreg(cptr_el2, CPTR_GUEST);
	arch_mdcr_guest = MDCR_TPM | MDCR_TPMCR | MDCR_TDA | ((read_sysreg(pmcr_el0) >> 11) & 0x1F);
	write_sysreg(mdcr_el2, arch_mdcr_guest);
	debug_clear(); /* their reset values are UNKNOWN (ARM ARM D17.3) */
	write_sysreg(hstr_el2, 0);
	write_sysreg(vtcr_el2, VTCR_GUEST);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	/* CNTHCTL_EL2: EL1PCTEN = 1 (counter readable), EL1PCEN = 0 (physical timer traps). */
	write_sysreg(cnthctl_el2, 1);
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cnthp_ctl_el2, 0);
	isb();
}

uint64_t arch_counter(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

uint64_t arch_counter_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

void arch_set_hyp_timer(uint64_t deadline)
{
	if (deadline == SCHED_NEVER) {
		write_sysreg(cnthp_ctl_el2, 0);
		return;
	}
	write_sysreg(cnthp_cval_el2, deadline);
	write_sysreg(cnthp_ctl_el2, 1); /* ENABLE, not masked */
	isb();
}

/* CNTV_CTL_EL0 bits (ARM ARM D13.8.17). */
#define CNT_CTL_ENABLE 1
#define CNT_CTL_IMASK 2
#define CNT_CTL_ISTATUS 4

uint64_t vtimer_deadline(void)
{
	uint64_t ctl = read_sysreg(cntv_ctl_el0);
	if ((ctl & (CNT_CTL_ENABLE | CNT_CTL_IMASK)) != CNT_CTL_ENABLE)
		return SCHED_NEVER;
	return read_sysreg(cntv_cval_el0); /* CNTVOFF_EL2 is 0: virtual = physical count */
}

bool vtimer_expired(void)
{
	uint64_t ctl = read_sysreg(cntv_ctl_el0);
	return (ctl & (CNT_CTL_ENABLE | CNT_CTL_IMASK | CNT_CTL_ISTATUS)) ==
	       (CNT_CTL_ENABLE | CNT_CTL_ISTATUS);
}

/* SCTLR_EL1 reset value: its RES1 bits (ARM ARM D13.2.118), MMU and caches off. */
#define SCTLR_EL1_RES1 0x30D00800ULL
/* SPSR for entry: EL1h with D, A, I, F masked (booting.rst: "all interrupts masked"). */
#define PSR_EL1H_DAIF 0x3C5ULL

void vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t arg)
{
	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.x[0] = arg;
	v->regs.elr = entry;
	v->regs.spsr = PSR_EL1H_DAIF;
	/* The saved state, from el1 to the end: EL1 registers, GIC interface, FP/SIMD, debug. */
	memset(&v->el1, 0, sizeof(*v) - offsetof(struct vcpu, el1));
	v->el1.sctlr = SCTLR_EL1_RES1;
	/* VMPIDR_EL2: bit 31 RES1, Aff0 = vCPU index (matches the device tree). */
	v->el1.vmpidr = (1ULL << 31) | v->id;
	v->blocked = false;
	v->wake_at = SCHED_NEVER;
	v->irq_dirty = true;
	v->flush_tlb = true;
}
