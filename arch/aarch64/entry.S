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
 * Data aborts, most of them a guest's accesses to its distributor or UART,
 * whose registers drivers poll. The guest's x0-x18 and x30 are saved (C
 * may use them); x19-x29 stay in their registers, which C preserves
 * (AAPCS64). An access with a valid syndrome (ARM ARM D13.2.37, ISV = 1)
 * to the distributor or the UART, through x0-x18, x30 or XZR, is done
 * right here, as mmio_access (core/mmio.c) does it: the device's C
 * function under the VM's lock, a load's value put in its register, the
 * guest stepped past the access.
 * Anything else (the redistributors, registers x19-x29, no syndrome, no
 * device: an abort for the guest) saves the rest and takes the ordinary
 * path. On entry the guest's x1, x0 are on the stack.
 */
dabt_fast:
	mrs	x0, tpidr_el2
	save_x2_x17 x0
	str	x18, [x0, #VCPU_X2 + 128]
	str	x30, [x0, #VCPU_X30]
	ldp	x3, x2, [sp], #16		/* the guest's x1, x0 */
	stp	x2, x3, [x0, #VCPU_X0]
	mov	x8, x0				/* x8: the vCPU */
	mrs	x9, esr_el2			/* x9: the syndrome */
	tbz	x9, #ESR_DABT_ISV_BIT, dabt_slow
	tbnz	x9, #ESR_DABT_S1PTW_BIT, dabt_slow
	ubfx	x10, x9, #ESR_DABT_SRT_SHIFT, #5	/* x10: Rt */
	sub	x11, x10, #19
	cmp	x11, #29 - 19
	b.ls	dabt_slow			/* x19-x29 are not saved */
	/* x12: the IPA, HPFAR_EL2.FIPA [43:4] as bits [51:12] (D13.2.55), FAR_EL2 [11:0] */
	mrs	x12, hpfar_el2
	mrs	x11, far_el2
	ubfiz	x12, x12, #8, #44		/* FIPA to [51:12]; bits [11:8] are replaced next */
	bfxil	x12, x11, #0, #12
	ldr	x13, [x8, #VCPU_VM]		/* x13: the VM */
	/* x0, x1: the device and the offset; x6, x7: its read and write */
	lsr	x11, x12, #12			/* the 4 KiB frame */
	cmp	x11, #UART_FRAME
	b.ne	1f
	add	x0, x13, #VM_UART
	and	x1, x12, #UART_OFFSET_MASK
	adr	x6, vpl011_read
	adr	x7, vpl011_write
	b	2f
1:	lsr	x11, x11, #16 - 12		/* the 64 KiB frame */
	cmp	x11, #GICD_FRAME
	b.ne	dabt_slow			/* the redistributors, or no device */
	add	x0, x13, #VM_VGIC
	and	x1, x12, #GICD_OFFSET_MASK
	adr	x6, vgic_dist_read
	adr	x7, vgic_dist_write
2:	/* spin_lock(&vm->lock): take a ticket, wait for its turn (core/spinlock.h) */
	add	x13, x13, #VM_LOCK
3:	ldaxr	w14, [x13]
	add	w15, w14, #1 << 16
	stxr	w16, w15, [x13]
	cbnz	w16, 3b
	lsr	w15, w14, #16
	cmp	w15, w14, uxth
	b.eq	5f
4:	yield
	ldarh	w14, [x13]
	cmp	w15, w14
	b.ne	4b
5:	ubfx	x11, x9, #ESR_DABT_SAS_SHIFT, #2
	mov	x2, #1
	lsl	x2, x2, x11			/* x2: the size, 1 << SAS */
	tbnz	x9, #ESR_DABT_WNR_BIT, 6f
	blr	x6				/* a load: x0 = read(dev, off, size) */
	b	7f
6:	ldr	x3, [x8, x10, lsl #3]		/* a store of x[Rt], XZR for Rt = 31 */
	cmp	x10, #31
	csel	x3, xzr, x3, eq
	blr	x7				/* write(dev, off, size, value) */
7:	mrs	x8, tpidr_el2			/* C kept none of x8-x15 */
	ldr	x13, [x8, #VCPU_VM]
	add	x13, x13, #VM_LOCK		/* spin_unlock(&vm->lock): the owner's turn ends */
	ldrh	w14, [x13]
	add	w14, w14, #1
	stlrh	w14, [x13]
	mrs	x9, esr_el2
	tbnz	x9, #ESR_DABT_WNR_BIT, 9f
	ubfx	x10, x9, #ESR_DABT_SRT_SHIFT, #5
	cmp	x10, #31
	b.eq	9f				/* a load into XZR */
	/*
	 * A load: the value's low 8 << SAS bits, sign-extended if SSE, to 32
	 * bits if SF = 0 (dabt_load_value in arch/aarch64/dabt.h). Register
	 * shifts count modulo 64, so shifting by -bits is by 64 - bits.
	 */
	ubfx	x11, x9, #ESR_DABT_SAS_SHIFT, #2
	mov	x12, #-8
	lsl	x12, x12, x11			/* x12: -bits, -8 << SAS */
	lsl	x0, x0, x12
	tbnz	x9, #ESR_DABT_SSE_BIT, 13f
	lsr	x0, x0, x12
10:	tbnz	x9, #ESR_DABT_SF_BIT, 11f
	mov	w0, w0
11:	str	x0, [x8, x10, lsl #3]
9:	mrs	x0, elr_el2			/* past the access */
	add	x0, x0, #4
	msr	elr_el2, x0
	add	x0, x8, #VCPU_IRQ_DIRTY
	ldarb	w0, [x0]
	cbz	w0, 12f
	mov	x0, x8
	bl	run_flush_irqs			/* the access gave the vCPU an interrupt */
12:	mrs	x30, tpidr_el2
	ldp	x0, x1, [x30, #VCPU_X0]
	load_x2_x17 x30
	ldr	x18, [x30, #VCPU_X2 + 128]
	ldr	x30, [x30, #VCPU_X30]
	eret
	dsb	nsh
	isb
13:	asr	x0, x0, x12			/* a sign-extending load */
	b	10b
dabt_slow:					/* save the rest as guest_sync does */
	mov	x0, x8
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
