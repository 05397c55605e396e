/*
 * Unit tests of the emulated PL011 (vdev/vpl011.c). Offsets and values are
 * spelled out from the PL011 TRM (DDI 0183) rather than taken from the
 * device.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vdev/vpl011.h"

#define DR 0x000
#define RSR_ECR 0x004
#define FR 0x018
#define ILPR 0x020
#define IBRD 0x024
#define FBRD 0x028
#define LCR_H 0x02c
#define CR 0x030
#define IFLS 0x034
#define IMSC 0x038
#define RIS 0x03c
#define MIS 0x040
#define ICR 0x044
#define DMACR 0x048

#define FR_BUSY 0x08u
#define FR_RXFE 0x10u
#define FR_TXFF 0x20u
#define FR_RXFF 0x40u
#define FR_TXFE 0x80u
#define LCR_H_FEN 0x10u
#define INT_RX 0x10u
#define INT_TX 0x20u
#define INT_RT 0x40u
#define INT_OE 0x400u

struct host {
	uint8_t out[64];
	unsigned nout;
	unsigned irq_calls;
	bool irq;
};

static void host_tx(void *owner, uint8_t c)
{
	struct host *h = owner;
	assert_true(h->nout < sizeof(h->out));
	h->out[h->nout++] = c;
}

static void host_set_irq(void *owner, bool level)
{
	struct host *h = owner;
	/* Only transitions are reported. */
	assert_int_not_equal(level, h->irq);
	h->irq = level;
	h->irq_calls++;
}

static struct vpl011 u;
static struct host host;

static int setup(void **state)
{
	memset(&host, 0, sizeof(host));
	vpl011_init(&u, host_tx, host_set_irq, &host);
	return 0;
}

static uint32_t rd(uint32_t off)
{
	return vpl011_read(&u, off, 4);
}

static void wr(uint32_t off, uint32_t val)
{
	vpl011_write(&u, off, 4, val);
}

static void enable_fifo(void)
{
	wr(LCR_H, LCR_H_FEN | 0x60); /* 8 bits, FIFOs on */
}

static void test_id_registers(void **state)
{
	uint32_t periph = 0, cell = 0;
	for (unsigned i = 0; i < 4; i++) {
		periph |= rd(0xfe0 + 4 * i) << (8 * i);
		cell |= rd(0xff0 + 4 * i) << (8 * i);
	}
	assert_int_equal(periph, 0x00041011);
	assert_int_equal(cell, 0xb105f00d);
	/* Read-only. */
	wr(0xfe0, 0);
	assert_int_equal(rd(0xfe0), 0x11);
	/* Byte reads see the same values. */
	assert_int_equal(vpl011_read(&u, 0xff0, 1), 0x0d);
	assert_int_equal(vpl011_read(&u, 0xffc, 1), 0xb1);
}

static void test_reset_values(void **state)
{
	assert_int_equal(rd(CR), 0x300);
	assert_int_equal(rd(IFLS), 0x12);
	assert_int_equal(rd(FR), FR_TXFE | FR_RXFE);
	assert_int_equal(rd(LCR_H), 0);
	assert_int_equal(rd(IBRD), 0);
	assert_int_equal(rd(FBRD), 0);
	assert_int_equal(rd(IMSC), 0);
	assert_int_equal(rd(RIS), 0);
	assert_int_equal(rd(MIS), 0);
	assert_int_equal(rd(RSR_ECR), 0);
	assert_int_equal(rd(DMACR), 0);
	assert_int_equal(host.irq_calls, 0);
}

static void test_register_widths(void **state)
{
	wr(IBRD, 0xffffffff);
	wr(FBRD, 0xffffffff);
	wr(ILPR, 0xffffffff);
	wr(LCR_H, 0xffffffff);
	wr(IFLS, 0xffffffff);
	wr(DMACR, 0xffffffff);
	wr(CR, 0xffffffff);
	assert_int_equal(rd(IBRD), 0xffff);
	assert_int_equal(rd(FBRD), 0x3f);
	assert_int_equal(rd(ILPR), 0xff);
	assert_int_equal(rd(LCR_H), 0xff);
	assert_int_equal(rd(IFLS), 0x3f);
	assert_int_equal(rd(DMACR), 0x7);
	assert_int_equal(rd(CR), 0xff87);
	/* A byte write to CR's upper byte keeps the lower one. */
	vpl011_write(&u, CR + 1, 1, 0x03);
	assert_int_equal(rd(CR), 0x0387);
	assert_int_equal(vpl011_read(&u, CR + 1, 1), 0x03);
	/* Read-only registers ignore writes. */
	wr(FR, 0);
	wr(RIS, 0xffff);
	assert_int_equal(rd(FR), FR_TXFE | FR_RXFE);
	assert_int_equal(rd(RIS), 0);
}

