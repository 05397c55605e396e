/*
 * Unit tests of the emulated GICv3 (vdev/vgic.c): the register model as the
 * guest sees it, SGI generation, and the interface the hypervisor uses to
 * fill list registers. Register offsets and values are spelled out here
 * from the GIC specification (IHI 0069) rather than taken from vgic.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vdev/vgic.h"

/* GICD (12.8) */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_TYPER2 0x000c
#define GICD_IGROUPR(n) (0x0080 + 4 * (n))
#define GICD_ISENABLER(n) (0x0100 + 4 * (n))
#define GICD_ICENABLER(n) (0x0180 + 4 * (n))
#define GICD_ISPENDR(n) (0x0200 + 4 * (n))
#define GICD_ICPENDR(n) (0x0280 + 4 * (n))
#define GICD_ISACTIVER(n) (0x0300 + 4 * (n))
#define GICD_ICACTIVER(n) (0x0380 + 4 * (n))
#define GICD_IPRIORITYR(n) (0x0400 + 4 * (n))
#define GICD_ICFGR(n) (0x0c00 + 4 * (n))
#define GICD_IGRPMODR(n) (0x0d00 + 4 * (n))
#define GICD_SGIR 0x0f00
#define GICD_IROUTER(n) (0x6000 + 8 * (n))
#define GICD_PIDR2 0xffe8
#define GICD_CIDR0 0xfff0

/* GICR (12.10): RD_base, then SGI_base at 0x10000 */
#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_PIDR2 0xffe8
#define SGI_BASE 0x10000
#define GICR_IGROUPR0 (SGI_BASE + 0x0080)
#define GICR_ISENABLER0 (SGI_BASE + 0x0100)
#define GICR_ICENABLER0 (SGI_BASE + 0x0180)
#define GICR_ISPENDR0 (SGI_BASE + 0x0200)
#define GICR_ICPENDR0 (SGI_BASE + 0x0280)
#define GICR_ISACTIVER0 (SGI_BASE + 0x0300)
#define GICR_IPRIORITYR(n) (SGI_BASE + 0x0400 + 4 * (n))
#define GICR_ICFGR0 (SGI_BASE + 0x0c00)
#define GICR_ICFGR1 (SGI_BASE + 0x0c04)

#define CTLR_ENGRP0 0x1u
#define CTLR_ENGRP1 0x2u
#define CTLR_ARE 0x10u
#define CTLR_DS 0x40u

/* ICC_SGI1R_EL1 fields (12.2.22) */
#define SGI1R(intid, list) (((uint64_t)(intid) << 24) | (uint64_t)(list))
#define SGI1R_AFF1(a) ((uint64_t)(a) << 16)
#define SGI1R_AFF2(a) ((uint64_t)(a) << 32)
#define SGI1R_IRM (1ULL << 40)
#define SGI1R_RS(r) ((uint64_t)(r) << 44)
#define SGI1R_AFF3(a) ((uint64_t)(a) << 48)

struct notes {
	unsigned count[BOARD_MAX_VCPUS];
	unsigned total;
};

static void record_notify(void *owner, unsigned vcpu)
{
	struct notes *n = owner;
	assert_true(vcpu < BOARD_MAX_VCPUS);
	n->count[vcpu]++;
	n->total++;
}

static struct vgic g;
static struct notes notes;

static void reset(unsigned nr_vcpus)
{
	memset(&notes, 0, sizeof(notes));
	vgic_init(&g, nr_vcpus, record_notify, &notes);
}

static int setup4(void **state)
{
	reset(4);
	return 0;
}

static void clear_notes(void)
{
	memset(&notes, 0, sizeof(notes));
}

static uint32_t dread(uint32_t off)
{
	return (uint32_t)vgic_dist_read(&g, off, 4);
}

static void dwrite(uint32_t off, uint32_t val)
{
	vgic_dist_write(&g, off, 4, val);
}

static uint32_t rread(unsigned vcpu, uint32_t off)
{
	return (uint32_t)vgic_redist_read(&g, vcpu, off, 4);
}

static void rwrite(unsigned vcpu, uint32_t off, uint32_t val)
{
	vgic_redist_write(&g, vcpu, off, 4, val);
}

/* Bit of intid in a 1-bit-per-interrupt register. */
static uint32_t bit_of(uint32_t intid)
{
	return 1u << (intid % 32);
}

/* Enable intid (on vcpu if private) with a priority. */
static void enable_irq(unsigned vcpu, uint32_t intid, uint8_t prio)
{
	if (intid < 32) {
		vgic_redist_write(&g, vcpu, GICR_IPRIORITYR(0) + intid, 1, prio);
		rwrite(vcpu, GICR_ISENABLER0, bit_of(intid));
	} else {
		vgic_dist_write(&g, GICD_IPRIORITYR(0) + intid, 1, prio);
		dwrite(GICD_ISENABLER(intid / 32), bit_of(intid));
	}
}

static void make_edge(uint32_t intid)
{
	uint32_t reg = GICD_ICFGR(intid / 16);
	dwrite(reg, dread(reg) | 2u << (2 * (intid % 16)));
}

/* Take the next interrupt for vcpu, or return 0xffffffff if there is none. */
static uint32_t take(unsigned vcpu, bool *eoi)
{
	uint32_t intid = 0;
	uint8_t prio = 0;
	bool group1 = false, eoi_notify = true;
	if (!vgic_take_pending(&g, vcpu, &intid, &prio, &group1, &eoi_notify))
		return 0xffffffffu;
	if (eoi != NULL)
		*eoi = eoi_notify;
	return intid;
}

