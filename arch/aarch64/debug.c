/*
 * The guests' breakpoint and watchpoint registers. The register number is
 * part of the instruction, so each access is one case of a switch.
 */
#include "arch/aarch64/debug.h"
#include "arch/aarch64/sysreg.h"

/* ID_AA64DFR0_EL1.BRPs [15:12] and WRPs [23:20]: how many, minus one (ARM ARM D17.2.59). */
static unsigned nr_brps(void)
{
	return (unsigned)((read_sysreg(id_aa64dfr0_el1) >> 12) & 0xF) + 1;
}

static unsigned nr_wrps(void)
{
	return (unsigned)((read_sysreg(id_aa64dfr0_el1) >> 20) & 0xF) + 1;
}

static uint64_t read_bcr(unsigned n)
{
	switch (n) {
	case 0: return read_sysreg(dbgbcr0_el1);
	case 1: return read_sysreg(dbgbcr1_el1);
	case 2: return read_sysreg(dbgbcr2_el1);
	case 3: return read_sysreg(dbgbcr3_el1);
	case 4: return read_sysreg(dbgbcr4_el1);
	case 5: return read_sysreg(dbgbcr5_el1);
	case 6: return read_sysreg(dbgbcr6_el1);
	case 7: return read_sysreg(dbgbcr7_el1);
	case 8: return read_sysreg(dbgbcr8_el1);
	case 9: return read_sysreg(dbgbcr9_el1);
	case 10: return read_sysreg(dbgbcr10_el1);
	case 11: return read_sysreg(dbgbcr11_el1);
	case 12: return read_sysreg(dbgbcr12_el1);
	case 13: return read_sysreg(dbgbcr13_el1);
	case 14: return read_sysreg(dbgbcr14_el1);
	case 15: return read_sysreg(dbgbcr15_el1);
	}
	return 0;
}

static void write_bcr(unsigned n, uint64_t v)
{
	switch (n) {
	case 0: write_sysreg(dbgbcr0_el1, v); break;
	case 1: write_sysreg(dbgbcr1_el1, v); break;
	case 2: write_sysreg(dbgbcr2_el1, v); break;
	case 3: write_sysreg(dbgbcr3_el1, v); break;
	case 4: write_sysreg(dbgbcr4_el1, v); break;
	case 5: write_sysreg(dbgbcr5_el1, v); break;
	case 6: write_sysreg(dbgbcr6_el1, v); break;
	case 7: write_sysreg(dbgbcr7_el1, v); break;
	case 8: write_sysreg(dbgbcr8_el1, v); break;
	case 9: write_sysreg(dbgbcr9_el1, v); break;
	case 10: write_sysreg(dbgbcr10_el1, v); break;
	case 11: write_sysreg(dbgbcr11_el1, v); break;
	case 12: write_sysreg(dbgbcr12_el1, v); break;
	case 13: write_sysreg(dbgbcr13_el1, v); break;
	case 14: write_sysreg(dbgbcr14_el1, v); break;
	case 15: write_sysreg(dbgbcr15_el1, v); break;
	}
}

static uint64_t read_bvr(unsigned n)
{
	switch (n) {
	case 0: return read_sysreg(dbgbvr0_el1);
	case 1: return read_sysreg(dbgbvr1_el1);
	case 2: return read_sysreg(dbgbvr2_el1);
	case 3: return read_sysreg(dbgbvr3_el1);
	case 4: return read_sysreg(dbgbvr4_el1);
	case 5: return read_sysreg(dbgbvr5_el1);
	case 6: return read_sysreg(dbgbvr6_el1);
	case 7: return read_sysreg(dbgbvr7_el1);
	case 8: return read_sysreg(dbgbvr8_el1);
	case 9: return read_sysreg(dbgbvr9_el1);
	case 10: return read_sysreg(dbgbvr10_el1);
	case 11: return read_sysreg(dbgbvr11_el1);
	case 12: return read_sysreg(dbgbvr12_el1);
	case 13: return read_sysreg(dbgbvr13_el1);
	case 14: return read_sysreg(dbgbvr14_el1);
	case 15: return read_sysreg(dbgbvr15_el1);
	}
	return 0;
}

static void write_bvr(unsigned n, uint64_t v)
{
	switch (n) {
	case 0: write_sysreg(dbgbvr0_el1, v); break;
	case 1: write_sysreg(dbgbvr1_el1, v); break;
	case 2: write_sysreg(dbgbvr2_el1, v); break;
	case 3: write_sysreg(dbgbvr3_el1, v); break;
	case 4: write_sysreg(dbgbvr4_el1, v); break;
	case 5: write_sysreg(dbgbvr5_el1, v); break;
	case 6: write_sysreg(dbgbvr6_el1, v); break;
	case 7: write_sysreg(dbgbvr7_el1, v); break;
	case 8: write_sysreg(dbgbvr8_el1, v); break;
	case 9: write_sysreg(dbgbvr9_el1, v); break;
	case 10: write_sysreg(dbgbvr10_el1, v); break;
	case 11: write_sysreg(dbgbvr11_el1, v); break;
	case 12: write_sysreg(dbgbvr12_el1, v); break;
	case 13: write_sysreg(dbgbvr13_el1, v); break;
	case 14: write_sysreg(dbgbvr14_el1, v); break;
	case 15: write_sysreg(dbgbvr15_el1, v); break;
	}
}

