/*
 * Emulated GICv3 distributor and redistributors (GIC architecture
 * specification IHI 0069). See vgic.h for the model; the choices that the
 * specification leaves open are:
 *
 *  - One Security state: GICD_CTLR.DS reads 1, as on QEMU virt without
 *    EL3. Affinity routing is always on (ARE is RAO/WI), so the distributor
 *    registers of INTIDs 0-31 are RAZ/WI and those INTIDs live in the
 *    redistributors (12.9 GICD_CTLR; GICD_ISENABLER<n> and the other
 *    banks are RAZ/WI for n = 0 when ARE = 1).
 *  - No LPIs, no ITS, no extended SPI/PPI ranges, no MBIs.
 *  - Reset state as QEMU's GICv3 when it boots a kernel directly in
 *    Non-secure state: every interrupt in Group 1, disabled, priority 0,
 *    SGIs edge-triggered, PPIs and SPIs level-sensitive, redistributors
 *    asleep (GICR_WAKER.ProcessorSleep = 1, 12.11 GICR_WAKER).
 *  - Priorities keep all 8 bits; the list register drops what the
 *    hardware does not implement.
 *  - GICR_WAKER.ProcessorSleep does not stop delivery: the virtual CPU
 *    interface has no power controller to signal.
 *  - An interrupt held by a list register is not in our model's pending or
 *    active bits (the list register holds that state). GICD/GICR_ISPENDR
 *    and ICPENDR read it as pending; ISACTIVER/ICACTIVER report only the
 *    active bit written by the guest. Clearing its pending or enable bit
 *    does not take it out of the list register.
 *
 * Plain C: no system registers, no locks (the caller holds the VM's vGIC
 * lock around every call).
 */
#include <stddef.h>
#include <string.h>

#include "vdev/vgic.h"

#define BIT32(n) ((uint32_t)1 << (n))
#define BIT64(n) ((uint64_t)1 << (n))
/* Field of x from bit lo, w bits wide. */
#define FIELD(x, lo, w) (((uint64_t)(x) >> (lo)) & ((BIT64(w)) - 1))

/* Distributor register map, GIC spec 12.8. */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_TYPER2 0x000c
#define GICD_STATUSR 0x0010
#define GICD_SGIR 0x0f00
#define GICD_IROUTER 0x6000 /* IROUTER<n> at 0x6000 + 8n, n = 32..1019 */

/*
 * Per-interrupt register banks. The distributor and the redistributor's
 * SGI_base frame put them at the same offsets (12.8, 12.10), the
 * redistributor with only the banks' first word(s), for INTIDs 0-31.
 */
#define GIC_IGROUPR 0x0080
#define GIC_ISENABLER 0x0100
#define GIC_ICENABLER 0x0180
#define GIC_ISPENDR 0x0200
#define GIC_ICPENDR 0x0280
#define GIC_ISACTIVER 0x0300
#define GIC_ICACTIVER 0x0380
#define GIC_IPRIORITYR 0x0400
#define GIC_ICFGR 0x0c00

/* GICD_CTLR when GICD_CTLR.DS == 1 (12.9 GICD_CTLR). */
#define GICD_CTLR_ENGRP0 BIT32(0)
#define GICD_CTLR_ENGRP1 BIT32(1)
#define GICD_CTLR_ARE BIT32(4)
#define GICD_CTLR_DS BIT32(6)

/*
 * GICD_IIDR / GICR_IIDR (12.9, 12.11): Implementer [11:0] is Arm's
 * JEP106 code (continuation 0x4, identity 0x3B), as QEMU and KVM report for
 * their GICs; ProductID [31:24] = 'F' for facet, Variant and Revision 0.
 * No Linux GIC erratum workaround matches this value.
 */
#define VGIC_IIDR (((uint32_t)'F' << 24) | 0x43b)

/* Redistributor RD_base frame, register map in 12.10. */
#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_STATUSR 0x0010
#define GICR_WAKER 0x0014
#define GICR_SGI_BASE 0x10000
#define GICR_FRAMES_SIZE 0x20000

#define GICR_TYPER_LAST BIT64(4)
#define GICR_WAKER_PROCESSOR_SLEEP BIT32(1)
#define GICR_WAKER_CHILDREN_ASLEEP BIT32(2)

/* GICD_IROUTER<n> (12.9): Aff3 [39:32], IRM [31], Aff2..Aff0 [23:0]. */
#define GICD_IROUTER_IRM BIT64(31)
#define GICD_IROUTER_MASK (0xff00ffffffULL | GICD_IROUTER_IRM)

