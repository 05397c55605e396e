/*
 * Physical GICv3 driver. Register offsets: GIC architecture specification
 * IHI 0069, 12.9 (distributor), 12.11 (redistributor), 12.2 (ICC_* CPU
 * interface system registers).
 */
#include "drivers/gicv3.h"
#include "arch/aarch64/sysreg.h"

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0C00
#define GICD_IROUTER 0x6000
#define GICD_CTLR_RWP (1U << 31)
/* GICD_CTLR with DS=1 (QEMU virt without security): ARE bit 4, EnableGrp1 bit 1. */
#define GICD_CTLR_ARE (1U << 4)
#define GICD_CTLR_GRP1 (1U << 1)
#define GICD_CTLR_GRP1NS (1U << 1)

#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_SGI 0x10000
#define GICR_IGROUPR0 (GICR_SGI + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI + 0x0100)
#define GICR_ICENABLER0 (GICR_SGI + 0x0180)
#define GICR_IPRIORITYR (GICR_SGI + 0x0400)
#define GICR_TYPER_LAST (1U << 4)
#define GICR_WAKER_PS (1U << 1)
#define GICR_WAKER_CA (1U << 2)
#define GICR_FRAME 0x20000

static uintptr_t gicd, gicr_region;
static uint64_t gicr_region_size;

static inline uint32_t r32(uintptr_t a)
{
	return *(volatile uint32_t *)a;
}
static inline void w32(uintptr_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}
static inline uint64_t r64(uintptr_t a)
{
	return *(volatile uint64_t *)a;
}
static inline void w64(uintptr_t a, uint64_t v)
{
	*(volatile uint64_t *)a = v;
}
static inline void w8(uintptr_t a, uint8_t v)
{
	*(volatile uint8_t *)a = v;
}

static void dist_wait_rwp(void)
{
	while (r32(gicd + GICD_CTLR) & GICD_CTLR_RWP)
		;
}

void gicv3_init(uintptr_t d, uintptr_t r, uint64_t rsize)
{
	gicd = d;
	gicr_region = r;
	gicr_region_size = rsize;
	w32(gicd + GICD_CTLR, 0);
	dist_wait_rwp();
	unsigned lines = ((r32(gicd + GICD_TYPER) & 0x1F) + 1) * 32;
	for (unsigned i = 32; i < lines; i += 32) {
		w32(gicd + GICD_ICENABLER + i / 8, ~0U);
		w32(gicd + GICD_IGROUPR + i / 8, ~0U);
	}
	dist_wait_rwp();
	w32(gicd + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1NS);
	dist_wait_rwp();
}

/* Affinity of an MPIDR in GICR_TYPER's format: Aff3.Aff2.Aff1.Aff0. */
static uint32_t mpidr_to_aff(uint64_t mpidr)
{
	return (uint32_t)(((mpidr >> 32) & 0xFF) << 24 | (mpidr & 0xFFFFFF));
}

uintptr_t gicv3_cpu_init(uint64_t mpidr)
{
	uintptr_t rd = 0;
	for (uintptr_t f = gicr_region; f < gicr_region + gicr_region_size; f += GICR_FRAME) {
		uint64_t typer = r64(f + GICR_TYPER);
		if ((uint32_t)(typer >> 32) == mpidr_to_aff(mpidr)) {
			rd = f;
			break;
		}
		if (typer & GICR_TYPER_LAST)
			break;
	}
	if (!rd)
		return 0;
	/* Wake the redistributor (GIC spec 12.11.39, GICR_WAKER). */
	w32(rd + GICR_WAKER, r32(rd + GICR_WAKER) & ~GICR_WAKER_PS);
	while (r32(rd + GICR_WAKER) & GICR_WAKER_CA)
		;
	w32(rd + GICR_ICENABLER0, ~0U);
	w32(rd + GICR_IGROUPR0, ~0U);

	/* ICC_SRE_EL2: SRE, and Enable so EL1 may use the system registers. */
	write_sysreg(ICC_SRE_EL2, read_sysreg(ICC_SRE_EL2) | (1 << 0) | (1 << 3));
	isb();
	/* The guests' ICC_SRE_EL1: SRE | DFB | DIB (GIC spec 12.2.20). */
	write_sysreg(ICC_SRE_EL1, 0x7);
	write_sysreg(ICC_PMR_EL1, 0xFF);
	write_sysreg(ICC_CTLR_EL1, 0); /* EOImode 0: EOIR drops priority and deactivates */
	write_sysreg(ICC_IGRPEN1_EL1, 1);
	isb();
	return rd;
}

void gicv3_enable_ppi(uintptr_t rd, unsigned intid, uint8_t prio)
{
	w8(rd + GICR_IPRIORITYR + intid, prio);
	w32(rd + GICR_ISENABLER0, 1U << intid);
}

void gicv3_enable_spi(unsigned intid, uint64_t target_mpidr, uint8_t prio, bool level)
{
	uint32_t cfg = r32(gicd + GICD_ICFGR + (intid / 16) * 4);
	unsigned sh = (intid % 16) * 2;
	cfg = (cfg & ~(3U << sh)) | ((level ? 0U : 2U) << sh);
	w32(gicd + GICD_ICFGR + (intid / 16) * 4, cfg);
	w8(gicd + GICD_IPRIORITYR + intid, prio);
	/* GICD_IROUTER holds Aff3 at [39:32] and Aff2..0 at [23:0], as MPIDR does. */
	w64(gicd + GICD_IROUTER + intid * 8, target_mpidr & 0xFF00FFFFFFULL);
	w32(gicd + GICD_ISENABLER + (intid / 32) * 4, 1U << (intid % 32));
	dist_wait_rwp();
}

uint32_t gicv3_ack(void)
{
	uint32_t id = (uint32_t)read_sysreg(ICC_IAR1_EL1);
	__asm__ volatile("dsb sy" ::: "memory");
	return id & 0xFFFFFF;
}

void gicv3_eoi(uint32_t intid)
{
	write_sysreg(ICC_EOIR1_EL1, intid);
	isb();
}

void gicv3_send_sgi(uint64_t mpidr, unsigned sgi)
{
	/* ICC_SGI1R_EL1 (GIC spec 12.2.22): Aff3/Aff2/Aff1, INTID, target list bit. */
	uint64_t v = ((mpidr >> 32) & 0xFF) << 48 | ((mpidr >> 16) & 0xFF) << 32 |
		     ((mpidr >> 8) & 0xFF) << 16 | (uint64_t)(sgi & 0xF) << 24 | (1U << (mpidr & 0xF));
	dsb(ishst);
	write_sysreg(ICC_SGI1R_EL1, v);
	isb();
}
