/* Emulated devices: one table of {base, size, ops}, one decoded access. */
#ifndef FACET_CORE_MMIO_H
#define FACET_CORE_MMIO_H

#include "arch/aarch64/dabt.h"
#include "core/vcpu.h"

/* Performs the access on the device at a->ipa. False if there is none. */
bool mmio_access(struct vcpu *v, const struct mmio_access *a, uint64_t *val);

#endif