/*
 * Identification registers at 0xFFD0-0xFFFC of GICD and of each RD_base.
 * Only GICD_PIDR2/GICR_PIDR2.ArchRev [7:4] is architected (12.9, 12.11:
 * 0x3 = GICv3); the rest follow the usual CoreSight
 * layout: JEP106 identity 0x3B in DES_0/DES_1 with the JEDEC bit, Arm's
 * continuation code 0x4 in PIDR4, part number 0x046 ('F'), and the
 * standard component ID 0xB105F00D in CIDR0-3.
 */
#define GIC_ID_BASE 0xffd0
#define GIC_ID_END 0x10000
static const uint8_t gic_id_regs[12] = {
    0x04, 0x00, 0x00, 0x00, /* PIDR4-7 */
    0x46, 0xb0, 0x3b, 0x00, /* PIDR0-3: PIDR2 = ArchRev 3 | JEDEC | DES_1 3 */
    0x0d, 0xf0, 0x05, 0xb1, /* CIDR0-3 */
};

/*
 * GICD_TYPER (12.9): ITLinesNumber [4:0] = N for 32(N+1) INTIDs,
 * CPUNumber [7:5] = 0 as affinity routing is on, SecurityExtn [10] RAZ
 * with DS == 1, MBIS [16] = LPIS [17] = 0, IDbits [23:19] = 15: 16 INTID
 * bits, the least the CPU interface can have (ICC_CTLR_EL1.IDbits, 12.2.6:
 * 16 or 24), as QEMU's GICv3 reports without LPIs. A3V [24] = 0 (Aff3 is always 0), No1N [25] = 0 (1 of N SPIs are
 * "supported": they all go to vCPU 0), RSS [26] = 0.
 */
#define VGIC_TYPER ((uint32_t)(BOARD_NR_IRQS / 32 - 1) | ((uint32_t)15 << 19))

_Static_assert(BOARD_NR_IRQS % 32 == 0 && BOARD_NR_IRQS <= 1020, "ITLinesNumber");
_Static_assert(BOARD_MAX_VCPUS <= 16, "vCPUs are named by Aff0 in one SGI target list");

/* ------------------------------------------------------------------------ */
/* Interrupt state */

static bool valid_vcpu(const struct vgic *g, unsigned vcpu)
{
	return vcpu < g->nr_vcpus;
}

/* The state of intid as seen by vcpu (which matters for INTIDs 0-31). */
static struct vgic_irq *irq_get(struct vgic *g, unsigned vcpu, uint32_t intid)
{
	if (intid < VGIC_NR_PRIVATE)
		return valid_vcpu(g, vcpu) ? &g->cpu[vcpu].priv[intid] : NULL;
	if (intid < BOARD_NR_IRQS)
		return &g->spi[intid - VGIC_NR_PRIVATE];
	return NULL;
}

/* intid may have become pending: the refill must look at it (struct vgic). */
static void mark(struct vgic *g, unsigned vcpu, uint32_t intid)
{
	if (intid < VGIC_NR_PRIVATE)
		g->cpu[vcpu].maybe_pending |= BIT32(intid);
	else if (intid < BOARD_NR_IRQS)
		g->spi_maybe_pending[(intid - VGIC_NR_PRIVATE) / 32] |=
			BIT32((intid - VGIC_NR_PRIVATE) % 32);
}

static bool group_enabled(uint32_t ctlr, const struct vgic_irq *irq)
{
	return (ctlr & (irq->group1 ? GICD_CTLR_ENGRP1 : GICD_CTLR_ENGRP0)) != 0;
}

/*
 * Pending in the GIC's sense (4.1.2, "Interrupt handling state machine"):
 * latched, or a level-sensitive input held high.
 */
static bool irq_pending(const struct vgic_irq *irq)
{
	return irq->pending || (!irq->edge && irq->level);
}

/*
 * Would the distributor forward it to its target's CPU interface, under
 * GICD_CTLR value ctlr? An active interrupt is not forwarded again until it
 * is deactivated (4.1.2). Being in a list register is not considered here.
 */
static bool irq_wants(uint32_t ctlr, const struct vgic_irq *irq)
{
	return irq->enabled && !irq->active && irq_pending(irq) && group_enabled(ctlr, irq);
}

static bool irq_deliverable(const struct vgic *g, const struct vgic_irq *irq)
{
	return !irq->in_lr && irq_wants(g->ctlr, irq);
}

unsigned vgic_spi_target(const struct vgic *g, uint32_t intid)
{
	if (intid < VGIC_NR_PRIVATE || intid >= BOARD_NR_IRQS)
		return 0;
	uint64_t r = g->irouter[intid - VGIC_NR_PRIVATE];
	/* IRM = 1: any participating PE may take it; we pick vCPU 0. */
	if (r & GICD_IROUTER_IRM)
		return 0;
	/* vCPU i has affinity 0.0.0.i; a route to a PE that does not exist goes to vCPU 0. */
	if (FIELD(r, 8, 16) != 0 || FIELD(r, 32, 8) != 0 || FIELD(r, 0, 8) >= g->nr_vcpus)
		return 0;
	return (unsigned)FIELD(r, 0, 8);
}

