#include "gic.h"

#include <abi/board.h>

#include "dt.h"
#include "mmio.h"
#include "smp.h"
#include "spinlock.h"
#include "sysreg.h"
#include "timer.h"

/* ICC_SRE_EL1 (IHI 0069, ICC_SRE_EL1): SRE enables the system register interface; DFB, DIB. */
#define ICC_SRE_SRE BIT(0)
#define ICC_SRE_DFB BIT(1)
#define ICC_SRE_DIB BIT(2)
/* ICC_SGI1R_EL1 fields (IHI 0069, ICC_SGI1R_EL1). */
#define ICC_SGI1R_TARGETS GENMASK(15, 0)
#define ICC_SGI1R_AFF1 GENMASK(23, 16)
#define ICC_SGI1R_INTID GENMASK(27, 24)
#define ICC_SGI1R_AFF2 GENMASK(39, 32)
#define ICC_SGI1R_IRM BIT(40)
#define ICC_SGI1R_RS GENMASK(47, 44)
#define ICC_SGI1R_AFF3 GENMASK(55, 48)
#define ICC_IAR_INTID GENMASK(23, 0)

/* How long a redistributor may take to wake or the distributor to settle. */
#define GIC_SETTLE_MS 100

/* Serialises read-modify-write of shared distributor registers. */
static struct spinlock gic_lock;
static uintptr_t gic_rd[BOARD_MAX_VCPUS];

uintptr_t gic_dist_base(void)
{
	return dt.gicd_base;
}

uintptr_t gic_redist_base(unsigned cpu)
{
	return cpu < BOARD_MAX_VCPUS ? gic_rd[cpu] : 0;
}

uint32_t gic_affinity32(uint64_t mpidr)
{
	return (uint32_t)(FIELD_GET(GENMASK(39, 32), mpidr) << 24 | (mpidr & GENMASK(23, 0)));
}

static void gicd_wait_rwp(void)
{
	uint64_t end = timer_count() + timer_ms_to_ticks(GIC_SETTLE_MS);
	while ((mmio_read32(dt.gicd_base + GICD_CTLR) & GICD_CTLR_RWP) && timer_count() < end)
		cpu_relax();
}

void gic_init_dist(void)
{
	uintptr_t d = dt.gicd_base;
	unsigned lines =
	    32 * ((unsigned)FIELD_GET(GICD_TYPER_ITLINES, mmio_read32(d + GICD_TYPER)) + 1);

	mmio_write32(d + GICD_CTLR, 0);
	gicd_wait_rwp();
	for (unsigned intid = GIC_FIRST_SPI; intid < lines && intid < GIC_INTID_SPURIOUS_FIRST;
	     intid += 32) {
		mmio_write32(d + GICD_ICENABLER(intid / 32), ~0U);
		mmio_write32(d + GICD_ICPENDR(intid / 32), ~0U);
		mmio_write32(d + GICD_ICACTIVER(intid / 32), ~0U);
		mmio_write32(d + GICD_IGROUPR(intid / 32), ~0U);
		for (unsigned i = 0; i < 32; i += 4)
			mmio_write32(d + GICD_IPRIORITYR((intid + i) / 4),
				     0x01010101U * GIC_DEFAULT_PRIORITY);
	}
	gicd_wait_rwp();
	mmio_write32(d + GICD_CTLR, GICD_CTLR_ARE_NS | GICD_CTLR_ENABLE_G1A | GICD_CTLR_ENABLE_G1);
	gicd_wait_rwp();
}

uintptr_t gic_redist_find(uint64_t mpidr)
{
	uint32_t want = gic_affinity32(mpidr);
	uintptr_t rd = dt.gicr_base;

	while (rd < dt.gicr_base + dt.gicr_size) {
		uint64_t typer = mmio_read64(rd + GICR_TYPER);
		if (FIELD_GET(GICR_TYPER_AFFINITY, typer) == want)
			return rd;
		if (typer & GICR_TYPER_LAST)
			break;
		/* Two 64 KiB frames, four with virtual LPI support (IHI 0069, 12.10). */
		rd += (typer & GICR_TYPER_VLPIS) ? 2 * BOARD_GICR_STRIDE : BOARD_GICR_STRIDE;
	}
	return 0;
}

bool gic_init_cpu(void)
{
	unsigned cpu = smp_cpu_index();
	uintptr_t rd = gic_redist_find(READ_SYSREG(mpidr_el1));
	uint64_t end;

	if (!rd)
		return false;
	gic_rd[cpu] = rd;

	/* Wake the redistributor: clear ProcessorSleep, wait for ChildrenAsleep to clear (IHI 0069,
	 * GICR_WAKER). */
	mmio_write32(rd + GICR_WAKER,
		     mmio_read32(rd + GICR_WAKER) & ~(uint32_t)GICR_WAKER_PROCESSOR_SLEEP);
	end = timer_count() + timer_ms_to_ticks(GIC_SETTLE_MS);
	while ((mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP) && timer_count() < end)
		cpu_relax();

	mmio_write32(rd + GICR_ICENABLER0, ~0U);
	mmio_write32(rd + GICR_ICPENDR0, ~0U);
	mmio_write32(rd + GICR_ICACTIVER0, ~0U);
	mmio_write32(rd + GICR_IGROUPR0, ~0U);
	for (unsigned n = 0; n < 8; n++)
		mmio_write32(rd + GICR_IPRIORITYR(n), 0x01010101U * GIC_DEFAULT_PRIORITY);

	WRITE_SYSREG(icc_sre_el1,
		     READ_SYSREG(icc_sre_el1) | ICC_SRE_SRE | ICC_SRE_DFB | ICC_SRE_DIB);
	isb();
	if (!(READ_SYSREG(icc_sre_el1) & ICC_SRE_SRE))
		return false;
	WRITE_SYSREG(icc_pmr_el1, 0xff); /* let every priority through */
	WRITE_SYSREG(icc_bpr1_el1, 0);
	WRITE_SYSREG(icc_ctlr_el1, 0); /* EOImode 0 */
	WRITE_SYSREG(icc_igrpen1_el1, 1);
	isb();
	return true;
}

