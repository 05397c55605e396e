/*
 * Unit tests for arch/aarch64/dabt.c: decoding a data abort's syndrome and
 * extending a loaded value. The ISS bit positions are spelled out here from
 * the ARM ARM (D13.2.37, ESR_EL2, "ISS encoding for an exception from a
 * Data Abort") rather than taken from esr.h, so a wrong field there fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arch/aarch64/dabt.h"

#define EC_DABT_LOWER (0x24ULL << 26)
#define IL (1ULL << 25)
#define ISV (1ULL << 24)
#define SAS(n) ((uint64_t)(n) << 22) /* 0: byte, 1: halfword, 2: word, 3: doubleword */
#define SSE (1ULL << 21)
#define SRT(n) ((uint64_t)(n) << 16)
#define SF (1ULL << 15)
#define AR (1ULL << 14)
#define VNCR (1ULL << 13)
#define FNV (1ULL << 10)
#define EA (1ULL << 9)
#define CM (1ULL << 8)
#define S1PTW (1ULL << 7)
#define WNR (1ULL << 6)
#define DFSC_TRANS_L3 0x07ULL /* translation fault, level 3 */

/* A stage-2 translation fault from a lower EL with a valid syndrome. */
#define DABT (EC_DABT_LOWER | IL | ISV | DFSC_TRANS_L3)

#define IPA 0x09000018ULL

/* Decodes esr and asserts it succeeds; the result starts as garbage. */
static struct mmio_access decode(uint64_t esr)
{
	struct mmio_access a;

	memset(&a, 0xA5, sizeof(a));
	assert_true(dabt_decode(esr, IPA, &a));
	assert_int_equal(a.ipa, IPA);
	return a;
}

static void test_sizes(void **state)
{
	static const unsigned want[] = {1, 2, 4, 8};

	for (unsigned sas = 0; sas < 4; sas++) {
		struct mmio_access a = decode(DABT | SAS(sas) | SRT(3));

		assert_int_equal(a.size, want[sas]);
		assert_false(a.write);
		assert_false(a.sign_extend);
		assert_false(a.reg64);
		assert_int_equal(a.reg, 3);
	}
}

static void test_all_clear(void **state)
{
	struct mmio_access a = decode(DABT);

	assert_int_equal(a.size, 1);
	assert_false(a.write);
	assert_false(a.sign_extend);
	assert_false(a.reg64);
	assert_int_equal(a.reg, 0);
}

/* Each flag on its own sets its field alone. */
static void test_sse(void **state)
{
	struct mmio_access a = decode(DABT | SAS(1) | SSE);

	assert_true(a.sign_extend);
	assert_false(a.write);
	assert_false(a.reg64);
	assert_int_equal(a.size, 2);
	assert_int_equal(a.reg, 0);
}

static void test_sf(void **state)
{
	struct mmio_access a = decode(DABT | SAS(3) | SF);

	assert_true(a.reg64);
	assert_false(a.sign_extend);
	assert_false(a.write);
	assert_int_equal(a.size, 8);
	assert_int_equal(a.reg, 0);
}

static void test_wnr(void **state)
{
	struct mmio_access a = decode(DABT | SAS(2) | WNR);

	assert_true(a.write);
	assert_false(a.sign_extend);
	assert_false(a.reg64);
	assert_int_equal(a.size, 4);
	assert_int_equal(a.reg, 0);
}

/* Every transfer register, 31 being XZR/WZR for a store or a load that is discarded. */
static void test_every_register(void **state)
{
	for (unsigned r = 0; r < 32; r++) {
		struct mmio_access a = decode(DABT | SAS(2) | SRT(r) | WNR);

		assert_int_equal(a.reg, r);
		assert_int_equal(a.size, 4);
		assert_true(a.write);
		assert_false(a.reg64);
		assert_false(a.sign_extend);
	}
	assert_int_equal(decode(DABT | SRT(31) | SF | SSE | SAS(3) | WNR).reg, 31);
}

/* LDRSH x17, [x0]: every field at once. */
static void test_all_set(void **state)
{
	struct mmio_access a = decode(DABT | SAS(1) | SSE | SRT(17) | SF);

	assert_int_equal(a.size, 2);
	assert_true(a.sign_extend);
	assert_true(a.reg64);
	assert_false(a.write);
	assert_int_equal(a.reg, 17);
}

/* AR, VNCR, FnV, EA, CM, the fault status, IL, EC and RES0 bits do not change the access. */
static void test_other_bits_ignored(void **state)
{
	const uint64_t noise = AR | VNCR | FNV | EA | CM | 0x3FULL | (0xFFFFFFFFULL << 32);
	struct mmio_access a = decode(DABT | noise | SAS(2) | SRT(5));

	assert_int_equal(a.size, 4);
	assert_int_equal(a.reg, 5);
	assert_false(a.write);
	assert_false(a.sign_extend);
	assert_false(a.reg64);
}

static void test_no_valid_syndrome(void **state)
{
	struct mmio_access a;

	/* ISV = 0: e.g. LDP, or a load with writeback; the other fields are not valid. */
	assert_false(dabt_decode(DABT & ~ISV, IPA, &a));
	assert_false(dabt_decode((DABT & ~ISV) | SAS(2) | SRT(4) | SF | WNR, IPA, &a));
	assert_false(dabt_decode(0, IPA, &a));
}

static void test_stage1_walk_refused(void **state)
{
	struct mmio_access a;

	/* A fault on the guest's own table walk is not a device access. */
	assert_false(dabt_decode(DABT | S1PTW, IPA, &a));
	assert_false(dabt_decode(DABT | S1PTW | SAS(3) | SF | SRT(1), IPA, &a));
	assert_false(dabt_decode(DABT | S1PTW | WNR, IPA, &a));
}

