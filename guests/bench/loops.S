/*
 * The measured code of the benchmark guest: loops whose instruction
 * sequences are exactly what the figures count, a vector table whose IRQ
 * slot costs one branch, and the interrupt handlers the one-shot
 * measurements end in. See bench.h for the method.
 *
 * Register use (none of it survives a call; the C side only calls these):
 *   x8  start timestamp       x9  loop counter      x10-x12  operands
 *   x13 IRQ handler address   x14 timestamp taken by a handler
 *   x15 INTID a handler acknowledged (0: no handler has run yet)
 */
#include "bench.h"

/* For macro arguments, which are strings the C preprocessor does not expand. */
	.equ	cntv_ctl_enable, CNTV_CTL_ENABLE

/*
 * BENCH_LOOP name, setup, body: uint64_t bench_<name>(n, a1, a2).
 * Runs setup once, then body n times (n > 0) between two reads of the
 * virtual counter, and returns the ticks in between. `body` and `setup`
 * are ';'-separated instructions; they see the arguments in x0..x2.
 * Counter reads are not ordered with earlier instructions without an ISB
 * (ARM ARM, CNTVCT_EL0).
 */
	.macro	BENCH_LOOP name, setup, body
	.text
	.globl	bench_\name
	.type	bench_\name, %function
	.balign	64
bench_\name:
	mov	x9, x0
	\setup
	isb
	mrs	x8, cntvct_el0
1:	\body
	subs	x9, x9, #1
	b.ne	1b
	isb
	mrs	x11, cntvct_el0
	sub	x0, x11, x8
	ret
	.size	bench_\name, . - bench_\name
	.endm

/* SMCCC over HVC (DEN0028 2.5): function id in w0, result in x0. a1 = the id. */
BENCH_LOOP hvc_empty, "mov x10, x1", "mov x0, x10; nop"
BENCH_LOOP hvc, "mov x10, x1", "mov x0, x10; hvc #0"

/* Trapped MMIO: a1 = the register's address. A write stores the register's own value back. */
BENCH_LOOP mmio_empty, "mov x10, x1", "nop"
BENCH_LOOP mmio_read, "mov x10, x1", "ldr w11, [x10]"
BENCH_LOOP mmio_write, "mov x10, x1; ldr w11, [x10]", "str w11, [x10]"

/*
 * Virtual IPI to self: a1 = the ICC_SGI1R_EL1 value, a2 = the IRQ handler
 * (bench_irq_ack). IRQs are unmasked: the SGI is taken right after the
 * trapped write returns, before the next instruction of the loop.
 */
BENCH_LOOP sgi_empty, "mov x10, x1; mov x13, x2", "nop"
BENCH_LOOP sgi, "mov x10, x1; mov x13, x2", "msr icc_sgi1r_el1, x10"

/*
 * VM switch ping-pong: a1 = timer delay in ticks. Each iteration arms the
 * virtual timer a1 ticks ahead (CNTV_CTL_EL0.ENABLE, IMASK clear), waits
 * in WFI, then acknowledges and completes the timer interrupt with IRQs
 * masked (polled through ICC_IAR1_EL1; a spurious 1023 when nothing fired,
 * whose EOI is ignored, GIC spec 12.2.9). The empty loop has a NOP for the WFI.
 */
BENCH_LOOP wfi_empty, "mov x10, x1; mov x12, #cntv_ctl_enable", \
	"mrs x11, cntvct_el0; add x11, x11, x10; msr cntv_cval_el0, x11; msr cntv_ctl_el0, x12; nop; mrs x15, icc_iar1_el1; msr icc_eoir1_el1, x15"
BENCH_LOOP wfi, "mov x10, x1; mov x12, #cntv_ctl_enable", \
	"mrs x11, cntvct_el0; add x11, x11, x10; msr cntv_cval_el0, x11; msr cntv_ctl_el0, x12; wfi; mrs x15, icc_iar1_el1; msr icc_eoir1_el1, x15"

/* IRQ handler of the SGI loop: acknowledge, complete (EOImode 0), return. */
	.text
	.globl	bench_irq_ack
	.type	bench_irq_ack, %function