/* ---------------------------------------------------------------------- */
/* Distributor register model */

static void test_dist_id_registers(void **state)
{
	/* DS and ARE read 1; both group enables are 0 at reset; RWP 0. */
	assert_int_equal(dread(GICD_CTLR), CTLR_ARE | CTLR_DS);
	uint32_t typer = dread(GICD_TYPER);
	assert_int_equal(typer & 0x1f, 2);	   /* ITLinesNumber: 96 INTIDs */
	assert_int_equal((typer >> 5) & 7, 0);	   /* CPUNumber with ARE */
	assert_int_equal((typer >> 19) & 0x1f, 15); /* IDbits: 16 bits, as the CPU interface */
	assert_int_equal(typer & (1u << 16), 0);   /* MBIS */
	assert_int_equal(typer & (1u << 17), 0);   /* LPIS */
	assert_int_equal(typer & (1u << 10), 0);   /* SecurityExtn RAZ with DS */
	assert_int_equal(typer, 0x00780002);
	assert_int_equal(dread(GICD_IIDR), 0x4600043b);
	assert_int_equal(dread(GICD_TYPER2), 0);
	assert_int_equal((dread(GICD_PIDR2) >> 4) & 0xf, 3);
	assert_int_equal(dread(GICD_CIDR0), 0x0d);
	assert_int_equal(dread(GICD_CIDR0 + 4), 0xf0);
	assert_int_equal(dread(GICD_CIDR0 + 8), 0x05);
	assert_int_equal(dread(GICD_CIDR0 + 12), 0xb1);
	/* ID registers are read-only. */
	dwrite(GICD_PIDR2, 0);
	assert_int_equal((dread(GICD_PIDR2) >> 4) & 0xf, 3);
}

static void test_dist_ctlr(void **state)
{
	dwrite(GICD_CTLR, 0xffffffff);
	assert_int_equal(dread(GICD_CTLR), CTLR_ARE | CTLR_DS | CTLR_ENGRP0 | CTLR_ENGRP1);
	dwrite(GICD_CTLR, 0);
	assert_int_equal(dread(GICD_CTLR), CTLR_ARE | CTLR_DS);
	dwrite(GICD_CTLR, CTLR_ENGRP1);
	assert_int_equal(dread(GICD_CTLR), CTLR_ARE | CTLR_DS | CTLR_ENGRP1);
	/* Writing ARE = 0 does not turn affinity routing off. */
	assert_int_equal(dread(GICD_CTLR) & CTLR_ARE, CTLR_ARE);
	/* GICD_SGIR is RES0 with ARE: writing it pends nothing. */
	dwrite(GICD_SGIR, (1u << 24) | (0xf << 16) | 3);
	for (unsigned v = 0; v < 4; v++)
		assert_int_equal(rread(v, GICR_ISPENDR0), 0);
}

static void test_dist_private_raz_wi(void **state)
{
	dwrite(GICD_ISENABLER(0), 0xffffffff);
	dwrite(GICD_ISPENDR(0), 0xffffffff);
	dwrite(GICD_IPRIORITYR(0), 0x80808080);
	dwrite(GICD_IGROUPR(0), 0);
	assert_int_equal(dread(GICD_ISENABLER(0)), 0);
	assert_int_equal(dread(GICD_ISPENDR(0)), 0);
	assert_int_equal(dread(GICD_IPRIORITYR(0)), 0);
	assert_int_equal(dread(GICD_IGROUPR(0)), 0);
	assert_int_equal(dread(GICD_ICFGR(0)), 0);
	assert_int_equal(dread(GICD_IROUTER(0)), 0);
	/* ... and the redistributors did not see those writes. */
	for (unsigned v = 0; v < 4; v++) {
		assert_int_equal(rread(v, GICR_ISENABLER0), 0);
		assert_int_equal(rread(v, GICR_ISPENDR0), 0);
		assert_int_equal(rread(v, GICR_IPRIORITYR(0)), 0);
		assert_int_equal(rread(v, GICR_IGROUPR0), 0xffffffff);
	}
	assert_int_equal(notes.total, 0);
}

static void test_reset_state(void **state)
{
	/* Everything Group 1, disabled, priority 0; SPIs beyond 95 do not exist. */
	assert_int_equal(dread(GICD_IGROUPR(1)), 0xffffffff);
	assert_int_equal(dread(GICD_IGROUPR(2)), 0xffffffff);
	assert_int_equal(dread(GICD_IGROUPR(3)), 0);
	assert_int_equal(dread(GICD_ISENABLER(1)), 0);
	assert_int_equal(dread(GICD_IPRIORITYR(8)), 0);
	/* SPIs level-sensitive, SGIs edge, PPIs level (as QEMU virt). */
	assert_int_equal(dread(GICD_ICFGR(2)), 0);
	assert_int_equal(rread(0, GICR_ICFGR0), 0xaaaaaaaa);
	assert_int_equal(rread(0, GICR_ICFGR1), 0);
	assert_int_equal(rread(0, GICR_ISENABLER0), 0);
	assert_int_equal(rread(0, GICR_IGROUPR0), 0xffffffff);
	/* Unimplemented SPIs are RAZ/WI. */
	dwrite(GICD_ISENABLER(3), 0xffffffff);
	assert_int_equal(dread(GICD_ISENABLER(3)), 0);
	/* IGRPMODR is RAZ/WI with DS = 1. */
	dwrite(GICD_IGRPMODR(1), 0xffffffff);
	assert_int_equal(dread(GICD_IGRPMODR(1)), 0);
}