static unsigned irq_target(const struct vgic *g, unsigned vcpu, uint32_t intid)
{
	return intid < VGIC_NR_PRIVATE ? vcpu : vgic_spi_target(g, intid);
}

/*
 * Notifications are gathered as a mask of vCPUs during one operation and
 * sent at its end, so that a 32-interrupt register write notifies each vCPU
 * once at most.
 */
static void kick_if_new(const struct vgic *g, const struct vgic_irq *irq, bool wanted_before,
			unsigned target, uint32_t *kick)
{
	if (!wanted_before && irq_wants(g->ctlr, irq))
		*kick |= BIT32(target);
}

static void kick_send(const struct vgic *g, uint32_t kick)
{
	if (g->notify == NULL)
		return;
	for (unsigned v = 0; v < g->nr_vcpus; v++)
		if (kick & BIT32(v))
			g->notify(g->owner, v);
}

void vgic_init(struct vgic *g, unsigned nr_vcpus, void (*notify)(void *, unsigned), void *owner)
{
	memset(g, 0, sizeof(*g));
	g->nr_vcpus = nr_vcpus > BOARD_MAX_VCPUS ? BOARD_MAX_VCPUS : nr_vcpus;
	g->notify = notify;
	g->owner = owner;
	for (unsigned v = 0; v < BOARD_MAX_VCPUS; v++) {
		g->cpu[v].sleeping = true;
		for (unsigned i = 0; i < VGIC_NR_PRIVATE; i++) {
			g->cpu[v].priv[i].group1 = true;
			/* SGIs are always edge-triggered (12.11 GICR_ICFGR0). */
			g->cpu[v].priv[i].edge = i < 16;
		}
	}
	for (unsigned i = 0; i < VGIC_NR_SPIS; i++)
		g->spi[i].group1 = true;
}

/* ------------------------------------------------------------------------ */
/* Per-interrupt register banks (shared by GICD and GICR SGI_base) */

enum bank_kind {
	BANK_GROUP,
	BANK_SET_ENABLE,
	BANK_CLR_ENABLE,
	BANK_SET_PEND,
	BANK_CLR_PEND,
	BANK_SET_ACTIVE,
	BANK_CLR_ACTIVE,
	BANK_PRIORITY,
	BANK_CONFIG,
};

struct bank {
	uint32_t base;
	uint32_t size; /* bytes, for 1020 INTIDs */
	unsigned bits; /* per interrupt */
	enum bank_kind kind;
};

/*
 * GICD_IGRPMODR, GICD_NSACR, GICR_IGRPMODR0 and GICR_NSACR are absent from
 * the table and so RAZ/WI, which is allowed with DS == 1 (12.9
 * GICD_IGRPMODR<n>, GICD_NSACR<n>). GICD_ITARGETSR<n> is RES0 with affinity
 * routing (12.9).
 */
static const struct bank banks[] = {
    {GIC_IGROUPR, 0x80, 1, BANK_GROUP},	       /* GICD_IGROUPR<n>, GICR_IGROUPR0 */
    {GIC_ISENABLER, 0x80, 1, BANK_SET_ENABLE}, /* GICD_ISENABLER<n>, GICR_ISENABLER0 */
    {GIC_ICENABLER, 0x80, 1, BANK_CLR_ENABLE}, /* GICD_ICENABLER<n>, GICR_ICENABLER0 */
    {GIC_ISPENDR, 0x80, 1, BANK_SET_PEND},     /* GICD_ISPENDR<n>, GICR_ISPENDR0 */
    {GIC_ICPENDR, 0x80, 1, BANK_CLR_PEND},     /* GICD_ICPENDR<n>, GICR_ICPENDR0 */
    {GIC_ISACTIVER, 0x80, 1, BANK_SET_ACTIVE}, /* GICD_ISACTIVER<n>, GICR_ISACTIVER0 */
    {GIC_ICACTIVER, 0x80, 1, BANK_CLR_ACTIVE}, /* GICD_ICACTIVER<n>, GICR_ICACTIVER0 */
    {GIC_IPRIORITYR, 0x400, 8, BANK_PRIORITY}, /* GICD_IPRIORITYR<n>, GICR_IPRIORITYR<n> */
    {GIC_ICFGR, 0x100, 2, BANK_CONFIG},	       /* GICD_ICFGR<n>, GICR_ICFGR<n> */
};

