/*
 * The hypervisor's own stage-1 translation (EL2 regime, ARM ARM D8): an
 * identity map of the first 512 GiB in 1 GiB blocks, normal write-back
 * memory for RAM and Device-nGnRnE for everything else. With the MMU on,
 * EL2 gets caches and exclusive-access atomics (the spinlocks need them).
 */
#include "arch/aarch64/mmu.h"
#include "arch/aarch64/sysreg.h"

#define MAIR_DEVICE_nGnRnE 0x00ULL /* attr index 0 */
#define MAIR_NORMAL_WB 0xFFULL     /* attr index 1: inner/outer WB RW-allocate */
#define PTE_BLOCK 0x1ULL
#define PTE_ATTRIDX(i) ((uint64_t)(i) << 2)
#define PTE_SH_INNER (3ULL << 8)
#define PTE_AF (1ULL << 10)
#define PTE_XN (1ULL << 54)

static uint64_t el2_l1[512] __attribute__((aligned(4096)));

void mmu_build(uint64_t ram_base, uint64_t ram_size)
{
	for (uint64_t i = 0; i < 512; i++) {
		uint64_t a = i << 30;
		bool ram = a + GiB(1) > ram_base && a < ram_base + ram_size;
		el2_l1[i] = a | PTE_BLOCK | PTE_AF |
			    (ram ? PTE_ATTRIDX(1) | PTE_SH_INNER : PTE_ATTRIDX(0) | PTE_XN);
	}
	dsb(ish);
}

void mmu_enable(void)
{
	write_sysreg(mair_el2, MAIR_DEVICE_nGnRnE | (MAIR_NORMAL_WB << 8));
	/*
	 * TCR_EL2 (ARM ARM D13.2.131, non-VHE layout): T0SZ = 25 (39-bit VA),
	 * IRGN0/ORGN0 = WB WA, SH0 = inner, TG0 = 4 KiB, PS = 40 bits, RES1
	 * bits 31 and 23.
	 */
	write_sysreg(tcr_el2, 25 | (1 << 8) | (1 << 10) | (3 << 12) | (2ULL << 16) | (1U << 23) |
				      (1U << 31));
	write_sysreg(ttbr0_el2, (uint64_t)(uintptr_t)el2_l1);
	dsb(ish);
	__asm__ volatile("tlbi alle2\n\tdsb ish" ::: "memory");
	isb();
	/* SCTLR_EL2: RES1 bits (0x30C50830) | M | C | SA | I; WXN off. */
	write_sysreg(sctlr_el2, 0x30C50830ULL | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 12));
	isb();
}
