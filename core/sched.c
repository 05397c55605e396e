#include "core/sched.h"
#include "core/vm.h"

bool sched_runnable(const struct vcpu *v)
{
	return v->power == VCPU_ON && !v->blocked && v->vm->state == VM_RUNNING;
}

struct pcpu *sched_assign(struct pcpu *const *pcpus, unsigned nr, struct vcpu *v)
{
	struct pcpu *best = NULL;
	for (unsigned i = 0; i < nr; i++)
		if (pcpus[i]->nr_vcpus < MAX_VCPUS_PER_PCPU &&
		    (!best || pcpus[i]->nr_vcpus < best->nr_vcpus))
			best = pcpus[i];
	if (best) {
		best->vcpus[best->nr_vcpus++] = v;
		v->pcpu = best;
	}
	return best;
}

struct vcpu *sched_pick(struct pcpu *p, const struct vcpu *after, uint64_t now)
{
	unsigned start = 0;
	for (unsigned i = 0; i < p->nr_vcpus; i++) {
		struct vcpu *v = p->vcpus[i];
		if (v->blocked && v->wake_at <= now)
			v->blocked = false;
		if (v == after)
			start = i + 1;
	}
	for (unsigned k = 0; k < p->nr_vcpus; k++) {
		struct vcpu *v = p->vcpus[(start + k) % p->nr_vcpus];
		if (sched_runnable(v))
			return v;
	}
	return NULL;
}

uint64_t sched_next_wake(const struct pcpu *p)
{
	uint64_t t = SCHED_NEVER;
	for (unsigned i = 0; i < p->nr_vcpus; i++) {
		const struct vcpu *v = p->vcpus[i];
		if (v->power == VCPU_ON && v->blocked && v->wake_at < t)
			t = v->wake_at;
	}
	return t;
}
