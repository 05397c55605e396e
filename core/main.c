/*
 * Boot: find the board in the device tree, take over the GIC, build the
 * VMs from the boot image, start the other CPUs, and run.
 */
#include <string.h>

#include "abi/board.h"
#include "arch/aarch64/arch.h"
#include "arch/aarch64/mmu.h"
#include "arch/aarch64/sysreg.h"
#include "core/console.h"
#include "core/log.h"
#include "core/mm.h"
#include "core/run.h"
#include "core/vm.h"
#include "drivers/gicv3.h"
#include "drivers/pl011.h"
#include "platform/qemu-virt/platform.h"

union pcpu_stack pcpu_stacks[MAX_PCPUS] __attribute__((aligned(PCPU_STACK_SIZE)));
unsigned nr_pcpus;
struct mm phys_mm;

extern char __image_start[], __image_end[];
void secondary_entry(void);
void hyp_main(void *fdt);
void secondary_main(unsigned idx);

/* Interrupt priorities at EL2: all equal; they are only ever polled. */
#define HYP_IRQ_PRIO 0x80

static void cpu_setup(unsigned idx)
{
	struct pcpu *p = this_pcpu();
	p->gicr = gicv3_cpu_init(p->mpidr);
	if (!p->gicr)
		panic("CPU %u: no redistributor for MPIDR %#lx", idx, (unsigned long)p->mpidr);
	gicv3_enable_ppi(p->gicr, SGI_KICK, HYP_IRQ_PRIO);
	gicv3_enable_ppi(p->gicr, BOARD_GIC_MAINT_INTID, HYP_IRQ_PRIO);
	gicv3_enable_ppi(p->gicr, plat.htimer_intid, HYP_IRQ_PRIO);
	gicv3_enable_ppi(p->gicr, plat.vtimer_intid, HYP_IRQ_PRIO);
	arch_cpu_init();
	p->online = true;
}

void hyp_main(void *fdt)
{
	/* QEMU virt: RAM from 1 GiB; everything below is devices. */
	mmu_build(BOARD_RAM_BASE, GiB(255));
	mmu_enable();
	if (platform_probe(fdt))
		panic("cannot read the platform device tree");
	pl011_init(plat.uart);
	LOG("facet hypervisor: %u CPU%s, %lu MiB RAM at %#lx", plat.nr_cpus,
	    plat.nr_cpus > 1 ? "s" : "", (unsigned long)(plat.ram_size >> 20),
	    (unsigned long)plat.ram_base);

	mm_init(&phys_mm, plat.ram_base, plat.ram_size);
	/* Below the hypervisor image: QEMU's boot stub and the platform device tree. */
	mm_reserve(&phys_mm, plat.ram_base, (uint64_t)(uintptr_t)__image_end - plat.ram_base);
	mm_reserve(&phys_mm, ALIGN_DOWN(plat.fdt, KiB(4)), ALIGN_UP(plat.fdt_size, KiB(4)) + KiB(4));
	if (plat.initrd_end > plat.initrd_start)
		mm_reserve(&phys_mm, ALIGN_DOWN(plat.initrd_start, KiB(4)),
			   ALIGN_UP(plat.initrd_end, KiB(4)) - ALIGN_DOWN(plat.initrd_start, KiB(4)));

	gicv3_init(plat.gicd, plat.gicr, plat.gicr_size);
	nr_pcpus = plat.nr_cpus;
	for (unsigned i = 0; i < nr_pcpus; i++) {
		pcpu_stacks[i].pcpu.id = i;
		pcpu_stacks[i].pcpu.mpidr = plat.cpu_mpidr[i];
	}
	cpu_setup(0);
	if (plat.uart_intid) {
		gicv3_enable_spi(plat.uart_intid, plat.cpu_mpidr[0], HYP_IRQ_PRIO, true);
		pl011_enable_rx_irq();
	}

	if (plat.initrd_end > plat.initrd_start)
		vm_create_all((const void *)(uintptr_t)plat.initrd_start,
			      plat.initrd_end - plat.initrd_start);
	else
		LOG("no boot image (QEMU -initrd): nothing to run");
	if (!nr_vms)
		LOG("no VM could be started");
	console_focus_next(NULL);

	for (unsigned i = 1; i < nr_pcpus; i++) {
		int64_t r = platform_cpu_on(plat.cpu_mpidr[i], (uint64_t)(uintptr_t)secondary_entry, i);
		if (r)
			LOG("CPU %u did not start (PSCI error %ld)", i, (long)r);
	}
	run_start();
}

void secondary_main(unsigned idx)
{
	mmu_enable();
	cpu_setup(idx);
	run_start();
}
