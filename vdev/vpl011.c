/*
 * Emulated PL011 UART (ARM PrimeCell UART (PL011) TRM, DDI 0183). See
 * vpl011.h. Interrupts follow QEMU's PL011 model rather than the TRM's
 * FIFO-level triggers, which is what Linux's amba-pl011 driver expects from
 * a UART that transmits instantly:
 *
 *  - TXRIS is set by every write of UARTDR and cleared only through
 *    UARTICR (the transmit FIFO is always empty, so "at or below the
 *    trigger level" would hold all the time).
 *  - RXRIS and RTRIS (receive timeout) are set whenever a byte arrives and
 *    cleared when UARTDR reads empty the FIFO, or through UARTICR: the
 *    receive trigger level is one byte whatever UARTIFLS says.
 *  - OERIS and UARTRSR.OE are set when a byte arrives to a full FIFO.
 *
 * Not modelled: baud rate, line control (except LCR_H.FEN), break, parity
 * and framing errors, modem lines (they read inactive), loopback (CR.LBE),
 * DMA (UARTDMACR is storage only), IrDA; the UART receives and transmits
 * whatever UARTCR's enable bits say.
 */
#include <stddef.h>
#include <string.h>

#include "vdev/vpl011.h"

/* Register offsets, TRM 3.2 (table 3-1). */
#define UARTDR 0x000
#define UARTRSR 0x004 /* UARTECR on write */
#define UARTFR 0x018
#define UARTILPR 0x020
#define UARTIBRD 0x024
#define UARTFBRD 0x028
#define UARTLCR_H 0x02c
#define UARTCR 0x030
#define UARTIFLS 0x034
#define UARTIMSC 0x038
#define UARTRIS 0x03c
#define UARTMIS 0x040
#define UARTICR 0x044
#define UARTDMACR 0x048
#define UART_ID_BASE 0xfe0 /* UARTPeriphID0-3, UARTPCellID0-3 */
#define UART_ID_END 0x1000 /* end of the 4 KiB register page */

/* UARTFR, TRM 3.3 "Flag Register". */
#define FR_RXFE (1u << 4)
#define FR_RXFF (1u << 6)
#define FR_TXFE (1u << 7)

/* UARTLCR_H.FEN, TRM 3.3 "Line Control Register": 0 = one-byte holding register. */
#define LCR_H_FEN (1u << 4)

/* Interrupt bits of UARTIMSC/RIS/MIS/ICR, TRM 3.3 (same layout in all four). */
#define INT_RX (1u << 4)
#define INT_TX (1u << 5)
#define INT_RT (1u << 6)
#define INT_OE (1u << 10)
#define INT_ALL 0x7ffu

/* RSR/ECR, TRM 3.3 "Receive Status Register / Error Clear Register". */
#define RSR_OE (1u << 3)

/* Widths of the writable registers (TRM 3.2 table 3-1); CR bits [6:3] are reserved. */
#define ILPR_MASK 0xffu
#define IBRD_MASK 0xffffu
#define FBRD_MASK 0x3fu
#define LCR_H_MASK 0xffu
#define CR_MASK 0xff87u
#define IFLS_MASK 0x3fu
#define DMACR_MASK 0x7u

/* Reset values, TRM 3.2 table 3-1: UARTCR has TXE and RXE set, UARTIFLS half-full. */
#define CR_RESET 0x300u
#define IFLS_RESET 0x12u

/*
 * UARTPeriphID0-3 (TRM 3.3 "Peripheral Identification Registers"): part
 * number 0x011, designer 0x41 (ARM), revision 0, configuration 0, i.e. the
 * 32-bit value 0x00041011 Linux's AMBA bus matches (under mask 0x000fffff).
 * UARTPCellID0-3: the PrimeCell identification 0xB105F00D.
 */
