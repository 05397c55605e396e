/*
 * Sizes of the hypervisor's per-VM and per-vCPU state, for make bench's
 * footprint figures. Compiled, never run: mk/bench.mk builds it with the
 * hypervisor's compiler and flags to assembly, and reads the @@SIZE lines,
 * so the sizes are those of the real aarch64 build (the asm-offsets trick
 * arch/aarch64/asm-offsets.c uses).
 */
#include "core/pcpu.h"
#include "core/vcpu.h"
#include "core/vm.h"

#define SIZE(name, value) __asm__ volatile("\n@@SIZE " #name " %0" : : "i"(value))

void footprint(void);
void footprint(void)
{
	SIZE(vm, sizeof(struct vm));
	SIZE(vcpu, sizeof(struct vcpu));
	SIZE(vcpus_per_vm, BOARD_MAX_VCPUS);
	SIZE(max_vms, MAX_VMS);
	SIZE(stage2_table, STAGE2_PAGE_SIZE);
}