static void test_priority_byte_and_word(void **state)
{
	/* IPRIORITYR8 holds INTIDs 32-35, lowest INTID in the lowest byte. */
	dwrite(GICD_IPRIORITYR(8), 0x11223344);
	assert_int_equal(vgic_dist_read(&g, GICD_IPRIORITYR(8), 1), 0x44);
	assert_int_equal(vgic_dist_read(&g, GICD_IPRIORITYR(8) + 3, 1), 0x11);
	vgic_dist_write(&g, GICD_IPRIORITYR(8) + 1, 1, 0xab);
	assert_int_equal(dread(GICD_IPRIORITYR(8)), 0x1122ab44);
	/* Last implemented SPI. */
	vgic_dist_write(&g, GICD_IPRIORITYR(0) + 95, 1, 0xf0);
	assert_int_equal(dread(GICD_IPRIORITYR(23)), 0xf0000000);
	/* Halfword accesses are not supported: RAZ/WI. */
	vgic_dist_write(&g, GICD_IPRIORITYR(8), 2, 0xffff);
	assert_int_equal(dread(GICD_IPRIORITYR(8)), 0x1122ab44);
	assert_int_equal(vgic_dist_read(&g, GICD_IPRIORITYR(8), 2), 0);
	/* Misaligned word access: RAZ/WI. */
	vgic_dist_write(&g, GICD_IPRIORITYR(8) + 1, 4, 0);
	assert_int_equal(dread(GICD_IPRIORITYR(8)), 0x1122ab44);
	/* Redistributor: per vCPU. */
	rwrite(1, GICR_IPRIORITYR(4), 0xa0b0c0d0); /* INTIDs 16-19 */
	vgic_redist_write(&g, 1, GICR_IPRIORITYR(0) + 2, 1, 0x55);
	assert_int_equal(rread(1, GICR_IPRIORITYR(4)), 0xa0b0c0d0);
	assert_int_equal(vgic_redist_read(&g, 1, GICR_IPRIORITYR(4) + 1, 1), 0xc0);
	assert_int_equal(rread(1, GICR_IPRIORITYR(0)), 0x00550000);
	assert_int_equal(rread(0, GICR_IPRIORITYR(4)), 0);
	assert_int_equal(rread(2, GICR_IPRIORITYR(0)), 0);
	/* Byte access to a register that is not byte-accessible is ignored. */
	vgic_dist_write(&g, GICD_ISENABLER(1), 1, 0xff);
	assert_int_equal(dread(GICD_ISENABLER(1)), 0);
}

static void test_enable_set_clear(void **state)
{
	dwrite(GICD_ISENABLER(1), bit_of(32) | bit_of(37));
	assert_int_equal(dread(GICD_ISENABLER(1)), 0x21);
	assert_int_equal(dread(GICD_ICENABLER(1)), 0x21);
	/* Zeros have no effect on either register. */
	dwrite(GICD_ISENABLER(1), 0);
	dwrite(GICD_ICENABLER(1), 0);
	assert_int_equal(dread(GICD_ISENABLER(1)), 0x21);
	dwrite(GICD_ICENABLER(1), bit_of(32));
	assert_int_equal(dread(GICD_ISENABLER(1)), 0x20);
	dwrite(GICD_ISENABLER(2), 0x80000000); /* INTID 95 */
	assert_int_equal(dread(GICD_ISENABLER(2)), 0x80000000);
	/* Redistributor: SGIs can be enabled, and only on that vCPU. */
	rwrite(2, GICR_ISENABLER0, 0x00010001);
	assert_int_equal(rread(2, GICR_ISENABLER0), 0x00010001);
	assert_int_equal(rread(1, GICR_ISENABLER0), 0);
	rwrite(2, GICR_ICENABLER0, 0x1);
	assert_int_equal(rread(2, GICR_ISENABLER0), 0x00010000);
	/* Nothing was pending: no notification. */
	assert_int_equal(notes.total, 0);
}

static void test_pending_and_active_registers(void **state)
{
	dwrite(GICD_ISPENDR(1), bit_of(40));
	assert_int_equal(dread(GICD_ISPENDR(1)), bit_of(40));
	assert_int_equal(dread(GICD_ICPENDR(1)), bit_of(40));
	dwrite(GICD_ICPENDR(1), bit_of(40));
	assert_int_equal(dread(GICD_ISPENDR(1)), 0);
	/* A level-sensitive input held high stays pending through ICPENDR. */
	vgic_set_level(&g, 0, 41, true);
	assert_int_equal(dread(GICD_ISPENDR(1)), bit_of(41));
	dwrite(GICD_ICPENDR(1), bit_of(41));
	assert_int_equal(dread(GICD_ISPENDR(1)), bit_of(41));
	vgic_set_level(&g, 0, 41, false);
	assert_int_equal(dread(GICD_ISPENDR(1)), 0);
	/* Active. */
	dwrite(GICD_ISACTIVER(2), 0x3);
	assert_int_equal(dread(GICD_ISACTIVER(2)), 0x3);
	dwrite(GICD_ICACTIVER(2), 0x1);
	assert_int_equal(dread(GICD_ICACTIVER(2)), 0x2);
	rwrite(3, GICR_ISACTIVER0, 0x80000000);
	assert_int_equal(rread(3, GICR_ISACTIVER0), 0x80000000);
	assert_int_equal(rread(0, GICR_ISACTIVER0), 0);
}

