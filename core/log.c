#include <stdio.h>
#include <string.h>

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

static void log_line(const char *prefix, const char *fmt, va_list ap)
{
	char buf[200];
	size_t n = strlen(prefix);
	memcpy(buf, prefix, n);
	format(buf + n, sizeof(buf) - n, fmt, ap);
	console_hyp_line(buf);
}

void log_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_line("", fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_line("PANIC: ", fmt, ap);
	va_end(ap);
	for (;;)
		__asm__ volatile("wfi");
}