/*
 * The bank holding offset off, by arithmetic rather than a walk of the
 * table (this is on every trapped GIC access): the seven one-bit banks are
 * 0x80 apart from GIC_IGROUPR, then priority and configuration.
 */
static const struct bank *bank_find(uint32_t off)
{
	_Static_assert(GIC_ISENABLER == GIC_IGROUPR + 0x80 && GIC_ICACTIVER == GIC_IGROUPR + 6 * 0x80,
		       "one-bit banks are 0x80 apart");
	if (off < GIC_IGROUPR)
		return NULL;
	if (off < GIC_IGROUPR + 7 * 0x80)
		return &banks[(off - GIC_IGROUPR) / 0x80];
	if (off >= GIC_IPRIORITYR && off < GIC_IPRIORITYR + 0x400)
		return &banks[7];
	if (off >= GIC_ICFGR && off < GIC_ICFGR + 0x100)
		return &banks[8];
	return NULL;
}

/*
 * The interrupt a bank field names: in the distributor only SPIs (INTIDs
 * 0-31 are RAZ/WI there with ARE = 1, 12.9), in a redistributor only
 * vcpu's INTIDs 0-31.
 */
static struct vgic_irq *bank_irq(struct vgic *g, unsigned vcpu, bool redist, uint32_t intid)
{
	if (redist)
		return intid < VGIC_NR_PRIVATE ? irq_get(g, vcpu, intid) : NULL;
	return intid >= VGIC_NR_PRIVATE ? irq_get(g, 0, intid) : NULL;
}

static uint32_t field_read(enum bank_kind kind, const struct vgic_irq *irq)
{
	switch (kind) {
	case BANK_GROUP:
		return irq->group1;
	case BANK_SET_ENABLE:
	case BANK_CLR_ENABLE:
		return irq->enabled;
	case BANK_SET_PEND:
	case BANK_CLR_PEND:
		/* An interrupt in a list register reads as pending (see top). */
		return irq_pending(irq) || irq->in_lr;
	case BANK_SET_ACTIVE:
	case BANK_CLR_ACTIVE:
		return irq->active;
	case BANK_PRIORITY:
		return irq->priority;
	case BANK_CONFIG:
		/* Int_config[1]: 1 = edge-triggered; bit 0 is RES0 (12.9 GICD_ICFGR<n>). */
		return irq->edge ? 2 : 0;
	}
	return 0;
}

static void field_write(enum bank_kind kind, struct vgic_irq *irq, uint32_t intid, uint32_t v)
{
	switch (kind) {
	case BANK_GROUP:
		irq->group1 = v != 0;
		break;
	/* Set/clear registers: a 0 bit has no effect (12.9 GICD_ISENABLER<n> etc.). */
	case BANK_SET_ENABLE:
		if (v)
			irq->enabled = true;
		break;
	case BANK_CLR_ENABLE:
		if (v)
			irq->enabled = false;
		break;
	case BANK_SET_PEND:
		if (v)
			irq->pending = true;
		break;
	case BANK_CLR_PEND:
		/* A level input still high keeps it pending (4.1.2). */
		if (v)
			irq->pending = false;
		break;
	case BANK_SET_ACTIVE:
		if (v)
			irq->active = true;
		break;
	case BANK_CLR_ACTIVE:
		if (v)
			irq->active = false;
		break;
	case BANK_PRIORITY:
		irq->priority = (uint8_t)v;
		break;
	case BANK_CONFIG:
		/* SGI configuration is read-only (12.11 GICR_ICFGR0). */
		if (intid >= 16)
			irq->edge = (v & 2) != 0;
		break;
	}
}

/*
 * IPRIORITYR is byte-accessible; the other banks are 32-bit registers
 * (12.9 and 12.11 register descriptions).
 */
static bool bank_size_ok(const struct bank *b, unsigned size)
{
	return size == 4 || (size == 1 && b->bits == 8);
}

static uint32_t bank_read(struct vgic *g, unsigned vcpu, bool redist, const struct bank *b,
			  uint32_t off, unsigned size)
{
	if (!bank_size_ok(b, size))
		return 0;
	uint32_t first = (off - b->base) * 8 / b->bits;
	unsigned n = size * 8 / b->bits;
	uint32_t val = 0;
	for (unsigned i = 0; i < n; i++) {
		const struct vgic_irq *irq = bank_irq(g, vcpu, redist, first + i);
		if (irq != NULL)
			val |= field_read(b->kind, irq) << (i * b->bits);
	}
	return val;
}

