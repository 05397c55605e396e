/*
 * facet.bin entry. The file starts with an arm64 Image header (Linux
 * Documentation/arch/arm64/booting.rst, "Call the kernel image") so QEMU's
 * -kernel and bootloaders start it like Linux: at EL2, MMU off, x0 = the
 * platform device tree.
 */
#include "asm-offsets.h"

	.section .text.head, "ax"
	.globl	_start
_start:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset: from a 2 MiB aligned base */
	.quad	__image_size		/* image_size, bss included (facet.ld) */
	.quad	0xa			/* flags: little-endian, 4 KiB pages, anywhere in RAM */
	.quad	0, 0, 0			/* reserved */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* reserved (PE header offset) */

primary_entry:
	mov	x19, x0			/* platform device tree */
	/* Zero .bss (stacks included): C expects it. */
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:	mov	x0, #0
	bl	set_stack
	mov	x0, x19
	bl	hyp_main		/* does not return */
	b	.

/* Secondary CPUs arrive here from PSCI CPU_ON with x0 = their pCPU index. */
	.globl	secondary_entry
secondary_entry:
	mov	x19, x0
	bl	set_stack
	mov	x0, x19
	bl	secondary_main		/* does not return */
	b	.

/* SP = top of pCPU x0's stack; install the EL2 vectors. Keeps x0. */
set_stack:
	ldr	x1, =pcpu_stacks
	mov	x2, #PCPU_STACK_SIZE_
	madd	x1, x0, x2, x1
	add	sp, x1, x2
	adr	x1, el2_vectors
	msr	vbar_el2, x1
	isb
	ret
