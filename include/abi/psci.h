/*
 * SMCCC and PSCI function ids and return codes the guest-visible firmware
 * interface uses. Values: Arm SMC Calling Convention (DEN0028, 1.1+) and
 * Arm Power State Coordination Interface (DEN0022, 1.1).
 */
#ifndef FACET_ABI_PSCI_H
#define FACET_ABI_PSCI_H

/* SMCCC 1.1, 7.2: Arm Architecture Calls. */
#define SMCCC_VERSION 0x80000000U
#define SMCCC_ARCH_FEATURES 0x80000001U
#define SMCCC_ARCH_SOC_ID 0x80000002U
#define SMCCC_ARCH_WORKAROUND_1 0x80008000U
#define SMCCC_ARCH_WORKAROUND_2 0x80007FFFU
#define SMCCC_ARCH_WORKAROUND_3 0x80003FFFU
#define SMCCC_VERSION_1_1 0x10001U
/* SMCCC 1.1, 5.2: the value of an unknown function id. */
#define SMCCC_RET_NOT_SUPPORTED (-1L)

/* PSCI 1.1, 5.1: function ids (SMC32 / SMC64 where both exist). */
#define PSCI_0_2_VERSION 0x84000000U
#define PSCI_0_2_CPU_SUSPEND 0x84000001U
#define PSCI_0_2_CPU_SUSPEND_64 0xC4000001U
#define PSCI_0_2_CPU_OFF 0x84000002U
#define PSCI_0_2_CPU_ON 0x84000003U
#define PSCI_0_2_CPU_ON_64 0xC4000003U
#define PSCI_0_2_AFFINITY_INFO 0x84000004U
#define PSCI_0_2_AFFINITY_INFO_64 0xC4000004U
#define PSCI_0_2_MIGRATE_INFO_TYPE 0x84000006U
#define PSCI_0_2_SYSTEM_OFF 0x84000008U
#define PSCI_0_2_SYSTEM_RESET 0x84000009U
#define PSCI_1_0_FEATURES 0x8400000AU

/* PSCI 1.1, 5.2.2: version 1.1 = major 1, minor 1. */
#define PSCI_VERSION_1_1 0x10001U

/* PSCI 1.1, 5.2.2 return codes. */
#define PSCI_RET_SUCCESS 0
#define PSCI_RET_NOT_SUPPORTED (-1)
#define PSCI_RET_INVALID_PARAMETERS (-2)
#define PSCI_RET_DENIED (-3)
#define PSCI_RET_ALREADY_ON (-4)
#define PSCI_RET_ON_PENDING (-5)
#define PSCI_RET_INTERNAL_FAILURE (-6)
#define PSCI_RET_NOT_PRESENT (-7)
#define PSCI_RET_DISABLED (-8)
#define PSCI_RET_INVALID_ADDRESS (-9)

/* PSCI 1.1, 5.1.5 AFFINITY_INFO results. */
#define PSCI_AFFINITY_ON 0
#define PSCI_AFFINITY_OFF 1
#define PSCI_AFFINITY_ON_PENDING 2

/* PSCI 1.1, 5.1.7 MIGRATE_INFO_TYPE: no Trusted OS needing migration. */
#define PSCI_TOS_NOT_PRESENT_MP 2

#endif
