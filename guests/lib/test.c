#include "test.h"

#include "console.h"
#include "dt.h"
#include "fault.h"
#include "guest.h"
#include "jmp.h"
#include "psci.h"
#include "smp.h"
#include "spinlock.h"
#include "sysreg.h"
#include "timer.h"

/* guest.ld: the guest_tests section. */
extern const struct test_case __tests_start[], __tests_end[];

#define TEST_REASON_MAX 200
/* The CPU that runs the cases. */
#define TEST_RUNNER_CPU 0

static struct {
	struct spinlock lock;
	bool running;
	bool failed;
	char reason[TEST_REASON_MAX];
	struct jmp_ctx back;
} test_state;

/* Keeps the first reason a case failed for. */
static void test_record(const char *reason)
{
	spin_lock(&test_state.lock);
	if (!test_state.failed)
		snprintf(test_state.reason, sizeof(test_state.reason), "%s", reason);
	test_state.failed = true;
	spin_unlock(&test_state.lock);
}

void test_fail_at(const char *file, int line, const char *fmt, ...)
{
	char reason[TEST_REASON_MAX];
	int n = snprintf(reason, sizeof(reason), "%s:%d: ", file, line);
	va_list ap;

	va_start(ap, fmt);
	if (n < (int)sizeof(reason))
		vsnprintf(reason + n, sizeof(reason) - (size_t)n, fmt, ap);
	va_end(ap);
	test_record(reason);
	if (test_state.running && smp_cpu_index() == TEST_RUNNER_CPU)
		jmp_restore(&test_state.back, 1);
	printf("guest: CPU %u: check failed: %s\n", smp_cpu_index(), reason);
}

bool test_failed(void)
{
	return __atomic_load_n(&test_state.failed, __ATOMIC_ACQUIRE);
}

bool test_abort_from_exception(struct exc_frame *f, const char *reason)
{
	if (!test_state.running)
		return false;
	test_record(reason);
	if (smp_cpu_index() == TEST_RUNNER_CPU) {
		/* Resume in jmp_restore(&back, 1), at EL1h with interrupts masked. */
		f->x[0] = (uintptr_t)&test_state.back;
		f->x[1] = 1;
		f->elr = (uintptr_t)jmp_restore;
		f->spsr = SPSR_EL1H_MASKED;
		return true;
	}
	/* A secondary cannot unwind to the runner: it stops. */
	irq_mask();
	timer_stop();
	psci_cpu_off();
	for (;;)
		wfi();
}

static bool test_selected(const struct test_case *tc)
{
	const char *want;
	size_t len;

	if (!dt_bootarg("guest.test", &want, &len))
		return true;
	for (const char *p = tc->name; *p; p++)
		if (strncmp(p, want, len) == 0)
			return true;
	return false;
}

static bool test_run_one(const struct test_case *tc)
{
	test_state.failed = false;
	test_state.reason[0] = '\0';
	test_state.running = true;
	if (jmp_save(&test_state.back) == 0)
		tc->fn();
	test_state.running = false;

	/* Leave CPU 0 as the next case expects to find it. */
	irq_mask();
	timer_stop();
	fault_end(NULL);

	if (test_failed())
		printf("TEST %s: FAIL %s\n", tc->name, test_state.reason);
	else
		printf("TEST %s: PASS\n", tc->name);
	return !test_failed();
}

unsigned test_run_all(void)
{
	unsigned passed = 0, failed = 0;

	printf("FACET-GUEST %s START cpus=%u ram=0x%lx+0x%lx\n", guest_image_name, dt.ncpus,
	       dt.ram_base, dt.ram_size);
	for (const struct test_case *tc = __tests_start; tc < __tests_end; tc++) {
		if (!test_selected(tc))
			continue;
		if (test_run_one(tc))
			passed++;
		else
			failed++;
	}
	printf("FACET-GUEST %s DONE passed=%u failed=%u\n", guest_image_name, passed, failed);
	return failed;
}