static void bank_write(struct vgic *g, unsigned vcpu, bool redist, const struct bank *b,
		       uint32_t off, unsigned size, uint32_t val)
{
	if (!bank_size_ok(b, size))
		return;
	uint32_t first = (off - b->base) * 8 / b->bits;
	unsigned n = size * 8 / b->bits;
	uint32_t mask = (uint32_t)(BIT64(b->bits) - 1);
	uint32_t kick = 0;
	for (unsigned i = 0; i < n; i++) {
		uint32_t intid = first + i;
		struct vgic_irq *irq = bank_irq(g, vcpu, redist, intid);
		if (irq == NULL)
			continue;
		bool before = irq_wants(g->ctlr, irq);
		field_write(b->kind, irq, intid, (val >> (i * b->bits)) & mask);
		mark(g, vcpu, intid);
		kick_if_new(g, irq, before, irq_target(g, vcpu, intid), &kick);
	}
	kick_send(g, kick);
}

static uint32_t id_read(uint32_t off)
{
	return gic_id_regs[(off - GIC_ID_BASE) / 4];
}

/* Accesses: natural alignment, and 1, 2, 4 or 8 bytes. */
static bool access_ok(uint32_t off, unsigned size)
{
	return (size == 1 || size == 2 || size == 4 || size == 8) && (off & (size - 1)) == 0;
}

/* ------------------------------------------------------------------------ */
/* Distributor */

static bool is_irouter(uint32_t off)
{
	return off >= GICD_IROUTER + 8 * VGIC_NR_PRIVATE && off < GICD_IROUTER + 8 * BOARD_NR_IRQS;
}

/* GICD_IROUTER<n>: 64-bit, or either 32-bit half (12.9 GICD_IROUTER<n>). */
static uint64_t irouter_read(const struct vgic *g, uint32_t off, unsigned size)
{
	uint64_t r = g->irouter[(off - GICD_IROUTER) / 8 - VGIC_NR_PRIVATE];
	if (size == 8)
		return r;
	if (size == 4)
		return (off & 4) ? r >> 32 : (uint32_t)r;
	return 0;
}

static void irouter_write(struct vgic *g, uint32_t off, unsigned size, uint64_t val)
{
	uint32_t intid = (off - GICD_IROUTER) / 8;
	uint64_t *r = &g->irouter[intid - VGIC_NR_PRIVATE];
	unsigned old_target = irq_target(g, 0, intid);
	if (size == 8)
		*r = val;
	else if (size == 4 && (off & 4))
		*r = (*r & 0xffffffffULL) | (val << 32);
	else if (size == 4)
		*r = (*r & ~0xffffffffULL) | (uint32_t)val;
	else
		return;
	*r &= GICD_IROUTER_MASK;
	unsigned target = irq_target(g, 0, intid);
	/* A waiting SPI moved: its new target must look. */
	struct vgic_irq *irq = irq_get(g, 0, intid);
	if (target != old_target && irq_deliverable(g, irq))
		kick_send(g, BIT32(target));
}

/* Word reads of GICD_CTLR .. 0x7c, the control block (12.8, table 12-25). */
static uint32_t ctrl_read(const struct vgic *g, uint32_t off)
{
	switch (off) {
	case GICD_CTLR:
		/* RWP [31] reads 0: our writes take effect at once. */
		return g->ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
	case GICD_TYPER:
		return VGIC_TYPER;
	case GICD_IIDR:
		return VGIC_IIDR;
	case GICD_TYPER2:
	case GICD_STATUSR:
		return 0;
	}
	return 0; /* reserved: RAZ */
}

static uint32_t dist_read32(struct vgic *g, uint32_t off, unsigned size)
{
	if (off < GIC_IGROUPR)
		return size == 4 ? ctrl_read(g, off) : 0;
	const struct bank *b = bank_find(off);
	if (b != NULL)
		return bank_read(g, 0, false, b, off, size);
	/* GICD_SGIR is RES0 when ARE = 1 (12.9 GICD_SGIR); the rest is RAZ. */
	if (size == 4 && off >= GIC_ID_BASE && off < GIC_ID_END)
		return id_read(off);
	return 0;
}

static void ctlr_write(struct vgic *g, uint32_t val)
{
	uint32_t old = g->ctlr;
	/* Only the group enables are writable; ARE and DS are RAO/WI (12.9 GICD_CTLR). */
	g->ctlr = val & (GICD_CTLR_ENGRP0 | GICD_CTLR_ENGRP1);
	if ((g->ctlr & ~old) == 0)
		return;
	/* A group was enabled: whoever has an interrupt of it waiting must look. */
	uint32_t kick = 0;
	for (unsigned v = 0; v < g->nr_vcpus; v++)
		for (uint32_t i = 0; i < VGIC_NR_PRIVATE; i++) {
			const struct vgic_irq *irq = &g->cpu[v].priv[i];
			if (!irq_wants(old, irq) && irq_wants(g->ctlr, irq))
				kick |= BIT32(v);
		}
	for (uint32_t i = 0; i < VGIC_NR_SPIS; i++) {
		const struct vgic_irq *irq = &g->spi[i];
		if (!irq_wants(old, irq) && irq_wants(g->ctlr, irq))
			kick |= BIT32(vgic_spi_target(g, i + VGIC_NR_PRIVATE));
	}
	kick_send(g, kick);
}

