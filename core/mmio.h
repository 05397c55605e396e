/* Emulated devices: the board's address map, one decoded access (core/mmio.c). */
#ifndef FACET_CORE_MMIO_H
#define FACET_CORE_MMIO_H

#include "arch/aarch64/dabt.h"
#include "core/vcpu.h"

/*
 * The data abort with syndrome esr at guest-physical address ipa, as an
 * access to an emulated device: decoded, performed, a load's value put in
 * v's register. Returns false, with nothing changed, if it is not one (no
 * valid syndrome, or no device there).
 */
bool mmio_emulate(struct vcpu *v, uint64_t esr, uint64_t ipa);

#endif
