/*
 * fpsimd: the FP/SIMD registers (V0-V31, FPCR) are the guest's own. Run two
 * of these VMs on one physical CPU: each loads its own pattern, gives the
 * CPU away (WFE, and a spin long enough to cross time slices), and checks
 * that every register still holds its pattern.
 */
#include "guest.h"

#define ROUNDS 100

static uint64_t in[64] __attribute__((aligned(16)));
static uint64_t out[64] __attribute__((aligned(16)));

/* Load V0-V31 and FPCR, yield, store them back: one asm block, so nothing else touches them. */
static void load_yield_store(uint64_t fpcr_in, uint64_t *fpcr_out)
{
	uint64_t f;
	__asm__ volatile(
		"msr fpcr, %[fi]\n"
		"ldp q0, q1, [%[in], #0]\n ldp q2, q3, [%[in], #32]\n"
		"ldp q4, q5, [%[in], #64]\n ldp q6, q7, [%[in], #96]\n"
		"ldp q8, q9, [%[in], #128]\n ldp q10, q11, [%[in], #160]\n"
		"ldp q12, q13, [%[in], #192]\n ldp q14, q15, [%[in], #224]\n"
		"ldp q16, q17, [%[in], #256]\n ldp q18, q19, [%[in], #288]\n"
		"ldp q20, q21, [%[in], #320]\n ldp q22, q23, [%[in], #352]\n"
		"ldp q24, q25, [%[in], #384]\n ldp q26, q27, [%[in], #416]\n"
		"ldp q28, q29, [%[in], #448]\n ldp q30, q31, [%[in], #480]\n"
		"mov x9, #20\n"
		"1: wfe\n sub x9, x9, #1\n cbnz x9, 1b\n"
		"mov x9, #0x100000\n"
		"2: subs x9, x9, #1\n b.ne 2b\n"
		"stp q0, q1, [%[out], #0]\n stp q2, q3, [%[out], #32]\n"
		"stp q4, q5, [%[out], #64]\n stp q6, q7, [%[out], #96]\n"
		"stp q8, q9, [%[out], #128]\n stp q10, q11, [%[out], #160]\n"
		"stp q12, q13, [%[out], #192]\n stp q14, q15, [%[out], #224]\n"
		"stp q16, q17, [%[out], #256]\n stp q18, q19, [%[out], #288]\n"
		"stp q20, q21, [%[out], #320]\n stp q22, q23, [%[out], #352]\n"
		"stp q24, q25, [%[out], #384]\n stp q26, q27, [%[out], #416]\n"
		"stp q28, q29, [%[out], #448]\n stp q30, q31, [%[out], #480]\n"
		"mrs %[fo], fpcr\n"
		: [fo] "=r"(f)
		: [in] "r"(in), [out] "r"(out), [fi] "r"(fpcr_in)
		: "x9", "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10",
		  "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22",
		  "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31");
	*fpcr_out = f;
}

TEST(fpsimd_survives_switches)
{
	/* Two VMs start at different times: the counter makes their patterns differ. */
	uint64_t seed = timer_count() | 1;
	/* FPCR.RMode [23:22] and FZ [24]: ARM ARM C5.2.8. */
	uint64_t fpcr = ((seed >> 4) & 3) << 22 | ((seed >> 6) & 1) << 24;

	for (unsigned round = 0; round < ROUNDS; round++) {
		uint64_t got;
		for (unsigned i = 0; i < 64; i++)
			in[i] = (seed + round) * 0x9E3779B97F4A7C15ULL ^ ((uint64_t)i << 56);
		load_yield_store(fpcr, &got);
		for (unsigned i = 0; i < 64; i++)
			CHECK_MSG(out[i] == in[i], "round %u: V%u[%u] %lx, expected %lx", round, i / 2,
				  i % 2, out[i], in[i]);
		CHECK_MSG(got == fpcr, "round %u: FPCR %lx, expected %lx", round, got, fpcr);
	}
	__asm__ volatile("msr fpcr, xzr");
}