static void dist_write32(struct vgic *g, uint32_t off, unsigned size, uint32_t val)
{
	const struct bank *b = bank_find(off);
	if (b != NULL) {
		bank_write(g, 0, false, b, off, size, val);
		return;
	}
	if (size == 4 && off == GICD_CTLR)
		ctlr_write(g, val);
	/* Everything else is read-only, RES0 or RAZ/WI. */
}

uint64_t vgic_dist_read(struct vgic *g, uint32_t off, unsigned size)
{
	/* Word reads of the control block (GICD_TYPER, GICD_CTLR) first: drivers poll them. */
	if (size == 4 && (off & ~(GIC_IGROUPR - 4)) == 0)
		return ctrl_read(g, off);
	if (!access_ok(off, size) || off >= BOARD_GICD_SIZE)
		return 0;
	if (is_irouter(off))
		return irouter_read(g, off, size);
	/* A 64-bit access to 32-bit registers: as two word accesses. */
	if (size == 8)
		return dist_read32(g, off, 4) | (uint64_t)dist_read32(g, off + 4, 4) << 32;
	return dist_read32(g, off, size);
}

void vgic_dist_write(struct vgic *g, uint32_t off, unsigned size, uint64_t val)
{
	if (!access_ok(off, size) || off >= BOARD_GICD_SIZE)
		return;
	if (is_irouter(off)) {
		irouter_write(g, off, size, val);
		return;
	}
	if (size == 8) {
		dist_write32(g, off, 4, (uint32_t)val);
		dist_write32(g, off + 4, 4, (uint32_t)(val >> 32));
		return;
	}
	dist_write32(g, off, size, (uint32_t)val);
}

/* ------------------------------------------------------------------------ */
/* Redistributors */

/*
 * GICR_TYPER (12.11): PLPIS, VLPIS, DirectLPI = 0; Last [4] on the last
 * frame; Processor_Number [23:8] = vcpu; PPInum [31:27] = 0 (16 PPIs);
 * Affinity_Value [63:32] = Aff3.Aff2.Aff1.Aff0 = 0.0.0.vcpu.
 */
static uint64_t gicr_typer(const struct vgic *g, unsigned vcpu)
{
	uint64_t t = (uint64_t)vcpu << 8 | (uint64_t)vcpu << 32;
	if (vcpu + 1 == g->nr_vcpus)
		t |= GICR_TYPER_LAST;
	return t;
}

static uint32_t rd_read32(struct vgic *g, unsigned vcpu, uint32_t off)
{
	switch (off) {
	case GICR_CTLR: /* no LPIs; RWP [3] reads 0 */
	case GICR_STATUSR:
		return 0;
	case GICR_IIDR:
		return VGIC_IIDR;
	case GICR_TYPER:
	case GICR_TYPER + 4:
		return (uint32_t)(gicr_typer(g, vcpu) >> ((off - GICR_TYPER) * 8));
	case GICR_WAKER:
		/* ChildrenAsleep follows ProcessorSleep at once (12.11 GICR_WAKER). */
		return g->cpu[vcpu].sleeping
			   ? GICR_WAKER_PROCESSOR_SLEEP | GICR_WAKER_CHILDREN_ASLEEP
			   : 0;
	}
	if (off >= GIC_ID_BASE && off < GIC_ID_END)
		return id_read(off);
	return 0;
}

uint64_t vgic_redist_read(struct vgic *g, unsigned vcpu, uint32_t off, unsigned size)
{
	if (!valid_vcpu(g, vcpu) || !access_ok(off, size) || off >= GICR_FRAMES_SIZE)
		return 0;
	if (off >= GICR_SGI_BASE) {
		const struct bank *b = bank_find(off - GICR_SGI_BASE);
		if (b == NULL)
			return 0;
		if (size == 8)
			return bank_read(g, vcpu, true, b, off - GICR_SGI_BASE, 4) |
			       (uint64_t)bank_read(g, vcpu, true, b, off - GICR_SGI_BASE + 4, 4)
				   << 32;
		return bank_read(g, vcpu, true, b, off - GICR_SGI_BASE, size);
	}
	if (size == 8)
		return rd_read32(g, vcpu, off) | (uint64_t)rd_read32(g, vcpu, off + 4) << 32;
	return size == 4 ? rd_read32(g, vcpu, off) : 0;
}

