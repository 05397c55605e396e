/*
 * The guests' breakpoint and watchpoint registers. The register number is
 * part of the instruction, so each register is one case of a switch. The
 * switches start at the highest register the CPU has and fall through to
 * register 0: one pass touches every implemented register, no loop.
 */
#include "arch/aarch64/debug.h"
#include "arch/aarch64/sysreg.h"

/* ID_AA64DFR0_EL1.BRPs [15:12] and WRPs [23:20]: how many, minus one (ARM ARM D17.2.59). */
static unsigned last_brp(void)
{
	return (unsigned)(read_sysreg(id_aa64dfr0_el1) >> 12) & 0xF;
}

static unsigned last_wrp(void)
{
	return (unsigned)(read_sysreg(id_aa64dfr0_el1) >> 20) & 0xF;
}

/* X(n) for every register number, highest first. */
#define EACH_DBG_REG(X)                                                                            \
	X(15) X(14) X(13) X(12) X(11) X(10) X(9) X(8) X(7) X(6) X(5) X(4) X(3) X(2) X(1) X(0)

/* One case of a switch on the register number; it falls through to the next lower one. */
#define SAVE_B(n)                                                                                  \
	case n:                                                                                    \
		d->bp[n] = (struct debug_pair){read_sysreg(dbgbcr##n##_el1),                       \
					       read_sysreg(dbgbvr##n##_el1)};                      \
		__attribute__((fallthrough));
#define SAVE_W(n)                                                                                  \
	case n:                                                                                    \
		d->wp[n] = (struct debug_pair){read_sysreg(dbgwcr##n##_el1),                       \
					       read_sysreg(dbgwvr##n##_el1)};                      \
		__attribute__((fallthrough));
/*
 * The value before the control register that may enable it. The empty asm
 * has both in registers before either write, so the pair comes in one load.
 */
#define RESTORE_B(n)                                                                               \
	case n:                                                                                    \
		p = d->bp[n];                                                                      \
		__asm__("" : "+r"(p.ctrl), "+r"(p.value));                                         \
		write_sysreg(dbgbvr##n##_el1, p.value);                                            \
		write_sysreg(dbgbcr##n##_el1, p.ctrl);                                             \
		__attribute__((fallthrough));
#define RESTORE_W(n)                                                                               \
	case n:                                                                                    \
		p = d->wp[n];                                                                      \
		__asm__("" : "+r"(p.ctrl), "+r"(p.value));                                         \
		write_sysreg(dbgwvr##n##_el1, p.value);                                            \
		write_sysreg(dbgwcr##n##_el1, p.ctrl);                                             \
		__attribute__((fallthrough));

void debug_save(struct debug_regs *d)
{
	switch (last_brp()) {
		EACH_DBG_REG(SAVE_B)
	default:
		break;
	}
	switch (last_wrp()) {
		EACH_DBG_REG(SAVE_W)
	default:
		break;
	}
}

void debug_restore(const struct debug_regs *d)
{
	struct debug_pair p;

	switch (last_brp()) {
		EACH_DBG_REG(RESTORE_B)
	default:
		break;
	}
	switch (last_wrp()) {
		EACH_DBG_REG(RESTORE_W)
	default:
		break;
	}
	isb();
}

/* All zero (it is never written): restored, it disables every breakpoint and watchpoint. */
static struct debug_regs cleared;

void debug_clear(void)
{
	debug_restore(&cleared);
}