static uintptr_t private_base(void)
{
	return gic_rd[smp_cpu_index()];
}

static void set_bit_reg(uintptr_t dist_reg_base, uintptr_t redist_reg, unsigned intid)
{
	if (intid < GIC_FIRST_SPI)
		mmio_write32(private_base() + redist_reg, (uint32_t)BIT(intid));
	else
		mmio_write32(dt.gicd_base + dist_reg_base + 4 * (intid / 32),
			     (uint32_t)BIT(intid % 32));
}

void gic_irq_enable(unsigned intid)
{
	if (intid >= GIC_FIRST_SPI)
		gic_spi_route(intid, smp_cpu_index());
	set_bit_reg(GICD_ISENABLER(0), GICR_ISENABLER0, intid);
}

void gic_irq_disable(unsigned intid)
{
	set_bit_reg(GICD_ICENABLER(0), GICR_ICENABLER0, intid);
}

void gic_irq_set_pending(unsigned intid)
{
	set_bit_reg(GICD_ISPENDR(0), GICR_ISPENDR0, intid);
}

void gic_irq_clear_pending(unsigned intid)
{
	set_bit_reg(GICD_ICPENDR(0), GICR_ICPENDR0, intid);
}

void gic_irq_set_priority(unsigned intid, uint8_t priority)
{
	/* Four 8-bit fields per word; updated as a word, under the lock. */
	uintptr_t reg = intid < GIC_FIRST_SPI ? private_base() + GICR_IPRIORITYR(intid / 4)
					      : dt.gicd_base + GICD_IPRIORITYR(intid / 4);
	unsigned shift = 8 * (intid % 4);

	spin_lock(&gic_lock);
	mmio_write32(reg, (mmio_read32(reg) & ~(0xffU << shift)) | (uint32_t)priority << shift);
	spin_unlock(&gic_lock);
}

void gic_spi_set_edge(unsigned intid, bool edge)
{
	/* Two bits per INTID, bit 1 of each pair: 1 = edge-triggered (IHI 0069, GICD_ICFGR). */
	uintptr_t reg = dt.gicd_base + GICD_ICFGR(intid / 16);
	uint32_t bit = (uint32_t)BIT(2 * (intid % 16) + 1);

	spin_lock(&gic_lock);
	mmio_write32(reg, edge ? mmio_read32(reg) | bit : mmio_read32(reg) & ~bit);
	spin_unlock(&gic_lock);
}

void gic_spi_route(unsigned intid, unsigned cpu)
{
	/* Interrupt_Routing_Mode 0: to the PE named by the affinity fields (IHI 0069,
	 * GICD_IROUTER). */
	uint64_t mpidr = smp_cpu_mpidr(cpu);
	mmio_write64(dt.gicd_base + GICD_IROUTER(intid), mpidr & MPIDR_AFF_MASK);
}

uint32_t gic_ack(void)
{
	return (uint32_t)READ_SYSREG(icc_iar1_el1);
}

void gic_eoi(uint32_t iar)
{
	WRITE_SYSREG(icc_eoir1_el1, iar);
	isb();
}

static uint64_t sgi1r_for(unsigned sgi, uint64_t mpidr)
{
	unsigned aff0 = (unsigned)(mpidr & 0xff);

	return FIELD_PREP(ICC_SGI1R_TARGETS, BIT(aff0 % 16)) | FIELD_PREP(ICC_SGI1R_RS, aff0 / 16) |
	       FIELD_PREP(ICC_SGI1R_AFF1, FIELD_GET(GENMASK(15, 8), mpidr)) |
	       FIELD_PREP(ICC_SGI1R_AFF2, FIELD_GET(GENMASK(23, 16), mpidr)) |
	       FIELD_PREP(ICC_SGI1R_AFF3, FIELD_GET(GENMASK(39, 32), mpidr)) |
	       FIELD_PREP(ICC_SGI1R_INTID, sgi);
}

static void sgi1r_write(uint64_t v)
{
	/* Make earlier memory writes visible to the targets before they take the SGI. */
	dsb_ishst();
	WRITE_SYSREG(icc_sgi1r_el1, v);
	isb();
}

void gic_send_sgi_mask(unsigned sgi, uint32_t cpumask)
{
	/* One write per group of CPUs that share everything but the target-list bit. */
	while (cpumask) {
		unsigned first = (unsigned)__builtin_ctz(cpumask);
		uint64_t v = sgi1r_for(sgi, smp_cpu_mpidr(first));
		cpumask &= ~(uint32_t)BIT(first);
		for (unsigned c = first + 1; c < BOARD_MAX_VCPUS; c++) {
			uint64_t w = sgi1r_for(sgi, smp_cpu_mpidr(c));
			if ((cpumask & BIT(c)) &&
			    (w & ~ICC_SGI1R_TARGETS) == (v & ~ICC_SGI1R_TARGETS)) {
				v |= w & ICC_SGI1R_TARGETS;
				cpumask &= ~(uint32_t)BIT(c);
			}
		}
		sgi1r_write(v);
	}
}

void gic_send_sgi(unsigned sgi, unsigned cpu)
{
	gic_send_sgi_mask(sgi, (uint32_t)BIT(cpu));
}

void gic_send_sgi_others(unsigned sgi)
{
	sgi1r_write(ICC_SGI1R_IRM | FIELD_PREP(ICC_SGI1R_INTID, sgi));
}
