/*
 * Offsets the assembly uses, generated from the C structs at build time
 * (mk/hyp.mk turns the @@OFFSET markers into build/hyp/include/asm-offsets.h).
 */
#include <stddef.h>

#include "core/pcpu.h"
#include "core/vcpu.h"

#define OFFSET(name, value) __asm__ volatile("\n@@OFFSET " #name " %0" : : "i"(value))

void asm_offsets(void);
void asm_offsets(void)
{
	OFFSET(VCPU_X0, offsetof(struct vcpu, regs.x[0]));
	OFFSET(VCPU_X2, offsetof(struct vcpu, regs.x[2]));
	OFFSET(VCPU_X30, offsetof(struct vcpu, regs.x[30]));
	OFFSET(VCPU_ELR, offsetof(struct vcpu, regs.elr));
	OFFSET(PCPU_STACK_SIZE_, PCPU_STACK_SIZE);
	OFFSET(PCPU_MAX, MAX_PCPUS);
}
