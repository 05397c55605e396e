/*
 * The emulated devices of the virtual board (include/abi/board.h), each
 * plain C in vdev/ called under the VM's lock with a decoded access. The
 * board is matched with three compares (most used device first) and the
 * devices are called directly, not through a table of function pointers.
 */
#include "core/mmio.h"
#include "core/vm.h"

_Static_assert((BOARD_GICD_BASE & (BOARD_GICD_SIZE - 1)) == 0 &&
		       (BOARD_GICD_SIZE & (BOARD_GICD_SIZE - 1)) == 0 &&
		       (BOARD_UART_BASE & (BOARD_UART_SIZE - 1)) == 0 &&
		       (BOARD_UART_SIZE & (BOARD_UART_SIZE - 1)) == 0,
	       "the distributor and the UART are naturally aligned power-of-two windows");

/*
 * A load or store of size bytes at ipa, performed on the device there
 * under the VM's lock. Returns false, with nothing done, when no device is
 * there; for a load, *val is the value read, for a store the value stored.
 * entry.S's dabt_fast does the same for the distributor and the UART.
 */
static bool mmio_access(struct vm *vm, uint64_t ipa, unsigned size, bool write, uint64_t *val)
{
	uint64_t off;

	if (ipa / BOARD_GICD_SIZE == BOARD_GICD_BASE / BOARD_GICD_SIZE) {
		off = ipa % BOARD_GICD_SIZE;
		spin_lock(&vm->lock);
		if (write)
			vgic_dist_write(&vm->vgic, (uint32_t)off, size, *val);
		else
			*val = vgic_dist_read(&vm->vgic, (uint32_t)off, size);
	} else if (ipa / BOARD_UART_SIZE == BOARD_UART_BASE / BOARD_UART_SIZE) {
		off = ipa % BOARD_UART_SIZE;
		spin_lock(&vm->lock);
		if (write)
			vpl011_write(&vm->uart, (uint32_t)off, size, (uint32_t)*val);
		else
			*val = vpl011_read(&vm->uart, (uint32_t)off, size);
	} else if ((off = ipa - BOARD_GICR_BASE) < BOARD_GICR_STRIDE * vm->nr_vcpus) {
		/* Unsigned: an address below the base wraps to a large offset. */
		unsigned vcpu = (unsigned)(off / BOARD_GICR_STRIDE);
		uint32_t reg = (uint32_t)(off % BOARD_GICR_STRIDE);
		spin_lock(&vm->lock);
		if (write)
			vgic_redist_write(&vm->vgic, vcpu, reg, size, *val);
		else
			*val = vgic_redist_read(&vm->vgic, vcpu, reg, size);
	} else {
		return false;
	}
	spin_unlock(&vm->lock);
	return true;
}

/*
 * The data abort with syndrome esr at guest-physical address ipa, as an
 * access to an emulated device: decoded, performed, a load's value put in
 * v's register. Returns false, with nothing changed, if it is not one (no
 * valid syndrome, or no device there).
 */
bool mmio_emulate(struct vcpu *v, uint64_t esr, uint64_t ipa)
{
	struct mmio_access a;
	uint64_t val = 0;

	if (!dabt_decode(esr, ipa, &a))
		return false;
	/* Register 31 is XZR here (ARM ARM C6.2: Rt of a load/store). */
	if (a.write && a.reg != 31)
		val = v->regs.x[a.reg];
	if (!mmio_access(v->vm, a.ipa, a.size, a.write, &val))
		return false;
	if (!a.write && a.reg != 31)
		v->regs.x[a.reg] = dabt_load_value(&a, val);
	return true;
}