struct load_case {
	unsigned size;
	bool sse, sf;
	uint64_t raw, want;
	const char *insn;
};

static const struct load_case loads[] = {
    /* zero extension into W and X */
    {1, false, false, 0x80, 0x80, "LDRB w"},
    {1, false, false, 0xFF, 0xFF, "LDRB w"},
    {2, false, false, 0xFFFF, 0xFFFF, "LDRH w"},
    {2, false, true, 0xFFFF, 0xFFFF, "LDRH (x view)"},
    {4, false, false, 0xFFFFFFFF, 0xFFFFFFFF, "LDR w"},
    {4, false, true, 0x80000000, 0x80000000, "LDR w (x view)"},
    {8, false, true, 0x8000000000000000ULL, 0x8000000000000000ULL, "LDR x"},
    {8, false, true, 0xFFFFFFFFFFFFFFFFULL, 0xFFFFFFFFFFFFFFFFULL, "LDR x"},
    /* sign extension into W */
    {1, true, false, 0x80, 0xFFFFFF80, "LDRSB w"},
    {1, true, false, 0x7F, 0x7F, "LDRSB w"},
    {1, true, false, 0xFF, 0xFFFFFFFF, "LDRSB w"},
    {2, true, false, 0x8000, 0xFFFF8000, "LDRSH w"},
    {2, true, false, 0x7FFF, 0x7FFF, "LDRSH w"},
    /* sign extension into X */
    {1, true, true, 0x80, 0xFFFFFFFFFFFFFF80ULL, "LDRSB x"},
    {1, true, true, 0x7F, 0x7F, "LDRSB x"},
    {2, true, true, 0x8000, 0xFFFFFFFFFFFF8000ULL, "LDRSH x"},
    {2, true, true, 0x1234, 0x1234, "LDRSH x"},
    {4, true, true, 0x80000000, 0xFFFFFFFF80000000ULL, "LDRSW x"},
    {4, true, true, 0x7FFFFFFF, 0x7FFFFFFF, "LDRSW x"},
    /* bits the device returned above the access width are dropped */
    {1, false, false, 0xABCD, 0xCD, "LDRB w, wide raw"},
    {1, true, true, 0xFF7F, 0x7F, "LDRSB x, wide raw"},
    {1, true, false, 0x1280, 0xFFFFFF80, "LDRSB w, wide raw"},
    {2, false, true, 0xFFFFFFFF12345678ULL, 0x5678, "LDRH, wide raw"},
    {4, false, false, 0x123456789ULL, 0x23456789, "LDR w, wide raw"},
    {4, false, true, 0xFFFFFFFF00000001ULL, 0x1, "LDR w (x view), wide raw"},
    {4, true, true, 0x1FFFFFFFEULL, 0xFFFFFFFFFFFFFFFEULL, "LDRSW x, wide raw"},
    /* SSE with SAS = 3 has no instruction, but a syndrome can say so: no change. */
    {8, true, true, 0x8000000000000000ULL, 0x8000000000000000ULL, "SSE doubleword"},
    {8, true, false, 0xFFFFFFFF80000000ULL, 0x80000000, "SSE doubleword, w"},
};

static void test_load_value(void **state)
{
	for (unsigned i = 0; i < sizeof(loads) / sizeof(loads[0]); i++) {
		const struct load_case *c = &loads[i];
		struct mmio_access a = {
		    .ipa = IPA, .size = c->size, .sign_extend = c->sse, .reg64 = c->sf, .reg = 1};
		uint64_t got = dabt_load_value(&a, c->raw);

		if (got != c->want)
			fail_msg("case %u (%s): raw %#llx gave %#llx, want %#llx", i, c->insn,
				 (unsigned long long)c->raw, (unsigned long long)got,
				 (unsigned long long)c->want);
	}
}

/* From the syndrome of a real instruction to the value its register gets. */
static void test_decode_then_load(void **state)
{
	/* LDRSB w2, [x0]: SAS = 0, SSE = 1, SF = 0 */
	struct mmio_access a = decode(DABT | SAS(0) | SSE | SRT(2));

	assert_int_equal(dabt_load_value(&a, 0x80), 0xFFFFFF80);
	/* LDRSB x2, [x0]: SF = 1 */
	a = decode(DABT | SAS(0) | SSE | SRT(2) | SF);
	assert_int_equal(dabt_load_value(&a, 0x80), 0xFFFFFFFFFFFFFF80ULL);
	/* LDRH w3, [x0] */
	a = decode(DABT | SAS(1) | SRT(3));
	assert_int_equal(dabt_load_value(&a, 0xFFFF), 0xFFFF);
	/* LDRSW x4, [x0] */
	a = decode(DABT | SAS(2) | SSE | SRT(4) | SF);
	assert_int_equal(dabt_load_value(&a, 0xFFFFFFFE), 0xFFFFFFFFFFFFFFFEULL);
	/* LDR x5, [x0] */
	a = decode(DABT | SAS(3) | SRT(5) | SF);
	assert_int_equal(dabt_load_value(&a, 0x0123456789ABCDEFULL), 0x0123456789ABCDEFULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sizes),
	    cmocka_unit_test(test_all_clear),
	    cmocka_unit_test(test_sse),
	    cmocka_unit_test(test_sf),
	    cmocka_unit_test(test_wnr),
	    cmocka_unit_test(test_every_register),
	    cmocka_unit_test(test_all_set),
	    cmocka_unit_test(test_other_bits_ignored),
	    cmocka_unit_test(test_no_valid_syndrome),
	    cmocka_unit_test(test_stage1_walk_refused),
	    cmocka_unit_test(test_load_value),
	    cmocka_unit_test(test_decode_then_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