static const uint8_t uart_id_regs[8] = {0x11, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

static unsigned rx_capacity(const struct vpl011 *u)
{
	return (u->lcr_h & LCR_H_FEN) ? VPL011_FIFO : 1;
}

/* The interrupt line is (RIS & IMSC) != 0; tell the owner when it moves. */
static void update_irq(struct vpl011 *u)
{
	bool level = (u->ris & u->imsc) != 0;
	if (level == u->irq_level)
		return;
	u->irq_level = level;
	if (u->set_irq != NULL)
		u->set_irq(u->owner, level);
}

void vpl011_init(struct vpl011 *u, void (*tx)(void *, uint8_t), void (*set_irq)(void *, bool),
		 void *owner)
{
	memset(u, 0, sizeof(*u));
	u->cr = CR_RESET;
	u->ifls = IFLS_RESET;
	u->tx = tx;
	u->set_irq = set_irq;
	u->owner = owner;
}

bool vpl011_rx_push(struct vpl011 *u, uint8_t c)
{
	if (u->rx_count >= rx_capacity(u)) {
		/* Overrun (TRM 3.3 UARTRSR.OE): the FIFO keeps its bytes, the new one is lost. */
		u->rsr |= RSR_OE;
		u->ris |= INT_OE;
		update_irq(u);
		return false;
	}
	u->rx[(u->rx_head + u->rx_count) % VPL011_FIFO] = c;
	u->rx_count++;
	u->ris |= INT_RX | INT_RT;
	update_irq(u);
	return true;
}

unsigned vpl011_rx_space(const struct vpl011 *u)
{
	unsigned cap = rx_capacity(u);
	return u->rx_count < cap ? cap - u->rx_count : 0;
}

static uint32_t dr_read(struct vpl011 *u)
{
	if (u->rx_count == 0)
		return 0;
	uint8_t c = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % VPL011_FIFO;
	u->rx_count--;
	if (u->rx_count == 0) {
		u->ris &= (uint16_t) ~(INT_RX | INT_RT);
		update_irq(u);
	}
	/* Bits [11:8] are the byte's error flags: we never have any. */
	return c;
}

static uint32_t fr_read(const struct vpl011 *u)
{
	/* Transmit is never busy nor full; modem inputs read inactive. */
	uint32_t fr = FR_TXFE;
	if (u->rx_count == 0)
		fr |= FR_RXFE;
	if (u->rx_count >= rx_capacity(u))
		fr |= FR_RXFF;
	return fr;
}

/* Register read without side effects except for UARTDR (which pops). */
static uint32_t reg_read(struct vpl011 *u, uint32_t reg)
{
	switch (reg) {
	case UARTDR:
		return dr_read(u);
	case UARTRSR:
		return u->rsr;
	case UARTFR:
		return fr_read(u);
	case UARTILPR:
		return u->ilpr;
	case UARTIBRD:
		return u->ibrd;
	case UARTFBRD:
		return u->fbrd;
	case UARTLCR_H:
		return u->lcr_h;
	case UARTCR:
		return u->cr;
	case UARTIFLS:
		return u->ifls;
	case UARTIMSC:
		return u->imsc;
	case UARTRIS:
		return u->ris;
	case UARTMIS:
		return u->ris & u->imsc;
	case UARTDMACR:
		return u->dmacr;
	}
	if (reg >= UART_ID_BASE && reg < UART_ID_END)
		return uart_id_regs[(reg - UART_ID_BASE) / 4];
	return 0; /* UARTICR is write-only; the rest is reserved */
}

static void reg_write(struct vpl011 *u, uint32_t reg, uint32_t val)
{
	switch (reg) {
	case UARTDR:
		if (u->tx != NULL)
			u->tx(u->owner, (uint8_t)val);
		u->ris |= INT_TX;
		update_irq(u);
		break;
	case UARTRSR:
		/* UARTECR: any write clears the error flags. */
		u->rsr = 0;
		break;
	case UARTILPR:
		u->ilpr = (uint16_t)(val & ILPR_MASK);
		break;
	case UARTIBRD:
		u->ibrd = (uint16_t)(val & IBRD_MASK);
		break;
	case UARTFBRD:
		u->fbrd = (uint16_t)(val & FBRD_MASK);
		break;
	case UARTLCR_H:
		/*
		 * Turning the FIFO off or on keeps what was received (QEMU
		 * flushes it): console input typed during boot is not lost.
		 */
		u->lcr_h = (uint16_t)(val & LCR_H_MASK);
		break;
	case UARTCR:
		u->cr = (uint16_t)(val & CR_MASK);
		break;
	case UARTIFLS:
		u->ifls = (uint16_t)(val & IFLS_MASK);
		break;
	case UARTIMSC:
		u->imsc = (uint16_t)(val & INT_ALL);
		update_irq(u);
		break;
	case UARTICR:
		u->ris &= (uint16_t) ~(val & INT_ALL);
		update_irq(u);
		break;
	case UARTDMACR:
		u->dmacr = (uint16_t)(val & DMACR_MASK);
		break;
	}
	/* UARTFR, UARTRIS, UARTMIS and the ID registers are read-only. */
}

static bool access_ok(uint32_t off, unsigned size)
{
	return (size == 1 || size == 2 || size == 4) && (off & (size - 1)) == 0 &&
	       off < UART_ID_END;
}

uint32_t vpl011_read(struct vpl011 *u, uint32_t off, unsigned size)
{
	/* Word accesses, what drivers make, first. */
	if (size == 4 && (off & 3) == 0)
		return reg_read(u, off);
	if (!access_ok(off, size))
		return 0;
	uint32_t reg = off & ~3u;
	unsigned shift = (off & 3) * 8;
	/* Only an access that includes UARTDR's data byte pops the FIFO. */
	if (reg == UARTDR && shift != 0)
		return 0;
	uint32_t v = reg_read(u, reg) >> shift;
	return size == 4 ? v : v & ((1u << (size * 8)) - 1);
}

void vpl011_write(struct vpl011 *u, uint32_t off, unsigned size, uint32_t val)
{
	if (size == 4 && (off & 3) == 0) {
		reg_write(u, off, val);
		return;
	}
	if (!access_ok(off, size))
		return;
	uint32_t reg = off & ~3u;
	unsigned shift = (off & 3) * 8;
	if (size == 4 || reg == UARTDR || reg == UARTRSR || reg == UARTICR) {
		/* Data, clear-on-write and write-1-to-clear: no read-modify-write. */
		if (reg != UARTDR || shift == 0)
			reg_write(u, reg,
				  (val & ((size == 4) ? ~0u : (1u << (size * 8)) - 1)) << shift);
		return;
	}
	/* A narrow write to a plain register changes only its bytes. */
	uint32_t mask = ((1u << (size * 8)) - 1) << shift;
	reg_write(u, reg, (reg_read(u, reg) & ~mask) | ((val << shift) & mask));
}
