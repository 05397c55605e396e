/*
 * reset_once: prints "reset_once: boot", and about a second later asks for
 * PSCI SYSTEM_RESET (DEN0022 5.1.10). The VM should then boot again from its
 * image and print the boot line again, and so on. A reset VM starts with its
 * memory cleared: a mark left in RAM before the reset must be gone after it.
 */
#include "guest.h"

#define MARK 0x6d61726b21726573ULL

int main(void)
{
	/* Half-way up RAM: far from this image, its stacks and the device tree. */
	volatile uint64_t *mark = (volatile uint64_t *)(uintptr_t)(dt.ram_base + dt.ram_size / 2);

	printf("reset_once: boot\n");
	printf("reset_once: memory %s\n", *mark == MARK ? "NOT cleared" : "clear");
	*mark = MARK;
	timer_sleep_ms(1000);
	printf("reset_once: SYSTEM_RESET\n");
	int32_t ret = psci_system_reset();
	printf("reset_once: SYSTEM_RESET returned %d (%s)\n", ret, psci_ret_name(ret));
	for (;;)
		wfi();
}
