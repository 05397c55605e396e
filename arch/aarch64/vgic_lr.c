/*
 * Filling the list registers of the loaded vCPU from the vGIC's pending
 * state, and noticing when the guest has finished with one.
 */
#include "arch/aarch64/arch.h"
#include "arch/aarch64/sysreg.h"
#include "arch/aarch64/vgic_lr.h"
#include "core/vm.h"

unsigned vgic_nr_lrs(void)
{
	/* ICH_VTR_EL2.ListRegs: number of list registers minus one. */
	return (unsigned)(read_sysreg(ICH_VTR_EL2) & 0x1F) + 1;
}

uint64_t vgic_read_lr(unsigned i)
{
	switch (i) {
	case 0: return read_sysreg(ICH_LR0_EL2);
	case 1: return read_sysreg(ICH_LR1_EL2);
	case 2: return read_sysreg(ICH_LR2_EL2);
	case 3: return read_sysreg(ICH_LR3_EL2);
	case 4: return read_sysreg(ICH_LR4_EL2);
	case 5: return read_sysreg(ICH_LR5_EL2);
	case 6: return read_sysreg(ICH_LR6_EL2);
	case 7: return read_sysreg(ICH_LR7_EL2);
	case 8: return read_sysreg(ICH_LR8_EL2);
	case 9: return read_sysreg(ICH_LR9_EL2);
	case 10: return read_sysreg(ICH_LR10_EL2);
	case 11: return read_sysreg(ICH_LR11_EL2);
	case 12: return read_sysreg(ICH_LR12_EL2);
	case 13: return read_sysreg(ICH_LR13_EL2);
	case 14: return read_sysreg(ICH_LR14_EL2);
	default: return read_sysreg(ICH_LR15_EL2);
	}
}

void vgic_write_lr(unsigned i, uint64_t v)
{
	switch (i) {
	case 0: write_sysreg(ICH_LR0_EL2, v); break;
	case 1: write_sysreg(ICH_LR1_EL2, v); break;
	case 2: write_sysreg(ICH_LR2_EL2, v); break;
	case 3: write_sysreg(ICH_LR3_EL2, v); break;
	case 4: write_sysreg(ICH_LR4_EL2, v); break;
	case 5: write_sysreg(ICH_LR5_EL2, v); break;
	case 6: write_sysreg(ICH_LR6_EL2, v); break;
	case 7: write_sysreg(ICH_LR7_EL2, v); break;
	case 8: write_sysreg(ICH_LR8_EL2, v); break;
	case 9: write_sysreg(ICH_LR9_EL2, v); break;
	case 10: write_sysreg(ICH_LR10_EL2, v); break;
	case 11: write_sysreg(ICH_LR11_EL2, v); break;
	case 12: write_sysreg(ICH_LR12_EL2, v); break;
	case 13: write_sysreg(ICH_LR13_EL2, v); break;
	case 14: write_sysreg(ICH_LR14_EL2, v); break;
	default: write_sysreg(ICH_LR15_EL2, v); break;
	}
}




#define ICH_LR_STATE_MASK (3ULL << ICH_LR_STATE_SHIFT)
#define LR_PRIO(lr) ((uint8_t)((lr) >> ICH_LR_PRIO_SHIFT))

/*
 * Retire the list registers the guest has finished with (state invalid),
 * then fill free ones with the highest-priority deliverable interrupts. When
 * they are all taken and a waiting interrupt outranks one that is only
 * pending in a list register, that one goes back to the vGIC to make room
 * (the guest must see the highest priority first, GIC spec 4.8). If
 * interrupts are still waiting, ask for an underflow maintenance interrupt
 * to come back when the list registers drain.
 */
void vgic_lr_flush(struct vcpu *v)
{
	struct vgic *g = &v->vm->vgic;
	unsigned n = vgic_nr_lrs();
	bool waiting = false;

	v->irq_dirty = false;
	for (unsigned i = 0; i < n; i++) {
		uint16_t bit = (uint16_t)(1U << i);
		if (!(v->gic.lr_used & bit))
			continue;
		uint64_t lr = vgic_read_lr(i);
		if (!(lr >> ICH_LR_STATE_SHIFT)) {
			v->gic.lr_used &= (uint16_t)~bit;
			vgic_write_lr(i, 0);
			vgic_lr_retired(g, v->id, v->gic.lr_intid[i]);
		} else if (!(lr & ICH_LR_EOI) && vgic_needs_eoi_notify(g, v->id, v->gic.lr_intid[i])) {
			/* Its line rose while the guest held it: come back when it is done. */
			vgic_write_lr(i, lr | ICH_LR_EOI);
		}
	}
	for (;;) {
		uint8_t want;
		if (!vgic_peek_pending(g, v->id, &want))
			break;
		/* A free list register, else the lowest-priority one that is only pending. */
		int slot = -1, victim = -1;
		uint8_t victim_prio = 0;
		for (unsigned i = 0; i < n && slot < 0; i++) {
			if (!(v->gic.lr_used & (1U << i))) {
				slot = (int)i;
				break;
			}
			uint64_t lr = vgic_read_lr(i);
			if ((lr & ICH_LR_STATE_MASK) == ICH_LR_PENDING && LR_PRIO(lr) >= victim_prio) {
				victim = (int)i;
				victim_prio = LR_PRIO(lr);
			}
		}
		if (slot < 0) {
			if (victim < 0 || want >= victim_prio) {
				waiting = true;
				break;
			}
			slot = victim;
			vgic_write_lr((unsigned)slot, 0);
			vgic_lr_evict(g, v->id, v->gic.lr_intid[slot]);
		}
		uint32_t intid;
		uint8_t prio;
		bool group1, eoi;
		/* Cannot fail: vgic_peek_pending found one, under the same VM lock. */
		if (!vgic_take_pending(g, v->id, &intid, &prio, &group1, &eoi))
			break;
		vgic_write_lr((unsigned)slot, ICH_LR_PENDING | (group1 ? ICH_LR_GROUP1 : 0) |
						  ((uint64_t)prio << ICH_LR_PRIO_SHIFT) |
						  (eoi ? ICH_LR_EOI : 0) | intid);
		v->gic.lr_used |= (uint16_t)(1U << slot);
		v->gic.lr_intid[slot] = intid;
	}
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN | (waiting ? ICH_HCR_UIE : 0));
}

void vgic_lr_maintenance(struct vcpu *v)
{
	vgic_lr_flush(v);
}

bool vgic_lr_has_pending(struct vcpu *v)
{
	unsigned n = vgic_nr_lrs();
	for (unsigned i = 0; i < n; i++)
		if ((v->gic.lr_used >> i) & 1 && (vgic_read_lr(i) & ICH_LR_PENDING))
			return true;
	return false;
}