static uint64_t read_wcr(unsigned n)
{
	switch (n) {
	case 0: return read_sysreg(dbgwcr0_el1);
	case 1: return read_sysreg(dbgwcr1_el1);
	case 2: return read_sysreg(dbgwcr2_el1);
	case 3: return read_sysreg(dbgwcr3_el1);
	case 4: return read_sysreg(dbgwcr4_el1);
	case 5: return read_sysreg(dbgwcr5_el1);
	case 6: return read_sysreg(dbgwcr6_el1);
	case 7: return read_sysreg(dbgwcr7_el1);
	case 8: return read_sysreg(dbgwcr8_el1);
	case 9: return read_sysreg(dbgwcr9_el1);
	case 10: return read_sysreg(dbgwcr10_el1);
	case 11: return read_sysreg(dbgwcr11_el1);
	case 12: return read_sysreg(dbgwcr12_el1);
	case 13: return read_sysreg(dbgwcr13_el1);
	case 14: return read_sysreg(dbgwcr14_el1);
	case 15: return read_sysreg(dbgwcr15_el1);
	}
	return 0;
}

static void write_wcr(unsigned n, uint64_t v)
{
	switch (n) {
	case 0: write_sysreg(dbgwcr0_el1, v); break;
	case 1: write_sysreg(dbgwcr1_el1, v); break;
	case 2: write_sysreg(dbgwcr2_el1, v); break;
	case 3: write_sysreg(dbgwcr3_el1, v); break;
	case 4: write_sysreg(dbgwcr4_el1, v); break;
	case 5: write_sysreg(dbgwcr5_el1, v); break;
	case 6: write_sysreg(dbgwcr6_el1, v); break;
	case 7: write_sysreg(dbgwcr7_el1, v); break;
	case 8: write_sysreg(dbgwcr8_el1, v); break;
	case 9: write_sysreg(dbgwcr9_el1, v); break;
	case 10: write_sysreg(dbgwcr10_el1, v); break;
	case 11: write_sysreg(dbgwcr11_el1, v); break;
	case 12: write_sysreg(dbgwcr12_el1, v); break;
	case 13: write_sysreg(dbgwcr13_el1, v); break;
	case 14: write_sysreg(dbgwcr14_el1, v); break;
	case 15: write_sysreg(dbgwcr15_el1, v); break;
	}
}

static uint64_t read_wvr(unsigned n)
{
	switch (n) {
	case 0: return read_sysreg(dbgwvr0_el1);
	case 1: return read_sysreg(dbgwvr1_el1);
	case 2: return read_sysreg(dbgwvr2_el1);
	case 3: return read_sysreg(dbgwvr3_el1);
	case 4: return read_sysreg(dbgwvr4_el1);
	case 5: return read_sysreg(dbgwvr5_el1);
	case 6: return read_sysreg(dbgwvr6_el1);
	case 7: return read_sysreg(dbgwvr7_el1);
	case 8: return read_sysreg(dbgwvr8_el1);
	case 9: return read_sysreg(dbgwvr9_el1);
	case 10: return read_sysreg(dbgwvr10_el1);
	case 11: return read_sysreg(dbgwvr11_el1);
	case 12: return read_sysreg(dbgwvr12_el1);
	case 13: return read_sysreg(dbgwvr13_el1);
	case 14: return read_sysreg(dbgwvr14_el1);
	case 15: return read_sysreg(dbgwvr15_el1);
	}
	return 0;
}

static void write_wvr(unsigned n, uint64_t v)
{
	switch (n) {
	case 0: write_sysreg(dbgwvr0_el1, v); break;
	case 1: write_sysreg(dbgwvr1_el1, v); break;
	case 2: write_sysreg(dbgwvr2_el1, v); break;
	case 3: write_sysreg(dbgwvr3_el1, v); break;
	case 4: write_sysreg(dbgwvr4_el1, v); break;
	case 5: write_sysreg(dbgwvr5_el1, v); break;
	case 6: write_sysreg(dbgwvr6_el1, v); break;
	case 7: write_sysreg(dbgwvr7_el1, v); break;
	case 8: write_sysreg(dbgwvr8_el1, v); break;
	case 9: write_sysreg(dbgwvr9_el1, v); break;
	case 10: write_sysreg(dbgwvr10_el1, v); break;
	case 11: write_sysreg(dbgwvr11_el1, v); break;
	case 12: write_sysreg(dbgwvr12_el1, v); break;
	case 13: write_sysreg(dbgwvr13_el1, v); break;
	case 14: write_sysreg(dbgwvr14_el1, v); break;
	case 15: write_sysreg(dbgwvr15_el1, v); break;
	}
}

void debug_clear(void)
{
	unsigned b = nr_brps(), w = nr_wrps();
	for (unsigned i = 0; i < b; i++)
		write_bcr(i, 0);
	for (unsigned i = 0; i < w; i++)
		write_wcr(i, 0);
	isb();
}

void debug_save(struct debug_regs *d)
{
	unsigned b = nr_brps(), w = nr_wrps();
	for (unsigned i = 0; i < b; i++) {
		d->bcr[i] = read_bcr(i);
		d->bvr[i] = read_bvr(i);
	}
	for (unsigned i = 0; i < w; i++) {
		d->wcr[i] = read_wcr(i);
		d->wvr[i] = read_wvr(i);
	}
}

void debug_restore(const struct debug_regs *d)
{
	unsigned b = nr_brps(), w = nr_wrps();
	for (unsigned i = 0; i < b; i++) {
		write_bvr(i, d->bvr[i]);
		write_bcr(i, d->bcr[i]);
	}
	for (unsigned i = 0; i < w; i++) {
		write_wvr(i, d->wvr[i]);
		write_wcr(i, d->wcr[i]);
	}
	isb();
}
