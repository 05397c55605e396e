/*
 * debug_isolation: a VM's hardware breakpoints are its own. Two of these VMs
 * share one physical CPU (same image, so the same addresses); the one booted
 * with "role=set" programs breakpoint 0 on target() and checks it fires; the
 * one with "role=check" enables debug exceptions too but sets no breakpoint,
 * and calls target() across many switches: it must never stop there.
 * Registers: DBGBVR<n>_EL1 / DBGBCR<n>_EL1 (ARM ARM D17.3.5-6), MDSCR_EL1.MDE
 * [15] and KDE [13] (D17.3.23); a breakpoint at EL1 is ESR_EL1.EC 0x31.
 */
#include "guest.h"

#define ROUNDS 40
#define EC_BREAKPOINT_CUR 0x31

void target(void);
/* Two instructions: a stop on the first resumes at the second. */
__asm__(".text\n.balign 16\n.globl target\ntarget:\n\tnop\n\tret\n");

/* Does the command line hold word? (The guest library has no strstr.) */
static bool cmdline_has(const char *word)
{
	for (const char *p = dt.bootargs; *p; p++) {
		unsigned i = 0;
		while (word[i] && p[i] == word[i])
			i++;
		if (!word[i])
			return true;
	}
	return false;
}

static void enable_debug_exceptions(void)
{
	WRITE_SYSREG(mdscr_el1, READ_SYSREG(mdscr_el1) | (1U << 15) | (1U << 13));
	__asm__ volatile("isb\n\tmsr daifclr, #8\n\tisb" ::: "memory");
}

/* Calls target(); true if it stopped at a breakpoint there. */
static bool stops_at_target(void)
{
	struct fault_info fi;
	fault_expect(0);
	target();
	if (!fault_end(&fi))
		return false;
	return (fi.esr >> 26) == EC_BREAKPOINT_CUR && fi.elr == (uintptr_t)target;
}

TEST(breakpoints_stay_in_their_vm)
{
	bool setter = cmdline_has("role=set");

	printf("debug_isolation: role %s\n", setter ? "set" : "check");
	enable_debug_exceptions();
	if (setter) {
		/* DBGBCR0: E [0], PMC [2:1] = 0b01 (EL1), BAS [8:5] = 0xF. */
		WRITE_SYSREG(dbgbvr0_el1, (uintptr_t)target);
		WRITE_SYSREG(dbgbcr0_el1, (0xFU << 5) | (1U << 1) | 1U);
		__asm__ volatile("isb");
	}
	unsigned stops = 0;
	for (unsigned round = 0; round < ROUNDS; round++) {
		stops += stops_at_target();
		timer_sleep_ms(10); /* WFI: the other VM runs */
	}
	printf("debug_isolation: stopped at target() %u of %u times\n", stops, ROUNDS);
	CHECK_EQ(stops, setter ? ROUNDS : 0);
	WRITE_SYSREG(dbgbcr0_el1, 0);
}
