/*
 * Emulated GICv3 distributor and redistributors for one VM (GIC architecture
 * specification IHI 0069, chapters 12.8-12.11), plus the per-interrupt state
 * the hypervisor uses to fill the ICH list registers.
 *
 * Plain C: no system-register access, no locking (the caller holds the VM's
 * vGIC lock around every call), so it is unit-tested on the host.
 *
 * The guest's CPU interface is the hardware's virtual one (ICV_* registers);
 * an interrupt handed to a list register is "in_lr" for that vCPU until the
 * hypervisor sees the list register empty again and calls vgic_lr_retired().
 */
#ifndef FACET_VDEV_VGIC_H
#define FACET_VDEV_VGIC_H

#include <stdbool.h>
#include <stdint.h>

#include "abi/board.h"

#define VGIC_NR_PRIVATE 32 /* SGIs 0-15, PPIs 16-31: per vCPU */
#define VGIC_NR_SPIS (BOARD_NR_IRQS - VGIC_NR_PRIVATE)

struct vgic_irq {
	uint8_t priority;
	bool enabled;
	bool pending; /* latched pending state (edge, or written through ISPENDR) */
	bool active;  /* active, as written through ISACTIVER (not in an LR) */
	bool level;   /* input line level, for level-sensitive interrupts */
	bool edge;    /* GICD_ICFGR: true = edge-triggered */
	bool group1;
	bool in_lr;   /* currently held by a list register of target vcpu */
	uint8_t in_lr_vcpu;
};

struct vgic_cpu {
	struct vgic_irq priv[VGIC_NR_PRIVATE];
	bool sleeping; /* GICR_WAKER.ProcessorSleep */
	uint32_t maybe_pending; /* bit n: priv[n] may be pending (see struct vgic) */
};

struct vgic {
	uint32_t ctlr; /* GICD_CTLR as the guest wrote it */
	unsigned nr_vcpus;
	struct vgic_irq spi[VGIC_NR_SPIS];
	uint64_t irouter[VGIC_NR_SPIS];
	struct vgic_cpu cpu[BOARD_MAX_VCPUS];
	/*
	 * Bit n: SPI 32 + n may be pending. Set whenever an interrupt can have
	 * become pending (latched, level raised, made level-sensitive); cleared
	 * by the list-register refill when it finds it is not. The refill then
	 * looks at a few interrupts, not all of them.
	 */
	uint32_t spi_maybe_pending[VGIC_NR_SPIS / 32];
	/*
	 * Called when vcpu may have a new deliverable interrupt (it should be
	 * woken up or have its list registers refilled). May be NULL.
	 */
	void (*notify)(void *owner, unsigned vcpu);
	void *owner;
};

/* Reset to the architectural reset state for a VM of nr_vcpus vCPUs. */
void vgic_init(struct vgic *g, unsigned nr_vcpus, void (*notify)(void *, unsigned), void *owner);

/*
 * MMIO accesses. off is the offset inside the distributor (64 KiB) or inside
 * the vCPU's redistributor frame pair (128 KiB: RD_base, then SGI_base at
 * 0x10000). size is 1, 2, 4 or 8 bytes. Reads of reserved or write-only
 * registers return 0; writes to read-only or reserved registers are ignored
 * (GIC spec 12.1.2 "RES0/RAZ/WI").
 */
uint64_t vgic_dist_read(struct vgic *g, uint32_t off, unsigned size);
void vgic_dist_write(struct vgic *g, uint32_t off, unsigned size, uint64_t val);
uint64_t vgic_redist_read(struct vgic *g, unsigned vcpu, uint32_t off, unsigned size);
void vgic_redist_write(struct vgic *g, unsigned vcpu, uint32_t off, unsigned size, uint64_t val);

/*
 * A trapped write of ICC_SGI1R_EL1 by src_vcpu (GIC spec 12.2.22): pends the
 * SGI on every targeted vCPU (target list + Aff1..3, or all but self with IRM).
 */
void vgic_sgi1r_write(struct vgic *g, unsigned src_vcpu, uint64_t val);

/* Edge: make intid pending (for vcpu, if intid is private). */
void vgic_inject(struct vgic *g, unsigned vcpu, uint32_t intid);
/* Level: set the input line of a level-sensitive interrupt. */
void vgic_set_level(struct vgic *g, unsigned vcpu, uint32_t intid, bool level);

/* The vCPU an SPI is routed to (GICD_IROUTER Aff0; IRM=1 routes to vCPU 0). */
unsigned vgic_spi_target(const struct vgic *g, uint32_t intid);

/*
 * Takes the highest-priority interrupt deliverable to vcpu and not in a list
 * register: enabled, pending (latched, or level high for a level interrupt),
 * its group enabled in GICD_CTLR. Marks it in_lr and clears its latch.
 * Returns false if there is none. *eoi_notify asks the caller to set the list
 * register's EOI bit (level-sensitive with its line high: the line must be
 * sampled again when the guest deactivates it).
 */
bool vgic_take_pending(struct vgic *g, unsigned vcpu, uint32_t *intid, uint8_t *priority,
		       bool *group1, bool *eoi_notify);

/*
 * Must the list register holding intid ask for an EOI maintenance interrupt
 * (level-sensitive, line high: sample it again when the guest is done)? The
 * line can rise after vgic_take_pending said no: the hypervisor asks again
 * when it is notified.
 */
bool vgic_needs_eoi_notify(struct vgic *g, unsigned vcpu, uint32_t intid);

/* Priority of what vgic_take_pending would take next, without taking it. */
bool vgic_peek_pending(struct vgic *g, unsigned vcpu, uint8_t *priority);

/*
 * The hypervisor takes back intid, still only pending (never acknowledged),
 * from a list register of vcpu, to make room for a higher-priority one: it
 * is pending in the vGIC again.
 */
void vgic_lr_evict(struct vgic *g, unsigned vcpu, uint32_t intid);

/*
 * A list register that held intid for vcpu is free again (the guest
 * deactivated it). Returns true if the interrupt is deliverable again (level
 * still high, or pended meanwhile). An SPI rerouted to another vCPU while it
 * was in the list register returns false and notifies its new target.
 */
bool vgic_lr_retired(struct vgic *g, unsigned vcpu, uint32_t intid);

/* Does vcpu have a deliverable interrupt (for WFI wake-up)? In or out of an LR. */
bool vgic_has_pending(const struct vgic *g, unsigned vcpu);

#endif