static void test_icfgr(void **state)
{
	dwrite(GICD_ICFGR(2), 0xffffffff); /* INTIDs 32-47 edge; bit 0s are RES0 */
	assert_int_equal(dread(GICD_ICFGR(2)), 0xaaaaaaaa);
	dwrite(GICD_ICFGR(2), 0x00000008); /* only INTID 33 edge */
	assert_int_equal(dread(GICD_ICFGR(2)), 0x00000008);
	/* SGIs are always edge: GICR_ICFGR0 is read-only. */
	rwrite(0, GICR_ICFGR0, 0);
	assert_int_equal(rread(0, GICR_ICFGR0), 0xaaaaaaaa);
	/* PPIs are configurable, per vCPU. */
	rwrite(1, GICR_ICFGR1, 0x80000000); /* INTID 31 edge */
	assert_int_equal(rread(1, GICR_ICFGR1), 0x80000000);
	assert_int_equal(rread(0, GICR_ICFGR1), 0);
}

static void test_irouter(void **state)
{
	/* Reset routes everything to vCPU 0. */
	assert_int_equal(vgic_spi_target(&g, 40), 0);
	vgic_dist_write(&g, GICD_IROUTER(40), 8, 2);
	assert_int_equal(vgic_spi_target(&g, 40), 2);
	assert_int_equal(vgic_dist_read(&g, GICD_IROUTER(40), 8), 2);
	/* 32-bit halves. */
	vgic_dist_write(&g, GICD_IROUTER(41), 4, 3);
	assert_int_equal(vgic_spi_target(&g, 41), 3);
	vgic_dist_write(&g, GICD_IROUTER(41) + 4, 4, 0x7); /* Aff3 = 7: no such PE */
	assert_int_equal(vgic_dist_read(&g, GICD_IROUTER(41), 8), 0x0000000700000003ULL);
	assert_int_equal(vgic_dist_read(&g, GICD_IROUTER(41), 4), 3);
	assert_int_equal(vgic_dist_read(&g, GICD_IROUTER(41) + 4, 4), 7);
	assert_int_equal(vgic_spi_target(&g, 41), 0);
	/* IRM = 1 routes to vCPU 0. */
	vgic_dist_write(&g, GICD_IROUTER(42), 8, (1ULL << 31) | 3);
	assert_int_equal(vgic_dist_read(&g, GICD_IROUTER(42), 8), (1ULL << 31) | 3);
	assert_int_equal(vgic_spi_target(&g, 42), 0);
	/* Out-of-range Aff0, nonzero Aff1: vCPU 0. */
	vgic_dist_write(&g, GICD_IROUTER(43), 8, 4);
	assert_int_equal(vgic_spi_target(&g, 43), 0);
	vgic_dist_write(&g, GICD_IROUTER(44), 8, 0x101);
	assert_int_equal(vgic_spi_target(&g, 44), 0);
	/* Reserved bits are RES0. */
	vgic_dist_write(&g, GICD_IROUTER(45), 8, 0xffffffffffffffffULL);
	assert_int_equal(vgic_dist_read(&g, GICD_IROUTER(45), 8), 0x000000ff80ffffffULL);
	/* INTIDs past the last SPI have no IROUTER. */
	vgic_dist_write(&g, GICD_IROUTER(96), 8, 1);
	assert_int_equal(vgic_dist_read(&g, GICD_IROUTER(96), 8), 0);
	vgic_dist_write(&g, GICD_IROUTER(95), 8, 1);
	assert_int_equal(vgic_spi_target(&g, 95), 1);
}

static void test_64bit_access_to_word_registers(void **state)
{
	uint64_t v = vgic_dist_read(&g, GICD_CTLR, 8);
	assert_int_equal((uint32_t)v, CTLR_ARE | CTLR_DS);
	assert_int_equal(v >> 32, 0x00780002);
	/* ISENABLER0 is RAZ/WI in the distributor; ISENABLER1 takes the upper word. */
	vgic_dist_write(&g, GICD_ISENABLER(0), 8, 0x0000000500000003ULL);
	assert_int_equal(dread(GICD_ISENABLER(0)), 0);
	assert_int_equal(dread(GICD_ISENABLER(1)), 5);
	assert_int_equal(vgic_dist_read(&g, GICD_ISENABLER(0), 8), 0x0000000500000000ULL);
	vgic_dist_write(&g, GICD_ISENABLER(2), 8, 0x0000000500000003ULL);
	assert_int_equal(dread(GICD_ISENABLER(2)), 3);
	assert_int_equal(dread(GICD_ISENABLER(3)), 0); /* INTIDs 96+ do not exist */
	/* A 64-bit access must be 8-byte aligned. */
	vgic_dist_write(&g, GICD_ISENABLER(1), 8, 0xffffffffffffffffULL);
	assert_int_equal(dread(GICD_ISENABLER(1)), 5);
	assert_int_equal(vgic_dist_read(&g, GICD_ISENABLER(1), 8), 0);
}

/* ---------------------------------------------------------------------- */
/* Redistributor register model */

