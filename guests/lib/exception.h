/*
 * EL1 exception entry. vectors.S saves the interrupted context into a
 * struct exc_frame on the current stack and calls exc_handle(); whatever the
 * handler leaves in the frame (ELR, SPSR, registers) is what eret resumes.
 * The EXC_FRAME_* offsets are used by vectors.S and checked against the
 * struct in exception.c.
 */
#ifndef GUEST_EXCEPTION_H
#define GUEST_EXCEPTION_H

#define EXC_FRAME_X0 0
#define EXC_FRAME_X30 240
#define EXC_FRAME_ELR 256
#define EXC_FRAME_FPSR 272
#define EXC_FRAME_Q0 288
#define EXC_FRAME_SIZE 800

/* Vector slot = 4 * source + type (ARM ARM, "Exception vectors": VBAR_EL1 + 0x80 * slot). */
#define EXC_SRC_CUR_SP0 0
#define EXC_SRC_CUR_SPX 1
#define EXC_SRC_LOWER_A64 2
#define EXC_SRC_LOWER_A32 3
#define EXC_TYPE_SYNC 0
#define EXC_TYPE_IRQ 1
#define EXC_TYPE_FIQ 2
#define EXC_TYPE_SERROR 3

#ifndef __ASSEMBLER__
#include "base.h"

struct exc_frame {
	uint64_t x[31];
	uint64_t sp; /* SP_EL1 before the exception */
	uint64_t elr;
	uint64_t spsr;
	uint64_t fpsr, fpcr;
	__uint128_t q[32];
};

/* ESR_ELx (ARM ARM, ESR_EL1): exception class and data/instruction fault status. */
#define ESR_EC(esr) ((unsigned)FIELD_GET(GENMASK(31, 26), esr))
#define ESR_FSC(esr) ((unsigned)((esr)&0x3f))
#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_HVC64 0x16
#define ESR_EC_IABT_LOWER 0x20
#define ESR_EC_IABT_CUR 0x21
#define ESR_EC_DABT_LOWER 0x24
#define ESR_EC_DABT_CUR 0x25
#define ESR_EC_SERROR 0x2f
/* DFSC/IFSC 0b010000: synchronous external abort, not on a table walk. */
#define ESR_FSC_SEA 0x10

/* SPSR for resuming at EL1h with D, A, I and F masked (ARM ARM, SPSR_EL1: M = 0b0101, DAIF = 0xf).
 */
#define SPSR_EL1H_MASKED 0x3c5

extern char exc_vectors[];
void exc_handle(unsigned slot, struct exc_frame *f);
#endif

#endif
