/*
 * The emulated devices of the virtual board (include/abi/board.h). Each
 * is plain C in vdev/ called under the VM's lock with a decoded access.
 */
#include "core/mmio.h"
#include "core/vm.h"

struct vdev_ops {
	uint64_t base, size_per_vcpu, size;
	uint64_t (*read)(struct vcpu *v, uint64_t off, unsigned size);
	void (*write)(struct vcpu *v, uint64_t off, unsigned size, uint64_t val);
};

static uint64_t gicd_read(struct vcpu *v, uint64_t off, unsigned size)
{
	return vgic_dist_read(&v->vm->vgic, (uint32_t)off, size);
}
static void gicd_write(struct vcpu *v, uint64_t off, unsigned size, uint64_t val)
{
	vgic_dist_write(&v->vm->vgic, (uint32_t)off, size, val);
}
static uint64_t gicr_read(struct vcpu *v, uint64_t off, unsigned size)
{
	return vgic_redist_read(&v->vm->vgic, (unsigned)(off / BOARD_GICR_STRIDE),
				(uint32_t)(off % BOARD_GICR_STRIDE), size);
}
static void gicr_write(struct vcpu *v, uint64_t off, unsigned size, uint64_t val)
{
	vgic_redist_write(&v->vm->vgic, (unsigned)(off / BOARD_GICR_STRIDE),
			  (uint32_t)(off % BOARD_GICR_STRIDE), size, val);
}
static uint64_t uart_read(struct vcpu *v, uint64_t off, unsigned size)
{
	return vpl011_read(&v->vm->uart, (uint32_t)off, size);
}
static void uart_write(struct vcpu *v, uint64_t off, unsigned size, uint64_t val)
{
	vpl011_write(&v->vm->uart, (uint32_t)off, size, (uint32_t)val);
}

/* The board's devices, most used first: every emulated access looks here. */
static const struct vdev_ops vdevs[] = {
	{BOARD_GICD_BASE, 0, BOARD_GICD_SIZE, gicd_read, gicd_write},
	{BOARD_UART_BASE, 0, BOARD_UART_SIZE, uart_read, uart_write},
	{BOARD_GICR_BASE, BOARD_GICR_STRIDE, 0, gicr_read, gicr_write},
};

static const struct vdev_ops *vdev_find(const struct vcpu *v, uint64_t ipa)
{
	for (unsigned i = 0; i < ARRAY_SIZE(vdevs); i++) {
		const struct vdev_ops *d = &vdevs[i];
		/* Unsigned: an address below base wraps to a large offset. */
		uint64_t off = ipa - d->base;
		if (off < (d->size ? d->size : d->size_per_vcpu * v->vm->nr_vcpus))
			return d;
	}
	return NULL;
}

bool mmio_emulate(struct vcpu *v, uint64_t esr, uint64_t ipa)
{
	struct mmio_access a;
	const struct vdev_ops *d;

	if (!dabt_decode(esr, ipa, &a) || !(d = vdev_find(v, ipa)))
		return false;
	uint64_t off = ipa - d->base, val;
	spin_lock(&v->vm->lock);
	if (a.write) {
		/* Register 31 is XZR here (ARM ARM C6.2: Rt of a load/store). */
		d->write(v, off, a.size, a.reg == 31 ? 0 : v->regs.x[a.reg]);
	} else {
		val = d->read(v, off, a.size);
	}
	spin_unlock(&v->vm->lock);
	if (!a.write && a.reg != 31)
		v->regs.x[a.reg] = dabt_load_value(&a, val);
	return true;
}
