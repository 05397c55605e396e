/*
 * EL2 exception vectors and the guest entry/exit paths (ARM ARM D1.10.2,
 * "Exception vectors": 16 slots of 0x80 bytes, VBAR_EL2 2 KiB aligned).
 * TPIDR_EL2 holds the running vCPU; its struct vcpu_regs is where guest
 * x0-x30, ELR and SPSR are saved. Everything else is done in C, except the
 * SMCCC calls whose answer is a constant (smccc_fast below).
 */
#include "arch/aarch64/esr.h"
#include "asm-offsets.h"

	.section .text.vectors, "ax"
	.balign	2048
	.globl	el2_vectors
el2_vectors:
	b	hyp_exception		/* 0x000 current EL, SP_EL0: synchronous */
	.balign	0x80
	b	hyp_exception		/* 0x080 current EL, SP_EL0: IRQ */
	.balign	0x80
	b	hyp_exception		/* 0x100 current EL, SP_EL0: FIQ */
	.balign	0x80
	b	hyp_exception		/* 0x180 current EL, SP_EL0: SError */
	.balign	0x80
	b	hyp_exception		/* 0x200 current EL, SP_EL2: synchronous */
	.balign	0x80
	b	hyp_exception		/* 0x280 current EL, SP_EL2: IRQ (never unmasked) */
	.balign	0x80
	b	hyp_exception		/* 0x300 current EL, SP_EL2: FIQ */
	.balign	0x80
	b	hyp_exception		/* 0x380 current EL, SP_EL2: SError */
	.balign	0x80
	stp	x1, x0, [sp, #-16]!	/* 0x400 lower EL, AArch64: synchronous */
	mrs	x1, esr_el2
	ubfx	x1, x1, #ESR_EC_SHIFT + 1, #5
	cmp	x1, #EC_HVC64 >> 1	/* EC 0x16 (HVC64) or 0x17 (SMC64) */
	b.eq	smccc_fast
	cmp	x1, #EC_DABT_LOW >> 1	/* EC 0x24: data abort from EL1/EL0 */
	b.eq	dabt_fast
	b	guest_sync
	.balign	0x80
	b	guest_irq		/* 0x480 lower EL, AArch64: IRQ */
	.balign	0x80
	b	guest_irq		/* 0x500 lower EL, AArch64: FIQ (routed like IRQ) */
	.balign	0x80
	b	guest_serror		/* 0x580 lower EL, AArch64: SError */
	.balign	0x80
	b	hyp_exception		/* 0x600 lower EL, AArch32: synchronous (EL1 is AArch64 only) */
	.balign	0x80
	b	hyp_exception		/* 0x680 lower EL, AArch32: IRQ */
	.balign	0x80
	b	hyp_exception		/* 0x700 lower EL, AArch32: FIQ */
	.balign	0x80
	b	hyp_exception		/* 0x780 lower EL, AArch32: SError */

/* x2-x17 of the guest to, or from, the vCPU at \base. */
.macro save_x2_x17 base
	stp	x2, x3, [\base, #VCPU_X2 + 0]
	stp	x4, x5, [\base, #VCPU_X2 + 16]
	stp	x6, x7, [\base, #VCPU_X2 + 32]
	stp	x8, x9, [\base, #VCPU_X2 + 48]
	stp	x10, x11, [\base, #VCPU_X2 + 64]
	stp	x12, x13, [\base, #VCPU_X2 + 80]
	stp	x14, x15, [\base, #VCPU_X2 + 96]
	stp	x16, x17, [\base, #VCPU_X2 + 112]
.endm

.macro load_x2_x17 base
	ldp	x2, x3, [\base, #VCPU_X2 + 0]
	ldp	x4, x5, [\base, #VCPU_X2 + 16]
	ldp	x6, x7, [\base, #VCPU_X2 + 32]
	ldp	x8, x9, [\base, #VCPU_X2 + 48]
	ldp	x10, x11, [\base, #VCPU_X2 + 64]
	ldp	x12, x13, [\base, #VCPU_X2 + 80]
	ldp	x14, x15, [\base, #VCPU_X2 + 96]
	ldp	x16, x17, [\base, #VCPU_X2 + 112]
.endm

/*
 * Save the guest's general registers into the running vCPU; x0 = the vCPU.
 * The guest's x1 and x0 are already on the stack, in that order (what
 * every vector does first: it needs a register to work with).
 */
.macro save_guest_regs
	mrs	x0, tpidr_el2
	save_x2_x17 x0
	stp	x18, x19, [x0, #VCPU_X2 + 128]
	stp	x20, x21, [x0, #VCPU_X2 + 144]
	stp	x22, x23, [x0, #VCPU_X2 + 160]
	stp	x24, x25, [x0, #VCPU_X2 + 176]
	stp	x26, x27, [x0, #VCPU_X2 + 192]
	stp	x28, x29, [x0, #VCPU_X2 + 208]
	ldp	x3, x2, [sp], #16	/* the guest's x1, x0 */
	stp	x2, x3, [x0, #VCPU_X0]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x30, x2, [x0, #VCPU_X30]	/* x30, then ELR right after it */
	str	x3, [x0, #VCPU_ELR + 8]
.endm

	.text
/*
 * SMCCC calls answered here, without saving the guest's registers or
 * entering C: PSCI_VERSION and SMCCC_VERSION (both 1.1), and every id
 * outside the two services facet implements, which gets NOT_SUPPORTED.
 * That is what smccc_call (core/psci.c) answers for them, and it changes
 * nothing else, so run_resume would have nothing to do: a time slice that
 * ends meanwhile, or a kick from another CPU, is an EL2 interrupt that is
 * pending and taken as soon as the guest runs again.
 * Ids of the Arm Architecture service (OEN 0: SMCCC_VERSION, _ARCH_*) and
 * of the Standard Secure service (OEN 4: PSCI) go to smccc_call. It must
 * be the only place that implements SMCCC calls: a service added to
 * core/psci.c needs its OEN added here. Function id layout: SMCCC (DEN0028)
 * 2.5; owning entity numbers: DEN0028 6.1; the values: include/abi/psci.h.
 * On entry the guest's x1, x0 are on the stack, w0 is the function id.
 */
smccc_fast:
	movz	w1, #0x8400, lsl #16	/* PSCI_0_2_VERSION, 0x84000000 */
	cmp	w0, w1
	movz	w1, #0x8000, lsl #16	/* SMCCC_VERSION, 0x80000000 */
	ccmp	w0, w1, #4, ne		/* Z: one of the two */
	b.eq	1f
	ubfx	w1, w0, #24, #6		/* OEN, bits [29:24] */
	cmp	w1, #0			/* Arm Architecture service */
	ccmp	w1, #4, #4, ne		/* Standard Secure service */
	b.eq	guest_sync		/* the C path */
	mov	x0, #-1			/* SMCCC_RET_NOT_SUPPORTED */
	b	2f
1:	movz	x0, #1			/* PSCI_VERSION_1_1 = SMCCC_VERSION_1_1 = 0x10001 */
	movk	x0, #1, lsl #16
2:	mrs	x1, esr_el2
	tbz	x1, #ESR_EC_SHIFT, 3f	/* EC bit 0: 0 for HVC64, 1 for SMC64 */
	/* A trapped SMC returns to the SMC itself (ARM ARM D1.10.4): step over it. */
	mrs	x1, elr_el2
	add	x1, x1, #4
	msr	elr_el2, x1
3:	ldr	x1, [sp], #16
	eret
	dsb	nsh			/* no speculation past ERET */
	isb

/*
 * Data aborts, most of them accesses to an emulated device. The C handler
 * trap_mmio_fast preserves x19-x29 (AAPCS64 callee-saved), so only the
 * caller-saved registers x0-x18 and x30 are saved for it, and restored on
 * the way back: the guest's x19-x29 never leave their registers. When it
 * cannot finish the access (an access through x19-x29, no syndrome, no
 * device there: an abort for the guest), the rest is saved and the
 * ordinary path runs. On entry the guest's x1, x0 are on the stack.
 */
dabt_fast:
	mrs	x0, tpidr_el2
	save_x2_x17 x0
	str	x18, [x0, #VCPU_X2 + 128]
	str	x30, [x0, #VCPU_X30]
	ldp	x3, x2, [sp], #16	/* the guest's x1, x0 */
	stp	x2, x3, [x0, #VCPU_X0]
	bl	trap_mmio_fast		/* true: done, same vCPU, ELR_EL2 stepped */
	mrs	x30, tpidr_el2
	cbz	w0, 1f
	ldp	x0, x1, [x30, #VCPU_X0]
	load_x2_x17 x30
	ldr	x18, [x30, #VCPU_X2 + 128]
	ldr	x30, [x30, #VCPU_X30]
	eret
	dsb	nsh
	isb
1:	mov	x0, x30			/* the slow way: save the rest as guest_sync does */
	stp	x18, x19, [x0, #VCPU_X2 + 128]
	stp	x20, x21, [x0, #VCPU_X2 + 144]
	stp	x22, x23, [x0, #VCPU_X2 + 160]
	stp	x24, x25, [x0, #VCPU_X2 + 176]
	stp	x26, x27, [x0, #VCPU_X2 + 192]
	stp	x28, x29, [x0, #VCPU_X2 + 208]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	str	x2, [x0, #VCPU_ELR]
	str	x3, [x0, #VCPU_ELR + 8]
	bl	trap_guest_sync
	b	guest_enter

guest_sync:
	save_guest_regs
	bl	trap_guest_sync		/* returns the vCPU to run */
	b	guest_enter

guest_irq:
	stp	x1, x0, [sp, #-16]!
	save_guest_regs
	bl	trap_guest_irq
	b	guest_enter

guest_serror:
	stp	x1, x0, [sp, #-16]!
	save_guest_regs
	bl	trap_guest_serror
	b	guest_enter

/* Enter (or return to) the guest on vCPU x0: restore its registers and ERET. */
	.globl	guest_enter
guest_enter:
	msr	tpidr_el2, x0
	ldp	x30, x2, [x0, #VCPU_X30]
	ldr	x3, [x0, #VCPU_ELR + 8]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	load_x2_x17 x0
	ldp	x18, x19, [x0, #VCPU_X2 + 128]
	ldp	x20, x21, [x0, #VCPU_X2 + 144]
	ldp	x22, x23, [x0, #VCPU_X2 + 160]
	ldp	x24, x25, [x0, #VCPU_X2 + 176]
	ldp	x26, x27, [x0, #VCPU_X2 + 192]
	ldp	x28, x29, [x0, #VCPU_X2 + 208]
	ldp	x0, x1, [x0, #VCPU_X0]
	eret
	dsb	nsh			/* no speculation past ERET */
	isb

/* An exception taken from EL2 itself is a hypervisor bug: report and stop. */
hyp_exception:
	mrs	x0, esr_el2
	mrs	x1, elr_el2
	mrs	x2, far_el2
	bl	hyp_fault
	b	.
