/*
 * The benchmark guest (make bench, docs/performance.md). It runs under
 * QEMU with -icount shift=0,sleep=off, where every executed instruction, at
 * any exception level, advances virtual time by 1 ns, and the virtual
 * counter (CNTVCT_EL0, 62.5 MHz on QEMU virt) ticks every 16 instructions.
 *
 * Two ways of turning counter ticks into instruction counts:
 *
 *  - Batches, for operations a loop can repeat: a batch of BENCH_BATCH
 *    operations is timed as a whole, many batches are run, and the
 *    quietest one (fewest ticks: no host timer interrupt or reschedule
 *    hit it) minus the quietest batch of the same loop with a NOP in place
 *    of the operation, times 16 / BENCH_BATCH, is the cost of one operation.
 *    Resolution 1/16 instruction.
 *
 *  - Dithering, for one-shot events that start on a counter tick (a timer
 *    firing at CNTV_CVAL_EL0 = C is exactly virtual time 16 * C): the event
 *    is repeated BENCH_DITHER = 16 times, the j-th time with j extra NOPs
 *    before the closing counter read. The read happens x + j instructions
 *    after the event and returns C + floor((x + j) / 16); summed over
 *    j = 0..15 that is 16 * C + x exactly (Hermite's identity), so x is
 *    known to the instruction.
 */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#define BENCH_BATCH 256
#define BENCH_DITHER 16

/* CNTV_CTL_EL0 (ARM ARM, CNTV_CTL_EL0): ENABLE [0], IMASK [1], ISTATUS [2]. */
#define CNTV_CTL_ENABLE 1

#ifndef __ASSEMBLER__
#include <stdint.h>

/*
 * loops.S: run the loop body n times; return the counter ticks it took.
 * a1, a2: what the body operates on (see each loop in loops.S).
 */
uint64_t bench_hvc_empty(uint64_t n, uint64_t fid, uint64_t unused);
uint64_t bench_hvc(uint64_t n, uint64_t fid, uint64_t unused);
uint64_t bench_mmio_empty(uint64_t n, uint64_t addr, uint64_t unused);
uint64_t bench_mmio_read(uint64_t n, uint64_t addr, uint64_t unused);
uint64_t bench_mmio_write(uint64_t n, uint64_t addr, uint64_t unused);
uint64_t bench_sgi_empty(uint64_t n, uint64_t sgi1r, uint64_t handler);
uint64_t bench_sgi(uint64_t n, uint64_t sgi1r, uint64_t handler);
uint64_t bench_wfi_empty(uint64_t n, uint64_t delay_ticks, uint64_t unused);
uint64_t bench_wfi(uint64_t n, uint64_t delay_ticks, uint64_t unused);

/* What a timer-interrupt handler saw: the counter it read and the INTID it acknowledged. */
struct bench_shot {
	uint64_t count;
	uint64_t intid;
};

void bench_timer_shot(uint64_t handler, uint64_t cval, struct bench_shot *out);

/* Handlers entered through bench_vectors' IRQ slot (`br x13`). */
extern char bench_irq_ack[];
extern char bench_shot_plain[];
extern char bench_shot_ack[];
extern char bench_vectors[];
#endif

#endif
