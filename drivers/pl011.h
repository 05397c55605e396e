/* The physical PL011 UART the hypervisor's console uses (PL011 TRM, 3.3). */
#ifndef FACET_DRIVERS_PL011_H
#define FACET_DRIVERS_PL011_H

#include <stdbool.h>
#include <stdint.h>

void pl011_init(uintptr_t base);
void pl011_putc(uint8_t c);
/* Next received byte, or -1 if the receive FIFO is empty. */
int pl011_getc(void);
/* Interrupt on received data (RXIM | RTIM); acknowledged by draining. */
void pl011_enable_rx_irq(void);

#endif
