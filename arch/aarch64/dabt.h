/*
 * Decoding a data abort into the access a device has to emulate: address,
 * width, direction, register and extension, from the ISS the CPU reports
 * when ESR_EL2.ISV is set (ARM ARM D13.2.37). Plain C: unit-tested on the host.
 */
#ifndef FACET_ARCH_DABT_H
#define FACET_ARCH_DABT_H

#include <stdbool.h>
#include <stdint.h>

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
 * = 0, e.g. a load pair), or a fault on a stage-1 table walk.
 */
bool dabt_decode(uint64_t esr, uint64_t ipa, struct mmio_access *a);
/* The value a load puts in its register: sign- or zero-extended to 32 or 64 bits. */
uint64_t dabt_load_value(const struct mmio_access *a, uint64_t raw);

#endif