bench_irq_ack:
	mrs	x15, icc_iar1_el1
	msr	icc_eoir1_el1, x15
	eret
	.size	bench_irq_ack, . - bench_irq_ack

/*
 * void bench_timer_shot(uint64_t handler, uint64_t cval, struct bench_shot *out)
 * Arms the virtual timer for cval, spins with IRQs unmasked until the
 * handler has run (it sets x15 to the INTID it acknowledged), and stores
 * the counter value the handler read and that INTID.
 */
	.globl	bench_timer_shot
	.type	bench_timer_shot, %function
bench_timer_shot:
	mov	x13, x0
	mov	x15, #0
	msr	cntv_cval_el0, x1
	mov	x12, #CNTV_CTL_ENABLE
	msr	cntv_ctl_el0, x12
	isb
	msr	daifclr, #2
1:	cbz	x15, 1b
	msr	daifset, #2
	stp	x14, x15, [x2]
	ret
	.size	bench_timer_shot, . - bench_timer_shot

/*
 * Timer interrupt handlers for bench_timer_shot, entered from the IRQ
 * vector's `br x13`. Entry point bench_shot_<kind> - 4 * j runs j NOPs
 * first (0 <= j < BENCH_DITHER), which moves the counter read j
 * instructions later (bench.c, "dithering").
 *   plain: the counter read comes first; acknowledge and EOI after it.
 *   ack:   acknowledge and EOI the timer interrupt, then read the counter.
 * Both stop the timer (CNTV_CTL_EL0 = 0) before returning.
 */
	.macro	SHOT_HANDLER kind, window_before, window_after
	.text
	.balign	64
	.rept	BENCH_DITHER - 1
	nop
	.endr
	.globl	bench_shot_\kind
	.type	bench_shot_\kind, %function
bench_shot_\kind:
	\window_before
	isb
	mrs	x14, cntvct_el0
	\window_after
	msr	cntv_ctl_el0, xzr
	mov	x15, x12
	eret
	.size	bench_shot_\kind, . - bench_shot_\kind
	.endm

SHOT_HANDLER plain, "", "mrs x12, icc_iar1_el1; msr icc_eoir1_el1, x12"
SHOT_HANDLER ack, "mrs x12, icc_iar1_el1; msr icc_eoir1_el1, x12", ""

/*
 * The EL1 vector table used while a measurement runs (ARM ARM D1.10.2:
 * 16 slots of 0x80 bytes, VBAR_EL1 2 KiB aligned). The IRQ slot for the
 * current EL with SP_ELx jumps to the handler in x13; every other slot
 * goes to the same slot of the guest library's table, which reports it.
 */
	.macro	LIB_SLOT n
	.balign	0x80
	b	exc_vectors + 0x80 * \n
	.endm

	.section .text.vectors, "ax"
	.balign	2048
	.globl	bench_vectors
bench_vectors:
	LIB_SLOT 0		/* current EL, SP_EL0: synchronous */
	LIB_SLOT 1		/* current EL, SP_EL0: IRQ */
	LIB_SLOT 2		/* current EL, SP_EL0: FIQ */
	LIB_SLOT 3		/* current EL, SP_EL0: SError */
	LIB_SLOT 4		/* current EL, SP_ELx: synchronous */
	.balign	0x80		/* current EL, SP_ELx: IRQ */
	br	x13
	LIB_SLOT 6		/* current EL, SP_ELx: FIQ */
	LIB_SLOT 7		/* current EL, SP_ELx: SError */
	LIB_SLOT 8		/* lower EL, AArch64: synchronous */
	LIB_SLOT 9		/* lower EL, AArch64: IRQ */
	LIB_SLOT 10		/* lower EL, AArch64: FIQ */
	LIB_SLOT 11		/* lower EL, AArch64: SError */
	LIB_SLOT 12		/* lower EL, AArch32: synchronous */
	LIB_SLOT 13		/* lower EL, AArch32: IRQ */
	LIB_SLOT 14		/* lower EL, AArch32: FIQ */
	LIB_SLOT 15		/* lower EL, AArch32: SError */
