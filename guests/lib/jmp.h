/* Non-local return (jmp.S): the test runner's way back from a failed check or an unexpected
 * exception. */
#ifndef GUEST_JMP_H
#define GUEST_JMP_H

#include "base.h"

/* x19..x30, sp, d8..d15: what AAPCS64 says a callee preserves. */
struct jmp_ctx {
	uint64_t regs[21];
};

/* Returns 0 when called, and again with `val` (never 0) when jmp_restore is called. */
int jmp_save(struct jmp_ctx *ctx) __attribute__((returns_twice));
NORETURN void jmp_restore(struct jmp_ctx *ctx, int val);

#endif
