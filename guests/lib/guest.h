/*
 * The guest library in one include. A guest is either a test suite (TEST()
 * cases; the library's main runs them) or brings its own main():
 *
 *   #include "guest.h"
 *   TEST(timer_fires) { timer_sleep_ms(5); CHECK(timer_irq_count() == 1); }
 *
 * Before main the library has parsed the device tree (dt.h), set up the GIC
 * distributor and this CPU's redistributor and CPU interface (gic.h) and the
 * virtual timer interrupt (timer.h). IRQs are masked. When main returns the
 * guest powers off (PSCI SYSTEM_OFF).
 */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include <abi/board.h>
#include <abi/psci.h>

#include "base.h"
#include "console.h"
#include "dt.h"
#include "fault.h"
#include "gic.h"
#include "irq.h"
#include "mmio.h"
#include "psci.h"
#include "smccc.h"
#include "smp.h"
#include "spinlock.h"
#include "sysreg.h"
#include "test.h"
#include "timer.h"

/* The image's name (build/guests/<name>.bin), for markers. */
extern const char guest_image_name[];
/* The image's extent in memory, including bss and the stacks (guest.ld). */
extern char __image_start[], __image_end[];

int main(void);
/* Prints "FACET-GUEST <image> PANIC <reason>" and powers off. */
NORETURN void guest_panic(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* SYSTEM_OFF; if that fails, says so and parks. */
NORETURN void guest_exit(int status);

#endif
