/*
 * reset_once: prints "reset_once: boot", and about a second later asks for
 * PSCI SYSTEM_RESET (DEN0022 5.1.10). The VM should then boot again from its
 * image and print the boot line again, and so on.
 */
#include "guest.h"

int main(void)
{
	printf("reset_once: boot\n");
	timer_sleep_ms(1000);
	printf("reset_once: SYSTEM_RESET\n");
	int32_t ret = psci_system_reset();
	printf("reset_once: SYSTEM_RESET returned %d (%s)\n", ret, psci_ret_name(ret));
	for (;;)
		wfi();
}
