/*
 * Physical PL011: polled transmit, interrupt-driven receive. Register
 * offsets and bits: ARM PrimeCell UART (PL011) TRM DDI 0183, 3.3.
 */
#include "drivers/pl011.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTIMSC 0x038
#define UARTICR 0x044
#define FR_RXFE (1U << 4)
#define FR_TXFF (1U << 5)
#define INT_RX (1U << 4)
#define INT_RT (1U << 6)

static volatile uint32_t *uart;

static inline uint32_t rd(unsigned off)
{
	return uart[off / 4];
}
static inline void wr(unsigned off, uint32_t v)
{
	uart[off / 4] = v;
}

void pl011_init(uintptr_t base)
{
	/* The firmware (or QEMU) already set baud rate and enabled the UART. */
	uart = (volatile uint32_t *)base;
}

void pl011_putc(uint8_t c)
{
	if (!uart)
		return;
	while (rd(UARTFR) & FR_TXFF)
		;
	wr(UARTDR, c);
}

int pl011_getc(void)
{
	if (!uart || (rd(UARTFR) & FR_RXFE))
		return -1;
	return (int)(rd(UARTDR) & 0xFF);
}

void pl011_enable_rx_irq(void)
{
	wr(UARTICR, 0x7FF);
	wr(UARTIMSC, INT_RX | INT_RT);
}
