#include <stdio.h>

#include "core/console.h"
#include "core/log.h"
#include "core/vcpu.h"

void fpsimd_save(struct fpsimd_state *s);
void fpsimd_restore(const struct fpsimd_state *s);

/*
 * picolibc's vsnprintf copies structures through q0/q1, which may hold a
 * guest's values when a message is logged from a trap: keep them safe.
 */
static int format(char *buf, size_t len, const char *fmt, va_list ap)
{
	struct fpsimd_state saved;
	fpsimd_save(&saved);
	int n = vsnprintf(buf, len, fmt, ap);
	fpsimd_restore(&saved);
	return n;
}

void log_printf(const char *fmt, ...)
{
	char buf[200];
	va_list ap;
	va_start(ap, fmt);
	format(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_hyp_line(buf);
}

void panic(const char *fmt, ...)
{
	char buf[200];
	va_list ap;
	va_start(ap, fmt);
	format(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_hyp_line("PANIC:");
	console_hyp_line(buf);
	for (;;)
		__asm__ volatile("wfi");
}
