/*
 * The firmware interface a guest calls with HVC (or SMC): SMCCC 1.1
 * (DEN0028) and PSCI 1.1 (DEN0022), acting on the caller's VM alone.
 */
#ifndef FACET_CORE_PSCI_H
#define FACET_CORE_PSCI_H

#include "core/vcpu.h"

/* Function id in x0, arguments in x1-x3, results in x0. */
void smccc_call(struct vcpu *v);

#endif
