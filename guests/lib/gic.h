/*
 * GICv3 helpers: affinity routing, Group 1 non-secure interrupts, the system
 * register CPU interface. Register offsets: GIC architecture spec IHI 0069,
 * chapter 12 (distributor GICD_*, redistributor GICR_* in the RD_base frame,
 * and the SGI_base frame 64 KiB above it).
 */
#ifndef GUEST_GIC_H
#define GUEST_GIC_H

#include "base.h"

#define GIC_NR_SGIS 16
#define GIC_FIRST_SPI 32
#define GIC_INTID_SPURIOUS_FIRST 1020
#define GIC_DEFAULT_PRIORITY 0x80

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_IGROUPR(n) (0x0080 + 4 * (n))
#define GICD_ISENABLER(n) (0x0100 + 4 * (n))
#define GICD_ICENABLER(n) (0x0180 + 4 * (n))
#define GICD_ISPENDR(n) (0x0200 + 4 * (n))
#define GICD_ICPENDR(n) (0x0280 + 4 * (n))
#define GICD_ICACTIVER(n) (0x0380 + 4 * (n))
#define GICD_IPRIORITYR(n) (0x0400 + 4 * (n))
#define GICD_ICFGR(n) (0x0C00 + 4 * (n))
#define GICD_IROUTER(intid) (0x6000 + 8 * (intid))
#define GICD_PIDR2 0xFFE8

/* GICD_CTLR, as seen by a non-secure access (IHI 0069, GICD_CTLR). */
#define GICD_CTLR_RWP BIT(31)
#define GICD_CTLR_ARE_NS BIT(4)
#define GICD_CTLR_ENABLE_G1A BIT(1)
#define GICD_CTLR_ENABLE_G1 BIT(0)
/* GICD_TYPER: ITLinesNumber (32 * (N + 1) INTIDs) and IDbits (N + 1 bits). */
#define GICD_TYPER_ITLINES GENMASK(4, 0)
#define GICD_TYPER_IDBITS GENMASK(23, 19)
/* GICD_PIDR2 / GICR_PIDR2: ArchRev, 3 for GICv3. */
#define GIC_PIDR2_ARCHREV GENMASK(7, 4)

#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_PIDR2 0xFFE8
#define GICR_SGI_OFFSET 0x10000
#define GICR_IGROUPR0 (GICR_SGI_OFFSET + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI_OFFSET + 0x0100)
#define GICR_ICENABLER0 (GICR_SGI_OFFSET + 0x0180)
#define GICR_ISPENDR0 (GICR_SGI_OFFSET + 0x0200)
#define GICR_ICPENDR0 (GICR_SGI_OFFSET + 0x0280)
#define GICR_ICACTIVER0 (GICR_SGI_OFFSET + 0x0380)
#define GICR_IPRIORITYR(n) (GICR_SGI_OFFSET + 0x0400 + 4 * (n))
#define GICR_ICFGR1 (GICR_SGI_OFFSET + 0x0C04)

/* GICR_TYPER: Affinity_Value is Aff3.Aff2.Aff1.Aff0 in [63:32]; Last; VLPIS. */
#define GICR_TYPER_AFFINITY GENMASK(63, 32)
#define GICR_TYPER_LAST BIT(4)
#define GICR_TYPER_VLPIS BIT(1)
/* GICR_WAKER. */
#define GICR_WAKER_CHILDREN_ASLEEP BIT(2)
#define GICR_WAKER_PROCESSOR_SLEEP BIT(1)

/* Boot CPU: distributor off, every SPI Group 1, disabled, default priority; then ARE + Group 1 on.
 */
void gic_init_dist(void);
/* Every CPU: find and wake its redistributor, reset SGIs/PPIs, enable the CPU interface. */
bool gic_init_cpu(void);

uintptr_t gic_dist_base(void);
/* RD_base of a CPU's redistributor (0 if that CPU has not run gic_init_cpu). */
uintptr_t gic_redist_base(unsigned cpu);
/* Looks the redistributor for an affinity up through GICR_TYPER; 0 if none. */
uintptr_t gic_redist_find(uint64_t mpidr);
/* Packs MPIDR affinity the way GICR_TYPER.Affinity_Value and GICD_IROUTER hold it. */
uint32_t gic_affinity32(uint64_t mpidr);

/* SGIs and PPIs act on the calling CPU's redistributor; SPIs are routed to the calling CPU. */
void gic_irq_enable(unsigned intid);
void gic_irq_disable(unsigned intid);
void gic_irq_set_priority(unsigned intid, uint8_t priority);
void gic_irq_set_pending(unsigned intid);
void gic_irq_clear_pending(unsigned intid);
/* SPIs only: edge (true) or level (false) triggered; route to a CPU index. */
void gic_spi_set_edge(unsigned intid, bool edge);
void gic_spi_route(unsigned intid, unsigned cpu);

/* ICC_IAR1_EL1 / ICC_EOIR1_EL1 (EOImode 0: EOI drops priority and deactivates). */
uint32_t gic_ack(void);
void gic_eoi(uint32_t iar);

/* ICC_SGI1R_EL1: SGI to a set of CPU indexes (bit n = CPU n), or to all but self (IRM=1). */
void gic_send_sgi(unsigned sgi, unsigned cpu);
void gic_send_sgi_mask(unsigned sgi, uint32_t cpumask);
void gic_send_sgi_others(unsigned sgi);

#endif