static void test_gicr_typer(void **state)
{
	for (unsigned v = 0; v < 4; v++) {
		uint64_t t = vgic_redist_read(&g, v, GICR_TYPER, 8);
		assert_int_equal((t >> 8) & 0xffff, v); /* Processor_Number */
		assert_int_equal(t >> 32, v);		/* Aff3.Aff2.Aff1.Aff0 = 0.0.0.v */
		assert_int_equal((t >> 4) & 1, v == 3); /* Last */
		assert_int_equal(t & 0x1, 0);		/* PLPIS */
		assert_int_equal(t & 0x8, 0);		/* DirectLPI */
		assert_int_equal(rread(v, GICR_TYPER), (uint32_t)t);
		assert_int_equal(rread(v, GICR_TYPER + 4), (uint32_t)(t >> 32));
		assert_int_equal((rread(v, GICR_PIDR2) >> 4) & 0xf, 3);
		assert_int_equal(rread(v, GICR_IIDR), 0x4600043b);
		assert_int_equal(rread(v, GICR_CTLR), 0);
	}
	/* No redistributor for a vCPU that does not exist. */
	assert_int_equal(vgic_redist_read(&g, 4, GICR_TYPER, 8), 0);
	assert_int_equal(vgic_redist_read(&g, 4, GICR_PIDR2, 4), 0);
	/* A 2-vCPU VM: Last on vCPU 1, frame 2 is absent. */
	reset(2);
	assert_int_equal(vgic_redist_read(&g, 1, GICR_TYPER, 8), (1ULL << 32) | (1 << 8) | 0x10);
	assert_int_equal(vgic_redist_read(&g, 0, GICR_TYPER, 8) & 0x10, 0);
	assert_int_equal(vgic_redist_read(&g, 2, GICR_TYPER, 8), 0);
}

static void test_gicr_waker(void **state)
{
	/* Asleep at reset: ProcessorSleep and ChildrenAsleep. */
	assert_int_equal(rread(0, GICR_WAKER), 0x6);
	rwrite(0, GICR_WAKER, 0);
	assert_int_equal(rread(0, GICR_WAKER), 0);
	assert_int_equal(rread(1, GICR_WAKER), 0x6);
	rwrite(0, GICR_WAKER, 0x2);
	assert_int_equal(rread(0, GICR_WAKER), 0x6);
	/* ChildrenAsleep itself is read-only. */
	rwrite(0, GICR_WAKER, 0x4);
	assert_int_equal(rread(0, GICR_WAKER), 0);
}

/* ---------------------------------------------------------------------- */
/* SGIs */

static uint32_t sgi_pending(unsigned vcpu)
{
	return rread(vcpu, GICR_ISPENDR0) & 0xffff;
}

static void test_sgi1r_target_list(void **state)
{
	vgic_sgi1r_write(&g, 0, SGI1R(5, 0xa)); /* vCPUs 1 and 3 */
	assert_int_equal(sgi_pending(0), 0);
	assert_int_equal(sgi_pending(1), 1u << 5);
	assert_int_equal(sgi_pending(2), 0);
	assert_int_equal(sgi_pending(3), 1u << 5);
	/* A PE may send to itself. */
	vgic_sgi1r_write(&g, 2, SGI1R(15, 0x4));
	assert_int_equal(sgi_pending(2), 1u << 15);
}

static void test_sgi1r_irm(void **state)
{
	vgic_sgi1r_write(&g, 2, SGI1R(1, 0) | SGI1R_IRM);
	assert_int_equal(sgi_pending(0), 1u << 1);
	assert_int_equal(sgi_pending(1), 1u << 1);
	assert_int_equal(sgi_pending(2), 0);
	assert_int_equal(sgi_pending(3), 1u << 1);
	/* With IRM, the target list and affinities are ignored. */
	reset(4);
	vgic_sgi1r_write(&g, 0, SGI1R(2, 0x1) | SGI1R_IRM | SGI1R_AFF1(3));
	assert_int_equal(sgi_pending(0), 0);
	assert_int_equal(sgi_pending(1), 1u << 2);
}

static void test_sgi1r_nonexistent_targets(void **state)
{
	reset(2);
	/* Bits for Aff0 2..15 name no PE: ignored, vCPU 1 still gets it. */
	vgic_sgi1r_write(&g, 0, SGI1R(3, 0xfffe));
	assert_int_equal(sgi_pending(1), 1u << 3);
	assert_int_equal(sgi_pending(0), 0);
	/* Other clusters do not exist. */
	vgic_sgi1r_write(&g, 1, SGI1R(4, 0x1) | SGI1R_AFF1(1));
	vgic_sgi1r_write(&g, 1, SGI1R(4, 0x1) | SGI1R_AFF2(1));
	vgic_sgi1r_write(&g, 1, SGI1R(4, 0x1) | SGI1R_AFF3(1));
	vgic_sgi1r_write(&g, 1, SGI1R(4, 0x1) | SGI1R_RS(1));
	assert_int_equal(sgi_pending(0), 0);
	/* IRM from the only other vCPU reaches vCPU 0 alone; none from a bad sender. */
	vgic_sgi1r_write(&g, 5, SGI1R(6, 0x1));
	assert_int_equal(sgi_pending(0), 0);
	vgic_sgi1r_write(&g, 1, SGI1R(6, 0) | SGI1R_IRM);
	assert_int_equal(sgi_pending(0), 1u << 6);
	assert_int_equal(sgi_pending(1), 1u << 3);
}

/* ---------------------------------------------------------------------- */
/* Delivery */

static void test_take_pending_priority_order(void **state)
{
	dwrite(GICD_CTLR, CTLR_ENGRP1);
	enable_irq(0, 40, 0x80);
	enable_irq(0, 41, 0x40);
	enable_irq(0, 42, 0x40);
	enable_irq(0, 20, 0xa0);
	enable_irq(0, 3, 0x40);
	make_edge(40);
	make_edge(41);
	make_edge(42);
	vgic_inject(&g, 0, 42);
	vgic_inject(&g, 0, 40);
	vgic_inject(&g, 0, 41);
	vgic_inject(&g, 0, 3);
	vgic_set_level(&g, 0, 20, true);

	uint32_t intid = 0;
	uint8_t prio = 0;
	bool group1 = false, eoi = true;
	assert_true(vgic_take_pending(&g, 0, &intid, &prio, &group1, &eoi));
	/* Priority 0x40 three ways: the lowest INTID first. */
	assert_int_equal(intid, 3);
	assert_int_equal(prio, 0x40);
	assert_true(group1);
	assert_false(eoi); /* edge */
	assert_int_equal(take(0, NULL), 41);
	assert_int_equal(take(0, NULL), 42);
	assert_int_equal(take(0, NULL), 40);
	assert_true(vgic_take_pending(&g, 0, &intid, &prio, &group1, &eoi));
	assert_int_equal(intid, 20);
	assert_int_equal(prio, 0xa0);
	assert_true(eoi); /* level */
	assert_int_equal(take(0, NULL), 0xffffffffu);
	/* Every one of them is in a list register now. */
	assert_true(vgic_has_pending(&g, 0));
	assert_false(vgic_has_pending(&g, 1));
}