static void test_tx(void **state)
{
	wr(DR, 'h');
	vpl011_write(&u, DR, 1, 'i');
	vpl011_write(&u, DR, 2, 0x0a);
	assert_int_equal(host.nout, 3);
	assert_memory_equal(host.out, "hi\n", 3);
	/* Transmit never fills or gets busy. */
	uint32_t fr = rd(FR);
	assert_int_equal(fr & (FR_TXFF | FR_BUSY), 0);
	assert_int_equal(fr & FR_TXFE, FR_TXFE);
	/* Only the data byte is sent. */
	wr(DR, 0x341);
	assert_int_equal(host.out[3], 0x41);
	/* A misaligned or odd-sized access does nothing. */
	vpl011_write(&u, DR + 1, 1, 'x');
	vpl011_write(&u, DR + 2, 4, 'x');
	vpl011_write(&u, DR, 3, 'x');
	assert_int_equal(host.nout, 4);
}

static void test_rx_order(void **state)
{
	enable_fifo();
	assert_int_equal(vpl011_rx_space(&u), 32);
	assert_true(vpl011_rx_push(&u, 'a'));
	assert_true(vpl011_rx_push(&u, 'b'));
	assert_true(vpl011_rx_push(&u, 'c'));
	assert_int_equal(vpl011_rx_space(&u), 29);
	assert_int_equal(rd(FR) & (FR_RXFE | FR_RXFF), 0);
	assert_int_equal(rd(DR), 'a');
	assert_int_equal(vpl011_read(&u, DR, 1), 'b');
	assert_int_equal(rd(DR), 'c');
	assert_int_equal(rd(FR) & FR_RXFE, FR_RXFE);
	/* Reading an empty FIFO returns 0 and changes nothing. */
	assert_int_equal(rd(DR), 0);
	assert_int_equal(vpl011_rx_space(&u), 32);
	/* Order holds across the ring's wrap-around. */
	for (unsigned i = 0; i < 100; i++) {
		assert_true(vpl011_rx_push(&u, (uint8_t)i));
		assert_true(vpl011_rx_push(&u, (uint8_t)(i + 100)));
		assert_int_equal(rd(DR), i);
		assert_int_equal(rd(DR), i + 100);
	}
	/* A read of DR's upper bytes does not pop. */
	assert_true(vpl011_rx_push(&u, 'z'));
	vpl011_read(&u, DR + 1, 1);
	assert_int_equal(rd(DR), 'z');
}

static void test_rx_overflow(void **state)
{
	enable_fifo();
	for (unsigned i = 0; i < 32; i++)
		assert_true(vpl011_rx_push(&u, (uint8_t)('A' + i)));
	assert_int_equal(vpl011_rx_space(&u), 0);
	assert_int_equal(rd(FR) & (FR_RXFF | FR_RXFE), FR_RXFF);
	assert_false(vpl011_rx_push(&u, '!'));
	/* Overrun flagged; the FIFO keeps the first 32 bytes. */
	assert_int_equal(rd(RSR_ECR) & 0x8, 0x8);
	assert_int_equal(rd(RIS) & INT_OE, INT_OE);
	wr(RSR_ECR, 0);
	assert_int_equal(rd(RSR_ECR), 0);
	for (unsigned i = 0; i < 32; i++)
		assert_int_equal(rd(DR), 'A' + i);
	assert_int_equal(rd(FR) & (FR_RXFF | FR_RXFE), FR_RXFE);
	assert_int_equal(rd(DR), 0);
}

