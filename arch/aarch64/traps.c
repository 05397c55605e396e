/*
 * Guest exits: one switch on ESR_EL2.EC. What facet does not emulate is an
 * undefined-instruction exception for the guest, never a hypervisor stop.
 */
#include "arch/aarch64/arch.h"
#include "arch/aarch64/dabt.h"
#include "arch/aarch64/esr.h"
#include "arch/aarch64/sysreg.h"
#include "core/log.h"
#include "core/mmio.h"
#include "core/psci.h"
#include "core/run.h"
#include "core/vm.h"

struct vcpu *trap_guest_sync(struct vcpu *v);
struct vcpu *trap_guest_irq(struct vcpu *v);
struct vcpu *trap_guest_serror(struct vcpu *v);
void hyp_fault(uint64_t esr, uint64_t elr, uint64_t far);

static uint64_t reg_read(const struct vcpu *v, unsigned r)
{
	return r == 31 ? 0 : v->regs.x[r];
}

static void reg_write(struct vcpu *v, unsigned r, uint64_t val)
{
	if (r != 31)
		v->regs.x[r] = val;
}

/*
 * ID registers (HCR_EL2.TID3): the hardware's values less the features
 * facet does not give guests: SVE, SME, MTE, AMU, MPAM, RAS, pointer
 * authentication, PMU, statistical profiling and trace, whose state it does
 * not switch between VMs. Field positions: ARM ARM D17.2 (ID_AA64*_EL1).
 */
#define ID_AA64PFR0 SYS_ENC(3, 0, 0, 4, 0)
#define ID_AA64PFR1 SYS_ENC(3, 0, 0, 4, 1)
#define ID_AA64ZFR0 SYS_ENC(3, 0, 0, 4, 4)
#define ID_AA64SMFR0 SYS_ENC(3, 0, 0, 4, 5)
#define ID_AA64DFR0 SYS_ENC(3, 0, 0, 5, 0)
#define ID_AA64ISAR1 SYS_ENC(3, 0, 0, 6, 1)
#define ID_AA64ISAR2 SYS_ENC(3, 0, 0, 6, 2)
#define ID_DFR0 SYS_ENC(3, 0, 0, 1, 2)

