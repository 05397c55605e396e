#include "abi/psci.h"
#include "core/psci.h"
#include "core/run.h"
#include "core/vm.h"

static bool psci_implemented(uint32_t fid)
{
	switch (fid) {
	case PSCI_0_2_VERSION:
	case PSCI_0_2_CPU_SUSPEND:
	case PSCI_0_2_CPU_SUSPEND_64:
	case PSCI_0_2_CPU_OFF:
	case PSCI_0_2_CPU_ON:
	case PSCI_0_2_CPU_ON_64:
	case PSCI_0_2_AFFINITY_INFO:
	case PSCI_0_2_AFFINITY_INFO_64:
	case PSCI_0_2_MIGRATE_INFO_TYPE:
	case PSCI_0_2_SYSTEM_OFF:
	case PSCI_0_2_SYSTEM_RESET:
	case PSCI_1_0_FEATURES:
	case SMCCC_VERSION:
		return true;
	}
	return false;
}

/* The vCPU an MPIDR-format affinity names (Aff0 = index, Aff1-3 zero), or NULL. */
static struct vcpu *vcpu_by_mpidr(struct vm *vm, uint64_t mpidr)
{
	if ((mpidr & 0xFF00FFFF00ULL) || (mpidr & 0xFF) >= vm->nr_vcpus)
		return NULL;
	return &vm->vcpu[mpidr & 0xFF];
}

/* PSCI 1.1 5.1.4: one caller wins a race to power on a CPU, the others see ALREADY_ON. */
static int64_t psci_cpu_on(struct vcpu *v, uint64_t mpidr, uint64_t entry, uint64_t ctx)
{
	struct vm *vm = v->vm;
	struct vcpu *t = vcpu_by_mpidr(vm, mpidr);
	if (!t)
		return PSCI_RET_INVALID_PARAMETERS;
	if (!vm_ipa_to_ptr(vm, entry, 4))
		return PSCI_RET_INVALID_ADDRESS;
	spin_lock(&vm->lock);
	if (t->power != VCPU_OFF || t->running) {
		spin_unlock(&vm->lock);
		return PSCI_RET_ALREADY_ON;
	}
	vcpu_reset(t, entry, ctx);
	spin_lock(&t->pcpu->lock);
	t->power = VCPU_ON;
	spin_unlock(&t->pcpu->lock);
	vcpu_kick(t);
	spin_unlock(&vm->lock);
	return PSCI_RET_SUCCESS;
}

static int64_t psci_affinity_info(struct vcpu *v, uint64_t mpidr, uint64_t level)
{
	if (level != 0)
		return PSCI_RET_INVALID_PARAMETERS;
	struct vcpu *t = vcpu_by_mpidr(v->vm, mpidr);
	if (!t)
		return PSCI_RET_INVALID_PARAMETERS;
	/* A vCPU still loaded after CPU_OFF is not off yet. */
	return t->power == VCPU_ON || t->running ? PSCI_AFFINITY_ON : PSCI_AFFINITY_OFF;
}

void smccc_call(struct vcpu *v)
{
	uint64_t *x = v->regs.x;
	uint32_t fid = (uint32_t)x[0];
	bool smc32 = !(fid & (1U << 30)); /* SMCCC 2.5: bit 30 selects SMC64 */
	uint64_t a1 = smc32 ? (uint32_t)x[1] : x[1];
	uint64_t a2 = smc32 ? (uint32_t)x[2] : x[2];
	uint64_t a3 = smc32 ? (uint32_t)x[3] : x[3];
	int64_t ret;

	switch (fid) {
	case PSCI_0_2_VERSION:
		ret = PSCI_VERSION_1_1;
		break;
	case PSCI_0_2_CPU_ON:
	case PSCI_0_2_CPU_ON_64:
		ret = psci_cpu_on(v, a1, a2, a3);
		break;
	case PSCI_0_2_CPU_OFF:
		spin_lock(&v->vm->lock);
		spin_lock(&v->pcpu->lock);
		v->power = VCPU_OFF;
		spin_unlock(&v->pcpu->lock);
		spin_unlock(&v->vm->lock);
		return; /* never returns to the caller (PSCI 5.1.3) */
	case PSCI_0_2_AFFINITY_INFO:
	case PSCI_0_2_AFFINITY_INFO_64:
		ret = psci_affinity_info(v, a1, a2);
		break;
	case PSCI_0_2_CPU_SUSPEND:
	case PSCI_0_2_CPU_SUSPEND_64:
		/* Every power state is treated as standby: wake on an interrupt (PSCI 5.1.2). */
		vcpu_block(v);
		ret = PSCI_RET_SUCCESS;
		break;
	case PSCI_0_2_MIGRATE_INFO_TYPE:
		ret = PSCI_TOS_NOT_PRESENT_MP;
		break;
	case PSCI_0_2_SYSTEM_OFF:
		vm_power_off(v, false);
		return;
	case PSCI_0_2_SYSTEM_RESET:
		vm_power_off(v, true);
		return;
	case PSCI_1_0_FEATURES:
		ret = psci_implemented((uint32_t)a1) ? PSCI_RET_SUCCESS : PSCI_RET_NOT_SUPPORTED;
		break;
	case SMCCC_VERSION:
		ret = SMCCC_VERSION_1_1;
		break;
	case SMCCC_ARCH_FEATURES:
		/* No workaround call is offered; SMCCC_VERSION is (SMCCC 1.1, 7.3). */
		ret = (uint32_t)a1 == SMCCC_VERSION ? 0 : SMCCC_RET_NOT_SUPPORTED;
		break;
	default:
		ret = SMCCC_RET_NOT_SUPPORTED;
		break;
	}
	x[0] = (uint64_t)ret;
}
