/*
 * off_now: prints a line, and about a second later asks for PSCI SYSTEM_OFF
 * (DEN0022 5.1.9). After that the VM must print nothing more.
 */
#include "guest.h"

int main(void)
{
	printf("off_now: up\n");
	timer_sleep_ms(1000);
	printf("off_now: SYSTEM_OFF\n");
	int32_t ret = psci_system_off();
	printf("off_now: SYSTEM_OFF returned %d (%s)\n", ret, psci_ret_name(ret));
	for (;;)
		wfi();
}
