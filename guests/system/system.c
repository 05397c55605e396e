/*
 * The demo "system VM", standing in for the radio stack: a heartbeat line
 * once a second, timed by the virtual timer interrupt (the CPU sleeps in WFI
 * in between), forever.
 */
#include "guest.h"

#define HEARTBEAT_MS 1000

int main(void)
{
	uint64_t period = timer_ms_to_ticks(HEARTBEAT_MS);
	uint64_t next = timer_count();

	printf("system: up, %u vCPU(s), %lu MiB\n", dt.ncpus, dt.ram_size / SZ_1M);
	for (unsigned n = 1;; n++) {
		next += period;
		timer_sleep_until(next);
		printf("system: heartbeat %u\n", n);
		if (timer_count() > next + period)
			next = timer_count();
	}
}
