/*
 * Decoding a data abort into the access a device has to emulate: address,
 * width, direction, register and extension, from the ISS the CPU reports
 * when ESR_EL2.ISV is set (ARM ARM D13.2.37). Plain C: unit-tested on the host.
 */
#ifndef FACET_ARCH_DABT_H
#define FACET_ARCH_DABT_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/aarch64/esr.h"

struct mmio_access {
	uint64_t ipa;
	unsigned size; /* bytes: 1, 2, 4, 8 */
	bool write;
	bool sign_extend;
	bool reg64; /* destination is an X register */
	unsigned reg; /* 0-30; 31 is XZR */
};

/*
 * Returns false when the abort cannot be emulated: no valid syndrome (ISV
 * = 0, e.g. a load pair), or a fault on a stage-1 table walk. Inline: it is
 * on the path of every emulated device access.
 */
static inline bool dabt_decode(uint64_t esr, uint64_t ipa, struct mmio_access *a)
{
	if (!(esr & ESR_DABT_ISV) || (esr & ESR_DABT_S1PTW))
		return false;
	a->ipa = ipa;
	a->size = 1U << ((esr >> ESR_DABT_SAS_SHIFT) & 3);
	a->write = esr & ESR_DABT_WNR;
	a->sign_extend = esr & ESR_DABT_SSE;
	a->reg64 = esr & ESR_DABT_SF;
	a->reg = (esr >> ESR_DABT_SRT_SHIFT) & 0x1F;
	return true;
}

/*
 * The value a load puts in its register: the access's low bytes of raw,
 * sign- or zero-extended to 64 bits, then to 32 for a W register (ARM ARM
 * C6.2, LDRSB and friends). Shifts, no branches: every emulated load ends here.
 */
static inline uint64_t dabt_load_value(const struct mmio_access *a, uint64_t raw)
{
	unsigned unused = 64 - a->size * 8;
	uint64_t v = a->sign_extend ? (uint64_t)((int64_t)(raw << unused) >> unused)
				    : raw << unused >> unused;
	return a->reg64 ? v : (uint32_t)v;
}

#endif