void vgic_redist_write(struct vgic *g, unsigned vcpu, uint32_t off, unsigned size, uint64_t val)
{
	if (!valid_vcpu(g, vcpu) || !access_ok(off, size) || off >= GICR_FRAMES_SIZE)
		return;
	if (off >= GICR_SGI_BASE) {
		const struct bank *b = bank_find(off - GICR_SGI_BASE);
		if (b == NULL)
			return;
		if (size == 8) {
			bank_write(g, vcpu, true, b, off - GICR_SGI_BASE, 4, (uint32_t)val);
			bank_write(g, vcpu, true, b, off - GICR_SGI_BASE + 4, 4,
				   (uint32_t)(val >> 32));
			return;
		}
		bank_write(g, vcpu, true, b, off - GICR_SGI_BASE, size, (uint32_t)val);
		return;
	}
	/* RD_base: only GICR_WAKER.ProcessorSleep is writable (12.11 GICR_WAKER). */
	if (size == 8 && off == GICR_STATUSR) {
		val >>= 32;
		off = GICR_WAKER;
		size = 4;
	}
	if (size == 4 && off == GICR_WAKER)
		g->cpu[vcpu].sleeping = (val & GICR_WAKER_PROCESSOR_SLEEP) != 0;
}

/* ------------------------------------------------------------------------ */
/* Interrupt sources and the list-register side */

/* Latch intid pending, as an edge would (or a write of ISPENDR). */
static void pend(struct vgic *g, unsigned vcpu, uint32_t intid, uint32_t *kick)
{
	struct vgic_irq *irq = irq_get(g, vcpu, intid);
	if (irq == NULL)
		return;
	bool before = irq_wants(g->ctlr, irq);
	irq->pending = true;
	mark(g, vcpu, intid);
	kick_if_new(g, irq, before, irq_target(g, vcpu, intid), kick);
}

void vgic_inject(struct vgic *g, unsigned vcpu, uint32_t intid)
{
	uint32_t kick = 0;
	pend(g, vcpu, intid, &kick);
	kick_send(g, kick);
}

void vgic_set_level(struct vgic *g, unsigned vcpu, uint32_t intid, bool level)
{
	struct vgic_irq *irq = irq_get(g, vcpu, intid);
	if (irq == NULL)
		return;
	uint32_t kick = 0;
	bool before = irq_wants(g->ctlr, irq);
	/* A line into an edge-configured interrupt pends it on its rising edge. */
	if (irq->edge && level && !irq->level)
		irq->pending = true;
	irq->level = level;
	mark(g, vcpu, intid);
	kick_if_new(g, irq, before, irq_target(g, vcpu, intid), &kick);
	kick_send(g, kick);
}

/*
 * ICC_SGI1R_EL1 (12.2.22): TargetList [15:0], Aff1 [23:16], INTID [27:24],
 * Aff2 [39:32], IRM [40], RS [47:44], Aff3 [55:48]. Target list bit n names
 * the PE with Aff0 = RS * 16 + n; bits naming no PE are ignored. With
 * DS == 1 a write of ICC_SGI1R_EL1 pends the SGI whatever its group (the
 * "Forwarding an SGI to a target PE" rules that 12.2.22 refers to).
 */
void vgic_sgi1r_write(struct vgic *g, unsigned src_vcpu, uint64_t val)
{
	if (!valid_vcpu(g, src_vcpu))
		return;
	uint32_t intid = (uint32_t)FIELD(val, 24, 4);
	uint32_t kick = 0;
	if (val & BIT64(40)) {
		for (unsigned v = 0; v < g->nr_vcpus; v++)
			if (v != src_vcpu)
				pend(g, v, intid, &kick);
	} else if (FIELD(val, 16, 8) == 0 && FIELD(val, 32, 8) == 0 && FIELD(val, 48, 8) == 0) {
		unsigned rs = (unsigned)FIELD(val, 44, 4);
		for (unsigned n = 0; n < 16; n++) {
			unsigned aff0 = rs * 16 + n;
			if ((val & BIT64(n)) && aff0 < g->nr_vcpus)
				pend(g, aff0, intid, &kick);
		}
	}
	kick_send(g, kick);
}

/*
 * The highest-priority deliverable interrupt of vcpu not in a list register;
 * ties to the lower INTID. Runs on every list-register refill: the cheap
 * "is it pending at all" test comes first, the SPI routing decode last.
 */
