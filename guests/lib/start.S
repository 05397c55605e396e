/*
 * Boot: the arm64 Image header, the boot CPU's entry and the secondary
 * CPUs' PSCI CPU_ON entry. Both arrive at EL1h with the MMU off: the boot
 * CPU with x0 = device tree (Linux Documentation/arch/arm64/booting.rst), a
 * secondary with x0 = CPU_ON's context id (PSCI DEN0022 5.1.4, 6.4), which
 * smp_cpu_on sets to the CPU index.
 */
#include <abi/board.h>

/* Per-CPU setup: CPU index in TPIDR_EL1, stack, vectors, FP/SIMD on. Clobbers x1, x2. */
	.macro	cpu_setup idx
	msr	tpidr_el1, \idx
	adrp	x1, __stacks_start
	add	x1, x1, :lo12:__stacks_start
	ldr	x2, =__stack_size
	madd	x1, x2, \idx, x1
	add	sp, x1, x2			/* top of this CPU's stack */
	adrp	x1, exc_vectors
	add	x1, x1, :lo12:exc_vectors
	msr	vbar_el1, x1
	mov	x1, #(3 << 20)			/* CPACR_EL1.FPEN = 0b11: no FP/SIMD traps */
	msr	cpacr_el1, x1
	isb
	mov	x29, #0				/* end of the frame-pointer chain */
	mov	x30, #0
	.endm

	.section .text.head, "ax"
	.globl	_start
_start:
	/* Image header, booting.rst "Call the kernel image". */
	b	primary_entry			/* code0 */
	.long	0				/* code1 */
	.quad	0x80000				/* text_offset: RAM base + BOARD_RAW_LOAD_OFFSET (guest.ld) */
	.quad	__image_size			/* image_size: up to the end of the stacks */
	.quad	0x2				/* flags: little-endian, 4K pages, 2 MiB-aligned base near DRAM start */
	.quad	0				/* res2 */
	.quad	0				/* res3 */
	.quad	0				/* res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* res5: no PE header */

	.text
primary_entry:
	msr	daifset, #0xf
	mov	x19, x0
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	mov	x20, #0
	cpu_setup x20
	mov	x0, x19
	bl	guest_boot
	bl	main
	b	guest_exit			/* with main's return value in w0 */

	.globl	smp_secondary_entry
smp_secondary_entry:
	msr	daifset, #0xf
	cmp	x0, #BOARD_MAX_VCPUS
	b.hs	3f				/* not a CPU index: nowhere to run */
	mov	x19, x0
	cpu_setup x19
	mov	x0, x19
	bl	smp_secondary_start		/* does not return */
3:	wfi
	b	3b
