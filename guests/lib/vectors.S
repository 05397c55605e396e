/*
 * The EL1 vector table and the register save/restore around exc_handle().
 * Every slot saves x0/x1, puts its slot number in x0 and joins exc_common,
 * which saves the rest (general, ELR/SPSR, FP/SIMD: handlers are ordinary C
 * that may use FP/SIMD registers) into a struct exc_frame (exception.h).
 */
#include "exception.h"

	.macro	vector slot
	.balign	0x80
	sub	sp, sp, #EXC_FRAME_SIZE
	stp	x0, x1, [sp, #EXC_FRAME_X0]
	mov	x0, #\slot
	b	exc_common
	.endm

	.section .text.vectors, "ax"
	.balign	2048
	.globl	exc_vectors
exc_vectors:
	vector	0		/* current EL with SP_EL0: synchronous */
	vector	1		/* current EL with SP_EL0: IRQ */
	vector	2		/* current EL with SP_EL0: FIQ */
	vector	3		/* current EL with SP_EL0: SError */
	vector	4		/* current EL with SP_EL1: synchronous */
	vector	5		/* current EL with SP_EL1: IRQ */
	vector	6		/* current EL with SP_EL1: FIQ */
	vector	7		/* current EL with SP_EL1: SError */
	vector	8		/* lower EL, AArch64: synchronous */
	vector	9		/* lower EL, AArch64: IRQ */
	vector	10		/* lower EL, AArch64: FIQ */
	vector	11		/* lower EL, AArch64: SError */
	vector	12		/* lower EL, AArch32: synchronous */
	vector	13		/* lower EL, AArch32: IRQ */
	vector	14		/* lower EL, AArch32: FIQ */
	vector	15		/* lower EL, AArch32: SError */

exc_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	add	x1, sp, #EXC_FRAME_SIZE
	stp	x30, x1, [sp, #EXC_FRAME_X30]	/* x30 and the interrupted SP */
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #EXC_FRAME_ELR]
	mrs	x2, fpsr
	mrs	x3, fpcr
	stp	x2, x3, [sp, #EXC_FRAME_FPSR]
	add	x2, sp, #EXC_FRAME_Q0
	stp	q0, q1, [x2, #0]
	stp	q2, q3, [x2, #32]
	stp	q4, q5, [x2, #64]
	stp	q6, q7, [x2, #96]
	stp	q8, q9, [x2, #128]
	stp	q10, q11, [x2, #160]
	stp	q12, q13, [x2, #192]
	stp	q14, q15, [x2, #224]
	stp	q16, q17, [x2, #256]
	stp	q18, q19, [x2, #288]
	stp	q20, q21, [x2, #320]
	stp	q22, q23, [x2, #352]
	stp	q24, q25, [x2, #384]
	stp	q26, q27, [x2, #416]
	stp	q28, q29, [x2, #448]
	stp	q30, q31, [x2, #480]

	mov	x1, sp
	bl	exc_handle			/* (slot, frame) */

	add	x2, sp, #EXC_FRAME_Q0
	ldp	q0, q1, [x2, #0]
	ldp	q2, q3, [x2, #32]
	ldp	q4, q5, [x2, #64]
	ldp	q6, q7, [x2, #96]
	ldp	q8, q9, [x2, #128]
	ldp	q10, q11, [x2, #160]
	ldp	q12, q13, [x2, #192]
	ldp	q14, q15, [x2, #224]
	ldp	q16, q17, [x2, #256]
	ldp	q18, q19, [x2, #288]
	ldp	q20, q21, [x2, #320]
	ldp	q22, q23, [x2, #352]
	ldp	q24, q25, [x2, #384]
	ldp	q26, q27, [x2, #416]
	ldp	q28, q29, [x2, #448]
	ldp	q30, q31, [x2, #480]
	ldp	x2, x3, [sp, #EXC_FRAME_FPSR]
	msr	fpsr, x2
	msr	fpcr, x3
	ldp	x2, x3, [sp, #EXC_FRAME_ELR]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #EXC_FRAME_X30]
	add	sp, sp, #EXC_FRAME_SIZE
	eret

/*
 * fault_exec_at(addr): branch to addr with the caller's return address still
 * in x30. If the fetch faults, fault.c resumes at fault_exec_resume, which
 * returns to the caller; if addr holds code that returns, it returns there too.
 */
	.text
	.globl	fault_exec_at
	.type	fault_exec_at, %function
fault_exec_at:
	br	x0
	.globl	fault_exec_resume
fault_exec_resume:
	ret
	.size	fault_exec_at, . - fault_exec_at
