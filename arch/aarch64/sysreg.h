/*
 * One way to read and write system registers, greppable by register name:
 * read_sysreg(hcr_el2), write_sysreg(hcr_el2, v). Registers the assembler
 * has no name for are spelled by encoding (S3_<op1>_C<n>_C<m>_<op2>) with a
 * #define naming them here.
 */
#ifndef FACET_ARCH_SYSREG_H
#define FACET_ARCH_SYSREG_H

#include <stdint.h>

#define read_sysreg(r)                                                                             \
	({                                                                                         \
		uint64_t rv__;                                                                     \
		__asm__ volatile("mrs %0, " #r : "=r"(rv__));                                      \
		rv__;                                                                              \
	})
#define write_sysreg(r, v)                                                                         \
	do {                                                                                       \
		uint64_t v__ = (uint64_t)(v);                                                      \
		__asm__ volatile("msr " #r ", %x0" : : "rZ"(v__));                                  \
	} while (0)

#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define wfi() __asm__ volatile("wfi" ::: "memory")
#define wfe() __asm__ volatile("wfe" ::: "memory")
#define sev() __asm__ volatile("sev" ::: "memory")

/* GICv3 CPU interface and hypervisor control registers (GIC spec 12.2, 12.4). */
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_CTLR_EL1 S3_0_C12_C12_4
#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define ICC_SRE_EL2 S3_4_C12_C9_5
#define ICH_AP0R0_EL2 S3_4_C12_C8_0
#define ICH_AP1R0_EL2 S3_4_C12_C9_0
#define ICH_HCR_EL2 S3_4_C12_C11_0
#define ICH_VTR_EL2 S3_4_C12_C11_1
#define ICH_MISR_EL2 S3_4_C12_C11_2
#define ICH_EISR_EL2 S3_4_C12_C11_3
#define ICH_ELRSR_EL2 S3_4_C12_C11_5
#define ICH_VMCR_EL2 S3_4_C12_C11_7
#define ICH_LR0_EL2 S3_4_C12_C12_0
#define ICH_LR1_EL2 S3_4_C12_C12_1
#define ICH_LR2_EL2 S3_4_C12_C12_2
#define ICH_LR3_EL2 S3_4_C12_C12_3
#define ICH_LR4_EL2 S3_4_C12_C12_4
#define ICH_LR5_EL2 S3_4_C12_C12_5
#define ICH_LR6_EL2 S3_4_C12_C12_6
#define ICH_LR7_EL2 S3_4_C12_C12_7
#define ICH_LR8_EL2 S3_4_C12_C13_0
#define ICH_LR9_EL2 S3_4_C12_C13_1
#define ICH_LR10_EL2 S3_4_C12_C13_2
#define ICH_LR11_EL2 S3_4_C12_C13_3
#define ICH_LR12_EL2 S3_4_C12_C13_4
#define ICH_LR13_EL2 S3_4_C12_C13_5
#define ICH_LR14_EL2 S3_4_C12_C13_6
#define ICH_LR15_EL2 S3_4_C12_C13_7

/* Field helpers: a mask of bits hi..lo, and get/prepare a field by its mask. */
#define GENMASK64(hi, lo) ((~0ULL << (lo)) & (~0ULL >> (63 - (hi))))
#define FIELD_GET(mask, v) (((uint64_t)(v) & (mask)) >> __builtin_ctzll(mask))
#define FIELD_PREP(mask, v) (((uint64_t)(v) << __builtin_ctzll(mask)) & (mask))

#endif
