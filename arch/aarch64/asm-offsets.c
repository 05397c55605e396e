/*
 * Offsets the assembly uses, generated from the C structs at build time
 * (mk/hyp.mk turns the @@OFFSET markers into build/hyp/include/asm-offsets.h).
 */
#include <stddef.h>

#include "core/pcpu.h"
#include "core/vcpu.h"
#include "core/vm.h"

#define OFFSET(name, value) __asm__ volatile("\n@@OFFSET " #name " %0" : : "i"(value))

void asm_offsets(void);
void asm_offsets(void)
{
	OFFSET(VCPU_X0, offsetof(struct vcpu, regs.x[0]));
	OFFSET(VCPU_X2, offsetof(struct vcpu, regs.x[2]));
	OFFSET(VCPU_X30, offsetof(struct vcpu, regs.x[30]));
	OFFSET(VCPU_ELR, offsetof(struct vcpu, regs.elr));
	OFFSET(VCPU_VM, offsetof(struct vcpu, vm));
	OFFSET(VCPU_IRQ_DIRTY, offsetof(struct vcpu, irq_dirty));
	OFFSET(VM_LOCK, offsetof(struct vm, lock));
	OFFSET(VM_UART, offsetof(struct vm, uart));
	OFFSET(VM_VGIC, offsetof(struct vm, vgic));
	/*
	 * The UART's and the distributor's windows (abi/board.h): frame number
	 * and offset mask. CMP takes a 12-bit immediate, optionally shifted by 12.
	 */
	OFFSET(GICD_FRAME, BOARD_GICD_BASE / BOARD_GICD_SIZE);
	OFFSET(GICD_OFFSET_MASK, BOARD_GICD_SIZE - 1);
	OFFSET(UART_FRAME, BOARD_UART_BASE / BOARD_UART_SIZE);
	OFFSET(UART_OFFSET_MASK, BOARD_UART_SIZE - 1);
	_Static_assert(BOARD_UART_SIZE == 4096 && BOARD_GICD_SIZE == 65536, "dabt_fast's frames");
	_Static_assert((BOARD_UART_BASE >> 12) % 4096 == 0 && (BOARD_UART_BASE >> 24) < 4096 &&
			       BOARD_GICD_BASE / BOARD_GICD_SIZE < 4096,
		       "dabt_fast compares frame numbers as CMP immediates");
	OFFSET(PCPU_STACK_SIZE_, PCPU_STACK_SIZE);
	OFFSET(PCPU_MAX, MAX_PCPUS);
}
