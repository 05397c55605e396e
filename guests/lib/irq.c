#include "irq.h"

#include <abi/board.h>

#include "console.h"
#include "gic.h"
#include "smp.h"

struct irq_slot {
	irq_handler_fn fn;
	void *arg;
};

static struct irq_slot irq_slots[BOARD_NR_IRQS];
static unsigned irq_unhandled[BOARD_MAX_VCPUS];
static unsigned irq_spurious[BOARD_MAX_VCPUS];

void irq_register(unsigned intid, irq_handler_fn fn, void *arg)
{
	if (intid >= BOARD_NR_IRQS)
		return;
	irq_slots[intid].arg = arg;
	__atomic_store_n(&irq_slots[intid].fn, fn, __ATOMIC_RELEASE);
	gic_irq_enable(intid);
}

void irq_unregister(unsigned intid)
{
	if (intid >= BOARD_NR_IRQS)
		return;
	gic_irq_disable(intid);
	__atomic_store_n(&irq_slots[intid].fn, NULL, __ATOMIC_RELEASE);
}

void irq_dispatch(void)
{
	unsigned cpu = smp_cpu_index();

	for (bool first = true;; first = false) {
		uint32_t iar = gic_ack();
		unsigned intid = iar & 0xffffff;
		irq_handler_fn fn;

		if (intid >= GIC_INTID_SPURIOUS_FIRST && intid < GIC_INTID_SPURIOUS_FIRST + 4) {
			/* Nothing (more) pending: spurious only if nothing was taken at all. */
			if (first)
				irq_spurious[cpu]++;
			return;
		}
		fn = intid < BOARD_NR_IRQS ? __atomic_load_n(&irq_slots[intid].fn, __ATOMIC_ACQUIRE)
					   : NULL;
		if (fn) {
			fn(intid, irq_slots[intid].arg);
		} else {
			/* Disabled so that a level-triggered source cannot storm. */
			irq_unhandled[cpu]++;
			gic_irq_disable(intid);
			printf("guest: CPU %u: IRQ %u has no handler; disabled\n", cpu, intid);
		}
		gic_eoi(iar);
	}
}

unsigned irq_unhandled_count(void)
{
	return irq_unhandled[smp_cpu_index()];
}

unsigned irq_spurious_count(void)
{
	return irq_spurious[smp_cpu_index()];
}