/* peek reports what take would take; an evicted edge interrupt is pending again. */
static void test_peek_and_evict(void **state)
{
	uint8_t prio = 0;

	dwrite(GICD_CTLR, CTLR_ENGRP1);
	enable_irq(0, 40, 0x80);
	enable_irq(0, 41, 0x40);
	make_edge(40);
	make_edge(41);
	assert_false(vgic_peek_pending(&g, 0, &prio));
	vgic_inject(&g, 0, 40);
	assert_true(vgic_peek_pending(&g, 0, &prio));
	assert_int_equal(prio, 0x80);
	assert_int_equal(take(0, NULL), 40);
	assert_false(vgic_peek_pending(&g, 0, &prio));
	vgic_inject(&g, 0, 41);
	assert_true(vgic_peek_pending(&g, 0, &prio));
	assert_int_equal(prio, 0x40);
	/* 40 leaves its list register unacknowledged: it is pending again, behind 41. */
	vgic_lr_evict(&g, 0, 40);
	assert_int_equal(take(0, NULL), 41);
	assert_int_equal(take(0, NULL), 40);
	assert_false(vgic_peek_pending(&g, 0, &prio));
	/* Evicting what is not in a list register changes nothing. */
	vgic_lr_evict(&g, 0, 42);
	assert_false(vgic_peek_pending(&g, 0, &prio));
}

static void test_take_pending_follows_routing(void **state)
{
	dwrite(GICD_CTLR, CTLR_ENGRP1);
	vgic_dist_write(&g, GICD_IROUTER(50), 8, 2);
	enable_irq(0, 50, 0);
	vgic_inject(&g, 0, 50); /* the vcpu argument does not matter for an SPI */
	assert_int_equal(take(0, NULL), 0xffffffffu);
	assert_int_equal(take(1, NULL), 0xffffffffu);
	assert_false(vgic_has_pending(&g, 0));
	assert_true(vgic_has_pending(&g, 2));
	assert_int_equal(take(2, NULL), 50);
	/* Private interrupts stay with their vCPU. */
	enable_irq(1, 27, 0);
	vgic_set_level(&g, 1, 27, true);
	assert_int_equal(take(0, NULL), 0xffffffffu);
	assert_int_equal(take(1, NULL), 27);
}

static void test_level_redelivery(void **state)
{
	dwrite(GICD_CTLR, CTLR_ENGRP1);
	enable_irq(0, 33, 0x10); /* level-sensitive at reset */
	vgic_set_level(&g, 0, 33, true);
	bool eoi = false;
	assert_int_equal(take(0, &eoi), 33);
	assert_true(eoi);
	/* Not handed out twice while in the list register. */
	assert_int_equal(take(0, NULL), 0xffffffffu);
	/* Deactivated with the line still high: deliver again. */
	assert_true(vgic_lr_retired(&g, 0, 33));
	assert_int_equal(take(0, &eoi), 33);
	/* Line dropped before deactivation: done. */
	vgic_set_level(&g, 0, 33, false);
	assert_false(vgic_lr_retired(&g, 0, 33));
	assert_int_equal(take(0, NULL), 0xffffffffu);
	assert_false(vgic_has_pending(&g, 0));
	/* A level pulse that ends before delivery leaves nothing pending. */
	vgic_set_level(&g, 0, 33, true);
	vgic_set_level(&g, 0, 33, false);
	assert_int_equal(take(0, NULL), 0xffffffffu);
	assert_int_equal(dread(GICD_ISPENDR(1)), 0);
	/* Retiring what is not in a list register is harmless. */
	assert_false(vgic_lr_retired(&g, 0, 33));
	assert_false(vgic_lr_retired(&g, 1, 33));
	assert_false(vgic_lr_retired(&g, 0, 1000));
}

static void test_level_latched_by_ispendr(void **state)
{
	dwrite(GICD_CTLR, CTLR_ENGRP1);
	enable_irq(0, 34, 0);
	dwrite(GICD_ISPENDR(1), bit_of(34));
	bool eoi = true;
	assert_int_equal(take(0, &eoi), 34);
	/* Only latched, line low: nothing to sample when the guest is done. */
	assert_false(eoi);
	assert_false(vgic_needs_eoi_notify(&g, 0, 34));
	/* The line rises while the guest holds it: now it must be sampled again. */
	vgic_set_level(&g, 0, 34, true);
	assert_true(vgic_needs_eoi_notify(&g, 0, 34));
	assert_true(vgic_lr_retired(&g, 0, 34));
	assert_int_equal(take(0, &eoi), 34);
	assert_true(eoi);
	vgic_set_level(&g, 0, 34, false);
	/* The latch was consumed and the line is low. */
	assert_false(vgic_lr_retired(&g, 0, 34));
	assert_int_equal(take(0, NULL), 0xffffffffu);
}

