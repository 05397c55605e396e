/*
 * Console output on the board's PL011 (include/abi/board.h). Each printf call
 * is written as a whole under a lock, so lines from different vCPUs do not mix.
 * Formats: %d %i %u %x %X %c %s %p %%, with 'l'/'ll'/'z' sizes, a width and the
 * '0' and '-' flags. '\n' goes out as "\r\n", as a serial console expects.
 */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include "base.h"

void console_putc(char c);
void console_puts(const char *s);
int printf(const char *fmt, ...) PRINTF_LIKE(1, 2);
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
