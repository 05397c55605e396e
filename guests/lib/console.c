/* PL011 output and a small printf. */
#include "console.h"

#include <abi/board.h>

#include "mmio.h"
#include "smp.h"
#include "spinlock.h"

/* ARM PrimeCell UART (PL011) TRM DDI 0183, 3.3: UARTDR and UARTFR.TXFF. */
#define UART_DR 0x000
#define UART_FR 0x018
#define UART_FR_TXFF BIT(5)

/* Longest line printf emits in one piece; longer output is cut. */
#define CONSOLE_LINE_MAX 256

static struct spinlock console_lock;
/* CPU index + 1 of the holder: an exception on that CPU may still print. */
static unsigned console_owner;

static void uart_tx(char c)
{
	while (mmio_read32(BOARD_UART_BASE + UART_FR) & UART_FR_TXFF)
		cpu_relax();
	mmio_write32(BOARD_UART_BASE + UART_DR, (uint8_t)c);
}

static void console_write(const char *s, size_t len)
{
	unsigned me = smp_cpu_index() + 1;
	bool nested = __atomic_load_n(&console_owner, __ATOMIC_RELAXED) == me;

	if (!nested) {
		spin_lock(&console_lock);
		console_owner = me;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			uart_tx('\r');
		uart_tx(s[i]);
	}
	if (!nested) {
		console_owner = 0;
		spin_unlock(&console_lock);
	}
}

void console_putc(char c)
{
	console_write(&c, 1);
}

void console_puts(const char *s)
{
	console_write(s, strlen(s));
}

struct fmt_out {
	char *buf;
	size_t size;
	size_t len; /* characters produced, even past size */
};

static void out_char(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_padded(struct fmt_out *o, const char *s, size_t n, int width, bool left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;

	if (!left)
		while (fill-- > 0)
			out_char(o, pad);
	for (size_t i = 0; i < n; i++)
		out_char(o, s[i]);
	if (left)
		while (fill-- > 0)
			out_char(o, ' ');
}

static void out_number(struct fmt_out *o, uint64_t v, bool negative, unsigned base, bool upper,
		       int width, bool left, char pad)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	size_t n = 0;

	do {
		tmp[sizeof(tmp) - 1 - n++] = digits[v % base];
		v /= base;
	} while (v);
	if (negative) {
		if (pad == '0') {
			out_char(o, '-');
			width--;
		} else {
			tmp[sizeof(tmp) - 1 - n++] = '-';
		}
	}
	out_padded(o, &tmp[sizeof(tmp) - n], n, width, left, pad);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = {buf, size, 0};

	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			out_char(&o, *p);
			continue;
		}
		p++;
		bool left = false;
		char pad = ' ';
		for (;; p++) {
			if (*p == '-')
				left = true;
			else if (*p == '0')
				pad = '0';
			else
				break;
		}
		int width = 0;
		while (*p >= '0' && *p <= '9')
			width = width * 10 + (*p++ - '0');
		int lng = 0;
		while (*p == 'l' || *p == 'z') {
			lng++;
			p++;
		}
		switch (*p) {
		case 'd':
		case 'i': {
			int64_t v = lng ? va_arg(ap, long) : va_arg(ap, int);
			uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
			out_number(&o, mag, v < 0, 10, false, width, left, pad);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			uint64_t v = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			out_number(&o, v, false, *p == 'u' ? 10 : 16, *p == 'X', width, left, pad);
			break;
		}
		case 'p':
			out_char(&o, '0');
			out_char(&o, 'x');
			out_number(&o, (uintptr_t)va_arg(ap, void *), false, 16, false, width, left,
				   pad);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);
			out_padded(&o, &c, 1, width, left, ' ');
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			out_padded(&o, s, strlen(s), width, left, ' ');
			break;
		}
		case '%':
			out_char(&o, '%');
			break;
		case '\0':
			p--;
			break;
		default:
			out_char(&o, '%');
			out_char(&o, *p);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vprintf(const char *fmt, va_list ap)
{
	char line[CONSOLE_LINE_MAX];
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	console_write(line, strlen(line));
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