static void test_edge_repended_in_lr(void **state)
{
	dwrite(GICD_CTLR, CTLR_ENGRP1);
	make_edge(35);
	enable_irq(0, 35, 0);
	vgic_inject(&g, 0, 35);
	assert_int_equal(take(0, NULL), 35);
	vgic_inject(&g, 0, 35);
	assert_int_equal(take(0, NULL), 0xffffffffu);
	assert_true(vgic_lr_retired(&g, 0, 35));
	assert_int_equal(take(0, NULL), 35);
	/* Not pended again this time. */
	assert_false(vgic_lr_retired(&g, 0, 35));
	assert_int_equal(take(0, NULL), 0xffffffffu);
	/* A rising line into an edge-configured interrupt pends it once. */
	vgic_set_level(&g, 0, 35, true);
	vgic_set_level(&g, 0, 35, true);
	assert_int_equal(take(0, NULL), 35);
	vgic_set_level(&g, 0, 35, true); /* held high: no new edge */
	assert_false(vgic_lr_retired(&g, 0, 35));
	assert_int_equal(take(0, NULL), 0xffffffffu);
}

static void test_ispendr_reads_in_lr_as_pending(void **state)
{
	dwrite(GICD_CTLR, CTLR_ENGRP1);
	make_edge(36);
	enable_irq(0, 36, 0);
	vgic_inject(&g, 0, 36);
	assert_int_equal(take(0, NULL), 36);
	assert_int_equal(dread(GICD_ISPENDR(1)), bit_of(36));
	assert_int_equal(dread(GICD_ISACTIVER(1)), 0);
	vgic_lr_retired(&g, 0, 36);
	assert_int_equal(dread(GICD_ISPENDR(1)), 0);
}

static void test_group_disable(void **state)
{
	enable_irq(0, 37, 0);
	vgic_set_level(&g, 0, 37, true);
	/* Both groups off at reset: nothing to deliver, nothing to wake for. */
	assert_int_equal(take(0, NULL), 0xffffffffu);
	assert_false(vgic_has_pending(&g, 0));
	assert_int_equal(notes.total, 0);
	/* Group 0 enable does not help a Group 1 interrupt. */
	dwrite(GICD_CTLR, CTLR_ENGRP0);
	assert_int_equal(take(0, NULL), 0xffffffffu);
	assert_int_equal(notes.total, 0);
	dwrite(GICD_CTLR, CTLR_ENGRP0 | CTLR_ENGRP1);
	assert_int_equal(notes.count[0], 1);
	assert_true(vgic_has_pending(&g, 0));
	/* Move it to Group 0 and disable that group. */
	dwrite(GICD_IGROUPR(1), ~bit_of(37));
	dwrite(GICD_CTLR, CTLR_ENGRP1);
	assert_int_equal(take(0, NULL), 0xffffffffu);
	dwrite(GICD_CTLR, CTLR_ENGRP0);
	uint32_t intid = 0;
	uint8_t prio = 0;
	bool group1 = true, eoi = false;
	assert_true(vgic_take_pending(&g, 0, &intid, &prio, &group1, &eoi));
	assert_int_equal(intid, 37);
	assert_false(group1);
}

static void test_active_blocks_delivery(void **state)
{
	dwrite(GICD_CTLR, CTLR_ENGRP1);
	enable_irq(0, 38, 0);
	dwrite(GICD_ISACTIVER(1), bit_of(38));
	vgic_set_level(&g, 0, 38, true);
	assert_int_equal(take(0, NULL), 0xffffffffu);
	assert_int_equal(notes.total, 0);
	dwrite(GICD_ICACTIVER(1), bit_of(38));
	assert_int_equal(notes.count[0], 1);
	assert_int_equal(take(0, NULL), 38);
}

static void test_notify(void **state)
{
	dwrite(GICD_CTLR, CTLR_ENGRP1);
	vgic_dist_write(&g, GICD_IROUTER(60), 8, 3);
	/* Pending but disabled: no notification. */
	vgic_inject(&g, 0, 60);
	assert_int_equal(notes.total, 0);
	/* Enabling it makes it deliverable to its target. */
	dwrite(GICD_ISENABLER(1), bit_of(60));
	assert_int_equal(notes.count[3], 1);
	assert_int_equal(notes.total, 1);
	/* Already pending: pending it again is not news. */
	vgic_inject(&g, 0, 60);
	assert_int_equal(notes.total, 1);
	/* Rerouting a waiting SPI tells its new target. */
	clear_notes();
	vgic_dist_write(&g, GICD_IROUTER(60), 8, 1);
	assert_int_equal(notes.count[1], 1);
	assert_int_equal(notes.total, 1);
	assert_int_equal(take(1, NULL), 60);
	/* Pended again while in the list register: its vCPU hears of it. */
	clear_notes();
	make_edge(60);
	vgic_inject(&g, 0, 60);
	assert_int_equal(notes.count[1], 1);
	/* Enabled first, then a level rising: one notification, on the right vCPU. */
	clear_notes();
	enable_irq(2, 23, 0);
	assert_int_equal(notes.total, 0);
	vgic_set_level(&g, 2, 23, true);
	assert_int_equal(notes.count[2], 1);
	assert_int_equal(notes.total, 1);
	vgic_set_level(&g, 2, 23, true);
	assert_int_equal(notes.total, 1);
	/* SGIs through ICC_SGI1R_EL1. */
	clear_notes();
	rwrite(1, GICR_ISENABLER0, 0xffff);
	rwrite(3, GICR_ISENABLER0, 0xffff);
	vgic_sgi1r_write(&g, 0, SGI1R(9, 0xa));
	assert_int_equal(notes.count[1], 1);
	assert_int_equal(notes.count[3], 1);
	assert_int_equal(notes.total, 2);
	/* A word write pending many interrupts of one vCPU notifies it once. */
	clear_notes();
	dwrite(GICD_ISENABLER(2), 0xffffffff);
	dwrite(GICD_ISPENDR(2), 0xffffffff);
	assert_int_equal(notes.count[0], 1);
	assert_int_equal(notes.total, 1);
	/* A NULL notify is allowed. */
	vgic_init(&g, 4, NULL, NULL);
	dwrite(GICD_CTLR, CTLR_ENGRP1);
	enable_irq(0, 33, 0);
	vgic_set_level(&g, 0, 33, true);
	assert_int_equal(take(0, NULL), 33);
}