static struct vgic_irq *best_pending(struct vgic *g, unsigned vcpu, uint32_t *best_id)
{
	struct vgic_irq *best = NULL;
	/* Only what may be pending; what is not pending any more leaves the set. */
	uint32_t *maybe = &g->cpu[vcpu].maybe_pending;
	for (uint32_t m = *maybe; m; m &= m - 1) {
		uint32_t id = (uint32_t)__builtin_ctz(m);
		struct vgic_irq *irq = &g->cpu[vcpu].priv[id];
		if (!irq_pending(irq)) {
			*maybe &= ~BIT32(id);
			continue;
		}
		if (irq_deliverable(g, irq) && (best == NULL || irq->priority < best->priority ||
						(irq->priority == best->priority && id < *best_id))) {
			best = irq;
			*best_id = id;
		}
	}
	for (unsigned w = 0; w < VGIC_NR_SPIS / 32; w++) {
		for (uint32_t m = g->spi_maybe_pending[w]; m; m &= m - 1) {
			uint32_t i = w * 32 + (uint32_t)__builtin_ctz(m);
			struct vgic_irq *irq = &g->spi[i];
			if (!irq_pending(irq)) {
				g->spi_maybe_pending[w] &= ~BIT32(i % 32);
				continue;
			}
			if (irq_deliverable(g, irq) &&
			    (best == NULL || irq->priority < best->priority) &&
			    vgic_spi_target(g, i + VGIC_NR_PRIVATE) == vcpu) {
				best = irq;
				*best_id = i + VGIC_NR_PRIVATE;
			}
		}
	}
	return best;
}

bool vgic_peek_pending(struct vgic *g, unsigned vcpu, uint8_t *priority)
{
	uint32_t id;
	if (!valid_vcpu(g, vcpu))
		return false;
	struct vgic_irq *best = best_pending(g, vcpu, &id);
	if (best && priority)
		*priority = best->priority;
	return best != NULL;
}

bool vgic_take_pending(struct vgic *g, unsigned vcpu, uint32_t *intid, uint8_t *priority,
		       bool *group1, bool *eoi_notify)
{
	uint32_t best_id = 0;
	if (!valid_vcpu(g, vcpu))
		return false;
	struct vgic_irq *best = best_pending(g, vcpu, &best_id);
	if (best == NULL)
		return false;
	best->in_lr = true;
	best->in_lr_vcpu = (uint8_t)vcpu;
	/* The list register now holds the pending state; a level input stays in irq->level. */
	best->pending = false;
	if (intid != NULL)
		*intid = best_id;
	if (priority != NULL)
		*priority = best->priority;
	if (group1 != NULL)
		*group1 = best->group1;
	/*
	 * A level-sensitive interrupt whose line is still high must be sampled
	 * again when the guest deactivates it. One only latched pending (a
	 * one-shot injection, ISPENDR) has nothing to sample: no exit needed.
	 */
	if (eoi_notify != NULL)
		*eoi_notify = !best->edge && best->level;
	return true;
}

bool vgic_needs_eoi_notify(struct vgic *g, unsigned vcpu, uint32_t intid)
{
	struct vgic_irq *irq = irq_get(g, vcpu, intid);
	return irq != NULL && !irq->edge && irq->level;
}

void vgic_lr_evict(struct vgic *g, unsigned vcpu, uint32_t intid)
{
	struct vgic_irq *irq = irq_get(g, vcpu, intid);
	if (irq == NULL || !irq->in_lr || irq->in_lr_vcpu != vcpu)
		return;
	irq->in_lr = false;
	/* Still pending: an edge keeps its latch; a level one is pending while its line is high. */
	if (irq->edge)
		irq->pending = true;
	mark(g, vcpu, intid);
}

bool vgic_lr_retired(struct vgic *g, unsigned vcpu, uint32_t intid)
{
	struct vgic_irq *irq = irq_get(g, vcpu, intid);
	if (irq == NULL || !irq->in_lr || irq->in_lr_vcpu != vcpu)
		return false;
	irq->in_lr = false;
	if (!irq_wants(g->ctlr, irq))
		return false;
	unsigned target = irq_target(g, vcpu, intid);
	if (target == vcpu)
		return true;
	/* An SPI rerouted while it was in this vCPU's list register. */
	kick_send(g, BIT32(target));
	return false;
}

bool vgic_has_pending(const struct vgic *g, unsigned vcpu)
{
	if (!valid_vcpu(g, vcpu))
		return false;
	for (uint32_t i = 0; i < VGIC_NR_PRIVATE; i++) {
		const struct vgic_irq *irq = &g->cpu[vcpu].priv[i];
		if (irq->in_lr || irq_wants(g->ctlr, irq))
			return true;
	}
	for (uint32_t i = 0; i < VGIC_NR_SPIS; i++) {
		const struct vgic_irq *irq = &g->spi[i];
		if (irq->in_lr ? irq->in_lr_vcpu == vcpu
			       : irq_wants(g->ctlr, irq) &&
				     vgic_spi_target(g, i + VGIC_NR_PRIVATE) == vcpu)
			return true;
	}
	return false;
}
