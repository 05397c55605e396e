/*
 * The generic timer's virtual counter and virtual timer (ARM ARM, "The
 * Generic Timer"): CNTVCT_EL0, CNTV_CVAL_EL0, CNTV_CTL_EL0, interrupt
 * BOARD_TIMER_VIRT_INTID. Sleeping uses the timer interrupt and WFI.
 */
#ifndef GUEST_TIMER_H
#define GUEST_TIMER_H

#include "base.h"

uint64_t timer_freq(void);
uint64_t timer_count(void);
uint64_t timer_ms_to_ticks(uint64_t ms);
uint64_t timer_us_to_ticks(uint64_t us);
uint64_t timer_ticks_to_ms(uint64_t ticks);
/* Polls the counter (cpu_wait between reads): no interrupt needed. */
void timer_delay_us(uint64_t us);
/* Arms the virtual timer and waits in WFI for its interrupt; returns with DAIF as it was. */
void timer_sleep_until(uint64_t count);
void timer_sleep_ms(uint64_t ms);
/* Disables the virtual timer of this CPU. */
void timer_stop(void);
/* Virtual timer interrupts this CPU has taken. */
unsigned timer_irq_count(void);
/* Registers the timer interrupt handler and enables it on the calling CPU. */
void timer_init_cpu(void);

/* Polls cond until true or ms elapse; evaluates to the last value of cond. */
#define WAIT_FOR(cond, ms)                                                                         \
	({                                                                                         \
		uint64_t wait_end_ = timer_count() + timer_ms_to_ticks(ms);                        \
		bool wait_ok_;                                                                     \
		while (!(wait_ok_ = (cond)) && timer_count() < wait_end_)                          \
			cpu_wait();                                                                \
		wait_ok_;                                                                          \
	})

#endif
