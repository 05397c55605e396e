/*
 * Emulated ARM PL011 UART, one per VM (ARM PrimeCell UART (PL011) Technical
 * Reference Manual, DDI 0183, chapter 3). Its transmit side never fills: each
 * byte goes straight to the console. Receive has a 32-entry FIFO fed by the
 * console when the VM has focus. The interrupt line is level-sensitive:
 * (RIS & IMSC) != 0. Plain C with no system-register access.
 */
#ifndef FACET_VDEV_VPL011_H
#define FACET_VDEV_VPL011_H

#include <stdbool.h>
#include <stdint.h>

#define VPL011_FIFO 32

struct vpl011 {
	uint16_t cr, lcr_h, ibrd, fbrd, ifls, imsc, ris, dmacr, rsr, ilpr;
	uint8_t rx[VPL011_FIFO];
	unsigned rx_head, rx_count;
	bool irq_level; /* last level passed to set_irq */
	void (*tx)(void *owner, uint8_t c);
	void (*set_irq)(void *owner, bool level);
	void *owner;
};

void vpl011_init(struct vpl011 *u, void (*tx)(void *, uint8_t), void (*set_irq)(void *, bool),
		 void *owner);
/* off: offset in the 4 KiB register page; size: 1, 2 or 4. */
uint32_t vpl011_read(struct vpl011 *u, uint32_t off, unsigned size);
void vpl011_write(struct vpl011 *u, uint32_t off, unsigned size, uint32_t val);
/* Console input. Returns false (byte dropped) if the FIFO is full. */
bool vpl011_rx_push(struct vpl011 *u, uint8_t c);
/* Room in the receive FIFO. */
unsigned vpl011_rx_space(const struct vpl011 *u);

#endif
