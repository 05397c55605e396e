/* Hypervisor messages on the console, as "(facet) <text>" lines. */
#ifndef FACET_CORE_LOG_H
#define FACET_CORE_LOG_H

#include <stdarg.h>

void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define LOG(...) log_printf(__VA_ARGS__)

#endif
