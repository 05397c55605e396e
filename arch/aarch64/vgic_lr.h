/*
 * The GIC list registers (GIC spec IHI 0069, 12.4.10 ICH_LR<n>_EL2): how
 * facet hands pending virtual interrupts to the hardware's virtual CPU
 * interface, which the guest then acknowledges and completes without traps.
 */
#ifndef FACET_ARCH_VGIC_LR_H
#define FACET_ARCH_VGIC_LR_H

#include <stdint.h>

#define ICH_HCR_EN (1ULL << 0)  /* virtual CPU interface enabled */
#define ICH_HCR_UIE (1ULL << 1) /* maintenance when at most one LR is valid */
#define ICH_LR_STATE_SHIFT 62
#define ICH_LR_PENDING (1ULL << 62)
#define ICH_LR_GROUP1 (1ULL << 60)
#define ICH_LR_EOI (1ULL << 41) /* maintenance interrupt when deactivated (HW = 0) */
#define ICH_LR_PRIO_SHIFT 48

unsigned vgic_nr_lrs(void);
uint64_t vgic_read_lr(unsigned i);
void vgic_write_lr(unsigned i, uint64_t v);

#endif