static uint64_t read_id_reg(unsigned enc)
{
#define ID_CASE(crm, op2)                                                                          \
	case SYS_ENC(3, 0, 0, crm, op2):                                                           \
		return read_sysreg(S3_0_C0_C##crm##_##op2);
#define ID_ROW(crm)                                                                                \
	ID_CASE(crm, 0) ID_CASE(crm, 1) ID_CASE(crm, 2) ID_CASE(crm, 3) ID_CASE(crm, 4)            \
	ID_CASE(crm, 5) ID_CASE(crm, 6) ID_CASE(crm, 7)
	switch (enc) {
		ID_ROW(1)
		ID_ROW(2)
		ID_ROW(3)
		ID_ROW(4)
		ID_ROW(5)
		ID_ROW(6)
		ID_ROW(7)
	}
	return 0;
#undef ID_ROW
#undef ID_CASE
}

static uint64_t sanitise_id_reg(unsigned enc, uint64_t v)
{
	switch (enc) {
	case ID_AA64PFR0: /* RAS[31:28], SVE[35:32], MPAM[43:40], AMU[47:44] */
		return v & ~(GENMASK64(35, 28) | GENMASK64(47, 40));
	case ID_AA64PFR1: /* MTE[11:8], SME[27:24], RAS_frac[15:12], MPAM_frac[19:16], NMI[39:36] */
		return v & ~(GENMASK64(11, 8) | GENMASK64(19, 12) | GENMASK64(27, 24) |
			     GENMASK64(39, 36));
	case ID_AA64ZFR0:
	case ID_AA64SMFR0:
		return 0;
	case ID_AA64DFR0: /* TraceVer[7:4], PMUVer[11:8], PMSVer[35:32], TraceFilt[43:40], TraceBuffer[47:44], BRBE[55:52] */
		return v & ~(GENMASK64(11, 4) | GENMASK64(35, 32) | GENMASK64(47, 40) |
			     GENMASK64(55, 52));
	case ID_AA64ISAR1: /* APA[7:4], API[11:8], GPA[27:24], GPI[31:28] */
		return v & ~(GENMASK64(11, 4) | GENMASK64(31, 24));
	case ID_AA64ISAR2: /* GPA3[11:8], APA3[15:12] */
		return v & ~GENMASK64(15, 8);
	case ID_DFR0: /* PerfMon[27:24] */
		return v & ~GENMASK64(27, 24);
	}
	return v;
}

#define SYS_ICC_SGI1R SYS_ENC(3, 0, 12, 11, 5)
#define SYS_ICC_ASGI1R SYS_ENC(3, 0, 12, 11, 6)
#define SYS_ICC_SGI0R SYS_ENC(3, 0, 12, 11, 7)
#define SYS_CNTP_TVAL SYS_ENC(3, 3, 14, 2, 0)
#define SYS_CNTP_CTL SYS_ENC(3, 3, 14, 2, 1)
#define SYS_CNTP_CVAL SYS_ENC(3, 3, 14, 2, 2)

static void trap_sysreg(struct vcpu *v, uint64_t esr)
{
	unsigned enc = ESR_SYS_ENC(esr), rt = ESR_SYS_RT(esr);
	bool read = esr & ESR_SYS_READ;

	if ((enc >> 14) == 2) {
		/*
		 * op0 = 2: a debug register, trapped by MDCR_EL2.TDA. From now on
		 * this vCPU's breakpoints and watchpoints are switched with it;
		 * the access is retried (ELR_EL2 unchanged) with the trap off.
		 */
		v->debug.active = true;
		write_sysreg(mdcr_el2, arch_mdcr_guest & ~MDCR_TDA);
		return;
	}
	if (read && (enc >> 7) == SYS_ENC(3, 0, 0, 0, 0) >> 7 && ((enc >> 3) & 0xF) >= 1) {
		reg_write(v, rt, sanitise_id_reg(enc, read_id_reg(enc)));
	} else if (!read && (enc == SYS_ICC_SGI1R || enc == SYS_ICC_ASGI1R)) {
		spin_lock(&v->vm->lock);
		vgic_sgi1r_write(&v->vm->vgic, v->id, reg_read(v, rt));
		spin_unlock(&v->vm->lock);
	} else if (!read && enc == SYS_ICC_SGI0R) {
		/* Group 0 SGIs: this virtual GIC gives guests Group 1 only; ignored. */
	} else if (enc == SYS_CNTP_TVAL || enc == SYS_CNTP_CTL || enc == SYS_CNTP_CVAL) {
		/* The EL1 physical timer is not offered (the DT names the virtual one): RAZ/WI. */
		if (read)
			reg_write(v, rt, 0);
	} else {
		inject_undef(v);
		return;
	}
	v->regs.elr += 4;
}

/* The faulting IPA: HPFAR_EL2.FIPA holds IPA[47:12] at bits [43:4] (ARM ARM D13.2.55). */
static inline uint64_t fault_ipa(uint64_t far)
{
	return ((read_sysreg(hpfar_el2) & GENMASK64(43, 4)) << 8) | (far & 0xFFF);
}

static void trap_data_abort(struct vcpu *v, uint64_t esr)
{
	uint64_t far = read_sysreg(far_el2);
	uint64_t ipa = fault_ipa(far);

	if (mmio_emulate(v, esr, ipa))
		v->regs.elr += 4;
	else
		inject_data_abort(v, far, esr & ESR_DABT_WNR);
}

/*
 * After a trap that emulated an access for v and changed nothing else, v
 * carries on; only if the access gave it an interrupt to deliver (a write
 * that pends one, say) do its list registers need filling: run_resume.
 * Nothing else can call for a reschedule here. An access changes neither
 * v's power nor its blocked state; a time slice that ends meanwhile has its
 * EL2 timer interrupt pending (run.c arms one for the end of every slice);
 * other CPUs' requests come with a kick SGI. Either interrupt is taken as
 * soon as the guest runs, and the reschedule happens there instead.
 */
static struct vcpu *resume_same(struct vcpu *v)
{
	return __atomic_load_n(&v->irq_dirty, __ATOMIC_ACQUIRE) ? run_resume(v) : v;
}

struct vcpu *trap_guest_sync(struct vcpu *v)
{
	uint64_t esr = read_sysreg(esr_el2);

	switch (ESR_EC(esr)) {
	case EC_DABT_LOW:
		trap_data_abort(v, esr);
		return resume_same(v);
	case EC_SYS64:
		trap_sysreg(v, esr);
		return resume_same(v);
	case EC_WFX:
		v->regs.elr += 4;
		if (esr & 1)
			vcpu_yield(v); /* WFE */
		else
			vcpu_block(v); /* WFI */
		break;
	case EC_HVC64: /* the calls entry.S's smccc_fast does not answer */
		smccc_call(v);
		break;
	case EC_SMC64:
		v->regs.elr += 4; /* a trapped SMC returns to itself (ARM ARM D1.10.4) */
		smccc_call(v);
		break;
	case EC_IABT_LOW:
		inject_insn_abort(v, read_sysreg(far_el2));
		break;
	default:
		inject_undef(v);
		break;
	}
	return run_resume(v);
}

struct vcpu *trap_guest_irq(struct vcpu *v)
{
	run_handle_irqs();
	return run_resume(v);
}

struct vcpu *trap_guest_serror(struct vcpu *v)
{
	/* An SError from a guest's own access is reported to that guest. */
	write_sysreg(hcr_el2, read_sysreg(hcr_el2) | (1ULL << 8)); /* HCR_EL2.VSE */
	return run_resume(v);
}

void hyp_fault(uint64_t esr, uint64_t elr, uint64_t far)
{
	panic("exception at EL2: ESR %#lx ELR %#lx FAR %#lx", (unsigned long)esr,
	      (unsigned long)elr, (unsigned long)far);
}
