/* ESR_EL2 fields (ARM ARM D13.2.37, "ESR_EL2, Exception Syndrome Register"). */
#ifndef FACET_ARCH_ESR_H
#define FACET_ARCH_ESR_H

#define ESR_EC_SHIFT 26
#define ESR_EC(esr) (((esr) >> ESR_EC_SHIFT) & 0x3F)
#define ESR_IL (1ULL << 25)

#define EC_UNKNOWN 0x00
#define EC_WFX 0x01
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_SYS64 0x18
#define EC_IABT_LOW 0x20
#define EC_IABT_CUR 0x21
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25

/* ISS of a data abort (D13.2.37, "ISS encoding for an exception from a Data Abort"). */
#define ESR_DABT_ISV_BIT 24
#define ESR_DABT_ISV (1ULL << ESR_DABT_ISV_BIT)
#define ESR_DABT_SAS_SHIFT 22
#define ESR_DABT_SSE_BIT 21
#define ESR_DABT_SSE (1ULL << ESR_DABT_SSE_BIT)
#define ESR_DABT_SRT_SHIFT 16
#define ESR_DABT_SF_BIT 15
#define ESR_DABT_SF (1ULL << ESR_DABT_SF_BIT)
#define ESR_DABT_S1PTW_BIT 7
#define ESR_DABT_S1PTW (1ULL << ESR_DABT_S1PTW_BIT)
#define ESR_DABT_WNR_BIT 6
#define ESR_DABT_WNR (1ULL << ESR_DABT_WNR_BIT)
/* Fault status code for a synchronous external abort, not on a table walk. */
#define FSC_SEA 0x10

/* ISS of a trapped MSR/MRS (D13.2.37, "ISS encoding for an exception from MSR, MRS..."). */
#define ESR_SYS_READ 1ULL
#define ESR_SYS_RT(esr) (((esr) >> 5) & 0x1F)
/* The register's encoding fields, packed as op0:op1:CRn:CRm:op2. */
#define ESR_SYS_ENC(esr)                                                                          \
	((((esr) >> 20) & 3) << 14 | (((esr) >> 14) & 7) << 11 | (((esr) >> 10) & 0xF) << 7 |   \
	 (((esr) >> 1) & 0xF) << 3 | (((esr) >> 17) & 7))
#define SYS_ENC(op0, op1, crn, crm, op2)                                                          \
	((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2))

#endif
