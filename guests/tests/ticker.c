/*
 * ticker: prints "tick N" every 100 ms (boot argument ticker.ms=N to change),
 * forever, sleeping on the virtual timer interrupt in between. Several of
 * these sharing a physical CPU show whether each VM gets to run.
 */
#include "guest.h"

int main(void)
{
	uint64_t period = timer_ms_to_ticks(dt_bootarg_u64("ticker.ms", 100));
	uint64_t next = timer_count();

	printf("ticker: up\n");
	for (unsigned n = 1;; n++) {
		next += period;
		timer_sleep_until(next);
		printf("tick %u\n", n);
		/* After a long descheduling, go on from now rather than print a burst. */
		if (timer_count() > next + period)
			next = timer_count();
	}
}
