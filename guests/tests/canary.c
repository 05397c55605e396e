/*
 * canary: fills its RAM (all but its own image, bss and stacks) with an
 * address-derived pattern, then re-checks it every ~200 ms for a while and
 * says what it found each time:
 *   canary: intact (check N)     or     canary: CORRUPTED at 0x... (...)
 * Meant to run beside a VM that misbehaves (abort_probe): nothing another VM
 * does may change this VM's memory.
 *
 * Boot arguments: canary.seconds=N (default 30), canary.interval_ms=N (default 200).
 */
#include "guest.h"

#define CANARY_DEFAULT_SECONDS 30
#define CANARY_DEFAULT_INTERVAL_MS 200
#define CANARY_MAX_REPORTS 4

struct span {
	uint64_t *start, *end;
};

static struct span spans[2];

static inline uint64_t pattern(const uint64_t *p)
{
	/* Differs for every word and every bit position, so stale or shifted data shows. */
	return ((uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15UL) ^ 0xC3A5C3A5C3A5C3A5UL;
}

static void spans_init(void)
{
	uintptr_t ram_end = dt.ram_base + dt.ram_size;
	uintptr_t img_start = (uintptr_t)__image_start & ~(uintptr_t)7;
	uintptr_t img_end = ((uintptr_t)__image_end + 7) & ~(uintptr_t)7;

	spans[0] = (struct span){(uint64_t *)dt.ram_base, (uint64_t *)img_start};
	spans[1] = (struct span){(uint64_t *)img_end, (uint64_t *)ram_end};
}

static uint64_t fill(void)
{
	uint64_t words = 0;
	for (size_t i = 0; i < ARRAY_SIZE(spans); i++)
		for (uint64_t *p = spans[i].start; p < spans[i].end; p++, words++)
			*(volatile uint64_t *)p = pattern(p);
	return words;
}

/* Returns the number of words that differ; reports the first few. */
static uint64_t verify(unsigned check)
{
	uint64_t bad = 0;

	for (size_t i = 0; i < ARRAY_SIZE(spans); i++) {
		for (uint64_t *p = spans[i].start; p < spans[i].end; p++) {
			uint64_t v = *(volatile uint64_t *)p;
			if (v == pattern(p))
				continue;
			if (bad++ < CANARY_MAX_REPORTS)
				printf("canary: CORRUPTED at 0x%lx (check %u): 0x%016lx, expected "
				       "0x%016lx\n",
				       (uintptr_t)p, check, v, pattern(p));
		}
	}
	return bad;
}

TEST(ram_stays_intact)
{
	uint64_t seconds = dt_bootarg_u64("canary.seconds", CANARY_DEFAULT_SECONDS);
	uint64_t interval = dt_bootarg_u64("canary.interval_ms", CANARY_DEFAULT_INTERVAL_MS);
	uint64_t start, end, words, bad_total = 0;
	unsigned checks = 0;

	CHECK(dt.valid);
	spans_init();
	start = timer_count();
	words = fill();
	printf("canary: filled %lu KiB of 0x%lx+0x%lx in %lu ms; checking every %lu ms for %lu s\n",
	       words * 8 / 1024, dt.ram_base, dt.ram_size, timer_ticks_to_ms(timer_count() - start),
	       interval, seconds);
	end = timer_count() + timer_ms_to_ticks(seconds * 1000);
	while (timer_count() < end) {
		timer_sleep_ms(interval);
		uint64_t bad = verify(++checks);
		if (bad)
			printf("canary: CORRUPTED: %lu words differ (check %u)\n", bad, checks);
		else
			printf("canary: intact (check %u)\n", checks);
		bad_total += bad;
	}
	printf("canary: verdict %s after %u checks\n", bad_total ? "CORRUPTED" : "intact", checks);
	CHECK(checks > 0);
	CHECK_MSG(bad_total == 0, "%lu corrupted words seen over %u checks", bad_total, checks);
}
