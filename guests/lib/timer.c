#include "timer.h"

#include <abi/board.h>

#include "irq.h"
#include "smp.h"
#include "sysreg.h"

/* CNTV_CTL_EL0 (ARM ARM, CNTV_CTL_EL0). */
#define CNTV_CTL_ENABLE BIT(0)
#define CNTV_CTL_IMASK BIT(1)
/* CNTKCTL_EL1 (ARM ARM, CNTKCTL_EL1): event stream from the virtual counter. */
#define CNTKCTL_EVNTEN BIT(2)
#define CNTKCTL_EVNTI GENMASK(7, 4)
/* Aim for an event about every 100 us. */
#define EVENT_STREAM_HZ 10000

static bool timer_fired[BOARD_MAX_VCPUS];
static unsigned timer_irqs[BOARD_MAX_VCPUS];

uint64_t timer_freq(void)
{
	return READ_SYSREG(cntfrq_el0);
}

uint64_t timer_count(void)
{
	/* Counter reads are not ordered with earlier instructions without an ISB (ARM ARM,
	 * CNTVCT_EL0). */
	isb();
	return READ_SYSREG(cntvct_el0);
}

uint64_t timer_ms_to_ticks(uint64_t ms)
{
	return ms * timer_freq() / 1000;
}

uint64_t timer_us_to_ticks(uint64_t us)
{
	return us * timer_freq() / 1000000;
}

uint64_t timer_ticks_to_ms(uint64_t ticks)
{
	return ticks * 1000 / timer_freq();
}

void timer_delay_us(uint64_t us)
{
	uint64_t end = timer_count() + timer_us_to_ticks(us);
	while (timer_count() < end)
		cpu_wait();
}

static void timer_irq(unsigned intid, void *arg)
{
	unsigned cpu = smp_cpu_index();

	/* The interrupt is level-sensitive: mask the output before EOI, or it fires again. */
	WRITE_SYSREG(cntv_ctl_el0, CNTV_CTL_ENABLE | CNTV_CTL_IMASK);
	isb();
	timer_irqs[cpu]++;
	__atomic_store_n(&timer_fired[cpu], true, __ATOMIC_RELEASE);
}

void timer_sleep_until(uint64_t count)
{
	unsigned cpu = smp_cpu_index();
	uint64_t daif = irq_save();

	timer_fired[cpu] = false;
	WRITE_SYSREG(cntv_cval_el0, count);
	WRITE_SYSREG(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
	/*
	 * WFI with IRQs masked still wakes on a pending interrupt (ARM ARM,
	 * "Wait for Interrupt"); the short unmasked window then takes it. Checking
	 * with IRQs masked closes the race between the check and the WFI.
	 */
	while (!__atomic_load_n(&timer_fired[cpu], __ATOMIC_ACQUIRE)) {
		wfi();
		irq_unmask();
		isb();
		irq_mask();
	}
	irq_restore(daif);
}

void timer_sleep_ms(uint64_t ms)
{
	timer_sleep_until(timer_count() + timer_ms_to_ticks(ms));
}

void timer_stop(void)
{
	WRITE_SYSREG(cntv_ctl_el0, 0);
	isb();
}

unsigned timer_irq_count(void)
{
	return timer_irqs[smp_cpu_index()];
}

/*
 * An event (waking WFE) each time counter bit EVNTI goes 0 -> 1, i.e. every
 * 2^(EVNTI + 1) ticks: pick the bit that gives about EVENT_STREAM_HZ.
 */
static void timer_event_stream_init(void)
{
	uint64_t period = timer_freq() / EVENT_STREAM_HZ;
	unsigned bit = 0;

	while (bit < 15 && (2UL << (bit + 1)) <= period)
		bit++;
	WRITE_SYSREG(cntkctl_el1, (READ_SYSREG(cntkctl_el1) & ~CNTKCTL_EVNTI) | CNTKCTL_EVNTEN |
				      FIELD_PREP(CNTKCTL_EVNTI, bit));
	isb();
}

void timer_init_cpu(void)
{
	timer_stop();
	timer_event_stream_init();
	irq_register(BOARD_TIMER_VIRT_INTID, timer_irq, NULL);
}
