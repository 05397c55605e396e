/*
 * SMC Calling Convention over HVC: the conduit facet (and QEMU's own firmware
 * emulation when there is no EL2/EL3) offers an EL1 guest. Arm DEN0028.
 */
#ifndef GUEST_SMCCC_H
#define GUEST_SMCCC_H

#include <abi/psci.h>

#include "base.h"

struct smccc_res {
	uint64_t a0, a1, a2, a3;
};

/*
 * A raw call: function id in w0, arguments in x1..x3, results in x0..x3.
 * x4..x17 are declared clobbered: SMCCC 1.0 allowed the callee to corrupt
 * them (1.1 requires them preserved; hello tests that separately).
 */
static inline struct smccc_res smccc_hvc(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
			   "x15", "x16", "x17", "memory");
	return (struct smccc_res){x0, x1, x2, x3};
}

/* x0 of a call, as the 32-bit signed value SMCCC and PSCI return codes are. */
static inline int32_t smccc_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return (int32_t)smccc_hvc(fid, a1, a2, a3).a0;
}

/* SMCCC_VERSION (DEN0028 7.2.1); NOT_SUPPORTED means SMCCC 1.0. */
static inline int32_t smccc_version(void)
{
	return smccc_call(SMCCC_VERSION, 0, 0, 0);
}

#endif
