#include "psci.h"

#include "smccc.h"

uint32_t psci_version(void)
{
	return (uint32_t)smccc_hvc(PSCI_0_2_VERSION, 0, 0, 0).a0;
}

int32_t psci_features(uint32_t fid)
{
	return smccc_call(PSCI_1_0_FEATURES, fid, 0, 0);
}

int32_t psci_cpu_on(uint64_t target_mpidr, uintptr_t entry, uint64_t context_id)
{
	return smccc_call(PSCI_0_2_CPU_ON_64, target_mpidr, entry, context_id);
}

int32_t psci_cpu_off(void)
{
	return smccc_call(PSCI_0_2_CPU_OFF, 0, 0, 0);
}

int32_t psci_affinity_info(uint64_t target_mpidr, unsigned lowest_level)
{
	return smccc_call(PSCI_0_2_AFFINITY_INFO_64, target_mpidr, lowest_level, 0);
}

int32_t psci_system_off(void)
{
	return smccc_call(PSCI_0_2_SYSTEM_OFF, 0, 0, 0);
}

int32_t psci_system_reset(void)
{
	return smccc_call(PSCI_0_2_SYSTEM_RESET, 0, 0, 0);
}

const char *psci_ret_name(int32_t ret)
{
	switch (ret) {
	case PSCI_RET_SUCCESS:
		return "SUCCESS";
	case PSCI_RET_NOT_SUPPORTED:
		return "NOT_SUPPORTED";
	case PSCI_RET_INVALID_PARAMETERS:
		return "INVALID_PARAMETERS";
	case PSCI_RET_DENIED:
		return "DENIED";
	case PSCI_RET_ALREADY_ON:
		return "ALREADY_ON";
	case PSCI_RET_ON_PENDING:
		return "ON_PENDING";
	case PSCI_RET_INTERNAL_FAILURE:
		return "INTERNAL_FAILURE";
	case PSCI_RET_NOT_PRESENT:
		return "NOT_PRESENT";
	case PSCI_RET_DISABLED:
		return "DISABLED";
	case PSCI_RET_INVALID_ADDRESS:
		return "INVALID_ADDRESS";
	default:
		return "?";
	}
}
