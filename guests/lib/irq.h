/*
 * IRQ dispatch: one handler per INTID, shared by all CPUs (the handler can
 * ask smp_cpu_index() which CPU took it). vectors.S -> exc_handle -> irq_dispatch
 * acknowledges through ICC_IAR1_EL1, calls the handler, then EOIs.
 */
#ifndef GUEST_IRQ_H
#define GUEST_IRQ_H

#include "base.h"

typedef void (*irq_handler_fn)(unsigned intid, void *arg);

/* Registers a handler and enables the INTID on the calling CPU (gic_irq_enable). */
void irq_register(unsigned intid, irq_handler_fn fn, void *arg);
/* Disables the INTID on the calling CPU and forgets the handler. */
void irq_unregister(unsigned intid);
void irq_dispatch(void);
/* Interrupts taken without a handler, and spurious acknowledges, on this CPU. */
unsigned irq_unhandled_count(void);
unsigned irq_spurious_count(void);

#endif
