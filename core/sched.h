/*
 * Scheduling policy: each vCPU is pinned to one physical CPU; a pCPU runs
 * its runnable vCPUs round-robin in time slices. A vCPU in WFI is blocked
 * until an interrupt is pended for it or its virtual timer deadline passes.
 * Plain C over struct pcpu / struct vcpu: unit-tested on the host.
 */
#ifndef FACET_CORE_SCHED_H
#define FACET_CORE_SCHED_H

#include "core/pcpu.h"
#include "core/vcpu.h"

#define SCHED_NEVER (~0ULL)

bool sched_runnable(const struct vcpu *v);
/* Adds v to the pCPU with the fewest vCPUs among the first nr. */
struct pcpu *sched_assign(struct pcpu *const *pcpus, unsigned nr, struct vcpu *v);
/*
 * With p->lock held: wakes blocked vCPUs whose deadline is at or before
 * now, then returns the next runnable vCPU after `after` (the vCPU that ran
 * last; NULL: from the first) in round-robin order (`after` itself if it is
 * the only one), or NULL.
 */
struct vcpu *sched_pick(struct pcpu *p, const struct vcpu *after, uint64_t now);
/* With p->lock held: the earliest deadline of a blocked vCPU on p. */
uint64_t sched_next_wake(const struct pcpu *p);

#endif