static void test_rx_without_fifo(void **state)
{
	/* LCR_H.FEN = 0 at reset: a one-byte holding register. */
	assert_int_equal(vpl011_rx_space(&u), 1);
	assert_true(vpl011_rx_push(&u, 'x'));
	assert_int_equal(rd(FR) & FR_RXFF, FR_RXFF);
	assert_false(vpl011_rx_push(&u, 'y'));
	assert_int_equal(rd(DR), 'x');
	assert_int_equal(vpl011_rx_space(&u), 1);
	/* Turning the FIFO on keeps what was received. */
	assert_true(vpl011_rx_push(&u, 'p'));
	enable_fifo();
	assert_int_equal(vpl011_rx_space(&u), 31);
	assert_true(vpl011_rx_push(&u, 'q'));
	assert_int_equal(rd(DR), 'p');
	assert_int_equal(rd(DR), 'q');
}

static void test_rx_interrupt(void **state)
{
	enable_fifo();
	/* Masked: RIS rises, the line does not. */
	assert_true(vpl011_rx_push(&u, '1'));
	assert_int_equal(rd(RIS) & (INT_RX | INT_RT), INT_RX | INT_RT);
	assert_int_equal(rd(MIS), 0);
	assert_int_equal(host.irq_calls, 0);
	/* Unmasking raises it. */
	wr(IMSC, INT_RX | INT_RT);
	assert_true(host.irq);
	assert_int_equal(host.irq_calls, 1);
	assert_int_equal(rd(MIS), INT_RX | INT_RT);
	/* More data: still high, no new call. */
	assert_true(vpl011_rx_push(&u, '2'));
	assert_int_equal(host.irq_calls, 1);
	/* Draining the FIFO clears RX and RT and lowers the line. */
	rd(DR);
	assert_true(host.irq);
	rd(DR);
	assert_false(host.irq);
	assert_int_equal(host.irq_calls, 2);
	assert_int_equal(rd(RIS) & (INT_RX | INT_RT), 0);
	/* ICR clears them too, and the next byte sets them again. */
	assert_true(vpl011_rx_push(&u, '3'));
	assert_true(host.irq);
	wr(ICR, INT_RX | INT_RT);
	assert_false(host.irq);
	assert_int_equal(rd(RIS) & (INT_RX | INT_RT), 0);
	assert_true(vpl011_rx_push(&u, '4'));
	assert_true(host.irq);
	assert_int_equal(rd(DR), '3');
	assert_int_equal(rd(DR), '4');
	assert_false(host.irq);
}

static void test_tx_interrupt(void **state)
{
	wr(DR, 'a');
	assert_int_equal(rd(RIS), INT_TX);
	assert_false(host.irq);
	wr(IMSC, INT_TX);
	assert_true(host.irq);
	assert_int_equal(rd(MIS), INT_TX);
	/* Only ICR clears TXRIS. */
	wr(ICR, INT_RX);
	assert_true(host.irq);
	wr(ICR, INT_TX);
	assert_false(host.irq);
	assert_int_equal(rd(RIS), 0);
	/* Writing while unmasked raises it again. */
	wr(DR, 'b');
	assert_true(host.irq);
	/* Masking lowers it; RIS stays. */
	wr(IMSC, 0);
	assert_false(host.irq);
	assert_int_equal(rd(RIS), INT_TX);
	assert_int_equal(rd(MIS), 0);
	assert_int_equal(host.irq_calls, 4);
	/* ICR writes to reserved bits are harmless. */
	wr(ICR, 0xffffffff);
	assert_int_equal(rd(RIS), 0);
}

static void test_null_callbacks(void **state)
{
	vpl011_init(&u, NULL, NULL, NULL);
	wr(IMSC, INT_TX);
	wr(DR, 'x');
	assert_int_equal(rd(MIS), INT_TX);
	assert_true(vpl011_rx_push(&u, 'y'));
	assert_int_equal(rd(DR), 'y');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_id_registers, setup),
	    cmocka_unit_test_setup(test_reset_values, setup),
	    cmocka_unit_test_setup(test_register_widths, setup),
	    cmocka_unit_test_setup(test_tx, setup),
	    cmocka_unit_test_setup(test_rx_order, setup),
	    cmocka_unit_test_setup(test_rx_overflow, setup),
	    cmocka_unit_test_setup(test_rx_without_fifo, setup),
	    cmocka_unit_test_setup(test_rx_interrupt, setup),
	    cmocka_unit_test_setup(test_tx_interrupt, setup),
	    cmocka_unit_test_setup(test_null_callbacks, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
