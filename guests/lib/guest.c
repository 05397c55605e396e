/* From the boot CPU's assembly entry to main(), and the ways out. */
#include "guest.h"

/* Called by start.S with the MMU off, IRQs masked, bss zeroed, on CPU 0's stack. */
void guest_boot(uintptr_t dtb);

void guest_boot(uintptr_t dtb)
{
	/* The Linux boot protocol (booting.rst) enters at EL1 when there is a hypervisor. */
	if (current_el() != 1)
		guest_panic("entered at EL%u, expected EL1", current_el());
	dt_parse(dtb);
	gic_init_dist();
	if (!gic_init_cpu())
		guest_panic("no GIC redistributor for MPIDR 0x%lx", READ_SYSREG(mpidr_el1));
	timer_init_cpu();
}

void guest_panic(const char *fmt, ...)
{
	char msg[192];
	va_list ap;

	irq_mask();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("FACET-GUEST %s PANIC %s\n", guest_image_name, msg);
	psci_system_off();
	for (;;)
		wfi();
}

void guest_exit(int status)
{
	irq_mask();
	int32_t ret = psci_system_off();
	printf("guest: exit(%d): SYSTEM_OFF returned %d (%s)\n", status, ret, psci_ret_name(ret));
	for (;;)
		wfi();
}
