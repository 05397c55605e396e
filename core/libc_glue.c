/*
 * What Debian's picolibc and libfdt expect of their environment. libfdt is
 * built with the stack protector, so EL2 provides its guard and failure hook.
 */
#include <stdint.h>

#include "core/log.h"

uintptr_t __stack_chk_guard = 0x595e9fbd94fda766ULL;
void __stack_chk_fail(void);

void __stack_chk_fail(void)
{
	panic("stack smashing detected");
}
