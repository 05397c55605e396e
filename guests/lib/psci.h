/* PSCI calls (Arm DEN0022 1.1, chapter 5), SMC64 forms where both exist. */
#ifndef GUEST_PSCI_H
#define GUEST_PSCI_H

#include <abi/psci.h>

#include "base.h"

uint32_t psci_version(void);
int32_t psci_features(uint32_t fid);
int32_t psci_cpu_on(uint64_t target_mpidr, uintptr_t entry, uint64_t context_id);
/* Returns only on failure. */
int32_t psci_cpu_off(void);
int32_t psci_affinity_info(uint64_t target_mpidr, unsigned lowest_level);
/* Return only on failure. */
int32_t psci_system_off(void);
int32_t psci_system_reset(void);
const char *psci_ret_name(int32_t ret);

#endif