static void test_reroute_while_in_lr(void **state)
{
	dwrite(GICD_CTLR, CTLR_ENGRP1);
	enable_irq(0, 39, 0);
	vgic_set_level(&g, 0, 39, true);
	assert_int_equal(take(0, NULL), 39);
	vgic_dist_write(&g, GICD_IROUTER(39), 8, 2);
	/* vCPU 2 cannot take it while vCPU 0's list register holds it. */
	assert_int_equal(take(2, NULL), 0xffffffffu);
	clear_notes();
	/* Retired on vCPU 0: it is vCPU 2's now, and vCPU 2 is told. */
	assert_false(vgic_lr_retired(&g, 0, 39));
	assert_int_equal(notes.count[2], 1);
	assert_int_equal(take(2, NULL), 39);
}

static void test_has_pending(void **state)
{
	assert_false(vgic_has_pending(&g, 0));
	dwrite(GICD_CTLR, CTLR_ENGRP1);
	enable_irq(1, 30, 0);
	assert_false(vgic_has_pending(&g, 1));
	vgic_set_level(&g, 1, 30, true);
	assert_true(vgic_has_pending(&g, 1));
	assert_false(vgic_has_pending(&g, 0));
	assert_int_equal(take(1, NULL), 30);
	vgic_set_level(&g, 1, 30, false);
	/* Still in a list register. */
	assert_true(vgic_has_pending(&g, 1));
	assert_false(vgic_lr_retired(&g, 1, 30));
	assert_false(vgic_has_pending(&g, 1));
	assert_false(vgic_has_pending(&g, 7));
}

static void test_bad_arguments(void **state)
{
	/* Out-of-range INTIDs, vCPUs and offsets do nothing and read 0. */
	vgic_inject(&g, 0, 96);
	vgic_inject(&g, 9, 5);
	vgic_set_level(&g, 0, 1023, true);
	vgic_set_level(&g, 4, 20, true);
	vgic_redist_write(&g, 0, 0x20000, 4, 1);
	assert_int_equal(vgic_redist_read(&g, 0, 0x20000, 4), 0);
	assert_int_equal(vgic_dist_read(&g, 0x10000, 4), 0);
	assert_int_equal(vgic_dist_read(&g, GICD_CTLR, 3), 0);
	assert_int_equal(vgic_spi_target(&g, 5), 0);
	assert_int_equal(vgic_spi_target(&g, 500), 0);
	uint32_t intid;
	uint8_t prio;
	bool group1, eoi;
	assert_false(vgic_take_pending(&g, 4, &intid, &prio, &group1, &eoi));
	assert_int_equal(notes.total, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_dist_id_registers, setup4),
	    cmocka_unit_test_setup(test_dist_ctlr, setup4),
	    cmocka_unit_test_setup(test_dist_private_raz_wi, setup4),
	    cmocka_unit_test_setup(test_reset_state, setup4),
	    cmocka_unit_test_setup(test_priority_byte_and_word, setup4),
	    cmocka_unit_test_setup(test_enable_set_clear, setup4),
	    cmocka_unit_test_setup(test_pending_and_active_registers, setup4),
	    cmocka_unit_test_setup(test_icfgr, setup4),
	    cmocka_unit_test_setup(test_irouter, setup4),
	    cmocka_unit_test_setup(test_64bit_access_to_word_registers, setup4),
	    cmocka_unit_test_setup(test_gicr_typer, setup4),
	    cmocka_unit_test_setup(test_gicr_waker, setup4),
	    cmocka_unit_test_setup(test_sgi1r_target_list, setup4),
	    cmocka_unit_test_setup(test_sgi1r_irm, setup4),
	    cmocka_unit_test_setup(test_sgi1r_nonexistent_targets, setup4),
	    cmocka_unit_test_setup(test_take_pending_priority_order, setup4),
	    cmocka_unit_test_setup(test_peek_and_evict, setup4),
	    cmocka_unit_test_setup(test_take_pending_follows_routing, setup4),
	    cmocka_unit_test_setup(test_level_redelivery, setup4),
	    cmocka_unit_test_setup(test_level_latched_by_ispendr, setup4),
	    cmocka_unit_test_setup(test_edge_repended_in_lr, setup4),
	    cmocka_unit_test_setup(test_ispendr_reads_in_lr_as_pending, setup4),
	    cmocka_unit_test_setup(test_group_disable, setup4),
	    cmocka_unit_test_setup(test_active_blocks_delivery, setup4),
	    cmocka_unit_test_setup(test_notify, setup4),
	    cmocka_unit_test_setup(test_reroute_while_in_lr, setup4),
	    cmocka_unit_test_setup(test_has_pending, setup4),
	    cmocka_unit_test_setup(test_bad_arguments, setup4),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
